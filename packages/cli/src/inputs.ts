/**
 * Command-line inputs: files, `-` for standard input, and folders, which are walked for SPEC
 * files. Every problem is a one-line {@link UserError} (exit 2), never a stack trace.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { NumberArena, openSpec, parse, type Scan, type SpecFile } from "@specx/spec-parser/node";
import { type CliIO, ioReason, readInputFile, UserError } from "./io.js";

/**
 * One input: its name as the user wrote it (or found in a folder), and its bytes; or, for a
 * file a job reads itself scan by scan, its `path` and no bytes.
 */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
  path?: string;
}

/**
 * The files named by `args`, in order: a folder contributes the SPEC files under it (sorted,
 * recursively, hidden entries skipped). A folder without SPEC files, a missing file or a binary
 * file is a UserError.
 */
export function expandInputs(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (arg === "-") {
      files.push(arg);
      continue;
    }
    // Not a folder, or not there: readInput reports it with a clear reason.
    if (!isFolder(arg)) {
      files.push(arg);
      continue;
    }
    const found = specFilesIn(arg);
    if (found.length === 0) throw new UserError(`no SPEC files in folder ${arg}`);
    // One push per file: push(...found) overflows the call stack for 200,000 files.
    for (const path of found) files.push(path);
  }
  return files;
}

/**
 * The files under `folder` (sorted, recursively, hidden entries skipped) that `keep` accepts and
 * whose first bytes look like SPEC. `keep` runs first, so a shard reads only its own files.
 */
export function specFilesIn(
  folder: string,
  keep: (path: string) => boolean = () => true,
): string[] {
  return walk(folder).filter((path) => keep(path) && looksLikeSpec(headOf(path)));
}

/** Reads one input, refusing files that are not text. */
export function readSpecInput(io: CliIO, path: string): InputFile {
  const bytes = readInputFile(io, path);
  if (isBinary(bytes.subarray(0, 8192))) {
    throw new UserError(`${path === "-" ? "standard input" : path} is not a text file`);
  }
  return { name: path, bytes };
}

/**
 * Checks one input without reading it all: a named file must be readable and text (its first
 * 8 KB are looked at) and comes back as a path; standard input is read whole. With `text`
 * false, a file that is not text is taken too (`inspect` and `print` show what any bytes give).
 */
export function checkSpecInput(io: CliIO, path: string, text = true): InputFile {
  if (path === "-")
    return text ? readSpecInput(io, path) : { name: path, bytes: readInputFile(io, path) };
  let head: Uint8Array;
  try {
    head = readHead(path);
  } catch (error) {
    // A folder opens but cannot be read (EISDIR), so it is reported here too.
    throw new UserError(`cannot read ${path}: ${ioReason(error, "no such file")}`);
  }
  if (text && isBinary(head)) throw new UserError(`${path} is not a text file`);
  return { name: path, bytes: new Uint8Array(0), path };
}

/**
 * Runs `use` on the SPEC file of `input`, then lets it go: a named file is opened on disk and
 * read scan by scan as `use` asks, so memory stays bounded for any file size; else its bytes.
 */
export function withSpecFile<T>(input: InputFile, use: (file: SpecFile) => T): T {
  if (input.path === undefined) return use(parse(input.bytes));
  const file = openSpec(input.path);
  try {
    return use(file);
  } finally {
    file.close();
  }
}

/**
 * Every scan of `file` in order, each read into the memory of the one before (one NumberArena,
 * packages/spec-parser/src/model/number-arena.ts): for a pass that is done with each scan before
 * it asks for the next. Each pass over it reads the scans again. With `spectra` false, MCA
 * spectra are left unread (`ScanReadOptions.spectra`): for a pass over data columns.
 */
export function scansOneByOne(file: SpecFile, { spectra }: { spectra: boolean }): Iterable<Scan> {
  return {
    *[Symbol.iterator]() {
      const arena = new NumberArena();
      for (let i = 0; i < file.scanCount; i++) {
        const scan = file.scanAt(i, { arena, spectra });
        if (scan) yield scan;
      }
    },
  };
}

/** True when the first bytes hold a SPEC control line (`#F`, `#E`, `#S`, …) and no NUL. */
export function looksLikeSpec(head: Uint8Array): boolean {
  if (isBinary(head)) return false;
  const text = new TextDecoder("latin1").decode(head);
  return /(^|\n)[ \t]*#[A-Z@]/.test(text);
}

function isBinary(head: Uint8Array): boolean {
  return head.includes(0);
}

/** The first 8 KB of a file (empty when it cannot be read). */
function headOf(path: string): Uint8Array {
  try {
    return readHead(path);
  } catch {
    return new Uint8Array();
  }
}

/** The first 8 KB of a file; I/O errors are thrown as they come. */
function readHead(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(8192);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

function walk(folder: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) for (const inner of walk(path)) out.push(inner);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** True when `path` is a folder; false when it is anything else or cannot be read. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
