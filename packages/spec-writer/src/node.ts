/**
 * @specx/spec-writer/node: SPEC files on disk. A new file gets a header; an existing file (from
 * SPEC, apstools or specx) is continued after its last scan, and no byte already in it changes.
 * Writing is safe against the ways it can go wrong: one writer per file (a lock file beside it),
 * one whole block per document through an O_APPEND descriptor (a writer killed mid-run leaves
 * whole lines), and a block the disk could not take is cut off again (see append-file.ts).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { type NamedDocument, readDocumentsFile } from "@specx/documents/node";
import { openSpec, type SpecFileOnDisk } from "@specx/spec-parser/node";
import { type AppendIO, AppendOnlyFile, reason, SpecFileWriteError } from "./append-file.js";
import type { ExistingFile } from "./contracts.js";
import { describeSpecFile } from "./existing.js";
import { createSpecWriter, type SpecWriter, type SpecWriterOptions } from "./index.js";

export { type AppendIO, SpecFileLockedError, SpecFileWriteError } from "./append-file.js";
export * from "./index.js";

/** Options of {@link openSpecFileWriter}: those of the writer, with `fileName` defaulting to the path. */
export type FileWriterOptions = Omit<SpecWriterOptions, "fileName" | "existing"> & {
  fileName?: string;
  /** The write call, for tests that simulate a full disk; default node:fs. */
  io?: AppendIO;
};

/** A SPEC writer bound to a file; call `close()` when done. */
export interface SpecFileWriter extends SpecWriter {
  readonly path: string;
  /** Flushes the file, closes it and releases its lock. */
  close(): void;
  /** Undoes everything this writer appended (the file is cut back to its size when opened). */
  rollback(): void;
}

/** The user and host of this machine, for the `#C Bluesky  user = … host = …` line. */
export function machineIdentity(): { user: string; host: string } {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return { user, host: hostname() };
}

/**
 * Opens `path` for writing SPEC scans: creates it, or continues it after its last scan.
 * Throws before writing anything when another writer holds the file (SpecFileLockedError), when
 * the file exists but is not a SPEC file (NotASpecFileError) or when it cannot be read or opened
 * (SpecFileWriteError, with the system's reason).
 */
export function openSpecFileWriter(path: string, options: FileWriterOptions = {}): SpecFileWriter {
  const { io, ...writerOptions } = options;
  // The lock comes first: the file is read only once no other writer can change it.
  const file = new AppendOnlyFile(path, io);
  let existing: ExistingFile | undefined;
  try {
    existing = file.byteLength > 0 ? describeOnDisk(path) : undefined;
  } catch (error) {
    file.close();
    throw error;
  }
  const encoder = new TextEncoder();
  const writer = createSpecWriter(
    { write: (text: string) => file.append(encoder.encode(text)) },
    {
      identity: machineIdentity(),
      ...writerOptions,
      fileName: writerOptions.fileName ?? path,
      ...(existing ? { existing } : {}),
    },
  );
  return {
    path,
    receive: (name, doc) => writer.receive(name, doc),
    comment: (text, time) => writer.comment(text, time),
    newHeader: () => writer.newHeader(),
    get warnings() {
      return [...file.notes, ...writer.warnings];
    },
    close: () => file.close(),
    rollback: () => {
      if (!file.rollback()) {
        throw new SpecFileWriteError(`cannot cut ${path} back to its size before writing`, null);
      }
    },
  };
}

/** The existing file, indexed from disk (never read whole into memory). */
function describeOnDisk(path: string): ExistingFile {
  let spec: SpecFileOnDisk;
  try {
    spec = openSpec(path);
  } catch (error) {
    throw new SpecFileWriteError(`cannot read ${path}: ${reason(error)}`, error);
  }
  try {
    return describeSpecFile(spec, endsWithTerminator(path, spec.byteLength));
  } finally {
    spec.close();
  }
}

/** Whether the file's byte at `size - 1` is a line terminator. */
function endsWithTerminator(path: string, size: number): boolean {
  if (size === 0) return true;
  const fd = openSync(path, "r");
  try {
    const last = new Uint8Array(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a || last[0] === 0x0d;
  } finally {
    closeSync(fd);
  }
}

/** Writes (or appends) every document of the input files, in order, to the SPEC file `path`. */
export function writeDocumentFiles(
  inputs: readonly string[],
  path: string,
  options: FileWriterOptions = {},
): { documents: number; warnings: readonly string[] } {
  // Read every input first: a bad input must fail before the output file is touched.
  const streams: NamedDocument[][] = inputs.map((input) => readDocumentsFile(input));
  const writer = openSpecFileWriter(path, options);
  let documents = 0;
  try {
    for (const stream of streams) {
      for (const [name, doc] of stream) {
        writer.receive(name, doc);
        documents++;
      }
    }
  } catch (error) {
    // All or nothing: a conversion that failed half-way is undone, so running it again after
    // the cause is fixed does not write its first scans twice.
    let undone = false;
    try {
      writer.rollback();
      undone = true;
    } catch {
      // Reported below.
    }
    try {
      writer.close();
    } catch {
      // The write's failure is the one to report.
    }
    const why = error instanceof SpecFileWriteError ? error.why : reason(error);
    const state = undone
      ? "nothing was kept, the file is as it was"
      : "what was written before the failure could not be removed";
    throw new SpecFileWriteError(`cannot write to ${path}: ${why}; ${state}`, error);
  }
  writer.close();
  return { documents, warnings: writer.warnings };
}
