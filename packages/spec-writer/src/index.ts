/**
 * @specx/spec-writer: bluesky runs (start, descriptor, event, event_page, stop, resource, datum
 * documents) written as SPEC data files.
 *
 * ```ts
 * import { createSpecWriter } from "@specx/spec-writer";
 * const out: string[] = [];
 * const writer = createSpecWriter({ write: (text) => out.push(text) }, { fileName: "run.spec" });
 * for (const [name, doc] of documents) writer.receive(name, doc);
 * ```
 *
 * Two flavours: `apstools` (default) writes what apstools' SpecWriterCallback2 writes, byte for
 * byte, minus its bugs; `suitcase` writes what bluesky's suitcase-specfile writes. Text reaches
 * the sink as each document completes some, one piece per document, so an interrupted run leaves
 * a readable file. `@specx/spec-writer/node` writes to files on disk and appends safely.
 */
import { unpackEventPage } from "@specx/documents";
import { fileToRuns, headerSettings, type Scan, type SpecFile } from "@specx/spec-parser";
import { ApstoolsV1Writer } from "./apstools-v1-writer.js";
import { ApstoolsWriter, type ApstoolsWriterOptions, type TextSink } from "./apstools-writer.js";
import type { Doc } from "./doc.js";
import { SuitcaseWriter } from "./suitcase-writer.js";

export { ApstoolsV1Writer } from "./apstools-v1-writer.js";
export type { ApstoolsWriterOptions, ExistingFile, TextSink } from "./apstools-writer.js";
export { ApstoolsWriter } from "./apstools-writer.js";
export { primaryColumns } from "./columns.js";
export { describeExisting, NotASpecFileError } from "./existing.js";
export * from "./format/index.js";
export type { SuitcaseWriterOptions } from "./suitcase-writer.js";
export { SuitcaseWriter } from "./suitcase-writer.js";

/** The output layouts. */
export type Flavor = "apstools" | "apstools-v1" | "suitcase";

/** Options of {@link createSpecWriter}. */
export interface SpecWriterOptions extends ApstoolsWriterOptions {
  /** Output layout; default `apstools`. */
  flavor?: Flavor;
}

/** What every flavour offers. */
export interface SpecWriter {
  /** Takes one document in stream order. */
  receive(name: string, doc: Doc): void;
  /** Adds a `#C` comment (apstools flavour; the suitcase layout has no place for one). */
  comment(text: string, time?: number): void;
  /** Warnings collected so far (values apstools could not write, ignored streams, …). */
  readonly warnings: readonly string[];
  /** Starts a new file header block before the next scan (apstools flavour). */
  newHeader(): void;
}

/** A writer of the chosen flavour over `sink`. */
export function createSpecWriter(sink: TextSink, options: SpecWriterOptions): SpecWriter {
  if (options.flavor === "apstools-v1") return new ApstoolsV1Writer(sink, options);
  if (options.flavor === "suitcase") {
    const writer = new SuitcaseWriter(sink, {
      fileName: options.fileName,
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      continuing: options.existing?.nonEmpty ?? false,
    });
    return {
      receive: (name, doc) => {
        // suitcase routes documents through event_model's DocumentRouter, which unpacks pages.
        if (name === "event_page")
          for (const event of unpackEventPage(doc)) writer.receive("event", event);
        else writer.receive(name, doc);
      },
      comment: () => {
        writer.warnings.push("the suitcase layout has no place for comments; comment dropped");
      },
      newHeader: () => {
        writer.warnings.push("the suitcase layout writes one header; newHeader ignored");
      },
      warnings: writer.warnings,
    };
  }
  return new ApstoolsWriter(sink, options);
}

/**
 * Writer options that reproduce the file a scan was read from: its `#F` text, `#E`, user/host
 * line and time zone, in apstools' own layout (strict), and no header for a headerless file.
 * With them, documents read from a SpecWriterCallback2 file are written back byte for byte.
 */
export function writerOptionsFromSpec(scan: Scan): SpecWriterOptions {
  const settings = headerSettings(scan);
  return {
    fileName: settings.fileName,
    strictApstools: true,
    ...(settings.timeZone !== null ? { timeZone: settings.timeZone } : {}),
    ...(settings.identity !== null ? { identity: settings.identity } : {}),
    ...(settings.epoch !== null ? { fileEpoch: settings.epoch } : {}),
    ...(settings.headerless
      ? { existing: { nonEmpty: true, endsWithNewline: true, lastScanNumber: 0, headerMotors: [] } }
      : {}),
  };
}

/**
 * SPEC → documents → SPEC: reads every run of a file written by SpecWriterCallback2 as documents
 * and writes them again with the file's own header settings, starting a header block wherever
 * the file had one. For such files the result is the same bytes (see the package README for the
 * layouts that are not reproduced).
 */
export function rewriteSpecFile(
  file: SpecFile,
  sink: TextSink,
  fallbackIdentity = { user: "", host: "" },
): void {
  const first = file.scanAt(0);
  if (!first) return;
  const options = writerOptionsFromSpec(first);
  const writer = createSpecWriter(sink, {
    ...options,
    identity: options.identity ?? fallbackIdentity,
  });
  let header: number | null | undefined;
  for (const run of fileToRuns(file, { provenance: false })) {
    if (header !== undefined && run.header !== header) writer.newHeader();
    header = run.header;
    for (const [name, doc] of run.documents) writer.receive(name, doc as Doc);
  }
}
