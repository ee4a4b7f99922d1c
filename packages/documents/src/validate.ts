/**
 * Validation of documents against the event-model JSON schemas (draft 2020-12, with Ajv) and of
 * whole runs against the invariants between documents that the schemas cannot express.
 *
 * The schemas are not part of this package: pass them in (see `loadEventModelSchemas` in
 * `@specx/documents/node`), keyed by the base name of their file (`run_start`, `event`, …).
 *
 * @specx/documents/validate: a subpath of its own, because Ajv takes 80 ms to load. It also
 * re-exports the schema names and `splitRuns` for convenience.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import {
  EVENT_MODEL_SCHEMA_NAMES,
  type EventModelSchemaName,
  SCHEMA_OF_DOCUMENT,
  toPlainJson,
} from "./event-model.js";
import { isDocObject, setOwn } from "./own-keys.js";
import { type DocRecord, type DocumentName, isDocumentName, type NamedDocument } from "./types.js";
import { type DocValue, toNumber } from "./values.js";

/**
 * One problem of a run: `index` is the position of the document in the list given to
 * `validateRun` and `name` its document name, both null for a problem of the whole run (such
 * as a missing stop).
 */
export {
  EVENT_MODEL_SCHEMA_NAMES,
  type EventModelSchemaName,
  SCHEMA_OF_DOCUMENT,
  splitRuns,
  toPlainJson,
} from "./event-model.js";

export type RunProblem = { index: number | null; name: string | null; message: string };

/** What {@link createValidator} returns. */
export interface DocumentValidator {
  /**
   * Checks one document against the schema of its name. Returns one message per schema
   * violation, `<JSON pointer>: <what is wrong>` (`/` is the document itself), or `[]`.
   */
  validateDocument(name: DocumentName, doc: DocValue): string[];
  /**
   * Checks the documents of one run: each against its schema, and the invariants between them
   * (see the README). Returns the problems in document order, run-wide ones last; `[]` if the
   * run is valid. For a file holding several runs, split it first with {@link splitRuns}.
   */
  validateRun(docs: readonly NamedDocument[]): RunProblem[];
}

/**
 * Compiles the event-model schemas with Ajv's draft 2020-12 build (`strict: false`, as
 * strict mode refuses four of the official schemas; `allErrors: true`).
 *
 * @param schemas the parsed schema files, keyed by base name; all 12 of
 * {@link EVENT_MODEL_SCHEMA_NAMES} are required.
 * @throws Error naming the missing schemas, or the schema Ajv cannot compile.
 */
export function createValidator(schemas: Readonly<Record<string, object>>): DocumentValidator {
  const missing = EVENT_MODEL_SCHEMA_NAMES.filter((name) => !(name in schemas));
  if (missing.length > 0) {
    throw new Error(`createValidator: missing event-model schemas: ${missing.join(", ")}`);
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const compiled = new Map<EventModelSchemaName, ValidateFunction>();
  for (const name of EVENT_MODEL_SCHEMA_NAMES) {
    try {
      compiled.set(name, ajv.compile(schemas[name] as object));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`createValidator: cannot compile schema ${name}: ${message}`, {
        cause: error,
      });
    }
  }
  const validateDocument = (name: DocumentName, doc: DocValue): string[] => {
    if (!isDocumentName(name)) return [`unknown document name ${JSON.stringify(name)}`];
    const validate = compiled.get(SCHEMA_OF_DOCUMENT[name]) as ValidateFunction;
    try {
      if (validate(toPlainJson(doc))) return [];
    } catch (error) {
      if (error instanceof RangeError) return ["/: nested too deeply to validate"];
      throw error;
    }
    return [...new Set((validate.errors ?? []).map(formatError))];
  };
  return {
    validateDocument,
    validateRun: (docs) => new RunChecker(docs, validateDocument).check(),
  };
}

function formatError(error: ErrorObject): string {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? "is invalid";
  switch (error.keyword) {
    case "additionalProperties":
      detail = `key ${JSON.stringify(params.additionalProperty)} is not allowed`;
      break;
    case "unevaluatedProperties":
      detail = `key ${JSON.stringify(params.unevaluatedProperty)} is not allowed`;
      break;
    case "enum":
      detail += ` ${JSON.stringify(params.allowedValues)}`;
      break;
    case "const":
      detail += ` ${JSON.stringify(params.allowedValue)}`;
      break;
  }
  return `${path}: ${detail}`;
}

/** Data keys that TiledWriter renames or uses for its own columns. */
function isReservedKey(key: string): boolean {
  return key === "time" || key === "seq_num" || key.startsWith("ts_");
}

type DescriptorInfo = {
  index: number;
  stream: string;
  time: number | undefined;
  dataKeys: DocRecord;
  /** Data keys that events carry (all but external `STREAM:` ones), sorted. */
  eventKeys: string[];
};

type Row = {
  data: DocRecord;
  timestamps: DocRecord;
  filled: DocRecord;
  seqNum: DocValue | undefined;
  time: DocValue | undefined;
  /** Text before the message, e.g. `row 2: ` for a row of an event_page. */
  where: string;
};

class RunChecker {
  private readonly problems: RunProblem[] = [];
  private readonly uids = new Map<string, number>();
  private readonly datumIds = new Map<string, number>();
  private readonly descriptors = new Map<string, DescriptorInfo>();
  private readonly resources = new Set<string>();
  private readonly streamResources = new Set<string>();
  /** Per stream name: the key set of its first descriptor. */
  private readonly streamKeys = new Map<string, { keys: string[]; index: number }>();
  private readonly eventCounts = new Map<string, number>();
  private readonly lastSeqNum = new Map<string, number>();
  private readonly lastTime = new Map<string, number>();
  /** Every finite event time with its document, for the check against stop.time. */
  private readonly eventTimes: { index: number; name: string; time: number; where: string }[] = [];
  private startUid: string | undefined;
  private startTime: number | undefined;

  private readonly docs: readonly NamedDocument[];
  private readonly validateDocument: (name: DocumentName, doc: DocValue) => string[];

  constructor(
    docs: readonly NamedDocument[],
    validateDocument: (name: DocumentName, doc: DocValue) => string[],
  ) {
    this.docs = docs;
    this.validateDocument = validateDocument;
  }

  check(): RunProblem[] {
    this.checkStructure();
    this.docs.forEach(([name, doc], index) => {
      for (const message of this.validateDocument(name, doc)) {
        this.add(index, name, `schema: ${message}`);
      }
      if (!isDocObject(doc)) return;
      switch (name) {
        case "start":
          this.start(index, doc);
          break;
        case "descriptor":
          this.descriptor(index, doc);
          break;
        case "event":
          this.event(index, doc);
          break;
        case "event_page":
          this.eventPage(index, doc);
          break;
        case "stop":
          this.stop(index, doc);
          break;
        case "resource":
          this.resource(index, doc);
          break;
        case "datum":
          this.datum(index, doc);
          break;
        case "datum_page":
          this.datumPage(index, doc);
          break;
        case "stream_resource":
          this.streamResource(index, doc);
          break;
        case "stream_datum":
          this.streamDatum(index, doc);
          break;
        default:
          break;
      }
    });
    this.checkNumEvents();
    return this.problems;
  }

  private add(index: number | null, name: string | null, message: string): void {
    this.problems.push({ index, name, message });
  }

  /** Exactly one start, first; exactly one stop, last. */
  private checkStructure(): void {
    if (this.docs.length === 0) {
      this.add(null, null, "the run has no documents");
      return;
    }
    const starts = this.docs.flatMap(([name], index) => (name === "start" ? [index] : []));
    const stops = this.docs.flatMap(([name], index) => (name === "stop" ? [index] : []));
    if (starts.length === 0) this.add(null, null, "the run has no start document");
    else if (starts[0] !== 0) {
      this.add(0, this.docs[0]?.[0] ?? null, "the first document of a run must be the start");
    }
    for (const index of starts.slice(1)) {
      this.add(index, "start", "a second start in one run (split runs with splitRuns)");
    }
    const last = this.docs.length - 1;
    if (stops.length === 0) this.add(null, null, "the run has no stop document");
    else if (stops.at(-1) !== last) {
      this.add(last, this.docs[last]?.[0] ?? null, "the last document of a run must be the stop");
    }
    for (const index of stops.slice(0, -1)) {
      this.add(index, "stop", "more than one stop in the run");
    }
  }

  private uid(index: number, name: string, uid: DocValue | undefined, what = "uid"): void {
    if (typeof uid !== "string") return;
    const seen = this.uids.get(uid);
    if (seen !== undefined) {
      const other = this.docs[seen]?.[0];
      this.add(
        index,
        name,
        `${what} ${JSON.stringify(uid)} is already the uid of the ${other} at index ${seen}`,
      );
    } else {
      this.uids.set(uid, index);
    }
  }

  private runStart(index: number, name: string, value: DocValue | undefined, optional: boolean) {
    if (value === undefined && optional) return;
    if (this.startUid !== undefined && value !== this.startUid) {
      this.add(
        index,
        name,
        `run_start ${JSON.stringify(value ?? null)} is not the start uid ${JSON.stringify(this.startUid)}`,
      );
    }
  }

  private start(index: number, doc: DocRecord): void {
    this.uid(index, "start", doc.uid);
    if (this.startUid !== undefined) return; // a second start: reported by checkStructure
    if (typeof doc.uid === "string") this.startUid = doc.uid;
    this.startTime = finite(doc.time);
  }

  private descriptor(index: number, doc: DocRecord): void {
    this.uid(index, "descriptor", doc.uid);
    this.runStart(index, "descriptor", doc.run_start, false);
    const stream = typeof doc.name === "string" ? doc.name : "";
    const dataKeys = isDocObject(doc.data_keys) ? doc.data_keys : {};
    const time = finite(doc.time);
    if (time !== undefined && this.startTime !== undefined && time < this.startTime) {
      this.add(index, "descriptor", `time ${time} is before the start time ${this.startTime}`);
    }
    for (const [key, dataKey] of Object.entries(dataKeys)) {
      this.dataKeyFields(index, `data_keys[${JSON.stringify(key)}]`, dataKey);
      if (isReservedKey(key)) {
        this.add(
          index,
          "descriptor",
          `data key ${JSON.stringify(key)} is reserved (time, seq_num and ts_* clash with TiledWriter's columns)`,
        );
      }
    }
    if (isDocObject(doc.configuration)) {
      for (const [object, configuration] of Object.entries(doc.configuration)) {
        if (!isDocObject(configuration) || !isDocObject(configuration.data_keys)) continue;
        for (const [key, dataKey] of Object.entries(configuration.data_keys)) {
          const where = `configuration[${JSON.stringify(object)}].data_keys[${JSON.stringify(key)}]`;
          this.dataKeyFields(index, where, dataKey);
        }
      }
    }
    const eventKeys = Object.keys(dataKeys)
      .filter((key) => !isStreamKey(dataKeys[key]))
      .sort();
    const allKeys = Object.keys(dataKeys).sort();
    const first = this.streamKeys.get(stream);
    if (first === undefined) {
      this.streamKeys.set(stream, { keys: allKeys, index });
    } else if (!sameKeys(first.keys, allKeys)) {
      this.add(
        index,
        "descriptor",
        `stream ${JSON.stringify(stream)} has data keys ${describeKeyDifference(allKeys, first.keys)} compared with its descriptor at index ${first.index}`,
      );
    }
    if (typeof doc.uid === "string" && !this.descriptors.has(doc.uid)) {
      this.descriptors.set(doc.uid, { index, stream, time, dataKeys, eventKeys });
    }
    if (!this.eventCounts.has(stream)) this.eventCounts.set(stream, 0);
  }

  private dataKeyFields(index: number, where: string, dataKey: DocValue | undefined): void {
    if (!isDocObject(dataKey)) {
      this.add(index, "descriptor", `${where} is not an object`);
      return;
    }
    const missing = ["dtype", "shape", "source"].filter((field) => !(field in dataKey));
    if (missing.length > 0) this.add(index, "descriptor", `${where} lacks ${missing.join(", ")}`);
  }

  private knownDescriptor(index: number, name: string, uid: DocValue | undefined) {
    const info = typeof uid === "string" ? this.descriptors.get(uid) : undefined;
    if (info === undefined) {
      this.add(
        index,
        name,
        `descriptor ${JSON.stringify(uid ?? null)} is not a descriptor of this run before it`,
      );
    }
    return info;
  }

  private event(index: number, doc: DocRecord): void {
    this.uid(index, "event", doc.uid);
    const info = this.knownDescriptor(index, "event", doc.descriptor);
    if (info === undefined) return;
    this.row(index, "event", info, {
      data: isDocObject(doc.data) ? doc.data : {},
      timestamps: isDocObject(doc.timestamps) ? doc.timestamps : {},
      filled: isDocObject(doc.filled) ? doc.filled : {},
      seqNum: doc.seq_num,
      time: doc.time,
      where: "",
    });
  }

  private eventPage(index: number, doc: DocRecord): void {
    const uids = Array.isArray(doc.uid) ? doc.uid : [];
    for (const uid of uids) this.uid(index, "event_page", uid, "event uid");
    const info = this.knownDescriptor(index, "event_page", doc.descriptor);
    const rows = uids.length;
    const columns: [string, DocValue | undefined][] = [
      ["seq_num", doc.seq_num],
      ["time", doc.time],
    ];
    const groups = { data: {}, timestamps: {}, filled: {} } as Record<
      "data" | "timestamps" | "filled",
      DocRecord
    >;
    for (const group of ["data", "timestamps", "filled"] as const) {
      const value = doc[group];
      if (isDocObject(value)) {
        groups[group] = value;
        for (const [key, column] of Object.entries(value))
          columns.push([`${group}.${key}`, column]);
      }
    }
    let consistent = true;
    for (const [column, values] of columns) {
      if (Array.isArray(values) && values.length !== rows) {
        this.add(
          index,
          "event_page",
          `column ${column} has ${values.length} rows, uid has ${rows}`,
        );
        consistent = false;
      }
    }
    if (info === undefined || !consistent) return;
    for (let row = 0; row < rows; row++) {
      this.row(index, "event_page", info, {
        data: rowOf(groups.data, row),
        timestamps: rowOf(groups.timestamps, row),
        filled: rowOf(groups.filled, row),
        seqNum: Array.isArray(doc.seq_num) ? doc.seq_num[row] : undefined,
        time: Array.isArray(doc.time) ? doc.time[row] : undefined,
        where: `row ${row}: `,
      });
    }
  }

  /** The checks of one event, or one row of an event_page. */
  private row(index: number, name: string, info: DescriptorInfo, row: Row): void {
    const { stream } = info;
    const label = JSON.stringify(stream);
    const problem = (message: string) => this.add(index, name, `${row.where}${message}`);
    this.eventCounts.set(stream, (this.eventCounts.get(stream) ?? 0) + 1);
    // Keys agree with the descriptor (external STREAM: keys are not in events).
    const withoutStream = (keys: string[]) =>
      keys.filter((key) => !isStreamKey(info.dataKeys[key])).sort();
    const dataKeys = withoutStream(Object.keys(row.data));
    const timestampKeys = withoutStream(Object.keys(row.timestamps));
    if (!sameKeys(dataKeys, info.eventKeys)) {
      problem(
        `data has keys ${describeKeyDifference(dataKeys, info.eventKeys)} compared with the descriptor's data_keys`,
      );
    }
    if (!sameKeys(timestampKeys, dataKeys)) {
      problem(
        `timestamps has keys ${describeKeyDifference(timestampKeys, dataKeys)} compared with data`,
      );
    }
    const extraFilled = Object.keys(row.filled).filter((key) => !(key in row.data));
    if (extraFilled.length > 0)
      problem(`filled has keys not in data: ${JSON.stringify(extraFilled)}`);
    // seq_num counts per stream name from 1, by 1.
    const seqNum = toNumber(row.seqNum);
    if (seqNum !== undefined) {
      const expected = (this.lastSeqNum.get(stream) ?? 0) + 1;
      if (seqNum !== expected) {
        problem(`seq_num ${seqNum} in stream ${label}, expected ${expected}`);
      }
      this.lastSeqNum.set(stream, seqNum);
    }
    // Shapes agree with the values.
    for (const key of dataKeys) {
      const dataKey = info.dataKeys[key];
      if (!isDocObject(dataKey) || typeof dataKey.external === "string") continue;
      if (!Array.isArray(dataKey.shape)) continue;
      const mismatch = shapeMismatch(row.data[key] as DocValue, dataKey.shape);
      if (mismatch !== undefined) {
        problem(
          `data[${JSON.stringify(key)}] ${mismatch} (shape ${JSON.stringify(toPlainJson(dataKey.shape))})`,
        );
      }
    }
    // Times.
    const time = finite(row.time);
    if (time === undefined) return;
    if (info.time !== undefined && time < info.time) {
      problem(`time ${time} is before its descriptor's time ${info.time}`);
    }
    if (this.startTime !== undefined && time < this.startTime) {
      problem(`time ${time} is before the start time ${this.startTime}`);
    }
    const last = this.lastTime.get(stream);
    if (last !== undefined && time < last) {
      problem(`time ${time} is before the previous event time ${last} of stream ${label}`);
    }
    this.lastTime.set(stream, time);
    this.eventTimes.push({ index, name, time, where: row.where });
  }

  private stop(index: number, doc: DocRecord): void {
    this.uid(index, "stop", doc.uid);
    this.runStart(index, "stop", doc.run_start, false);
    const time = finite(doc.time);
    if (time === undefined) return;
    if (this.startTime !== undefined && time < this.startTime) {
      this.add(index, "stop", `time ${time} is before the start time ${this.startTime}`);
    }
    for (const info of this.descriptors.values()) {
      if (info.time !== undefined && info.time > time) {
        this.add(info.index, "descriptor", `time ${info.time} is after the stop time ${time}`);
      }
    }
    for (const event of this.eventTimes) {
      if (event.time > time) {
        this.add(
          event.index,
          event.name,
          `${event.where}time ${event.time} is after the stop time ${time}`,
        );
      }
    }
  }

  /** stop.num_events names every stream that has a descriptor, with its number of events. */
  private checkNumEvents(): void {
    const stopIndex = this.docs.findIndex(([name]) => name === "stop");
    const stop = this.docs[stopIndex]?.[1];
    if (stop === undefined) return;
    const numEvents = stop.num_events;
    if (!isDocObject(numEvents)) {
      if (this.eventCounts.size > 0) {
        this.add(stopIndex, "stop", "num_events is missing; it must count every stream");
      }
      return;
    }
    for (const [stream, count] of this.eventCounts) {
      const written = numEvents[stream];
      if (written === undefined) {
        this.add(
          stopIndex,
          "stop",
          `num_events lacks stream ${JSON.stringify(stream)} (${count} events)`,
        );
      } else if (toNumber(written) !== count) {
        this.add(
          stopIndex,
          "stop",
          `num_events[${JSON.stringify(stream)}] is ${String(toPlainJson(written))}, but the stream has ${count} events`,
        );
      }
    }
    for (const stream of Object.keys(numEvents)) {
      if (!this.eventCounts.has(stream)) {
        this.add(
          stopIndex,
          "stop",
          `num_events names stream ${JSON.stringify(stream)}, which has no descriptor`,
        );
      }
    }
  }

  private resource(index: number, doc: DocRecord): void {
    this.uid(index, "resource", doc.uid);
    this.runStart(index, "resource", doc.run_start, true);
    if (typeof doc.uid === "string") this.resources.add(doc.uid);
  }

  private datumId(index: number, name: string, id: DocValue | undefined): void {
    if (typeof id !== "string") return;
    const seen = this.datumIds.get(id);
    if (seen !== undefined) {
      this.add(index, name, `datum_id ${JSON.stringify(id)} is already used at index ${seen}`);
    } else {
      this.datumIds.set(id, index);
    }
  }

  private knownResource(index: number, name: string, uid: DocValue | undefined): void {
    if (typeof uid !== "string" || !this.resources.has(uid)) {
      this.add(
        index,
        name,
        `resource ${JSON.stringify(uid ?? null)} is not a resource of this run before it`,
      );
    }
  }

  private datum(index: number, doc: DocRecord): void {
    this.datumId(index, "datum", doc.datum_id);
    this.knownResource(index, "datum", doc.resource);
  }

  private datumPage(index: number, doc: DocRecord): void {
    if (Array.isArray(doc.datum_id)) {
      for (const id of doc.datum_id) this.datumId(index, "datum_page", id);
    }
    this.knownResource(index, "datum_page", doc.resource);
  }

  private streamResource(index: number, doc: DocRecord): void {
    this.uid(index, "stream_resource", doc.uid);
    this.runStart(index, "stream_resource", doc.run_start, true);
    if (typeof doc.uid === "string") this.streamResources.add(doc.uid);
  }

  private streamDatum(index: number, doc: DocRecord): void {
    this.uid(index, "stream_datum", doc.uid);
    this.knownDescriptor(index, "stream_datum", doc.descriptor);
    const resource = doc.stream_resource;
    if (typeof resource !== "string" || !this.streamResources.has(resource)) {
      this.add(
        index,
        "stream_datum",
        `stream_resource ${JSON.stringify(resource ?? null)} is not a stream_resource of this run before it`,
      );
    }
  }
}

/** A finite number from a number-like value; undefined for NaN, ±Infinity and non-numbers. */
function finite(value: DocValue | undefined): number | undefined {
  const number = toNumber(value);
  return number !== undefined && Number.isFinite(number) ? number : undefined;
}

function isStreamKey(dataKey: DocValue | undefined): boolean {
  return isDocObject(dataKey) && dataKey.external === "STREAM:";
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function describeKeyDifference(found: readonly string[], expected: readonly string[]): string {
  const extra = found.filter((key) => !expected.includes(key));
  const missing = expected.filter((key) => !found.includes(key));
  const parts: string[] = [];
  if (extra.length > 0) parts.push(`extra ${JSON.stringify(extra)}`);
  if (missing.length > 0) parts.push(`missing ${JSON.stringify(missing)}`);
  return parts.join(" and ");
}

function rowOf(columns: DocRecord, row: number): DocRecord {
  const out: DocRecord = {};
  for (const [key, values] of Object.entries(columns)) {
    if (Array.isArray(values)) setOwn(out, key, values[row] as DocValue);
  }
  return out;
}

/**
 * Why a value does not fit a DataKey shape, or undefined: `[]` is a scalar (not an array),
 * `[N, M, …]` nested arrays of those lengths (null: any length). A null value (Python's None, a
 * reading not taken, as apstools' first writer leaves one among the lists of a column) fits any
 * shape, as it fits a scalar.
 */
function shapeMismatch(value: DocValue, shape: readonly DocValue[]): string | undefined {
  if (value === null) return undefined;
  if (shape.length === 0) {
    return Array.isArray(value) ? `is an array of ${value.length}, not a scalar` : undefined;
  }
  let level: DocValue[] = [value];
  for (let dimension = 0; dimension < shape.length; dimension++) {
    const expected = toNumber(shape[dimension]);
    const next: DocValue[] = [];
    for (const item of level) {
      if (!Array.isArray(item)) {
        return dimension === 0
          ? "is not an array"
          : `is not an array of ${shape.length} dimensions`;
      }
      if (expected !== undefined && item.length !== expected) {
        return `has length ${item.length} in dimension ${dimension}, not ${expected}`;
      }
      for (const element of item) next.push(element);
    }
    level = next;
  }
  if (level.some(Array.isArray)) return `has more than ${shape.length} dimensions`;
  return undefined;
}
