/** SPEC scans → event-model documents: uids, keys, times, streams, and the start of plain scans. */

import { createHash } from "node:crypto";
import { fc, test as property } from "@fast-check/vitest";
import {
  type DocRecord,
  type DocValue,
  type NamedDocument,
  PyFloat,
  PyTuple,
  toNumber,
} from "@specx/documents";
import { parse, type SpecFile } from "@specx/spec-parser";
import { cachedByName, corpusBytes, referenceBytes } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { fileToRuns, runsOf, scanToDocuments } from "../src/index.js";
import { SPECX_NAMESPACE, sha1Hex, uuid5 } from "../src/uuid.js";

/** A corpus file, parsed once however many tests read it. */
const parsed = cachedByName((name): SpecFile => parse(corpusBytes(name)));
function run(name: string, key: string): NamedDocument[] {
  const file = parsed(name);
  const scan = file.scan(key);
  if (!scan) throw new Error(`no scan ${key}`);
  return scanToDocuments(file, scan);
}
const docs = (documents: NamedDocument[], name: string) =>
  documents.filter(([n]) => n === name).map(([, d]) => d as DocRecord);
const dataOf = (doc: DocRecord | undefined) => (doc?.data ?? {}) as DocRecord;
const keysOf = (doc: DocRecord | undefined) => (doc?.data_keys ?? {}) as DocRecord;
const stream = (documents: NamedDocument[], streamName: string) => {
  const descriptor = docs(documents, "descriptor").find((d) => d.name === streamName);
  return {
    descriptor,
    events: docs(documents, "event").filter((e) => e.descriptor === descriptor?.uid),
  };
};

describe("uids", () => {
  test("SHA-1 and UUIDv5 agree with Python's hashlib and uuid", () => {
    // python3 -c "import hashlib; print(hashlib.sha1(b'abc'*100).hexdigest())"
    expect(sha1Hex(new TextEncoder().encode("abc".repeat(100)))).toBe(
      "c95466320eaae6d19ee314ae4f135b12d45ced9a",
    );
    // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('c1a43f9e-5f2d-5d4e-9a7b-3e8f0b6a2d11'), 'hello'))"
    expect(uuid5("hello")).toBe("7dc5873a-d9c3-5300-a102-fff97926871c");
  });

  property.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 500 })(
    "SHA-1 agrees with Node's crypto on any bytes (every tail length, one block or two)",
    (bytes) => {
      expect(sha1Hex(bytes)).toBe(createHash("sha1").update(bytes).digest("hex"));
    },
  );

  test("SHA-1 agrees with Node's crypto on a scan-sized text and at every padding edge", () => {
    const big = new Uint8Array(3 * 2 ** 20 + 17).map((_, i) => (i * 7919) % 251);
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, big.length]) {
      const bytes = big.subarray(0, length);
      expect(sha1Hex(bytes), `length ${length}`).toBe(
        createHash("sha1").update(bytes).digest("hex"),
      );
    }
  });

  property.prop([fc.string({ unit: "binary", maxLength: 400 })], { numRuns: 300 })(
    "UUIDv5 of any name is RFC 9562's, computed with Node's crypto",
    (name) => {
      const namespace = Buffer.from(SPECX_NAMESPACE.replaceAll("-", ""), "hex");
      const hash = createHash("sha1").update(namespace).update(name, "utf8").digest();
      hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
      hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
      const hex = hash.subarray(0, 16).toString("hex");
      const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      expect(uuid5(name)).toBe(expected);
    },
  );

  test("UUIDv5 agrees with Python's uuid in another namespace, and back in specx's", () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'https://specx.example/é'))"
    expect(uuid5("https://specx.example/é", "6ba7b811-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "30dbee90-d154-5583-8bbc-a1d2bcebaada",
    );
    expect(uuid5("hello")).toBe("7dc5873a-d9c3-5300-a102-fff97926871c");
  });

  test("converting twice gives the same uids; different scans get different ones", () => {
    const a = run("lmn40.spe", "8.1");
    const b = run("lmn40.spe", "8.1");
    expect(a.map(([, d]) => (d as DocRecord).uid)).toEqual(b.map(([, d]) => (d as DocRecord).uid));
    expect(docs(run("lmn40.spe", "9.1"), "start")[0]?.uid).not.toBe(docs(a, "start")[0]?.uid);
  });

  test("a bluesky-written scan keeps its own uid", () => {
    const start = docs(run("20220311-161530.dat", "2.1"), "start")[0];
    const uidLine = parsed("20220311-161530.dat")
      .scan("2.1")
      ?.comments.find((c) => c.text.includes("uid ="));
    expect(uidLine?.text.endsWith(`uid = ${start?.uid}`)).toBe(true);
  });
});

describe("plain SPEC scans", () => {
  test("start: plan from the macro, motors and detector as data keys, plot hints", () => {
    const start = docs(run("lmn40.spe", "8.1"), "start")[0] as DocRecord;
    expect(start).toMatchObject({
      scan_id: 8,
      plan_name: "ascan",
      plan_args: {
        motors: ["tth"],
        starts: [22.0685],
        stops: [22.1685],
        intervals: 25,
        count_time: 1,
      },
      num_points: 26,
      motors: ["Two_Theta"],
      detectors: ["NaI"],
      hints: { dimensions: [[["Two_Theta"], "primary"]] },
    });
    const mesh = docs(run("33bm_spec.dat", "17.1"), "start")[0] as DocRecord;
    expect(mesh.num_points).toBe(101 * 101);
  });

  test("labels become data keys without . / or blanks; the label is kept; aliases for repeats", () => {
    const { descriptor } = stream(run("issue119_data.txt", "39.1"), "primary");
    const keys = keysOf(descriptor);
    expect(Object.keys(keys)).toContain("USAXS_m2rp");
    expect((keys.USAXS_m2rp as DocRecord).spec_label).toBe("USAXS.m2rp");
    const id = keysOf(stream(run("33id_spec.dat", "1.1"), "primary").descriptor);
    expect(Object.keys(id).filter((k) => k === "I0" || k === "I0_1")).toEqual(["I0", "I0_1"]);
    expect([(id.I0 as DocRecord).spec_label, (id.I0_1 as DocRecord).spec_label]).toEqual([
      "I0",
      "I0",
    ]);
  });

  test("event times: #E + Epoch, never before the start, never decreasing", () => {
    const documents = run("33id_spec.dat", "1.1");
    const start = docs(documents, "start")[0] as DocRecord;
    const { events } = stream(documents, "primary");
    const epoch = parsed("33id_spec.dat").headers[0]?.epoch as number;
    expect(Number(events[0]?.time)).toBe(epoch + 54);
    const times = events.map((e) => Number(e.time));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
    expect(Number(start.time)).toBeLessThanOrEqual(times[0] as number);
    expect(start.time).toBeInstanceOf(PyFloat); // a whole second, still a float for Python
  });

  test("#O/#P give a label_start_motor stream with one event", () => {
    const { descriptor, events } = stream(run("33bm_spec.dat", "17.1"), "label_start_motor");
    expect(Object.keys(keysOf(descriptor)).length).toBe(22);
    expect(events.length).toBe(1);
    const labels = Object.values(keysOf(descriptor)).map((k) => (k as DocRecord).spec_label);
    expect(labels).toContain("2-theta");
    const key = Object.keys(keysOf(descriptor))[labels.indexOf("2-theta")] as string;
    expect(toNumber(dataOf(events[0])[key])).toBe(67.78225);
  });

  test("an aborted scan stops with exit_status abort and the abort comment as reason", () => {
    const stop = docs(run("issue82_data.txt", "17.1"), "stop")[0] as DocRecord;
    expect(stop.exit_status).toBe("abort");
    expect(stop.reason).toMatch(/Scan aborted after 92 points\.$/);
    expect(stop.num_events).toEqual({ label_start_motor: 1, primary: 92 });
  });
});

describe("MCA", () => {
  test("33id 1.1: 41 spectra for 41 rows become an array data key of 91 channels", () => {
    const { descriptor, events } = stream(run("33id_spec.dat", "1.1"), "primary");
    expect(keysOf(descriptor).mca).toMatchObject({
      dtype: "array",
      shape: [91],
      dtype_numpy: "<i8",
    });
    expect((dataOf(events[0]).mca as DocValue[]).length).toBe(91);
  });

  test("33id 26.1: 124 spectra for 121 rows go to an mca stream of their own", () => {
    const documents = run("33id_spec.dat", "26.1");
    expect(stream(documents, "mca").events.length).toBe(124);
    expect(stream(documents, "primary").events.length).toBe(121);
    expect((docs(documents, "stop")[0] as DocRecord).num_events).toEqual({
      label_start_motor: 1,
      primary: 121,
      mca: 124,
    });
  });
});

describe("bluesky-written files", () => {
  test("#MD values keep Python's types; Epoch columns become event times", () => {
    const documents = run("usaxs-bluesky-specwritercallback.dat", "2.1");
    const { descriptor } = stream(documents, "primary");
    expect(Object.keys(keysOf(descriptor))).not.toContain("Epoch_float");
    const start = docs(documents, "start")[0] as DocRecord;
    expect(typeof start.num_points === "number" || start.num_points === undefined).toBe(true);
  });

  test("runsOf makes each run when asked, not the file's runs at once", () => {
    const file = parse(corpusBytes("lmn40.spe"));
    const read: number[] = [];
    const scanAt = file.scanAt.bind(file);
    file.scanAt = ((index: number, options?: Parameters<typeof scanAt>[1]) => {
      read.push(index);
      return scanAt(index, options);
    }) as typeof file.scanAt;
    const runs = runsOf(file);
    const first = runs.next();
    expect(first.done).toBe(false);
    // The first run is given once the block after it is known not to extend it.
    expect(read).toEqual([0, 1]);
    const rest = [...runs];
    expect(read.length).toBe(file.scanCount);
    expect([first.value, ...rest].map((r) => r?.key)).toEqual(
      fileToRuns(parse(corpusBytes("lmn40.spe"))).map((r) => r.key),
    );
  });

  test("fileToRuns keeps file order and covers every scan", () => {
    const runs = fileToRuns(parsed("CdOsO"));
    expect(runs.map((r) => r.key)).toEqual(parsed("CdOsO").scanEntries.map((e) => e.key));
  });
});

describe("apstools v1 (SpecWriterCallback) files", () => {
  const only = (file: SpecFile) => fileToRuns(file, { provenance: false })[0]?.documents ?? [];

  test("plan_type, plan_name and plan_args come back from the comment and the #S command", () => {
    const documents = only(parse(referenceBytes("synthetic/v1/syn-values.spec")));
    const start = docs(documents, "start")[0] as DocRecord;
    expect(start.uid).toBe("11111111-aaaa-4bbb-8ccc-000000000001");
    expect(start.plan_type).toBe("generator");
    expect(start.plan_name).toBe("scan");
    const planArgs = start.plan_args as DocRecord;
    expect(planArgs.note).toBe('it\'s "quoted"\tand\ttabbed');
    expect(planArgs.nested).toEqual({ a: [1, 2.5, null, true], b: "x" });
    expect(planArgs.args).toEqual(["Device(name='m1')", -1, 1]);
    expect(start.comment).toBe("line one\nline two");
  });

  test("list and None cells are read whole; #U <row> <label> <value> restores strings", () => {
    const documents = only(parse(referenceBytes("synthetic/v1/syn-values.spec")));
    const events = stream(documents, "primary").events;
    expect(events.map((e) => dataOf(e).arr)).toEqual([
      [1, 2, 3],
      [4.5, 5.5, 6.5],
      [],
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(events.map((e) => dataOf(e).label)).toEqual(["alpha", "two words", null, ""]);
    expect(events.map((e) => dataOf(e).flag)).toEqual([true, false, true, false]);
    expect(events.map((e) => dataOf(e).counts)).toEqual([9007199254740991, 0, -7, 3]);
    // Epoch_float is the time since the start, in full precision.
    const start = docs(documents, "start")[0] as DocRecord;
    expect(events.map((e) => Number(e.time) - Number(start.time))).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  test("the detectors that end the row are the hinted ones", () => {
    const documents = only(parse(referenceBytes("apstools/v1/uid-3ab777ae.spec")));
    const { descriptor } = stream(documents, "primary");
    expect(descriptor?.hints).toEqual({ I0: { fields: ["I0"] }, scaler1: { fields: ["scaler1"] } });
  });

  test("a Python tuple in #MD stays a tuple (an array to JSON)", () => {
    const runs = fileToRuns(parsed("05_02_test.dat"), { provenance: false });
    const motors = runs
      .map((r) => (docs(r.documents, "start")[0] as DocRecord).motors)
      .find((m) => m !== undefined);
    expect(motors).toBeInstanceOf(PyTuple);
    expect(Array.isArray(motors)).toBe(true);
    expect(JSON.stringify(motors)).toBe('["a_stage_r"]');
  });

  test("a scan without #L has no primary stream", () => {
    const file = parsed("20220311-161530.dat");
    const scan = file.scanAt(2);
    expect(scan?.labels).toEqual([]);
    const documents = scanToDocuments(file, scan as NonNullable<typeof scan>);
    expect(docs(documents, "descriptor").some((d) => d.name === "primary")).toBe(false);
  });
});

describe("rows after a header that cuts a bluesky scan", () => {
  test("rows of another width than the run's columns are not made events of the run", () => {
    // Found by the fuzz campaign: the rows after `#E` were read as (Epoch, Epoch_float, …) and
    // gave an event with no data keys, which the event-model rules refuse.
    const file = parse("#S 1 ascan  th 0 1  2 1\n1 2\n#MD a = 1\n#E\n1 2\n");
    const [run] = fileToRuns(file, { provenance: false });
    const events = run?.documents.filter(([name]) => name === "event") ?? [];
    expect(events.map(([, doc]) => doc.data)).toEqual([{ col1: 1, col2: 2 }]);
  });
});

describe("apstools v1 cells", () => {
  const v1 = (cells: string[]) =>
    parse(
      [
        "#F v1.spec",
        "#E 1528819322",
        "#D Tue Jun 12 10:02:02 2018",
        "#C Bluesky  user = u  host = h",
        "",
        "#S 2  scan(detectors=['roi'], num=3)",
        "#D Tue Jun 12 10:02:19 2018",
        "#C Tue Jun 12 10:02:19 2018.  plan_type = generator",
        "#N 3",
        "#L Epoch_float  Epoch  roi",
        ...cells.map((cell, i) => `${i + 0.5} ${i + 1} ${cell}`),
        "",
      ].join("\n"),
    );
  const roi = (file: SpecFile) => {
    const { descriptor, events } = stream(
      scanToDocuments(file, file.scanAt(0) as never),
      "primary",
    );
    return { key: keysOf(descriptor).roi as DocRecord, values: events.map((e) => dataOf(e).roi) };
  };

  test("a column of lists and None is an array column; None stays None", () => {
    const { key, values } = roi(v1(["None", "[1, 2, 3]", "[4, 5, 6]"]));
    expect(key).toMatchObject({ dtype: "array", shape: [3] });
    expect(values).toEqual([null, [1, 2, 3], [4, 5, 6]]);
  });

  test("a column of lists and other values keeps each cell's value", () => {
    // No DataKey shape fits such a column, as none fitted the stream apstools wrote it from; the
    // values come back as written, so that SPEC -> documents -> SPEC gives the same bytes.
    const { values } = roi(v1(["'damaged'", "[1, 2, 3]", "False"]));
    expect(values).toEqual(["damaged", [1, 2, 3], false]);
  });
});
