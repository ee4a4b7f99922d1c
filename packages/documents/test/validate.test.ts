/** createValidator, splitRuns and loadEventModelSchemas: schema cases, invariants, references. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventModelSchemasDir, referencePath, referenceStreams } from "@specx/test-support";
import { afterAll, describe, expect, it } from "vitest";
import {
  type DocRecord,
  type DocumentName,
  EVENT_MODEL_SCHEMA_NAMES,
  loadEventModelSchemas,
  type NamedDocument,
  PyFloat,
  readDocumentsFile,
  splitRuns,
  toPlainJson,
} from "../src/node.js";
import { createValidator, type RunProblem } from "../src/validate.js";

const schemas = loadEventModelSchemas(eventModelSchemasDir());
const validator = createValidator(schemas);

// --- a small valid run, built fresh for each test ---------------------------------------------

const START = "s-0000";
const DESC = "d-0000";

function dataKey(extra: DocRecord = {}): DocRecord {
  return { dtype: "number", shape: [], source: "SIM:det", ...extra };
}

function start(extra: DocRecord = {}): DocRecord {
  return { uid: START, time: 100, scan_id: 1, plan_name: "count", ...extra };
}

function descriptor(extra: DocRecord = {}): DocRecord {
  return {
    uid: DESC,
    run_start: START,
    time: 100.5,
    name: "primary",
    data_keys: {
      det: dataKey(),
      spectrum: { dtype: "array", shape: [3], source: "SIM:spectrum", dtype_numpy: "<f8" },
    },
    object_keys: { det: ["det"], spectrum: ["spectrum"] },
    configuration: { det: { data: {}, timestamps: {}, data_keys: {} } },
    hints: { det: { fields: ["det"] } },
    ...extra,
  };
}

function event(seq: number, extra: DocRecord = {}): DocRecord {
  return {
    uid: `e-${seq}`,
    descriptor: DESC,
    seq_num: seq,
    time: 100.5 + seq,
    data: { det: 1.5 * seq, spectrum: [1, new PyFloat(2), 3.5] },
    timestamps: { det: 100.25 + seq, spectrum: 100.25 + seq },
    filled: {},
    ...extra,
  };
}

function stop(extra: DocRecord = {}): DocRecord {
  return {
    uid: "x-0000",
    run_start: START,
    time: 110,
    exit_status: "success",
    num_events: { primary: 2 },
    ...extra,
  };
}

function run(): NamedDocument[] {
  return [
    ["start", start()],
    ["descriptor", descriptor()],
    ["event", event(1)],
    ["event", event(2)],
    ["stop", stop()],
  ];
}

/** The run with document `index` replaced (or, for index = length, appended before stop). */
function withDoc(index: number, name: DocumentName, doc: DocRecord): NamedDocument[] {
  const docs = run();
  docs[index] = [name, doc];
  return docs;
}

function messages(docs: NamedDocument[]): string[] {
  return validator.validateRun(docs).map((problem) => `${problem.index}:${problem.message}`);
}

// --- schemas ------------------------------------------------------------------------------------

describe("validateDocument: the schema cases of documents.md §1", () => {
  const fails: [string, DocumentName, DocRecord, string][] = [
    [
      "key spec.file in start",
      "start",
      start({ "spec.file": "x" }),
      '/: key "spec.file" is not allowed',
    ],
    [
      "nested a/b in start",
      "start",
      start({ meta: { "a/b": 1 } }),
      '/meta: key "a/b" is not allowed',
    ],
    ["sample: 5", "start", start({ sample: 5 }), "/sample: must be string"],
    [
      "data key a.b",
      "descriptor",
      descriptor({ data_keys: { "a.b": dataKey() } }),
      '/data_keys: key "a.b" is not allowed',
    ],
    [
      "dtype object",
      "descriptor",
      descriptor({ data_keys: { det: dataKey({ dtype: "object" }) } }),
      '/data_keys/det/dtype: must be equal to one of the allowed values ["string","number","array","boolean","integer"]',
    ],
    [
      "dtype_numpy float64",
      "descriptor",
      descriptor({ data_keys: { det: dataKey({ dtype_numpy: "float64" }) } }),
      '/data_keys/det/dtype_numpy: must match pattern "[|<>][tbiufcmMOSUV][0-9]+"',
    ],
    [
      "DataKey without source",
      "descriptor",
      descriptor({ data_keys: { det: { dtype: "number", shape: [] } } }),
      "/data_keys/det: must have required property 'source'",
    ],
    [
      "shape null",
      "descriptor",
      descriptor({ data_keys: { det: dataKey({ shape: null }) } }),
      "/data_keys/det/shape: must be array",
    ],
    ["an extra key in an event", "event", event(1, { extra: 1 }), '/: key "extra" is not allowed'],
    [
      "exit_status aborted",
      "stop",
      stop({ exit_status: "aborted" }),
      '/exit_status: must be equal to one of the allowed values ["success","abort","fail"]',
    ],
    ["stop key a.b", "stop", stop({ "a.b": 1 }), '/: key "a.b" is not allowed'],
    ['scan_id "1"', "start", start({ scan_id: "1" }), "/scan_id: must be integer"],
    ["scan_id 1.5", "start", start({ scan_id: 1.5 }), "/scan_id: must be integer"],
    ["seq_num 1.5", "event", event(1, { seq_num: 1.5 }), "/seq_num: must be integer"],
  ];
  it.each(fails)("fails: %s", (_label, name, doc, message) => {
    expect(validator.validateDocument(name, doc)).toContain(message);
  });

  const passes: [string, DocumentName, DocRecord][] = [
    ["shape [null]", "descriptor", descriptor({ data_keys: { det: dataKey({ shape: [null] }) } })],
    ["a data key with a space", "descriptor", descriptor({ data_keys: { "Ion Ch 1": dataKey() } })],
    [
      "an extra DataKey field",
      "descriptor",
      descriptor({ data_keys: { det: dataKey({ spec_label: "Det.1" }) } }),
    ],
    [
      "per-object descriptor hints",
      "descriptor",
      descriptor({ hints: { det: { fields: ["det"], NX_class: "NXdetector" } } }),
    ],
    ["an extra stop key", "stop", stop({ spec_num_events: { primary: 2 } })],
    ["an event without filled", "event", (({ filled: _, ...rest }) => rest)(event(1))],
    [
      "NaN in data and time",
      "event",
      event(1, { time: Number.NaN, data: { det: Number.NaN, spectrum: [Number.NaN, 1, 2] } }),
    ],
    [
      "a spec namespace object in start",
      "start",
      start({ spec: { file: "a.dat", G: { G0: [1] } } }),
    ],
    ["arrays are not descended into", "start", start({ list: [{ "a.b": 1 }] })],
    ["scan_id as the float 1.0 (PyFloat)", "start", start({ scan_id: new PyFloat(1) })],
    ["scan_id as a bigint", "start", start({ scan_id: 12345678901234567890n })],
    ["time as a PyFloat", "start", start({ time: new PyFloat(1700000000) })],
    ["Infinity in data", "event", event(1, { data: { det: Number.POSITIVE_INFINITY } })],
  ];
  it.each(passes)("passes: %s", (_label, name, doc) => {
    expect(validator.validateDocument(name, doc)).toEqual([]);
  });

  it("refuses an unknown document name", () => {
    expect(validator.validateDocument("bogus" as DocumentName, {})).toEqual([
      'unknown document name "bogus"',
    ]);
  });

  it("converts the value model to plain JSON for Ajv", () => {
    const plain = toPlainJson({ a: new PyFloat(2), b: 5n, c: [new PyFloat(-0)], d: Number.NaN });
    expect(plain).toEqual({ a: 2, b: 5, c: [-0], d: Number.NaN });
    expect(Object.is((plain as { c: number[] }).c[0], -0)).toBe(true);
  });
});

// --- invariants ---------------------------------------------------------------------------------

describe("validateRun: invariants of documents.md §3", () => {
  it("accepts the base run, and events mixed with event_pages", () => {
    expect(messages(run())).toEqual([]);
    const page = {
      time: [103.5, 104.5],
      uid: ["e-3", "e-4"],
      seq_num: [3, 4],
      descriptor: DESC,
      filled: {},
      data: {
        det: [1, 2],
        spectrum: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
      timestamps: { det: [103, 104], spectrum: [103, 104] },
    };
    const docs = run();
    docs.splice(4, 0, ["event_page", page]);
    docs[5] = ["stop", stop({ num_events: { primary: 4 } })];
    expect(messages(docs)).toEqual([]);
  });

  it("reports schema violations with the document index", () => {
    expect(validator.validateRun(withDoc(4, "stop", stop({ exit_status: "aborted" })))).toEqual([
      {
        index: 4,
        name: "stop",
        message:
          'schema: /exit_status: must be equal to one of the allowed values ["success","abort","fail"]',
      },
    ]);
  });

  describe("structure", () => {
    it("exactly one start, first", () => {
      const docs = run();
      docs.push(docs.shift() as NamedDocument);
      expect(messages(docs)).toContain("0:the first document of a run must be the start");
      expect(messages(run().slice(1))).toContain("null:the run has no start document");
      const two = run();
      two.splice(1, 0, ["start", start({ uid: "s-2" })]);
      expect(messages(two)).toContain("1:a second start in one run (split runs with splitRuns)");
    });

    it("exactly one stop, last", () => {
      expect(messages(run().slice(0, -1))).toEqual(["null:the run has no stop document"]);
      const docs = run();
      docs.splice(3, 0, ["stop", stop({ uid: "x-2" })]);
      expect(messages(docs)).toContain("3:more than one stop in the run");
      const late = run();
      late.push(["event", event(3)]);
      expect(messages(late)).toContain("5:the last document of a run must be the stop");
      expect(messages([])).toEqual(["null:the run has no documents"]);
    });
  });

  it("uids are unique", () => {
    expect(messages(withDoc(3, "event", event(2, { uid: DESC })))).toContain(
      `3:uid "${DESC}" is already the uid of the descriptor at index 1`,
    );
    const docs = run();
    docs.splice(4, 0, ["resource", resource()], ["datum", datum("r/1")], ["datum", datum("r/1")]);
    expect(messages(docs)).toContain('6:datum_id "r/1" is already used at index 5');
  });

  describe("back-references", () => {
    it("descriptor.run_start and stop.run_start name the start", () => {
      expect(messages(withDoc(1, "descriptor", descriptor({ run_start: "other" })))).toContain(
        `1:run_start "other" is not the start uid "${START}"`,
      );
      expect(messages(withDoc(4, "stop", stop({ run_start: "other" })))).toContain(
        `4:run_start "other" is not the start uid "${START}"`,
      );
    });

    it("events and event_pages name a descriptor before them", () => {
      expect(messages(withDoc(2, "event", event(1, { descriptor: "nope" })))).toContain(
        '2:descriptor "nope" is not a descriptor of this run before it',
      );
      const page = { ...pageOf(1), descriptor: "nope" };
      expect(messages(withDoc(2, "event_page", page))).toContain(
        '2:descriptor "nope" is not a descriptor of this run before it',
      );
    });

    it("resource.run_start and datum.resource", () => {
      const docs = run();
      docs.splice(
        4,
        0,
        ["resource", resource({ run_start: "other" })],
        ["datum", datum("r/1", "q")],
      );
      expect(messages(docs)).toEqual([
        `4:run_start "other" is not the start uid "${START}"`,
        '5:resource "q" is not a resource of this run before it',
      ]);
    });

    it("stream_datum names a stream_resource and a descriptor", () => {
      const docs = run();
      const streamDatum = {
        uid: "sd-1",
        descriptor: DESC,
        stream_resource: "missing",
        indices: { start: 0, stop: 1 },
        seq_nums: { start: 1, stop: 2 },
      };
      docs.splice(4, 0, ["stream_datum", streamDatum]);
      expect(messages(docs)).toEqual([
        '4:stream_resource "missing" is not a stream_resource of this run before it',
      ]);
    });
  });

  describe("keys agree", () => {
    it("data keys equal the descriptor's data_keys", () => {
      const e = event(1);
      delete (e.data as DocRecord).det;
      delete (e.timestamps as DocRecord).det;
      expect(messages(withDoc(2, "event", e))).toEqual([
        `2:data has keys missing ["det"] compared with the descriptor's data_keys`,
      ]);
    });

    it("timestamps keys equal the data keys", () => {
      const e = event(1);
      delete (e.timestamps as DocRecord).det;
      expect(messages(withDoc(2, "event", e))).toEqual([
        `2:timestamps has keys missing ["det"] compared with data`,
      ]);
    });

    it("filled keys are data keys", () => {
      expect(messages(withDoc(2, "event", event(1, { filled: { img: false } })))).toEqual([
        '2:filled has keys not in data: ["img"]',
      ]);
    });

    it("external STREAM: keys are not expected in events", () => {
      const keys = (descriptor().data_keys as DocRecord) ?? {};
      const d = descriptor({
        data_keys: { ...keys, img: dataKey({ external: "STREAM:", shape: [2, 2] }) },
      });
      expect(messages(withDoc(1, "descriptor", d))).toEqual([]);
    });

    it("event_page columns have one length and the descriptor's keys", () => {
      const short = pageOf(1, 2);
      (short.time as number[]).pop();
      expect(messages(withDoc(2, "event_page", short).slice(0, 4))).toContain(
        "2:column time has 1 rows, uid has 2",
      );
      const missing = pageOf(1, 2);
      delete (missing.data as DocRecord).det;
      delete (missing.timestamps as DocRecord).det;
      const docs = withDoc(2, "event_page", missing);
      docs.splice(3, 1);
      expect(messages(docs)).toEqual([
        `2:row 0: data has keys missing ["det"] compared with the descriptor's data_keys`,
        `2:row 1: data has keys missing ["det"] compared with the descriptor's data_keys`,
      ]);
    });

    it("one key set per stream name", () => {
      const docs = run();
      const second = descriptor({ uid: "d-2", data_keys: { det: dataKey() } });
      docs.splice(4, 0, ["descriptor", second]);
      expect(messages(docs)).toEqual([
        `4:stream "primary" has data keys missing ["spectrum"] compared with its descriptor at index 1`,
      ]);
    });
  });

  describe("seq_num", () => {
    it("starts at 1", () => {
      const docs = run();
      docs[2] = ["event", event(2, { uid: "e-x" })];
      expect(messages(docs)).toContain('2:seq_num 2 in stream "primary", expected 1');
    });

    it("rises by 1 with no gaps, across events and pages of the stream", () => {
      const docs = run();
      docs[3] = ["event_page", pageOf(3)];
      expect(messages(docs)).toEqual(['3:row 0: seq_num 3 in stream "primary", expected 2']);
    });

    it("counts per stream name, across descriptors of one stream", () => {
      const docs = run();
      const baseline = descriptor({ uid: "d-b", name: "baseline" });
      const second = descriptor({ uid: "d-2" });
      docs.splice(
        3,
        1,
        ["descriptor", baseline],
        ["event", event(1, { uid: "b-1", descriptor: "d-b" })],
        ["descriptor", second],
        ["event", event(2, { descriptor: "d-2" })],
      );
      docs[docs.length - 1] = ["stop", stop({ num_events: { primary: 2, baseline: 1 } })];
      expect(messages(docs)).toEqual([]);
    });
  });

  describe("num_events", () => {
    it("equals the number of events per stream", () => {
      expect(messages(withDoc(4, "stop", stop({ num_events: { primary: 3 } })))).toEqual([
        '4:num_events["primary"] is 3, but the stream has 2 events',
      ]);
    });

    it("names every stream with a descriptor, even with 0 events", () => {
      const docs = run();
      docs.splice(2, 0, ["descriptor", descriptor({ uid: "d-b", name: "baseline" })]);
      expect(messages(docs)).toEqual(['5:num_events lacks stream "baseline" (0 events)']);
      const none = withDoc(4, "stop", (({ num_events: _, ...rest }) => rest)(stop()));
      expect(messages(none)).toEqual(["4:num_events is missing; it must count every stream"]);
    });

    it("names no stream without a descriptor", () => {
      expect(messages(withDoc(4, "stop", stop({ num_events: { primary: 2, b: 0 } })))).toEqual([
        '4:num_events names stream "b", which has no descriptor',
      ]);
    });
  });

  describe("data keys", () => {
    it("dtype, shape and source on every DataKey, configuration ones too", () => {
      const d = descriptor({
        configuration: {
          det: {
            data: { gain: 1 },
            timestamps: { gain: 1 },
            data_keys: { gain: { dtype: "number" } },
          },
        },
      });
      expect(messages(withDoc(1, "descriptor", d))).toEqual([
        "1:schema: /configuration/det/data_keys/gain: must have required property 'shape'",
        "1:schema: /configuration/det/data_keys/gain: must have required property 'source'",
        '1:configuration["det"].data_keys["gain"] lacks shape, source',
      ]);
    });

    it("shape agrees with the values", () => {
      const e1 = event(1, { data: { det: [1], spectrum: [1, 2, 3] } });
      const e2 = event(2, { data: { det: 1, spectrum: [1, 2] } });
      const docs = run();
      docs[2] = ["event", e1];
      docs[3] = ["event", e2];
      expect(messages(docs)).toEqual([
        '2:data["det"] is an array of 1, not a scalar (shape [])',
        '3:data["spectrum"] has length 2 in dimension 0, not 3 (shape [3])',
      ]);
      const nested = run();
      nested[2] = ["event", event(1, { data: { det: 1, spectrum: [[1], [2], [3]] } })];
      expect(messages(nested)).toEqual([
        '2:data["spectrum"] has more than 1 dimensions (shape [3])',
      ]);
    });

    it("a None reading fits any shape, as it fits a scalar", () => {
      const docs = run();
      docs[2] = ["event", event(1, { data: { det: null, spectrum: null } })];
      expect(messages(docs)).toEqual([]);
    });

    it("time, seq_num and ts_* are reserved", () => {
      const d = descriptor({
        data_keys: { time: dataKey(), seq_num: dataKey(), ts_det: dataKey() },
      });
      const problems = messages(withDoc(1, "descriptor", d)).filter((m) => m.startsWith("1:"));
      expect(problems).toEqual(
        ["time", "seq_num", "ts_det"].map(
          (key) =>
            `1:data key "${key}" is reserved (time, seq_num and ts_* clash with TiledWriter's columns)`,
        ),
      );
    });
  });

  describe("times", () => {
    it("start.time <= descriptor.time", () => {
      expect(messages(withDoc(1, "descriptor", descriptor({ time: 99 })))).toEqual([
        "1:time 99 is before the start time 100",
      ]);
    });

    it("descriptor.time <= its events' times", () => {
      expect(messages(withDoc(2, "event", event(1, { time: 100.25 })))).toEqual([
        "2:time 100.25 is before its descriptor's time 100.5",
      ]);
    });

    it("event times <= stop.time", () => {
      expect(messages(withDoc(3, "event", event(2, { time: 120 })))).toEqual([
        "3:time 120 is after the stop time 110",
      ]);
      expect(messages(withDoc(4, "stop", stop({ time: 50 })))).toEqual([
        "4:time 50 is before the start time 100",
        "1:time 100.5 is after the stop time 50",
        "2:time 101.5 is after the stop time 50",
        "3:time 102.5 is after the stop time 50",
      ]);
    });

    it("event times do not decrease within a stream", () => {
      expect(messages(withDoc(3, "event", event(2, { time: 101 })))).toEqual([
        '3:time 101 is before the previous event time 101.5 of stream "primary"',
      ]);
    });

    it("NaN times are not compared", () => {
      const docs = run();
      docs[2] = ["event", event(1, { time: Number.NaN })];
      docs[4] = ["stop", stop({ time: Number.NaN })];
      expect(messages(docs)).toEqual([]);
    });
  });
});

function pageOf(...seqs: number[]): DocRecord {
  const events = seqs.map((seq) => event(seq));
  return {
    time: events.map((e) => e.time as number),
    uid: events.map((e) => e.uid as string),
    seq_num: seqs,
    descriptor: DESC,
    filled: {},
    data: {
      det: events.map((e) => (e.data as DocRecord).det as number),
      spectrum: events.map((e) => (e.data as DocRecord).spectrum as number[]),
    },
    timestamps: {
      det: events.map((e) => (e.timestamps as DocRecord).det as number),
      spectrum: events.map((e) => (e.timestamps as DocRecord).spectrum as number),
    },
  };
}

function resource(extra: DocRecord = {}): DocRecord {
  return {
    uid: "r",
    spec: "AD_HDF5",
    root: "/",
    resource_path: "data/x.h5",
    resource_kwargs: {},
    run_start: START,
    ...extra,
  };
}

function datum(id: string, resourceUid = "r"): DocRecord {
  return { datum_id: id, resource: resourceUid, datum_kwargs: { point_number: 0 } };
}

// --- splitRuns ----------------------------------------------------------------------------------

describe("splitRuns", () => {
  it("starts a run at each start; documents before the first start form their own run", () => {
    const a = run();
    const b = run();
    expect(splitRuns([...a, ...b])).toEqual([a, b]);
    expect(splitRuns([["stop", stop()], ...a]).map((r) => r.length)).toEqual([1, 5]);
    expect(splitRuns([])).toEqual([]);
  });
});

// --- reference streams --------------------------------------------------------------------------

/**
 * The problems real reference streams have, by `<stream>#<start uid>`. Every other run of
 * every reference stream validates without a problem.
 */
const KNOWN_PROBLEMS: Record<string, RunProblem[]> = {
  // A count whose stop says primary: 1 but which has no descriptor and no event (databroker
  // catalog dump; apstools' SPEC writer appends its end comments to the previous scan).
  "apstools/streams/apstools-catalog.json.gz#3e89a55c-d972-4271-a2b7-4e5d8bf74dab": [
    {
      index: 1,
      name: "stop",
      message: 'num_events names stream "primary", which has no descriptor',
    },
  ],
  // A run that was never closed: start and descriptor, no events, no stop.
  "apstools/streams/apstools-catalog.json.gz#49dce8d9-8d52-4fe1-9d3b-8a72fce273c3": [
    { index: null, name: null, message: "the run has no stop document" },
  ],
  // Synthetic edge case: scan_id None (the SPEC writer writes #S 1).
  "synthetic/streams/syn-session.json#33333333-aaaa-4bbb-8ccc-000000000003": [
    { index: 0, name: "start", message: "schema: /scan_id: must be integer" },
  ],
  // Synthetic edge cases for the SPEC writer: arrays of the wrong length, a missing key.
  "synthetic/streams/syn-values.json#11111111-aaaa-4bbb-8ccc-000000000001": [
    {
      index: 4,
      name: "event",
      message: 'data["arr"] has length 0 in dimension 0, not 3 (shape [3])',
    },
    {
      index: 5,
      name: "event",
      message: `data has keys missing ["m1_setpoint"] compared with the descriptor's data_keys`,
    },
    {
      index: 5,
      name: "event",
      message: 'data["arr"] has length 2 in dimension 0, not 3 (shape [3])',
    },
  ],
};

describe("reference streams", () => {
  it.each(referenceStreams())("%s: every run validates, but for the known problems", (stream) => {
    const runs = splitRuns(readDocumentsFile(referencePath(stream)));
    expect(runs.length).toBeGreaterThan(0);
    for (const docs of runs) {
      const key = `${stream}#${String(docs[0]?.[1].uid)}`;
      expect({ key, problems: validator.validateRun(docs) }).toEqual({
        key,
        problems: KNOWN_PROBLEMS[key] ?? [],
      });
    }
  });

  it("knows the problems of real runs only", () => {
    const keys = new Set(
      referenceStreams().flatMap((stream) =>
        splitRuns(readDocumentsFile(referencePath(stream))).map(
          (docs) => `${stream}#${String(docs[0]?.[1].uid)}`,
        ),
      ),
    );
    for (const key of Object.keys(KNOWN_PROBLEMS)) expect(keys).toContain(key);
  });
});

// --- schemas from disk --------------------------------------------------------------------------

describe("loadEventModelSchemas", () => {
  const dir = mkdtempSync(join(tmpdir(), "specx-schemas-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the 12 schemas", () => {
    expect(Object.keys(schemas).sort()).toEqual([...EVENT_MODEL_SCHEMA_NAMES].sort());
  });

  it("names a missing directory", () => {
    const missing = join(dir, "nowhere");
    expect(() => loadEventModelSchemas(missing)).toThrow(
      `event-model schemas: directory ${missing} does not exist`,
    );
  });

  it("names the missing files", () => {
    writeFileSync(join(dir, "run_start.json"), "{}");
    expect(() => loadEventModelSchemas(dir)).toThrow(
      `event-model schemas: directory ${dir} lacks event_descriptor.json, event.json, event_page.json, run_stop.json,`,
    );
  });

  it("the tests' schema folder honours SPECX_EVENT_MODEL_SCHEMAS", () => {
    const saved = process.env.SPECX_EVENT_MODEL_SCHEMAS;
    try {
      process.env.SPECX_EVENT_MODEL_SCHEMAS = dir;
      expect(eventModelSchemasDir()).toBe(dir);
      expect(() => loadEventModelSchemas(eventModelSchemasDir())).toThrow(`directory ${dir} lacks`);
    } finally {
      if (saved === undefined) delete process.env.SPECX_EVENT_MODEL_SCHEMAS;
      else process.env.SPECX_EVENT_MODEL_SCHEMAS = saved;
    }
  });

  it("createValidator names missing schemas", () => {
    const { event: _, datum: __, ...rest } = schemas;
    expect(() => createValidator(rest)).toThrow(
      "createValidator: missing event-model schemas: event, datum",
    );
  });
});
