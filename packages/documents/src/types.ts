/**
 * Types for bluesky event-model documents, after the JSON schemas of event-model v1.24.0
 * (`shared/event-model-schemas/`). Required schema fields are required here; documents whose
 * schema admits extra keys carry an index signature, and the closed ones are type aliases, so
 * every document type is assignable to {@link DocRecord} (and so to a {@link NamedDocument}). Numbers use the value model of values.ts:
 * a float field may hold a {@link PyFloat}, an int field a `bigint`.
 */
import type { DocValue, PyFloat } from "./values.js";

/** A float-typed field: a JS number, or a PyFloat for integral floats such as `1.0`. */
export type FloatField = number | PyFloat;

/** An int-typed field: a JS number, or a bigint beyond ±2^53. */
export type IntField = number | bigint;

/** A document as read from a file: any keys, values in the document value model. */
export type DocRecord = { [key: string]: DocValue };

/** The names of the documents of the event model, as the first item of a `[name, doc]` pair. */
export type DocumentName =
  | "start"
  | "descriptor"
  | "event"
  | "event_page"
  | "stop"
  | "resource"
  | "datum"
  | "datum_page"
  | "stream_resource"
  | "stream_datum"
  | "bulk_events"
  | "bulk_datum";

/** Every {@link DocumentName}, in the order of event_model's `DocumentNames` enum. */
export const DOCUMENT_NAMES: readonly DocumentName[] = [
  "stop",
  "start",
  "descriptor",
  "event",
  "datum",
  "resource",
  "event_page",
  "datum_page",
  "stream_resource",
  "stream_datum",
  "bulk_datum",
  "bulk_events",
];

/** True when `name` is one of the {@link DOCUMENT_NAMES}. */
export function isDocumentName(name: unknown): name is DocumentName {
  return typeof name === "string" && (DOCUMENT_NAMES as readonly string[]).includes(name);
}

/** One item of a document stream: `[name, document]`, as suitcase and databroker pass them. */
export type NamedDocument = [DocumentName, DocRecord];

/** `start` (RunStart). Extra keys are allowed when no key at any depth contains `.` or `/`. */
export interface RunStart {
  uid: string;
  time: FloatField;
  scan_id?: IntField;
  sample?: string | DocRecord;
  owner?: string;
  group?: string;
  project?: string;
  data_session?: string;
  data_groups?: string[];
  /** `{dimensions: [[[field, …], stream], …]}`, slow to fast. */
  hints?: DocRecord;
  plan_name?: string;
  plan_type?: string;
  plan_args?: DocRecord;
  detectors?: string[];
  motors?: string[];
  [key: string]: DocValue;
}

/** The broad JSON type of a data key (`object` is not allowed by the schema). */
export type DataKeyDtype = "string" | "number" | "array" | "boolean" | "integer";

/** One entry of `descriptor.data_keys` (DataKey). Extra fields such as `spec_label` are allowed. */
export interface DataKey {
  dtype: DataKeyDtype;
  /** `[]` for scalars; `null` for a dimension of unknown length. */
  shape: (number | null)[];
  source: string;
  dims?: string[];
  /** A numpy dtype string such as `<f8`, `<i8`, `|b1`, `<U12`. */
  dtype_numpy?: string | DocValue[];
  /** Where externally stored data lives, e.g. `FILESTORE:` or `STREAM:`. */
  external?: string;
  units?: string | null;
  precision?: number | null;
  object_name?: string;
  choices?: string[];
  limits?: DocRecord;
  [key: string]: DocValue;
}

/** One entry of `descriptor.configuration`: readings of an object's configuration signals. */
export interface Configuration {
  data?: DocRecord;
  timestamps?: DocRecord;
  data_keys?: { [key: string]: DataKey };
  [key: string]: DocValue;
}

/** `descriptor` (EventDescriptor). */
export interface EventDescriptor {
  uid: string;
  run_start: string;
  time: FloatField;
  data_keys: { [key: string]: DataKey };
  /** The stream name, such as `primary` or `baseline`. */
  name?: string;
  configuration?: { [object: string]: Configuration };
  /** `{object: {fields: [...], NX_class?}}`. */
  hints?: DocRecord;
  object_keys?: { [object: string]: string[] };
  object_classes?: { [object: string]: string };
  [key: string]: DocValue;
}

/** `event`: one row of a stream. No keys beyond these are allowed. */
export type Event = {
  uid: string;
  descriptor: string;
  seq_num: IntField;
  time: FloatField;
  /** Values are numbers, booleans, null, strings or N-d arrays, never objects. */
  data: DocRecord;
  timestamps: DocRecord;
  /** `{key: false | datum_id}`; the RunEngine writes `{}`. */
  filled?: { [key: string]: boolean | string };
};

/** `event_page`: events of one descriptor as columns. No keys beyond these are allowed. */
export type EventPage = {
  uid: string[];
  descriptor: string;
  seq_num: IntField[];
  time: FloatField[];
  data: { [key: string]: DocValue[] };
  timestamps: { [key: string]: DocValue[] };
  filled?: { [key: string]: (boolean | string)[] };
};

/** `stop` (RunStop). Extra top-level keys are allowed when they contain no `.` or `/`. */
export interface RunStop {
  uid: string;
  run_start: string;
  time: FloatField;
  exit_status: "success" | "abort" | "fail";
  reason?: string;
  num_events?: { [stream: string]: IntField };
  data_type?: DocValue;
  [key: string]: DocValue;
}

/** `resource`: an external file or other asset. No keys beyond these are allowed. */
export type Resource = {
  uid: string;
  spec: string;
  root: string;
  resource_path: string;
  resource_kwargs: DocRecord;
  run_start?: string;
  path_semantics?: "posix" | "windows";
};

/** `datum`: one addressable piece of a resource. No keys beyond these are allowed. */
export type Datum = {
  datum_id: string;
  resource: string;
  datum_kwargs: DocRecord;
};

/** `stream_resource`: an external stream of one data key. Extra keys are allowed. */
export interface StreamResource {
  uid: string;
  data_key: string;
  mimetype: string;
  uri: string;
  parameters: DocRecord;
  run_start?: string;
  [key: string]: DocValue;
}

/** A half-open range `[start, stop)` of a stream_datum. */
export type StreamRange = {
  start: IntField;
  stop: IntField;
};

/** `stream_datum`: rows of a stream_resource that belong to events. Extra keys are allowed. */
export interface StreamDatum {
  uid: string;
  descriptor: string;
  stream_resource: string;
  indices: StreamRange;
  seq_nums: StreamRange;
  [key: string]: DocValue;
}
