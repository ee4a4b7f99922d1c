/**
 * @specx/spec-parser/node: SPEC files on disk. The file is read in chunks to build the index;
 * a scan's bytes are read when the scan is first asked for.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { memorySource } from "./index.js";
import { encodeUtf8 } from "./parse/bytes.js";
import type { ByteSource } from "./parse/indexer.js";
import { type ReadOptions, type RefreshReport, SpecFile } from "./spec-file.js";

export * from "./index.js";

/** Node's latin1 slice: one char per byte, a memory copy instead of the web APIs' decoding. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/**
 * `count` numbers in memory that is not cleared first, for a caller that writes all of them. A
 * Buffer of its own (not from the shared pool), so that it starts on an 8-byte boundary.
 */
function unclearedNumbers(count: number): Float64Array {
  return new Float64Array(Buffer.allocUnsafeSlow(8 * count).buffer, 0, count);
}

/** Size of a FileSource's read-ahead window for byte strings. */
const WINDOW_BYTES = 1024 * 1024;

/**
 * `parse` for Node: the same as the core's, with Node's fast byte decoding (several times faster
 * on large inputs). Takes bytes (or a string, encoded as UTF-8); never throws on content.
 */
export function parse(input: string | Uint8Array): SpecFile {
  const bytes = typeof input === "string" ? encodeUtf8(input) : input;
  // A Buffer view, not a copy: its views search bytes natively.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new SpecFile({
    ...memorySource(buffer),
    byteString: latin1,
    allocate: Buffer.allocUnsafe,
    allocateNumbers: unclearedNumbers,
  });
}

/** Closes the descriptor of a FileSource nobody holds any more. */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * A file on disk, read on demand through one descriptor kept open (opening the file for every
 * scan costs more than reading it). `close()` releases it; a source that is dropped without
 * closing is closed when collected.
 */
export class FileSource implements ByteSource {
  readonly size: number;
  readonly path: string;
  private fd: number | null;
  /** The read-ahead window: bytes `[windowStart, windowStart + windowLength)` of the file. */
  private window: Buffer | undefined;
  private windowStart = 0;
  private windowLength = 0;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, "r");
    try {
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
    closeWhenCollected.register(this, this.fd, this);
  }

  /** Releases the file descriptor; later reads open the file again. */
  close(): void {
    if (this.fd === null) return;
    closeWhenCollected.unregister(this);
    closeSync(this.fd);
    this.fd = null;
  }

  /**
   * Bytes as a byte string, through a read-ahead window of {@link WINDOW_BYTES} reused from call
   * to call: a file of many small scans costs one system call a window, not one a scan.
   */
  readText(start: number, end: number): string {
    return latin1(this.view(start, end) ?? this.read(start, end));
  }

  byteString(bytes: Uint8Array): string {
    return latin1(bytes);
  }

  allocate(size: number): Uint8Array {
    return Buffer.allocUnsafe(size);
  }

  allocateNumbers(count: number): Float64Array {
    return unclearedNumbers(count);
  }

  /** The window itself, read again when it does not hold the bytes: indexing copies nothing. */
  view(start: number, end: number): Uint8Array | undefined {
    const stop = Math.min(end, this.size);
    if (stop - start > WINDOW_BYTES) return undefined;
    const window = this.windowOver(start, stop);
    const from = start - this.windowStart;
    return window.subarray(
      from,
      Math.max(from, Math.min(stop - this.windowStart, this.windowLength)),
    );
  }

  /** Reads through the window too: a file of many small scans costs one system call a window. */
  readInto(target: Uint8Array, start: number): number {
    const bytes = this.view(start, start + target.length);
    if (!bytes) {
      return this.readAt(target, start, Math.max(0, Math.min(target.length, this.size - start)));
    }
    target.set(bytes);
    return bytes.length;
  }

  /** The window, read again from `start` on unless it already holds `[start, stop)`. */
  private windowOver(start: number, stop: number): Buffer {
    // Made on first use, no larger than the file.
    this.window ??= Buffer.allocUnsafe(Math.max(1, Math.min(WINDOW_BYTES, this.size)));
    const window = this.window;
    if (start < this.windowStart || stop > this.windowStart + this.windowLength) {
      this.windowStart = start;
      this.windowLength = this.readAt(
        window,
        start,
        Math.max(0, Math.min(window.length, this.size - start)),
      );
    }
    return window;
  }

  read(start: number, end: number): Uint8Array {
    const length = Math.max(0, Math.min(end, this.size) - start);
    const bytes = new Uint8Array(length);
    const done = this.readAt(bytes, start, length);
    return done === length ? bytes : bytes.subarray(0, done);
  }

  /** Reads `length` bytes from `start` into the start of `target`; returns how many were read. */
  private readAt(target: Uint8Array, start: number, length: number): number {
    if (this.fd === null) {
      this.fd = openSync(this.path, "r");
      closeWhenCollected.register(this, this.fd, this);
    }
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, target, done, length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
}

/** A SPEC file opened from disk, which can follow the file as it grows. */
export class SpecFileOnDisk extends SpecFile {
  readonly path: string;
  private current: FileSource;

  constructor(path: string, options: ReadOptions = {}) {
    const source = new FileSource(path);
    super(source, options);
    this.current = source;
    this.path = path;
  }

  /** Releases the open file; a later scan read opens it again. */
  close(): void {
    this.current.close();
  }

  /**
   * Reads what was appended since the last look: the index is rebuilt from the start of the last
   * block, so the scan being written is updated in place. A last line without its terminator is
   * reported as `pending` and read again next time.
   */
  refresh(): RefreshReport {
    const source = new FileSource(this.path);
    const report = this.refreshFrom(source);
    this.current.close();
    this.current = source;
    return report;
  }
}

/**
 * Opens a SPEC file and indexes it; scans are interpreted on demand by key, number or position.
 * Throws only on I/O errors (missing file, permission), with the path in the message.
 */
export function openSpec(path: string, options: ReadOptions = {}): SpecFileOnDisk {
  try {
    return new SpecFileOnDisk(path, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read SPEC file ${path}: ${reason}`);
  }
}
