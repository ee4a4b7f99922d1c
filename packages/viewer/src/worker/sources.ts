/**
 * Byte sources for the parser in the worker: a file the user chose (a Blob, read with
 * FileReaderSync) or a file `specx view` serves (a URL, read with synchronous range requests).
 * `ByteSource.read` is synchronous, which only a worker can do without blocking the page.
 *
 * A small file is read whole at once (one read is the fastest); a larger one through a window
 * of a few MiB that moves as the parser asks, so that a file of hundreds of MB is never in
 * memory whole. Each window is a fresh buffer: views the parser took of an earlier one stay
 * valid. Every source counts the bytes it fetched and reports how far the parser has read,
 * which the worker turns into progress messages.
 */
import type { ByteSource } from "@specx/spec-parser";
import type { FileSource } from "../protocol.js";

/** A byte source that says how much it fetched and how far it was read. */
export interface TrackedSource extends ByteSource {
  /** Bytes fetched from the underlying file or server so far. */
  readonly bytesFetched: number;
  /** Fetches made so far (one per window, or one for a file read whole). */
  readonly fetches: number;
  /** Called with the end of every read, so that indexing can report its progress. */
  onRead: ((end: number) => void) | null;
}

/** How the bytes of `[start, end)` are fetched from the file. */
export type FetchRange = (start: number, end: number) => Uint8Array;

/** Sizes that decide how a file is read. */
export interface SourceOptions {
  /** Files up to this size are read whole at once (default {@link WHOLE_FILE_LIMIT}). */
  wholeLimit?: number;
  /** Bytes fetched per window for larger files (default {@link WINDOW_BYTES}). */
  windowBytes?: number;
}

/**
 * Largest file read whole. Reading whole costs one fetch and no re-reads; the window costs a
 * second read of every scan when the scan list is built. Above this the memory a whole read
 * holds (the file's size, for as long as the file is open) matters more than the time. In
 * Chromium 156 (2 loaded cores, 2026-12-07), an 86 MB MCA file opened in 3.6-4.1 s read whole
 * (the renderer grew by 121-148 MiB) and in 5.8-8.0 s windowed (66-73 MiB); a 23 MB file in
 * 1.2-2.0 s whole and 2.1-2.8 s windowed.
 */
export const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * Bytes per window: large enough that the parser's 1 MiB chunks rarely straddle two. On the
 * 227 MB bench file (same machine), 8 MiB windows opened it in 8.1-11.5 s with the renderer
 * peaking 117-128 MiB above its size before; 2 MiB windows in 11.9-16.1 s, 98-105 MiB.
 */
export const WINDOW_BYTES = 8 * 1024 * 1024;

/** A source over the bytes of a file the user chose, or of a URL `specx view` serves. */
export function openSource(source: FileSource, options: SourceOptions = {}): TrackedSource {
  if (source.kind === "blob") {
    return trackedSource(source.blob.size, blobFetcher(source.blob), options);
  }
  return trackedSource(source.size, urlFetcher(source.url, source.size), options);
}

/**
 * A tracked source of `size` bytes fetched by `fetch`: whole at the first read when the size is
 * at most `wholeLimit`, else window by window.
 */
export function trackedSource(
  size: number,
  fetch: FetchRange,
  options: SourceOptions = {},
): TrackedSource {
  return new WindowedSource(size, fetch, options);
}

class WindowedSource implements TrackedSource {
  bytesFetched = 0;
  fetches = 0;
  onRead: ((end: number) => void) | null = null;
  readonly size: number;
  private windowStart = 0;
  private window: Uint8Array = new Uint8Array(0);
  private readonly fetch: FetchRange;
  private readonly wholeLimit: number;
  private readonly windowBytes: number;

  constructor(size: number, fetch: FetchRange, options: SourceOptions) {
    this.size = size;
    this.fetch = fetch;
    this.wholeLimit = options.wholeLimit ?? WHOLE_FILE_LIMIT;
    this.windowBytes = Math.max(1, options.windowBytes ?? WINDOW_BYTES);
  }

  read(start: number, end: number): Uint8Array {
    const size = this.size;
    const from = Math.max(0, Math.min(start, size));
    const to = Math.max(from, Math.min(end, size));
    if (from < this.windowStart || to > this.windowStart + this.window.length) {
      // A miss: the whole file when it is small, else a window from `from` (the parser reads
      // forwards), as large as the read when the read is larger than a window.
      const fetchStart = size <= this.wholeLimit ? 0 : from;
      const fetchEnd =
        size <= this.wholeLimit
          ? size
          : Math.min(size, from + Math.max(this.windowBytes, to - from));
      const bytes = this.fetch(fetchStart, fetchEnd);
      this.bytesFetched += bytes.length;
      this.fetches++;
      if (bytes.length < fetchEnd - fetchStart) {
        throw new Error(
          `the file ended at byte ${fetchStart + bytes.length}, before byte ${fetchEnd} (was it changed?)`,
        );
      }
      this.window = bytes;
      this.windowStart = fetchStart;
    }
    this.onRead?.(to);
    return this.window.subarray(from - this.windowStart, to - this.windowStart);
  }
}

/** FileReaderSync, which only workers have (the DOM library does not declare it). */
interface FileReaderSyncLike {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}

function blobFetcher(blob: Blob): FetchRange {
  const Reader = (globalThis as { FileReaderSync?: new () => FileReaderSyncLike }).FileReaderSync;
  if (!Reader) throw new Error("files can only be read in a worker (no FileReaderSync here)");
  const reader = new Reader();
  return (start, end) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(start, end)));
}

/**
 * Bytes of a URL by synchronous range requests (a worker may make them; `specx view` honours
 * one `Range: bytes=a-b` per request). A server that ignores the range answers 200 with the
 * whole file, from which the range is cut. Slower than a File: Chromium 156 moved 13-22 MB/s
 * through loopback requests here (async fetch no faster), so the 227 MB bench file, read twice
 * (index, then scan list), took about 50 s against about 10 s as a File.
 */
function urlFetcher(url: string, size: number): FetchRange {
  return (start, end) => {
    if (end <= start) return new Uint8Array(0);
    const request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.responseType = "arraybuffer";
    const whole = start === 0 && end >= size;
    if (!whole) request.setRequestHeader("Range", `bytes=${start}-${end - 1}`);
    request.send();
    const body = request.response instanceof ArrayBuffer ? request.response : new ArrayBuffer(0);
    if (request.status === 206) return new Uint8Array(body);
    if (request.status === 200)
      return new Uint8Array(body, Math.min(start, body.byteLength)).subarray(0, end - start);
    throw new Error(`cannot read ${url}: HTTP ${request.status} ${request.statusText}`.trim());
  };
}
