/** suitcase-jsonl: reading and writing byte for byte as suitcase-jsonl does. */
import { referenceStreams, referenceText } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { DocumentFormatError, parseJsonLines, stringifyJsonLines } from "../src/index.js";
import { tagged } from "./helpers.js";

const jsonlStreams = referenceStreams().filter((path) => path.endsWith(".jsonl"));

describe("suitcase-jsonl reference files", () => {
  it("covers the four suitcase-specfile inputs", () => {
    expect(jsonlStreams).toHaveLength(4);
  });

  it.each(jsonlStreams)("%s is written back byte for byte", (path) => {
    const text = referenceText(path);
    expect(stringifyJsonLines(parseJsonLines(text))).toBe(text);
  });
});

describe("parseJsonLines", () => {
  it("skips blank lines and accepts CRLF line ends", () => {
    const text = '["start", {"uid": "a"}]\r\n\r\n  \n["stop", {"uid": "b", "n": 1.0}]\r\n';
    expect(parseJsonLines(text).map(tagged)).toEqual([
      ["str:start", { entries: [["uid", "str:a"]] }],
      [
        "str:stop",
        {
          entries: [
            ["uid", "str:b"],
            ["n", "pyfloat:1"],
          ],
        },
      ],
    ]);
  });

  it("accepts the {name, doc} envelope of bluesky's JSONLinesWriter", () => {
    expect(parseJsonLines('{"name": "start", "doc": {"uid": "a"}}\n')).toEqual([
      ["start", { uid: "a" }],
    ]);
  });

  it("names the line (and column) of a syntax error", () => {
    const text = '["start", {}]\n\n["event", {"a": }]\n';
    expect(() => parseJsonLines(text)).toThrow(/^Expecting value: line 3 column 17$/);
    try {
      parseJsonLines(text);
    } catch (error) {
      expect(error).toBeInstanceOf(DocumentFormatError);
      expect((error as DocumentFormatError).line).toBe(3);
    }
  });

  it("names the line of an item that is not a [name, doc] pair", () => {
    expect(() => parseJsonLines('["start", {}]\n["start"]\n')).toThrow(
      /^line 2: expected a \[name, document\] pair, got an array of 1 items$/,
    );
    expect(() => parseJsonLines('["start", {}]\n[1, {}]\n')).toThrow(/^line 2: expected/);
    expect(() => parseJsonLines('["begin", {}]\n')).toThrow(
      /^line 1: unknown document name "begin"$/,
    );
  });
});

describe("stringifyJsonLines", () => {
  it("writes one line per document with a newline after each, including the last", () => {
    expect(
      stringifyJsonLines([
        ["start", { uid: "é" }],
        ["stop", { uid: "x", num_events: { primary: 0 } }],
      ]),
    ).toBe('["start", {"uid": "\\u00e9"}]\n["stop", {"uid": "x", "num_events": {"primary": 0}}]\n');
    expect(stringifyJsonLines([])).toBe("");
  });
});
