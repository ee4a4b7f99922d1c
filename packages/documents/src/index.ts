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
 * `@specx/documents/node` adds `readDocumentsFile` and `loadEventModelSchemas` for files on disk.
 * `createValidator`, which checks documents against the event-model schemas and runs against
 * the invariants between documents, is in `@specx/documents/validate`: it loads Ajv (80 ms), which
 * no program that only reads or writes files should pay for.
 */
export * from "./errors.js";
export * from "./event-model.js";
export * from "./json.js";
export * from "./jsonl.js";
export * from "./msgpack.js";
export { describeValue, toNamedDocument } from "./named.js";
export { isDocObject } from "./own-keys.js";
export * from "./python-float.js";
export * from "./streams.js";
export * from "./suitcase.js";
export * from "./types.js";
export * from "./values.js";
