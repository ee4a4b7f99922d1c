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
 * Three flavours: `apstools` (default) writes what apstools' SpecWriterCallback2 writes, byte for
 * byte, minus its bugs; `apstools-v1` the layout of its older SpecWriterCallback; `suitcase` what
 * bluesky's suitcase-specfile writes. Text reaches
 * the sink as each document completes some, one piece per document, so an interrupted run leaves
 * a readable file. `@specx/spec-writer/node` writes to files on disk and appends safely.
 */

// The columns of a primary stream, and the formatting primitives, byte-exact to apstools.
export { primaryColumns } from "./columns.js";
// The contracts, and one writer of any flavour.
export type {
  ApstoolsV1Layout,
  ExistingFile,
  Flavor,
  HeaderSettings,
  SpecWriter,
  SpecWriterOptions,
  TextSink,
  WriterOptions,
} from "./contracts.js";
export { flavorOf } from "./contracts.js";
// Continuing a file that exists: what the writer must know of it.
export { describeExisting, NotASpecFileError } from "./existing.js";
// The flavours, for callers that want one directly.
export { ApstoolsWriter } from "./flavors/apstools.js";
export {
  ApstoolsV1Writer,
  type ApstoolsV1WriterOptions,
  CURRENT_V1_LAYOUT,
} from "./flavors/apstools-v1.js";
export { SuitcaseWriter, type SuitcaseWriterOptions } from "./flavors/suitcase.js";
export {
  buildCommand,
  formatCommandValue,
  formatEpochHeader,
  formatSpecDate,
  intDigits,
  pythonFloatRepr,
  pythonRepr,
  pythonStr,
  pythonStringRepr,
  render13,
  renderValue,
  roundHalfEven,
  unicodeEscape,
} from "./format/index.js";
export { createSpecWriter } from "./spec-writer.js";
