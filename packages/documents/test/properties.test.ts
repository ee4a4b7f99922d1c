/**
 * Properties: document values round-trip through both codecs with their number kinds intact,
 * and no input, however broken, makes a reader throw anything but DocumentFormatError or hang.
 */
import { fc, test } from "@fast-check/vitest";
import { referenceBytes } from "@specx/test-support";
import { describe, expect } from "vitest";
import {
  DocumentFormatError,
  type DocValue,
  decodeMsgpack,
  decodeMsgpackStream,
  encodeMsgpack,
  JsonLinesWriter,
  MsgpackWriter,
  parseJson,
  parseJsonLines,
  readDocumentStream,
  stringifyJson,
} from "../src/index.js";
import { anyUtf16String, docValueArbitrary, unicodeString } from "./arbitraries.js";
import { tagged } from "./helpers.js";

const jsonValues = docValueArbitrary({
  bigintRange: { min: -(2n ** 200n), max: 2n ** 200n },
  strings: anyUtf16String,
});
const msgpackValues = docValueArbitrary({
  bigintRange: { min: -(2n ** 63n), max: 2n ** 64n - 1n },
  strings: unicodeString,
});

/** Runs a reader on hostile input: it may succeed or throw DocumentFormatError, quickly. */
function expectOnlyFormatErrors(read: () => unknown): void {
  const started = performance.now();
  try {
    read();
  } catch (error) {
    if (!(error instanceof DocumentFormatError)) throw error;
  }
  expect(performance.now() - started).toBeLessThan(1000);
}

/** Valid encodings with a few bytes changed, dropped or cut off: input close to real files. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 255 })), { maxLength: 4 }),
      fc.nat(),
    )
    .map(([bytes, edits, cut]) => {
      const out = [...bytes];
      for (const [position, byte] of edits) {
        if (out.length === 0) break;
        if (byte < 0) out.splice(position % out.length, 1);
        else out[position % out.length] = byte;
      }
      return Uint8Array.from(out.slice(0, out.length === 0 ? 0 : cut % (out.length + 1)));
    });
}

const encoder = new TextEncoder();

describe("round trips", () => {
  test.prop([jsonValues], { numRuns: 400 })(
    "parseJson(stringifyJson(v)) is v, kinds and key order included",
    (value) => {
      const text = stringifyJson(value);
      const parsed = parseJson(text);
      expect(tagged(parsed)).toEqual(tagged(value));
      expect(stringifyJson(parsed)).toBe(text);
      // ensure_ascii: the text is pure ASCII.
      expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
    },
  );

  test.prop([msgpackValues], { numRuns: 400 })(
    "decodeMsgpack(encodeMsgpack(v)) is v, and re-encoding gives the same bytes",
    (value) => {
      const bytes = encodeMsgpack(value);
      const decoded = decodeMsgpack(bytes);
      expect(tagged(decoded)).toEqual(tagged(value));
      expect(encodeMsgpack(decoded)).toEqual(bytes);
    },
  );

  test.prop([fc.array(jsonValues, { maxLength: 6 })], { numRuns: 300 })(
    "a JsonLinesWriter holds the UTF-8 of stringifyJsonLines, line by line",
    (values) => {
      const writer = new JsonLinesWriter();
      for (const value of values) writer.write(value);
      const lines = values.map((value) => `${stringifyJson(value)}\n`).join("");
      expect(Buffer.from(writer.finish()).equals(Buffer.from(lines, "utf8"))).toBe(true);
    },
  );

  test("a JsonLinesWriter past its first 64 KB: many lines, and one larger than it has grown to", () => {
    // Short lines fill the first buffer and the next ones; the long one needs more than twice.
    const values: DocValue[] = Array.from({ length: 5000 }, (_, i) => ["event", { seq_num: i }]);
    values.push({ text: "x".repeat(600_000) }, ["stop", { exit_status: "success" }]);
    const writer = new JsonLinesWriter();
    for (const value of values) writer.write(value);
    const lines = values.map((value) => `${stringifyJson(value)}\n`).join("");
    expect(lines.length).toBeGreaterThan(700_000);
    expect(Buffer.from(writer.finish()).equals(Buffer.from(lines, "utf8"))).toBe(true);
  });

  test.prop([fc.array(msgpackValues, { maxLength: 6 })], { numRuns: 200 })(
    "a MsgpackWriter holds each value's encodeMsgpack bytes, one after another",
    (values) => {
      const writer = new MsgpackWriter();
      for (const value of values) writer.write(value);
      const each = values.map((value) => Array.from(encodeMsgpack(value)));
      expect(Array.from(writer.finish())).toEqual(each.flat());
    },
  );

  test.prop([
    fc.array(fc.tuple(fc.constantFrom("start", "event", "stop"), msgpackValues), { maxLength: 5 }),
  ])("streams of [name, doc] pairs survive all three formats", (pairs) => {
    const documents = pairs.map(([name, value]): [string, DocValue] => [
      name,
      value !== null && typeof value === "object" && !Array.isArray(value) && !("value" in value)
        ? value
        : { value },
    ]);
    const expected = tagged(documents as DocValue);
    const json = encoder.encode(stringifyJson(documents as DocValue));
    expect(tagged(readDocumentStream(json, "json") as DocValue)).toEqual(expected);
    const jsonl = documents.map((pair) => `${stringifyJson(pair as DocValue)}\n`).join("");
    expect(tagged(parseJsonLines(jsonl) as DocValue)).toEqual(expected);
    const msgpack = Uint8Array.from(
      documents.flatMap((pair) => [...encodeMsgpack(pair as DocValue)]),
    );
    expect(tagged(readDocumentStream(msgpack, "msgpack") as DocValue)).toEqual(expected);
  });
});

describe("hostile input", () => {
  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 2000 })(
    "decodeMsgpackStream on random bytes",
    (bytes) => expectOnlyFormatErrors(() => decodeMsgpackStream(bytes)),
  );

  test.prop([mutated(msgpackValues.map(encodeMsgpack))], { numRuns: 2000 })(
    "decodeMsgpackStream on damaged msgpack",
    (bytes) => expectOnlyFormatErrors(() => decodeMsgpackStream(bytes)),
  );

  const start440 = referenceBytes("apstools/streams/440-624e776a.msgpack").subarray(0, 4000);
  test.prop([mutated(fc.constant(start440))], { numRuns: 300 })(
    "readDocumentStream on a damaged real suitcase-msgpack file",
    (bytes) => expectOnlyFormatErrors(() => readDocumentStream(bytes, "msgpack")),
  );

  test.prop([anyUtf16String], { numRuns: 2000 })("parseJson on random text", (text) =>
    expectOnlyFormatErrors(() => parseJson(text)),
  );

  const jsonAlphabet = fc.constantFrom(...'[]{},:"\\ 0123456789-+.eEtrufalsnNIiy\n\tu'.split(""));
  test.prop([fc.string({ unit: jsonAlphabet, maxLength: 60 })], { numRuns: 3000 })(
    "parseJson on JSON-like text",
    (text) => expectOnlyFormatErrors(() => parseJson(text)),
  );

  test.prop([mutated(jsonValues.map((value) => encoder.encode(stringifyJson(value))))], {
    numRuns: 2000,
  })("readDocumentStream (json, jsonl) on damaged JSON bytes", (bytes) => {
    expectOnlyFormatErrors(() => readDocumentStream(bytes, "json"));
    expectOnlyFormatErrors(() => readDocumentStream(bytes, "jsonl"));
  });

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 1000 })(
    "readDocumentStream (json, jsonl) on random bytes",
    (bytes) => {
      expectOnlyFormatErrors(() => readDocumentStream(bytes, "json"));
      expectOnlyFormatErrors(() => readDocumentStream(bytes, "jsonl"));
    },
  );
});
