/**
 * What validation shares with the rest of the package, without Ajv: the event-model schema
 * names, the schema of each document, runs split out of a stream, and values as plain JSON.
 * `createValidator` itself is in `@specx/documents/validate`, so that loading this package
 * does not load Ajv (80 ms and several megabytes for every program that reads a SPEC file).
 */
import { isDocObject, setOwn } from "./own-keys.js";
import type { DocRecord, DocumentName, NamedDocument } from "./types.js";
import { type DocValue, PyFloat } from "./values.js";

/** The base names of the 12 event-model schema files (`<name>.json`). */
export const EVENT_MODEL_SCHEMA_NAMES = [
  "run_start",
  "event_descriptor",
  "event",
  "event_page",
  "run_stop",
  "resource",
  "datum",
  "datum_page",
  "stream_resource",
  "stream_datum",
  "bulk_events",
  "bulk_datum",
] as const;

/** The base name of one event-model schema file. */
export type EventModelSchemaName = (typeof EVENT_MODEL_SCHEMA_NAMES)[number];

/** The schema that validates each document name. */
export const SCHEMA_OF_DOCUMENT: Readonly<Record<DocumentName, EventModelSchemaName>> = {
  start: "run_start",
  descriptor: "event_descriptor",
  event: "event",
  event_page: "event_page",
  stop: "run_stop",
  resource: "resource",
  datum: "datum",
  datum_page: "datum_page",
  stream_resource: "stream_resource",
  stream_datum: "stream_datum",
  bulk_events: "bulk_events",
  bulk_datum: "bulk_datum",
};

/**
 * Splits a document stream into runs: a new run begins at each `start`. Documents before the
 * first start form a run of their own (without a start, so validateRun reports it).
 */
export function splitRuns(docs: readonly NamedDocument[]): NamedDocument[][] {
  const runs: NamedDocument[][] = [];
  let current: NamedDocument[] | undefined;
  for (const item of docs) {
    if (item[0] === "start" || current === undefined) {
      current = [];
      runs.push(current);
    }
    current.push(item);
  }
  return runs;
}

/**
 * The value model as plain JSON values, as Ajv (like Python's jsonschema) sees them:
 * a PyFloat becomes its number (so `1.0` is also an `integer`, as in Python's jsonschema),
 * a bigint becomes the nearest number (still integral, so still an `integer`: the schemas
 * put no bounds on numbers, so the rounding changes no result). NaN and ±Infinity stay as
 * they are; Ajv's `number` type accepts them, as Python's does.
 */
export function toPlainJson(value: DocValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (isDocObject(value)) {
    const out: DocRecord = {};
    for (const key of Object.keys(value)) {
      setOwn(out, key, toPlainJson(value[key] as DocValue) as DocValue);
    }
    return out;
  }
  return value;
}
