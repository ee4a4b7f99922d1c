/**
 * Document streams in the three file formats, and event_page ⇄ event conversion.
 */
import { DocumentFormatError } from "./errors.js";
import { parseJson } from "./json.js";
import { parseJsonLines } from "./jsonl.js";
import { decodeMsgpackStream } from "./msgpack-decode.js";
import { describeValue, toNamedDocument } from "./named.js";
import { isDocObject, setOwn } from "./own-keys.js";
import type { Event, EventPage, NamedDocument } from "./types.js";
import type { DocValue } from "./values.js";

/**
 * The file formats of document streams:
 * - `json`: one JSON array of `[name, doc]` pairs (apstools fixtures, catalog dumps);
 * - `jsonl`: suitcase-jsonl, one `[name, doc]` per line;
 * - `msgpack`: suitcase-msgpack, concatenated msgpack `[name, doc]` objects.
 */
export type DocumentFormat = "json" | "jsonl" | "msgpack";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a whole document stream from bytes. Text formats must be UTF-8 (a BOM is skipped).
 * Items may also be `{"name", "doc"}` envelopes (see {@link toNamedDocument}).
 *
 * @throws DocumentFormatError naming the line, byte offset or item index of the first fault.
 */
export function readDocumentStream(bytes: Uint8Array, format: DocumentFormat): NamedDocument[] {
  if (format === "msgpack") {
    return decodeMsgpackStream(bytes).map((item, index) => toNamedDocument(item, `item ${index}`));
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    // TextDecoder throws TypeError for bad bytes; anything else (a string too long) is not ours.
    if (!(error instanceof TypeError)) throw error;
    throw new DocumentFormatError("input is not valid UTF-8 text", {}, { cause: error });
  }
  if (format === "jsonl") return parseJsonLines(text);
  const value = parseJson(text);
  if (!Array.isArray(value)) {
    throw new DocumentFormatError(
      `expected a JSON array of [name, document] pairs, got ${describeValue(value)}`,
    );
  }
  return value.map((item, index) => toNamedDocument(item, `item ${index}`));
}

/**
 * The format of a document file from its name: `.json` → json, `.jsonl` → jsonl, `.msgpack`
 * → msgpack, each also with `.gz` appended (the caller gunzips). Case-insensitive; undefined
 * for anything else.
 */
export function detectFormat(fileName: string): DocumentFormat | undefined {
  const name = fileName.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".jsonl")) return "jsonl";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".msgpack")) return "msgpack";
  return undefined;
}

/**
 * Splits an event_page into its events, as `event_model.unpack_event_page` does: for each row
 * `{descriptor, uid, time, seq_num, data, timestamps, filled}` in that key order, with
 * `filled` holding the row's entries of `page.filled` (`{}` when the page has none).
 *
 * Takes a typed {@link EventPage} or the loose document of a {@link NamedDocument}; the
 * fields are checked, so either is safe.
 *
 * @throws DocumentFormatError when a field is missing or mistyped, or columns differ in length.
 */
export function unpackEventPage(
  page: EventPage | { readonly [key: string]: DocValue | undefined },
): Event[] {
  const fields = page as { readonly [key: string]: unknown };
  const descriptor = fields.descriptor;
  if (typeof descriptor !== "string") {
    throw new DocumentFormatError("event_page: descriptor must be a string");
  }
  const seqNum = column("seq_num", fields.seq_num);
  const uid = column("uid", fields.uid);
  const time = column("time", fields.time);
  const data = columns("data", fields.data);
  const timestamps = columns("timestamps", fields.timestamps);
  const filled = columns("filled", fields.filled ?? {});
  const rows = seqNum.length;
  for (const [name, values] of [
    ["uid", uid],
    ["time", time],
    ...data.map(([key, values]) => [`data.${key}`, values] as const),
    ...timestamps.map(([key, values]) => [`timestamps.${key}`, values] as const),
    ...filled.map(([key, values]) => [`filled.${key}`, values] as const),
  ] as const) {
    if (values.length !== rows) {
      throw new DocumentFormatError(
        `event_page: column ${name} has ${values.length} rows, seq_num has ${rows}`,
      );
    }
  }
  if (!uid.every((item) => typeof item === "string")) {
    throw new DocumentFormatError("event_page: uid must hold strings");
  }
  const events: Event[] = [];
  for (let i = 0; i < rows; i++) {
    events.push({
      descriptor,
      uid: uid[i] as string,
      time: time[i] as Event["time"],
      seq_num: seqNum[i] as Event["seq_num"],
      data: row(data, i),
      timestamps: row(timestamps, i),
      filled: row(filled, i) as NonNullable<Event["filled"]>,
    });
  }
  return events;
}

/**
 * Packs events of one descriptor into an event_page, as `event_model.pack_event_page` does:
 * keys time, uid, seq_num, descriptor, filled, data, timestamps; each event's `filled`
 * defaults to `{}`.
 *
 * @throws DocumentFormatError for an empty list, mixed descriptors, or events whose data,
 * timestamps or filled keys differ (Python would silently misalign the columns).
 */
export function packEvents(events: readonly Event[]): EventPage {
  const first = events[0];
  if (first === undefined) throw new DocumentFormatError("packEvents: no events to pack");
  const page: EventPage = {
    time: events.map((event) => event.time),
    uid: events.map((event) => event.uid),
    seq_num: events.map((event) => event.seq_num),
    descriptor: first.descriptor,
    filled: transpose(events, "filled") as NonNullable<EventPage["filled"]>,
    data: transpose(events, "data"),
    timestamps: transpose(events, "timestamps"),
  };
  const mixed = events.find((event) => event.descriptor !== first.descriptor);
  if (mixed !== undefined) {
    throw new DocumentFormatError(
      `packEvents: event ${mixed.uid} has descriptor ${mixed.descriptor}, not ${first.descriptor}`,
    );
  }
  return page;
}

function column(name: string, values: unknown): DocValue[] {
  if (!Array.isArray(values)) throw new DocumentFormatError(`event_page: ${name} must be an array`);
  return values;
}

function columns(name: string, values: unknown): [string, DocValue[]][] {
  if (!isDocObject(values)) {
    throw new DocumentFormatError(`event_page: ${name} must be an object of columns`);
  }
  return Object.entries(values).map(([key, value]) => [key, column(`${name}.${key}`, value)]);
}

function row(columnsOfPage: [string, DocValue[]][], index: number): { [key: string]: DocValue } {
  const result: { [key: string]: DocValue } = {};
  for (const [key, values] of columnsOfPage) setOwn(result, key, values[index] as DocValue);
  return result;
}

function transpose(
  events: readonly Event[],
  field: "data" | "timestamps" | "filled",
): { [key: string]: DocValue[] } {
  const keys = Object.keys(events[0]?.[field] ?? {});
  if (events.length === 1) {
    // One event, as suitcase-msgpack pages each event: its cells, each in a column of one.
    const values: { [key: string]: DocValue } = events[0]?.[field] ?? {};
    const result: { [key: string]: DocValue[] } = {};
    for (const key of keys) setOwn(result, key, [values[key] as DocValue]);
    return result;
  }
  const columnsByKey = new Map<string, DocValue[]>(keys.map((key) => [key, []]));
  for (const event of events) {
    const values: { [key: string]: DocValue } = event[field] ?? {};
    const eventKeys = Object.keys(values);
    if (eventKeys.length !== keys.length || eventKeys.some((key) => !columnsByKey.has(key))) {
      const found = JSON.stringify(eventKeys);
      throw new DocumentFormatError(
        `packEvents: event ${event.uid} has ${field} keys ${found}, expected ${JSON.stringify(keys)}`,
      );
    }
    for (const [key, cells] of columnsByKey) cells.push(values[key] as DocValue);
  }
  const result: { [key: string]: DocValue[] } = {};
  for (const [key, values] of columnsByKey) setOwn(result, key, values);
  return result;
}
