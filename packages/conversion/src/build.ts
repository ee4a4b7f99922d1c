/** Builders of the documents a SPEC scan becomes, shared by the readers of each layout. */
import {
  type DocRecord,
  type DocValue,
  type Event,
  type EventDescriptor,
  isDocObject,
  PyFloat,
} from "@specx/documents";
import type { SpecDate } from "@specx/spec-parser";

// `__proto__` too: assigned as a key, it would replace the prototype of a document's object.
const RESERVED = /^(time|seq_num|ts_.*|__proto__)$/;

/** A time as a float, also when it is a whole second (Python reads JSON `5` as an int). */
export function asFloat(time: number | PyFloat): number | PyFloat {
  return typeof time === "number" && Number.isInteger(time) ? new PyFloat(time) : time;
}

export function descriptor(
  uid: string,
  runStart: string,
  time: number,
  name: string,
  dataKeys: DocRecord,
  objects: string[],
): EventDescriptor {
  return {
    uid,
    run_start: runStart,
    time: asFloat(time),
    name,
    data_keys: dataKeys as EventDescriptor["data_keys"],
    object_keys: Object.fromEntries(objects.map((k) => [k, [k]])),
    configuration: Object.fromEntries(
      objects.map((k) => [k, { data: {}, timestamps: {}, data_keys: {} }]),
    ),
    hints: Object.fromEntries(objects.map((k) => [k, { fields: [k] }])),
  };
}

export function event(
  uid: string,
  descriptorUid: string,
  seqNum: number,
  time: number,
  data: DocRecord,
): Event {
  return {
    uid,
    descriptor: descriptorUid,
    seq_num: seqNum,
    time: asFloat(time),
    data,
    timestamps: Object.fromEntries(Object.keys(data).map((k) => [k, asFloat(time)])),
    filled: {},
  };
}

/** DataKey type fields decided from all the values of a column. */
export function dataKeyFor(values: DocValue[]): DocRecord {
  const present = values.filter((v) => v !== null);
  if (present.length > 0 && present.every((v) => typeof v === "boolean"))
    return { dtype: "boolean", shape: [], dtype_numpy: "|b1" };
  if (present.length > 0 && present.every((v) => typeof v === "string"))
    return { dtype: "string", shape: [], dtype_numpy: "<U0" };
  if (present.length > 0 && present.every((v) => Array.isArray(v))) {
    // One dimension, of unknown length (null) when the arrays differ in length.
    const lengths = new Set(present.map((v) => (v as DocValue[]).length));
    return { dtype: "array", shape: [lengths.size === 1 ? ([...lengths][0] as number) : null] };
  }
  if (present.some((v) => typeof v === "string" || Array.isArray(v) || isDocObject(v)))
    return { dtype: "string", shape: [] };
  const integer =
    present.length > 0 &&
    present.every((v) => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)));
  return integer
    ? { dtype: "integer", shape: [], dtype_numpy: "<i8" }
    : { dtype: "number", shape: [], dtype_numpy: "<f8" };
}

/** Data key names: runs of characters other than letters, digits and `_` become `_`; unique; not reserved. */
export function uniqueKeys(names: string[], taken: Set<string> = new Set()): string[] {
  // Where the suffix search of each key stopped: keys only ever become taken, so it goes on
  // from there, and many names that make one key cost linear time, not quadratic.
  const nextSuffix = new Map<string, number>();
  return names.map((name) => {
    let key = safeKey(name);
    if (RESERVED.test(key)) key = `spec_${key}`;
    let candidate = key;
    let n = nextSuffix.get(key) ?? 1;
    if (taken.has(candidate)) {
      while (taken.has(`${key}_${n}`)) n++;
      candidate = `${key}_${n}`;
      nextSuffix.set(key, n + 1);
    }
    taken.add(candidate);
    return candidate;
  });
}

export function safeKey(name: string): string {
  const key = name.replace(/[^A-Za-z0-9_]+/g, "_");
  return key === "" ? "_" : key;
}

/** A `#D` date as seconds since the epoch: its epoch, or its fields at the writer's UTC offset. */
export function toEpoch(date: SpecDate | null, offset: number): number | null {
  if (!date) return null;
  if (date.epoch !== null) return date.epoch;
  const f = date.fields;
  if (!f) return null;
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) / 1000 - offset;
}
