/**
 * @specx/spec-writer/node: SPEC files on disk. A new file gets a header; an existing file (from
 * SPEC, apstools or specx) is continued after its last scan, and no byte already in it changes:
 * the writer only ever appends, one whole block per document, through an O_APPEND descriptor.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { type NamedDocument, readDocumentsFile } from "@specx/documents/node";
import { describeExisting } from "./existing.js";
import { createSpecWriter, type SpecWriter, type SpecWriterOptions } from "./index.js";

export * from "./index.js";

/** Options of {@link openSpecFileWriter}: those of the writer, with `fileName` defaulting to the path. */
export type FileWriterOptions = Omit<SpecWriterOptions, "fileName" | "existing"> & {
  fileName?: string;
};

/** A SPEC writer bound to a file; call `close()` when done. */
export interface SpecFileWriter extends SpecWriter {
  readonly path: string;
  close(): void;
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
 * Throws (before writing anything) when the file exists but is not a SPEC file or cannot be read.
 */
export function openSpecFileWriter(path: string, options: FileWriterOptions = {}): SpecFileWriter {
  const existing = existsSync(path)
    ? describeExisting(new Uint8Array(readFileSync(path)))
    : undefined;
  const fd = openSync(path, "a");
  const sink = {
    write(text: string) {
      const bytes = new TextEncoder().encode(text);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    },
  };
  const writer = createSpecWriter(sink, {
    identity: machineIdentity(),
    ...options,
    fileName: options.fileName ?? path,
    ...(existing ? { existing } : {}),
  });
  return {
    path,
    receive: (name, doc) => writer.receive(name, doc),
    comment: (text, time) => writer.comment(text, time),
    newHeader: () => writer.newHeader(),
    get warnings() {
      return writer.warnings;
    },
    close: () => closeSync(fd),
  };
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
  } finally {
    writer.close();
  }
  return { documents, warnings: writer.warnings };
}
