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

export type {
  ApstoolsV1Layout,
  ApstoolsV1WriterOptions,
  HeaderSettings,
} from "./apstools-v1-writer.js";
export { ApstoolsV1Writer, CURRENT_V1_LAYOUT } from "./apstools-v1-writer.js";
export type { ApstoolsWriterOptions, ExistingFile, TextSink } from "./apstools-writer.js";
export { ApstoolsWriter } from "./apstools-writer.js";
export { primaryColumns } from "./columns.js";
export { describeExisting, NotASpecFileError } from "./existing.js";
export * from "./format/index.js";
export {
  createSpecWriter,
  type Flavor,
  type SpecWriter,
  type SpecWriterOptions,
} from "./spec-writer.js";
export type { SuitcaseWriterOptions } from "./suitcase-writer.js";
export { SuitcaseWriter } from "./suitcase-writer.js";
