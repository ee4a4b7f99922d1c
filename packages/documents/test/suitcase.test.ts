/** suitcaseJsonl and suitcaseMsgpack: reference bytes, page packing, the int/float rule. */
import { referenceBytes, referenceStreams, referenceText } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import {
  type DocRecord,
  DocumentFormatError,
  decodeMsgpackStream,
  type NamedDocument,
  PyFloat,
  parseJsonLines,
  readDocumentStream,
  suitcaseJsonl,
  suitcaseJsonlBytes,
  suitcaseMsgpack,
} from "../src/index.js";
import { tagged } from "./helpers.js";

const UID = "0f0e0d0c-0000-4000-8000-000000000001";

function run(): NamedDocument[] {
  return [
    ["start", { uid: UID, time: 10.5, scan_id: 3, plan_name: "count" }],
    [
      "descriptor",
      {
        uid: "d1",
        run_start: UID,
        time: 11.5,
        name: "primary",
        data_keys: {
          det: { dtype: "number", shape: [], source: "SIM:det" },
          count: { dtype: "integer", shape: [], source: "SIM:count", dtype_numpy: "<i8" },
          spectrum: { dtype: "array", shape: [2], source: "SIM:spectrum", dtype_numpy: "<f8" },
          ints: { dtype: "array", shape: [2], source: "SIM:ints", dtype_numpy: "<i8" },
          img: { dtype: "array", shape: [2, 2], source: "SIM:img", external: "FILESTORE:" },
        },
        object_keys: { det: ["det", "count", "spectrum", "ints", "img"] },
        configuration: {
          det: {
            data: { gain: 2, mode: 1 },
            timestamps: { gain: 9, mode: 9 },
            data_keys: {
              gain: { dtype: "number", shape: [], source: "SIM:gain" },
              mode: { dtype: "integer", shape: [], source: "SIM:mode" },
            },
          },
        },
      },
    ],
    [
      "resource",
      {
        uid: "r1",
        spec: "AD_HDF5",
        root: "/",
        resource_path: "x.h5",
        resource_kwargs: {},
        run_start: UID,
      },
    ],
    ["datum", { datum_id: "r1/0", resource: "r1", datum_kwargs: { point_number: 0 } }],
    [
      "stream_resource",
      {
        uid: "sr1",
        data_key: "img",
        mimetype: "application/x-hdf5",
        uri: "file://x",
        parameters: {},
      },
    ],
    ["event", event(1, 5, [1, 2])],
    ["event", event(2, 5.5, [new PyFloat(3), 4.25])],
    [
      "stop",
      {
        uid: "x1",
        run_start: UID,
        time: 20.25,
        exit_status: "success",
        num_events: { primary: 2 },
      },
    ],
  ];
}

function event(seq: number, det: number, spectrum: (number | PyFloat)[]): DocRecord {
  return {
    uid: `e${seq}`,
    descriptor: "d1",
    seq_num: seq,
    time: 11.5 + seq,
    data: { det, count: 7, spectrum, ints: [1, 2], img: `r1/${seq - 1}` },
    timestamps: { det: 12, count: 12, spectrum: 12, ints: 12, img: 12 },
    filled: { img: false },
  };
}

describe("suitcaseJsonl", () => {
  const suitcaseFiles = referenceStreams().filter((path) => path.startsWith("suitcase/documents/"));
  it.each(suitcaseFiles)("reproduces the suitcase-jsonl file %s byte for byte", (path) => {
    const text = referenceText(path);
    const file = suitcaseJsonl(parseJsonLines(text));
    expect(file.text).toBe(text);
    expect(file.fileName).toBe(`${String(parseJsonLines(text)[0]?.[1].uid)}.jsonl`);
    // The same file written straight as bytes.
    const bytes = suitcaseJsonlBytes(parseJsonLines(text));
    expect(bytes.fileName).toBe(file.fileName);
    expect(Buffer.from(bytes.bytes).equals(Buffer.from(text, "utf8"))).toBe(true);
  });

  it("keeps every document in arrival order and makes the ints of float columns floats", () => {
    const file = suitcaseJsonl(run());
    expect(file.fileName).toBe(`${UID}.jsonl`);
    const lines = file.text.split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line)[0])).toEqual(run().map(([n]) => n));
    expect(lines[0]).toBe(
      `["start", {"uid": "${UID}", "time": 10.5, "scan_id": 3, "plan_name": "count"}]`,
    );
    expect(lines[5]).toContain(
      '"data": {"det": 5.0, "count": 7, "spectrum": [1.0, 2.0], "ints": [1, 2], "img": "r1/0"}',
    );
    expect(lines[5]).toContain('"seq_num": 1,');
    expect(lines[1]).toContain('"data": {"gain": 2.0, "mode": 1}');
    expect(lines[7]).toContain('"num_events": {"primary": 2}');
  });

  it("writes values exactly as given with numberColumnsAsFloats: false", () => {
    const text = suitcaseJsonl(run(), { numberColumnsAsFloats: false }).text;
    expect(text).toContain('"data": {"det": 5, "count": 7, "spectrum": [1, 2], "ints": [1, 2]');
    expect(text).toContain('"data": {"gain": 2, "mode": 1}');
  });

  it("does not modify its input", () => {
    const docs = run();
    const before = tagged(docs as never);
    suitcaseJsonl(docs);
    suitcaseMsgpack(docs);
    expect(tagged(docs as never)).toEqual(before);
  });

  it("refuses what is not one run", () => {
    const docs = run();
    expect(() => suitcaseJsonl(docs.slice(1))).toThrow(
      new DocumentFormatError("suitcase: the first document must be a start, got descriptor"),
    );
    expect(() => suitcaseJsonl([])).toThrow(/got no documents/);
    expect(() => suitcaseMsgpack([...docs, ...run()])).toThrow(
      "suitcase: a second start at index 8; one run per file (split with splitRuns)",
    );
    expect(() => suitcaseJsonl([["start", { uid: "../x", time: 1 }]])).toThrow(
      'suitcase: start uid "../x" cannot name a file',
    );
    expect(() => suitcaseJsonl([["start", { time: 1 }]])).toThrow("start uid null cannot");
  });

  // A uid comes from a file a stranger may have written: it must never name a path elsewhere.
  it.each(["..", ".", "", "../../etc/cron.d/x", "runs/x", "C:\\evil", "a\\..\\b", "x\u0000.jsonl"])(
    "refuses the start uid %j as a file name, in both formats",
    (uid) => {
      const docs = run().map(
        ([name, doc]): NamedDocument => [name, name === "start" ? { ...doc, uid } : doc],
      );
      const message = `suitcase: start uid ${JSON.stringify(uid)} cannot name a file`;
      expect(() => suitcaseJsonl(docs)).toThrow(message);
      expect(() => suitcaseMsgpack(docs)).toThrow(message);
    },
  );
});

describe("suitcaseMsgpack", () => {
  it("reproduces the suitcase-msgpack file 440-624e776a from its events, byte for byte", () => {
    const expected = referenceBytes("apstools/streams/440-624e776a.msgpack");
    const events = readDocumentStream(
      referenceBytes("apstools/streams/440-624e776a-unpacked.json"),
      "json",
    );
    const file = suitcaseMsgpack(events);
    expect(file.fileName).toBe("624e776a-a914-4a74-8841-babf1591fb29.msgpack");
    expect(Buffer.from(file.bytes).equals(Buffer.from(expected))).toBe(true);
    // Pages pass through unchanged.
    const pages = suitcaseMsgpack(readDocumentStream(expected, "msgpack"));
    expect(Buffer.from(pages.bytes).equals(Buffer.from(expected))).toBe(true);
  });

  it("writes only start, descriptor, event_page, datum_page, resource and stop", () => {
    const file = suitcaseMsgpack(run());
    expect(file.fileName).toBe(`${UID}.msgpack`);
    const items = decodeMsgpackStream(file.bytes) as [string, DocRecord][];
    expect(items.map(([name]) => name)).toEqual([
      "start",
      "descriptor",
      "resource",
      "datum_page",
      "event_page",
      "event_page",
      "stop",
    ]);
    expect(tagged(items[3]?.[1] as DocRecord)).toEqual(
      tagged({ resource: "r1", datum_id: ["r1/0"], datum_kwargs: { point_number: [0] } }),
    );
    expect(tagged(items[4]?.[1] as DocRecord)).toEqual(
      tagged({
        time: [12.5],
        uid: ["e1"],
        seq_num: [1],
        descriptor: "d1",
        filled: { img: [false] },
        data: {
          det: [new PyFloat(5)],
          count: [7],
          spectrum: [[new PyFloat(1), new PyFloat(2)]],
          ints: [[1, 2]],
          img: ["r1/0"],
        },
        timestamps: { det: [12], count: [12], spectrum: [12], ints: [12], img: [12] },
      }),
    );
  });

  it("writes the floats of float columns as float64 and seq_num, scan_id, num_events as ints", () => {
    const bytes = Buffer.from(suitcaseMsgpack(run()).bytes);
    // "det": [5.0] as fixarray(1) + float64; "seq_num": [1] as fixarray(1) + fixint.
    const float5 = Buffer.from([0xa3, 0x64, 0x65, 0x74, 0x91, 0xcb, 0x40, 0x14, 0, 0, 0, 0, 0, 0]);
    expect(bytes.includes(float5)).toBe(true);
    const seqNum = Buffer.concat([
      Buffer.from([0xa7]),
      Buffer.from("seq_num"),
      Buffer.from([0x91, 0x01]),
    ]);
    expect(bytes.includes(seqNum)).toBe(true);
    const scanId = Buffer.concat([
      Buffer.from([0xa7]),
      Buffer.from("scan_id"),
      Buffer.from([0x03]),
    ]);
    expect(bytes.includes(scanId)).toBe(true);
    const primary = Buffer.concat([
      Buffer.from([0xa7]),
      Buffer.from("primary"),
      Buffer.from([0x02]),
    ]);
    expect(bytes.includes(primary)).toBe(true);
    const raw = Buffer.from(suitcaseMsgpack(run(), { numberColumnsAsFloats: false }).bytes);
    expect(raw.includes(float5)).toBe(false);
    expect(raw.includes(Buffer.from([0xa3, 0x64, 0x65, 0x74, 0x91, 0x05]))).toBe(true);
  });

  it("turns bulk_events into one page per descriptor and bulk_datum into a datum_page", () => {
    const docs = run();
    const events = [docs[5]?.[1], docs[6]?.[1]] as DocRecord[];
    const bulk: NamedDocument[] = [
      docs[0] as NamedDocument,
      docs[1] as NamedDocument,
      ["bulk_events", { d1: events }],
      [
        "bulk_datum",
        { resource: "r1", datum_ids: ["r1/0", "r1/1"], datum_kwarg_list: [{ p: 0 }, { p: 1 }] },
      ],
      docs[7] as NamedDocument,
    ];
    const items = decodeMsgpackStream(suitcaseMsgpack(bulk).bytes) as [string, DocRecord][];
    expect(items.map(([name]) => name)).toEqual([
      "start",
      "descriptor",
      "event_page",
      "datum_page",
      "stop",
    ]);
    expect(Object.keys(items[2]?.[1] ?? {})).toEqual([
      "time",
      "uid",
      "seq_num",
      "descriptor",
      "data",
      "timestamps",
      "filled",
    ]);
    expect(items[2]?.[1].seq_num).toEqual([1, 2]);
    expect(tagged(items[3]?.[1] as DocRecord)).toEqual(
      tagged({ datum_id: ["r1/0", "r1/1"], resource: "r1", datum_kwargs: { p: [0, 1] } }),
    );
  });
});
