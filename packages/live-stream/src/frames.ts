/**
 * One 0MQ frame of bluesky's `Publisher` → a document, or a refusal with its reason.
 *
 * The frame is `prefix + b" " + name.encode() + b" " + serializer(doc)`, and consumers split it
 * as `RemoteDispatcher` does: `prefix, name, payload = frame.split(b" ", 2)`. The payload is
 * read with @specx/documents' decoders (msgpack with msgpack-numpy, or Python's JSON); pickle,
 * bluesky's default serializer, is refused: it cannot be read safely outside Python.
 */
import {
  type DocRecord,
  type DocumentName,
  type DocValue,
  decodeMsgpack,
  isDocObject,
  isDocumentName,
  parseJson,
} from "@specx/documents";
import type { DocumentItem, PayloadFormat, RefusedItem } from "./types.js";

const SPACE = 0x20;
/** pickle protocol 2 and later open with the PROTO opcode 0x80 (Python 3's default is 4 or 5). */
const PICKLE_PROTO = 0x80;
const LEFT_BRACE = 0x7b;
const LEFT_BRACKET = 0x5b;

/** What to tell whoever runs a pickle `Publisher`: the two lines that make it send msgpack. */
export const PICKLE_ADVICE =
  "pickle payloads (bluesky's default serializer) cannot be read safely outside Python; start the Publisher with msgpack: " +
  "`import functools, msgpack, msgpack_numpy` then " +
  "`Publisher(address, serializer=functools.partial(msgpack.packb, default=msgpack_numpy.encode))` " +
  "(or JSON: `serializer=lambda doc: json.dumps(doc).encode()`)";

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The three parts of a frame, as `frame.split(b" ", 2)` gives them. */
export interface SplitFrame {
  prefix: Uint8Array;
  name: Uint8Array;
  payload: Uint8Array;
}

/** Splits at the first two spaces; undefined when there are fewer (RemoteDispatcher would raise). */
export function splitFrame(frame: Uint8Array): SplitFrame | undefined {
  const first = frame.indexOf(SPACE);
  if (first < 0) return undefined;
  const second = frame.indexOf(SPACE, first + 1);
  if (second < 0) return undefined;
  return {
    prefix: frame.subarray(0, first),
    name: frame.subarray(first + 1, second),
    payload: frame.subarray(second + 1),
  };
}

/**
 * The prefix as text: UTF-8 when it is, else Latin-1 so that every byte string still has one
 * distinct name (prefixes are bytes in bluesky).
 */
export function prefixText(prefix: Uint8Array): string {
  try {
    return utf8.decode(prefix);
  } catch {
    return latin1.decode(prefix);
  }
}

/**
 * The serializer of a payload from its first byte: `{` or `[` (after JSON whitespace) is JSON
 * (neither is a msgpack map, so no document is lost), 0x80
 * followed by more bytes is pickle (a lone 0x80 is msgpack's empty map), anything else is
 * taken as msgpack and must decode as such.
 */
export function payloadFormat(payload: Uint8Array): PayloadFormat | "pickle" {
  let index = 0;
  while (index < payload.length && isJsonWhitespace(payload[index] as number)) index++;
  if (payload[index] === LEFT_BRACE || payload[index] === LEFT_BRACKET) return "json";
  if (payload[0] === PICKLE_PROTO && payload.length > 1) return "pickle";
  return "msgpack";
}

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** One frame as a document or a refusal; never throws. */
export function decodeFrame(frame: Uint8Array): DocumentItem | RefusedItem {
  const bytes = frame.length;
  const parts = splitFrame(frame);
  if (parts === undefined) {
    return refused(
      "malformed",
      "not a bluesky frame: expected `prefix name payload` separated by two spaces",
      "",
      bytes,
    );
  }
  const prefix = prefixText(parts.prefix);
  let name: string;
  try {
    name = utf8.decode(parts.name);
  } catch {
    return refused("malformed", "the document name is not UTF-8", prefix, bytes);
  }
  if (!isDocumentName(name)) {
    return refused(
      "wrong-shape",
      `${JSON.stringify(name.slice(0, 40))} is not an event-model document name`,
      prefix,
      bytes,
    );
  }
  const format = payloadFormat(parts.payload);
  if (format === "pickle") return refused("pickle", PICKLE_ADVICE, prefix, bytes);
  let value: DocValue;
  try {
    value =
      format === "json" ? parseJson(utf8.decode(parts.payload)) : decodeMsgpack(parts.payload);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const what = format === "json" ? "JSON" : "msgpack";
    const detail = message.startsWith("msgpack:") ? message.slice(9) : message;
    return refused(
      "malformed",
      `${name}: the ${what} payload does not decode: ${detail}`,
      prefix,
      bytes,
    );
  }
  if (!isDocObject(value)) {
    return refused(
      "wrong-shape",
      `${name}: the payload is ${describe(value)}, not a document (a map)`,
      prefix,
      bytes,
    );
  }
  return documentItem(name, value as DocRecord, prefix, format, bytes);
}

function documentItem(
  name: DocumentName,
  doc: DocRecord,
  prefix: string,
  format: PayloadFormat,
  bytes: number,
): DocumentItem {
  return { kind: "document", name, doc, prefix, format, bytes };
}

function refused(
  code: RefusedItem["code"],
  reason: string,
  prefix: string,
  bytes: number,
): RefusedItem {
  return { kind: "refused", code, reason, prefix, bytes };
}

function describe(value: DocValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === "string") return "a string";
  if (typeof value === "object") return "a float";
  return `a ${typeof value}`;
}
