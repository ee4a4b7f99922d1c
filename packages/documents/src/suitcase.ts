/**
 * suitcase-jsonl and suitcase-msgpack files: one run per file, named `<start uid>.<ext>`, as
 * databroker 1.x's BlueskyJSONLCatalog and BlueskyMsgpackCatalog read them.
 */

import { DocumentFormatError } from "./errors.js";
import { JsonLinesWriter } from "./json.js";
import { stringifyJsonLines } from "./jsonl.js";
import { MsgpackWriter } from "./msgpack-encode.js";
import { isDocObject, setOwn } from "./own-keys.js";
import { packEvents } from "./streams.js";
import type { DocRecord, Event, NamedDocument } from "./types.js";
import { type DocValue, PyFloat } from "./values.js";

/** Options of {@link suitcaseJsonl} and {@link suitcaseMsgpack}. */
export interface SuitcaseOptions {
  /**
   * Write the ints of `number` columns as floats (and those inside float `array` columns, whose
   * `dtype_numpy` is a float kind such as `<f8`), in event data, event_page columns and
   * descriptor configuration data: `1.0` in JSON, float64 in msgpack. Without it an integral
   * value written as an int makes pandas/xarray give the column an int dtype (docs/documents.md
   * §4.3). Default true; false writes every value exactly as given.
   */
  numberColumnsAsFloats?: boolean;
}

/** A suitcase-jsonl file. */
export interface SuitcaseJsonlFile {
  /** `<start uid>.jsonl` */
  fileName: string;
  text: string;
}

/** A suitcase-msgpack file. */
export interface SuitcaseMsgpackFile {
  /** `<start uid>.msgpack` */
  fileName: string;
  bytes: Uint8Array;
}

/**
 * Writes one run as suitcase-jsonl does: every document in arrival order (events stay events,
 * pages stay pages, nothing is dropped), one `[name, doc]` per line in Python's json.dumps
 * layout, `\n` after each line.
 *
 * @throws DocumentFormatError when the first document is not a start with a uid usable as a
 * file name, or a second start follows (split files of several runs with `splitRuns`).
 */
export function suitcaseJsonl(
  docs: readonly NamedDocument[],
  options: SuitcaseOptions = {},
): SuitcaseJsonlFile {
  const uid = runUid(docs);
  const out = new FloatColumns(options.numberColumnsAsFloats ?? true);
  return {
    fileName: `${uid}.jsonl`,
    text: stringifyJsonLines(docs.map(([name, doc]) => [name, out.document(name, doc)])),
  };
}

/**
 * {@link suitcaseJsonl} as bytes (UTF-8, here ASCII), written straight into one buffer: for a
 * file, faster than the text then encoded, with the same bytes.
 */
export function suitcaseJsonlBytes(
  docs: readonly NamedDocument[],
  options: SuitcaseOptions = {},
): { fileName: string; bytes: Uint8Array } {
  const uid = runUid(docs);
  const out = new FloatColumns(options.numberColumnsAsFloats ?? true);
  const lines = new JsonLinesWriter();
  for (const [name, doc] of docs) lines.write([name, out.document(name, doc)]);
  return { fileName: `${uid}.jsonl`, bytes: lines.finish() };
}

/**
 * Writes one run as suitcase-msgpack does: concatenated msgpack `[name, doc]` arrays holding
 * only start, descriptor, event_page, datum_page, resource and stop, in arrival order. Each
 * event becomes a one-row event_page and each datum a one-row datum_page (as suitcase's
 * DocumentRouter does: consecutive events are not merged); bulk_events give one event_page per
 * descriptor and bulk_datum one datum_page; stream_resource and stream_datum are left out.
 *
 * @throws DocumentFormatError as {@link suitcaseJsonl}, or for an event whose keys
 * cannot be packed.
 */
export function suitcaseMsgpack(
  docs: readonly NamedDocument[],
  options: SuitcaseOptions = {},
): SuitcaseMsgpackFile {
  const uid = runUid(docs);
  const out = new FloatColumns(options.numberColumnsAsFloats ?? true);
  const packed = new MsgpackWriter();
  const write = (name: string, doc: DocRecord) => packed.write([name, doc]);
  for (const [name, doc] of docs) {
    switch (name) {
      case "start":
      case "descriptor":
      case "event_page":
      case "datum_page":
      case "resource":
      case "stop":
        write(name, out.document(name, doc));
        break;
      case "event":
        write("event_page", out.document("event_page", packEvents([doc as Event])));
        break;
      case "datum":
        write("datum_page", packDatum([doc]));
        break;
      case "bulk_events":
        // event_model.bulk_events_to_event_pages: one page per descriptor, in its key order.
        for (const events of Object.values(doc)) {
          if (!Array.isArray(events) || events.length === 0) continue;
          const { time, uid, seq_num, descriptor, data, timestamps, filled } = packEvents(
            events as Event[],
          );
          const page = { time, uid, seq_num, descriptor, data, timestamps, filled: filled ?? {} };
          write("event_page", out.document("event_page", page));
        }
        break;
      case "bulk_datum":
        // event_model.bulk_datum_to_datum_page
        write("datum_page", {
          datum_id: doc.datum_ids ?? [],
          resource: doc.resource ?? null,
          datum_kwargs: transposeRecords(
            Array.isArray(doc.datum_kwarg_list) ? doc.datum_kwarg_list : [],
          ),
        });
        break;
      default:
        break; // stream_resource, stream_datum: not written by suitcase-msgpack
    }
  }
  return { fileName: `${uid}.msgpack`, bytes: packed.finish() };
}

/** The start uid of a one-run stream, checked for use as a file name. */
function runUid(docs: readonly NamedDocument[]): string {
  const first = docs[0];
  if (first === undefined || first[0] !== "start") {
    throw new DocumentFormatError(
      `suitcase: the first document must be a start, got ${first === undefined ? "no documents" : first[0]}`,
    );
  }
  const uid = first[1].uid;
  if (typeof uid !== "string" || uid === "" || uid === "." || uid === ".." || /[/\\\0]/.test(uid)) {
    throw new DocumentFormatError(
      `suitcase: start uid ${JSON.stringify(uid ?? null)} cannot name a file`,
    );
  }
  const second = docs.findIndex(([name], index) => index > 0 && name === "start");
  if (second !== -1) {
    throw new DocumentFormatError(
      `suitcase: a second start at index ${second}; one run per file (split with splitRuns)`,
    );
  }
  return uid;
}

/** event_model.pack_datum_page: `{resource, datum_id: [...], datum_kwargs: {k: [...]}}`. */
function packDatum(datums: readonly DocRecord[]): DocRecord {
  return {
    resource: datums.at(-1)?.resource ?? null,
    datum_id: datums.map((datum) => datum.datum_id ?? null),
    datum_kwargs: transposeRecords(datums.map((datum) => datum.datum_kwargs ?? {})),
  };
}

/** event_model's `_transpose_list_of_dicts`: keys in first-seen order, values appended. */
function transposeRecords(records: readonly DocValue[]): DocRecord {
  const out: { [key: string]: DocValue[] } = {};
  for (const record of records) {
    if (!isDocObject(record)) continue;
    for (const [key, value] of Object.entries(record)) {
      if (!Object.hasOwn(out, key)) setOwn(out, key, []);
      (out[key] as DocValue[]).push(value);
    }
  }
  return out;
}

/**
 * Rewrites the ints of float columns as PyFloats (see
 * {@link SuitcaseOptions.numberColumnsAsFloats}), remembering each descriptor's columns.
 * Documents are copied where changed, never modified.
 */
class FloatColumns {
  private readonly enabled: boolean;
  private readonly columnsOf = new Map<string, Set<string>>();

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  document(name: string, doc: DocRecord): DocRecord {
    if (!this.enabled) return doc;
    switch (name) {
      case "descriptor":
        return this.descriptor(doc);
      case "event":
      case "event_page":
        return this.rows(doc);
      default:
        return doc;
    }
  }

  private descriptor(doc: DocRecord): DocRecord {
    if (typeof doc.uid === "string" && isDocObject(doc.data_keys)) {
      this.columnsOf.set(doc.uid, floatColumns(doc.data_keys));
    }
    if (!isDocObject(doc.configuration)) return doc;
    let changed = false;
    const configuration: DocRecord = {};
    for (const [object, entry] of Object.entries(doc.configuration)) {
      let value = entry;
      if (isDocObject(entry) && isDocObject(entry.data) && isDocObject(entry.data_keys)) {
        const data = floatData(entry.data, floatColumns(entry.data_keys));
        if (data !== entry.data) {
          value = { ...entry, data };
          changed = true;
        }
      }
      setOwn(configuration, object, value);
    }
    return changed ? { ...doc, configuration } : doc;
  }

  /** An event or event_page: a page's columns are arrays of cells, so the same walk applies. */
  private rows(doc: DocRecord): DocRecord {
    const columns =
      typeof doc.descriptor === "string" ? this.columnsOf.get(doc.descriptor) : undefined;
    if (columns === undefined || !isDocObject(doc.data)) return doc;
    const data = floatData(doc.data, columns);
    return data === doc.data ? doc : { ...doc, data };
  }
}

/** The data keys holding floats: dtype `number`, or `array` with a float `dtype_numpy`. */
function floatColumns(dataKeys: DocRecord): Set<string> {
  const columns = new Set<string>();
  for (const [key, dataKey] of Object.entries(dataKeys)) {
    if (!isDocObject(dataKey) || typeof dataKey.external === "string") continue;
    const floatArray =
      dataKey.dtype === "array" &&
      typeof dataKey.dtype_numpy === "string" &&
      /^[<>|=]?f/.test(dataKey.dtype_numpy);
    if (dataKey.dtype === "number" || floatArray) columns.add(key);
  }
  return columns;
}

/** `data` with every int in its float columns made a float; the same object if none changed. */
function floatData(data: DocRecord, columns: Set<string>): DocRecord {
  let out: DocRecord | undefined;
  for (const [key, value] of Object.entries(data)) {
    if (!columns.has(key)) continue;
    const floated = asFloats(value);
    if (floated !== value) {
      out ??= { ...data };
      setOwn(out, key, floated);
    }
  }
  return out ?? data;
}

/** Ints (at any depth of arrays) as PyFloats; the same value when nothing changed. */
function asFloats(value: DocValue): DocValue {
  if (typeof value === "bigint") return new PyFloat(Number(value));
  if (typeof value === "number" && Number.isInteger(value)) return new PyFloat(value);
  if (!Array.isArray(value)) return value;
  let out: DocValue[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i] as DocValue;
    const floated = asFloats(item);
    if (floated !== item) {
      out ??= value.slice();
      out[i] = floated;
    }
  }
  return out ?? value;
}
