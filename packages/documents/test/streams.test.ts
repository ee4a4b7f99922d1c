/** Document streams: every reference stream, event_page ⇄ event, and item validation. */
import { referencePath, referenceStreams, referenceText } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import {
  type DocumentFormat,
  DocumentFormatError,
  detectFormat,
  type Event,
  type EventPage,
  packEvents,
  readDocumentStream,
  unpackEventPage,
} from "../src/index.js";
import { readDocumentsFile } from "../src/node.js";
import { tagged } from "./helpers.js";

/** Documents per name in each reference stream (counted with Python's json module). */
const expectedCounts: Record<string, Record<string, number>> = {
  "apstools/streams/440-624e776a-unpacked.json": { start: 1, descriptor: 2, event: 185, stop: 1 },
  "apstools/streams/440-624e776a.json": { start: 1, descriptor: 2, event_page: 185, stop: 1 },
  "apstools/streams/440-624e776a.msgpack": { start: 1, descriptor: 2, event_page: 185, stop: 1 },
  "apstools/streams/apstools-catalog.json.gz": { start: 53, descriptor: 52, event: 1302, stop: 52 },
  "apstools/streams/hklpy-26aac337.json": { start: 1, descriptor: 2, event: 2, stop: 1 },
  "apstools/streams/hklpy-7ab721bd.json": { start: 1, descriptor: 2, event: 2, stop: 1 },
  "apstools/streams/uid-219cc7b4.json": { start: 1, descriptor: 4, event: 5, stop: 1 },
  "apstools/streams/uid-34c84a1b.json": { start: 1, descriptor: 1, event: 3, stop: 1 },
  "apstools/streams/uid-3ab777ae.json": { start: 1, descriptor: 1, event: 11, stop: 1 },
  "apstools/streams/uid-b31e8698.json": { start: 1, descriptor: 2, event: 1, stop: 1 },
  "apstools/streams/uid-f05b6684.json": { start: 1, descriptor: 1, event: 31, stop: 1 },
  "apstools/streams/usaxs-catalog.json.gz": { start: 10, descriptor: 19, event: 172, stop: 10 },
  "suitcase/documents/count_1.jsonl": { start: 1, descriptor: 2, event: 3, stop: 1 },
  "suitcase/documents/count_3.jsonl": { start: 1, descriptor: 2, event: 5, stop: 1 },
  "suitcase/documents/rel_scan.jsonl": { start: 1, descriptor: 2, event: 5, stop: 1 },
  "suitcase/documents/scan.jsonl": { start: 1, descriptor: 2, event: 5, stop: 1 },
  "synthetic/streams/syn-nan.json": { start: 1, descriptor: 1, event: 3, stop: 1 },
  "synthetic/streams/syn-session.json": {
    start: 4,
    descriptor: 8,
    event: 11,
    resource: 1,
    datum: 2,
    stop: 4,
  },
  "synthetic/streams/syn-values.json": { start: 1, descriptor: 1, event: 4, stop: 1 },
};

function countByName(documents: [string, unknown][]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name] of documents) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

function readAsText(text: string, format: DocumentFormat) {
  return readDocumentStream(new TextEncoder().encode(text), format);
}

describe("every reference stream", () => {
  it("is listed with its expected counts", () => {
    expect(referenceStreams()).toEqual(Object.keys(expectedCounts).sort());
  });

  it.each(referenceStreams())("%s reads with the right number of documents per name", (path) => {
    const documents = readDocumentsFile(referencePath(path));
    expect(countByName(documents)).toEqual(expectedCounts[path]);
  });
});

describe("event_page ⇄ event on the 440 run", () => {
  const paged = readDocumentsFile(referencePath("apstools/streams/440-624e776a.msgpack"));
  const unpacked = readDocumentsFile(referencePath("apstools/streams/440-624e776a-unpacked.json"));

  it("unpackEventPage gives the events of 440-624e776a-unpacked.json, key order included", () => {
    const events = paged.flatMap(([name, doc]) =>
      name === "event_page" ? unpackEventPage(doc) : [],
    );
    const expected = unpacked.filter(([name]) => name === "event").map(([, doc]) => doc);
    expect(events).toHaveLength(185);
    for (const [i, event] of events.entries()) {
      const reference = expected[i] as unknown as Event;
      expect(Object.keys(event)).toEqual([
        "descriptor",
        "uid",
        "time",
        "seq_num",
        "data",
        "timestamps",
        "filled",
      ]);
      expect([event.descriptor, event.uid, event.time, event.seq_num]).toEqual([
        reference.descriptor,
        reference.uid,
        reference.time,
        reference.seq_num,
      ]);
      expect(tagged(event.data)).toEqual(tagged(reference.data));
    }
    expect(tagged(events)).toEqual(tagged(expected));
  });

  it("packEvents of the unpacked events gives the original pages back", () => {
    for (const [name, doc] of paged) {
      if (name !== "event_page") continue;
      const page = doc as unknown as EventPage;
      expect(tagged(packEvents(unpackEventPage(page)))).toEqual(tagged(page));
    }
  });
});

describe("unpackEventPage and packEvents", () => {
  const page: EventPage = {
    time: [1.5, 2.5],
    uid: ["u1", "u2"],
    seq_num: [1, 2],
    descriptor: "d",
    filled: { img: [false, "datum-2"] },
    data: { x: [1, 2], img: ["datum-1", "datum-2"] },
    timestamps: { x: [1.25, 2.25], img: [1.0, 2.0] },
  };

  it("transposes filled like data and timestamps", () => {
    expect(unpackEventPage(page)).toEqual([
      {
        descriptor: "d",
        uid: "u1",
        time: 1.5,
        seq_num: 1,
        data: { x: 1, img: "datum-1" },
        timestamps: { x: 1.25, img: 1 },
        filled: { img: false },
      },
      {
        descriptor: "d",
        uid: "u2",
        time: 2.5,
        seq_num: 2,
        data: { x: 2, img: "datum-2" },
        timestamps: { x: 2.25, img: 2 },
        filled: { img: "datum-2" },
      },
    ]);
    expect(packEvents(unpackEventPage(page))).toEqual(page);
  });

  it("gives events with filled {} for a page without filled, and packs events without filled", () => {
    const { filled: _, ...withoutFilled } = page;
    const events = unpackEventPage(withoutFilled);
    expect(events.map((event) => event.filled)).toEqual([{}, {}]);
    const bare = events.map(({ filled: _unused, ...event }) => event);
    expect(packEvents(bare).filled).toEqual({});
  });

  it("refuses columns of the wrong length", () => {
    expect(() => unpackEventPage({ ...page, time: [1] })).toThrow(
      /column time has 1 rows, seq_num has 2/,
    );
    expect(() => unpackEventPage({ ...page, data: { x: [1] } })).toThrow(
      /column data.x has 1 rows/,
    );
    expect(() => unpackEventPage({ ...page, data: 5 })).toThrow(/data must be an object/);
    expect(() => unpackEventPage({ ...page, descriptor: undefined })).toThrow(/descriptor must be/);
    expect(() => unpackEventPage({ ...page, seq_num: "1" })).toThrow(/seq_num must be an array/);
    expect(() => unpackEventPage({ ...page, uid: [1, 2] })).toThrow(/uid must hold strings/);
  });

  it("refuses to pack nothing, mixed descriptors, or mismatched keys", () => {
    const events = unpackEventPage(page);
    const [first, second] = events as [Event, Event];
    expect(() => packEvents([])).toThrow(/no events/);
    expect(() => packEvents([first, { ...second, descriptor: "other" }])).toThrow(
      /descriptor other/,
    );
    expect(() => packEvents([first, { ...second, data: { x: 2 } }])).toThrow(/data keys/);
  });
});

describe("readDocumentStream", () => {
  it("reads each format", () => {
    expect(readAsText('[["start", {"a": 1.0}]]', "json")).toEqual([
      ["start", { a: expect.anything() }],
    ]);
    expect(readAsText('["stop", {}]\n', "jsonl")).toEqual([["stop", {}]]);
    expect(
      readDocumentStream(Uint8Array.of(0x92, 0xa4, 0x73, 0x74, 0x6f, 0x70, 0x80), "msgpack"),
    ).toEqual([["stop", {}]]);
  });

  it("accepts the {name, doc} envelope in a JSON array (bluesky JSONWriter)", () => {
    expect(readAsText('[{"name": "start", "doc": {}}]', "json")).toEqual([["start", {}]]);
  });

  it.each<[string, DocumentFormat, RegExp]>([
    ['{"start": {}}', "json", /^expected a JSON array of \[name, document\] pairs, got an object/],
    [
      '[["start", {}], ["event"]]',
      "json",
      /^item 1: expected a \[name, document\] pair, got an array of 1 items$/,
    ],
    ['[["start", {}], [5, {}]]', "json", /^item 1: expected a \[name, document\] pair/],
    ['[["start", []]]', "json", /^item 0: expected a \[name, document\] pair/],
    ['[["start", {}, 1]]', "json", /^item 0: expected/],
    ['[{"name": "start", "doc": {}, "x": 1}]', "json", /^item 0: expected/],
    ['[["Start", {}]]', "json", /^item 0: unknown document name "Start"$/],
    ["[", "json", /^Expecting value: line 1 column 2/],
  ])("%s as %s fails: %s", (text, format, message) => {
    expect(() => readAsText(text, format)).toThrow(message);
    expect(() => readAsText(text, format)).toThrow(DocumentFormatError);
  });

  it("names the item index of a bad msgpack item", () => {
    expect(() =>
      readDocumentStream(Uint8Array.of(0x92, 0xa4, 0x73, 0x74, 0x6f, 0x70, 0x80, 0x01), "msgpack"),
    ).toThrow(/^item 1: expected a \[name, document\] pair, got the number 1$/);
  });

  it("refuses text that is not UTF-8", () => {
    expect(() => readDocumentStream(Uint8Array.of(0x5b, 0xff, 0x5d), "json")).toThrow(
      /not valid UTF-8/,
    );
  });

  it("skips a UTF-8 byte order mark", () => {
    expect(readAsText("\ufeff[]", "json")).toEqual([]);
  });

  it("reads a syn-values stream with its exact number kinds", () => {
    const documents = readAsText(referenceText("synthetic/streams/syn-values.json"), "json");
    expect(documents[0]?.[0]).toBe("start");
  });
});

describe("detectFormat", () => {
  it.each<[string, DocumentFormat | undefined]>([
    ["run.json", "json"],
    ["dir/catalog.json.gz", "json"],
    ["RUN.JSON", "json"],
    ["run.jsonl", "jsonl"],
    ["run.jsonl.gz", "jsonl"],
    ["run.msgpack", "msgpack"],
    ["run.msgpack.gz", "msgpack"],
    ["run.spec", undefined],
    ["run.gz", undefined],
    ["json", undefined],
  ])("%s -> %s", (name, format) => {
    expect(detectFormat(name)).toBe(format);
  });
});
