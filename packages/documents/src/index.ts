/**
 * @specx/documents: bluesky event-model documents shared by the specx packages, with lossless
 * JSON, JSONL and msgpack I/O.
 *
 * The value model ({@link DocValue}, values.ts) keeps what Python's json and msgpack keep and
 * plain JavaScript loses:
 * - an integral JS `number` is a Python int, a non-integral one (or NaN, ±Infinity) a float;
 * - a {@link PyFloat} is a float with an integral value (`5.0`, `-0.0`), so it prints as such;
 * - a `bigint` is an int beyond ±2^53, kept exact.
 *
 * Readers produce this model (`parseJson`, `parseJsonLines`, `decodeMsgpack*`,
 * `readDocumentStream`), writers consume it (`stringifyJson`, `stringifyJsonLines`,
 * `encodeMsgpack`) and write exactly what Python's json and msgpack would. `suitcaseJsonl` and
 * `suitcaseMsgpack` write the one-run files databroker 1.x loads. The core uses no Node API;
 * `@specx/documents/node` adds `readDocumentsFile` and `loadEventModelSchemas(dir)` for files on
 * disk.
 * `createValidator`, which checks documents against the event-model schemas and runs against
 * the invariants between documents, is in `@specx/documents/validate`: it loads Ajv (80 ms), which
 * no program that only reads or writes files should pay for.
 *
 * The exports below are grouped by stage: the value model, the documents and runs, reading and
 * writing streams, and suitcase files. The helpers the modules share among themselves
 * (`parseJsonLine`, `toNamedDocument`, `describeValue`, `SCHEMA_OF_DOCUMENT`) are not exported.
 */

// --- Reading and writing streams: JSON, JSONL, msgpack ------------------------------------------
export { DocumentFormatError, type FormatErrorLocation } from "./errors.js";
// --- The documents: event-model types, and runs ------------------------------------------------
export {
  EVENT_MODEL_SCHEMA_NAMES,
  type EventModelSchemaName,
  splitRuns,
  toPlainJson,
} from "./event-model.js";
export {
  JsonLinesWriter,
  MAX_NESTING_DEPTH,
  parseJson,
  quoteJsonString,
  stringifyJson,
} from "./json.js";
export { parseJsonLines, stringifyJsonLines } from "./jsonl.js";
export {
  decodeMsgpack,
  decodeMsgpackStream,
  encodeMsgpack,
  MsgpackWriter,
} from "./msgpack.js";
// --- The value model: what Python's json and msgpack keep and plain JavaScript loses ----------
export { isDocObject } from "./own-keys.js";
export { pythonFloatRepr } from "./python-float.js";
export {
  type DocumentFormat,
  detectFormat,
  packEvents,
  readDocumentStream,
  unpackEventPage,
} from "./streams.js";
// --- One run as the files suitcase writes ------------------------------------------------------
export {
  type SuitcaseJsonlFile,
  type SuitcaseMsgpackFile,
  type SuitcaseOptions,
  suitcaseJsonl,
  suitcaseJsonlBytes,
  suitcaseMsgpack,
} from "./suitcase.js";
export {
  type Configuration,
  type DataKey,
  type DataKeyDtype,
  type Datum,
  DOCUMENT_NAMES,
  type DocRecord,
  type DocumentName,
  type Event,
  type EventDescriptor,
  type EventPage,
  type FloatField,
  type IntField,
  isDocumentName,
  type NamedDocument,
  type Resource,
  type RunStart,
  type RunStop,
  type StreamDatum,
  type StreamRange,
  type StreamResource,
} from "./types.js";
export {
  type DocValue,
  floatValue,
  isFloat,
  isInt,
  PyFloat,
  PyTuple,
  pyTuple,
  toNumber,
} from "./values.js";
