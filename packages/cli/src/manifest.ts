/**
 * `--manifest FILE.ndjson`: one JSON line per input file a batch command has finished, with the
 * file's size and mtime and its result (findings, statistics or files written). A rerun with
 * the same manifest skips the files recorded with the same command, options, size and mtime,
 * and takes their results from the manifest, so a killed job resumes where it stopped and still
 * reports every file (docs/clusters.md).
 *
 * Each line is written with one `write` on a file opened with O_APPEND: a killed process leaves
 * whole lines, and at most a torn last one, which reading ignores (that file is done again).
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { ioReason, UserError } from "./io.js";

/** One line of a manifest. */
export interface ManifestEntry<R = unknown> {
  /** The input's path as the command found it (the same command line finds the same paths). */
  path: string;
  size: number;
  mtimeMs: number;
  /** The command (`validate`, `stats`, `to-docs`) and the options that shape a file's result. */
  command: string;
  options: unknown;
  /** `done`: the file was processed completely and `result` is its result. */
  status: "done";
  result: R;
}

/** Size and modification time of a file, the pair that tells a changed input. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** The size and mtime of `path`, or undefined when it cannot be read (the job then reports it). */
export function stampOf(path: string): FileStamp | undefined {
  try {
    const stats = statSync(path);
    return { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * The last whole entry per path for `command` with `options`, from a manifest's text. Lines that
 * are not whole JSON objects of the right shape (a torn last line, a stray edit) are skipped.
 */
export function readManifestEntries<R>(
  text: string,
  command: string,
  options: unknown,
): Map<string, ManifestEntry<R>> {
  const wanted = JSON.stringify(options);
  const entries = new Map<string, ManifestEntry<R>>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let entry: ManifestEntry<R>;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isEntry(entry) || entry.command !== command) continue;
    if (JSON.stringify(entry.options) !== wanted) continue;
    entries.set(entry.path, entry as ManifestEntry<R>);
  }
  return entries;
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Partial<ManifestEntry>;
  return (
    typeof entry.path === "string" &&
    typeof entry.size === "number" &&
    typeof entry.mtimeMs === "number" &&
    typeof entry.command === "string" &&
    entry.status === "done" &&
    "result" in entry
  );
}

/** A manifest open for one command: what it already holds, and appending to it. */
export class Manifest<R> {
  private readonly fd: number;
  private readonly entries: Map<string, ManifestEntry<R>>;
  private readonly path: string;
  private readonly command: string;
  private readonly options: unknown;

  /** Reads `path` (missing is empty) and opens it for appending; failures are UserErrors. */
  constructor(path: string, command: string, options: unknown) {
    this.path = path;
    this.command = command;
    this.options = options;
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw cannotUse(path, error);
    }
    this.entries = readManifestEntries<R>(text, command, options);
    try {
      this.fd = openSync(path, "a");
    } catch (error) {
      throw cannotUse(path, error);
    }
    // A torn last line gets its end here, so the next line starts on a line of its own.
    if (text !== "" && !text.endsWith("\n")) this.write("\n");
  }

  /** The recorded result of `path` when it was done with this stamp, else undefined. */
  resultOf(path: string, stamp: FileStamp | undefined): { result: R } | undefined {
    const entry = this.entries.get(path);
    if (!entry || !stamp) return undefined;
    if (entry.size !== stamp.size || entry.mtimeMs !== stamp.mtimeMs) return undefined;
    return { result: entry.result };
  }

  /** Appends the line of one finished file. */
  record(path: string, stamp: FileStamp, result: R): void {
    const entry: ManifestEntry<R> = {
      path,
      size: stamp.size,
      mtimeMs: stamp.mtimeMs,
      command: this.command,
      options: this.options,
      status: "done",
      result,
    };
    this.write(`${JSON.stringify(entry)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(line: string): void {
    const bytes = Buffer.from(line, "utf8");
    try {
      // One write per line; the loop only matters if the kernel ever writes part of it.
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(this.fd, bytes, written, bytes.length - written);
      }
    } catch (error) {
      throw new UserError(`cannot write ${this.path}: ${ioReason(error, "no such folder")}`);
    }
  }
}

function cannotUse(path: string, error: unknown): UserError {
  return new UserError(`cannot use the manifest ${path}: ${ioReason(error, "no such folder")}`);
}
