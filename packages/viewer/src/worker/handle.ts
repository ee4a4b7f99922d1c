/**
 * The worker's state and dispatch: the open files by id, and one answer per request. Nothing
 * thrown here leaves the worker: a defect of a file is a diagnostic in its overview, anything
 * else (an unknown file or scan, a failed read) is an error answer with a one-line message.
 */
import { type Scan, SpecFile } from "@specx/spec-parser";
import type {
  Answers,
  FileOverview,
  Request,
  RequestMessage,
  ResponseMessage,
} from "../protocol.js";
import * as session from "./session.js";
import { openSource } from "./sources.js";

/** How an answer leaves the worker: `postMessage` with the buffers to transfer. */
export type Post = (message: ResponseMessage, transfer: ArrayBuffer[]) => void;

/** Least time between two progress messages of one request. */
const PROGRESS_INTERVAL_MS = 50;

interface OpenFile {
  file: SpecFile;
  /** Where the file lives, when the server said (see `FileSource`). */
  path: string | undefined;
}

const files = new Map<number, OpenFile>();

/** Answers one request; never throws. */
export function handle(message: RequestMessage, post: Post): void {
  const { id } = message;
  try {
    const value = answer(message, (bytes, total) => post({ id, progress: { bytes, total } }, []));
    post({ id, ok: true, value }, transferablesOf(value));
  } catch (error) {
    post({ id, ok: false, error: errorText(error) }, []);
  }
}

type Progress = (bytes: number, total: number) => void;

function answer(request: Request, progress: Progress): Answers[keyof Answers] {
  switch (request.type) {
    case "open":
      return open(request.fileId, request.source, progress);
    case "close":
      files.delete(request.fileId);
      return null;
    case "scan":
      return session.scanDetail(scanOf(request.fileId, request.index));
    case "columns":
      return session.columns(scanOf(request.fileId, request.index), request.columns);
    case "stats":
      return session.stats(scanOf(request.fileId, request.index), request.x, request.y);
    case "mca":
      return session.mca(scanOf(request.fileId, request.index), request.row, request.device);
    case "lines":
      return session.lines(fileOf(request.fileId).file, request.from, request.to);
    case "csv":
      return session.csv(scanOf(request.fileId, request.index));
    case "jsonl":
      return session.jsonl(
        fileOf(request.fileId).file,
        scanOf(request.fileId, request.index),
        fileOf(request.fileId).path,
      );
  }
}

/**
 * Indexes a file and lists its scans. Progress counts both passes over the file: the index (how
 * far the parser has read) as a third of the file's size, the scan list (how far the scans
 * interpreted reach) as two thirds: on the 227 MB bench file in Node the index took 1.2-1.3 s
 * and the scan list 2.7-3.3 s.
 */
function open(
  fileId: number,
  from: Extract<Request, { type: "open" }>["source"],
  progress: Progress,
): FileOverview {
  files.delete(fileId);
  const source = openSource(from);
  const total = source.size;
  let indexed = 0;
  let scanned = 0;
  let last = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    progress(Math.round(indexed / 3 + (scanned * 2) / 3), total);
  };
  source.onRead = (end) => {
    if (end <= indexed) return;
    indexed = end;
    report(false);
  };
  const file = new SpecFile(source);
  source.onRead = null;
  indexed = total;
  report(true);
  const overview = session.overview(file, fileId, from.name, (reached) => {
    scanned = reached;
    report(false);
  });
  scanned = total;
  report(true);
  files.set(fileId, { file, path: from.kind === "url" ? from.path : undefined });
  return overview;
}

function fileOf(fileId: number): OpenFile {
  const open = files.get(fileId);
  if (!open) throw new Error(`no open file ${fileId}`);
  return open;
}

function scanOf(fileId: number, index: number): Scan {
  const scan = fileOf(fileId).file.scanAt(index);
  if (!scan) throw new Error(`no scan at position ${index} of file ${fileId}`);
  return scan;
}

/** The buffers of the arrays an answer holds: moved to the page, not copied. */
function transferablesOf(value: Answers[keyof Answers]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  const add = (array: Float64Array) => {
    if (array.buffer instanceof ArrayBuffer && !buffers.includes(array.buffer)) {
      buffers.push(array.buffer);
    }
  };
  if (Array.isArray(value)) {
    for (const item of value) if (item instanceof Float64Array) add(item);
  } else if (value !== null && typeof value === "object" && "counts" in value) {
    add(value.channels);
    add(value.counts);
  }
  return buffers;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
