/**
 * Round trips between documents and SPEC (issue 4):
 * (a) reference document streams → SPEC → documents keep what SPEC can hold;
 * (b) every bluesky-written SPEC file (apstools v2 and v1, suitcase-specfile; reference and
 *     corpus) → documents → SPEC gives the same bytes;
 * (c) the same, for generated runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import {
  type DocRecord,
  type DocValue,
  type NamedDocument,
  PyFloat,
  splitRuns,
  toNumber,
} from "@specx/documents";
import { loadEventModelSchemas, readDocumentsFile } from "@specx/documents/node";
import { createValidator } from "@specx/documents/validate";
import { parse, type SpecFile, scanWriter } from "@specx/spec-parser";
import {
  createSpecWriter,
  type Flavor,
  render13,
  type SpecWriterOptions,
} from "@specx/spec-writer";
import {
  corpusNames,
  corpusPath,
  eventModelSchemasDir,
  referencePath as reference,
} from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { fileToRuns, rewriteSpecFile } from "../src/index.js";

function writeSpec(documents: NamedDocument[], options: SpecWriterOptions): string {
  let text = "";
  const writer = createSpecWriter({ write: (chunk) => (text += chunk) }, options);
  for (const [name, doc] of documents) writer.receive(name, doc as DocRecord);
  return text;
}

function documentsOf(file: SpecFile): NamedDocument[][] {
  return fileToRuns(file, { provenance: false }).map((run) => run.documents);
}

/** SPEC → documents → SPEC with the settings of the file's own header. */
function rewrite(text: string): string {
  let out = "";
  rewriteSpecFile(
    parse(text),
    { write: (chunk) => (out += chunk) },
    { user: "testuser", host: "testhost" },
  );
  return out;
}

const byName = (docs: NamedDocument[], name: string) =>
  docs.filter(([n]) => n === name).map(([, d]) => d as DocRecord);
const descriptorNamed = (docs: NamedDocument[], stream: string) =>
  byName(docs, "descriptor").find((d) => d.name === stream);
const eventsOf = (docs: NamedDocument[], stream: string) => {
  const uids = new Set(
    byName(docs, "descriptor")
      .filter((d) => d.name === stream)
      .map((d) => d.uid),
  );
  const events = byName(docs, "event").filter((e) => uids.has(e.descriptor as string));
  const pages = byName(docs, "event_page").filter((p) => uids.has(p.descriptor as string));
  return events.length > 0
    ? events
    : pages.flatMap((page) =>
        (page.seq_num as number[]).map((seq, i) => ({
          seq_num: seq,
          data: Object.fromEntries(
            Object.entries(page.data as DocRecord).map(([k, v]) => [
              k,
              (v as DocValue[])[i] as DocValue,
            ]),
          ),
        })),
      );
};

/** A value as SPEC gives it back: numbers at 13 significant digits, -0 as 0, other values as they were. */
function throughSpec(value: DocValue | undefined): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "string" || value === null) return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || value instanceof PyFloat) {
    const x = toNumber(value) as number;
    return Number.isInteger(x) && !(value instanceof PyFloat)
      ? x
      : Number.isFinite(x)
        ? Number(render13(x)) || 0
        : x;
  }
  if (Array.isArray(value)) return value.map(throughSpec);
  return value;
}

const streams = [
  "apstools/streams/uid-219cc7b4.json",
  "apstools/streams/uid-34c84a1b.json",
  "apstools/streams/uid-3ab777ae.json",
  "apstools/streams/uid-b31e8698.json",
  "apstools/streams/uid-f05b6684.json",
  "apstools/streams/hklpy-26aac337.json",
  "apstools/streams/hklpy-7ab721bd.json",
  "apstools/streams/440-624e776a.json",
  "apstools/streams/440-624e776a.msgpack",
  "apstools/streams/440-624e776a-unpacked.json",
  "apstools/streams/apstools-catalog.json.gz",
  "apstools/streams/usaxs-catalog.json.gz",
  "synthetic/streams/syn-values.json",
  "synthetic/streams/syn-nan.json",
  "synthetic/streams/syn-session.json",
  "suitcase/documents/count_1.jsonl",
  "suitcase/documents/count_3.jsonl",
  "suitcase/documents/rel_scan.jsonl",
  "suitcase/documents/scan.jsonl",
];

describe("(a) documents → SPEC → documents", () => {
  test.each(streams)(
    "%s keeps uid, scan_id, plan_name, metadata, columns, values, seq_num, exit status, counts",
    (path) => {
      const runs = splitRuns(readDocumentsFile(reference(path)));
      const text = writeSpec(runs.flat(), {
        fileName: "rt.spec",
        timeZone: "UTC",
        identity: { user: "u", host: "h" },
      });
      const back = parse(text);
      const backRuns = documentsOf(back);
      // Only runs that reached SPEC as a scan: a primary stream, and a stop or at least a primary event.
      const written = runs.filter(
        (run) =>
          descriptorNamed(run, "primary") &&
          (byName(run, "stop").length > 0 || eventsOf(run, "primary").length > 0),
      );
      const uids = backRuns.map((run) => byName(run, "start")[0]?.uid);
      for (const run of written) {
        const start = byName(run, "start")[0] as DocRecord;
        const backRun = backRuns.find((r) => byName(r, "start")[0]?.uid === start.uid);
        expect(backRun, `run ${start.uid} comes back`).toBeDefined();
        if (!backRun) continue;
        const backStart = byName(backRun, "start")[0] as DocRecord;
        expect(backStart.scan_id).toBe(toNumber(start.scan_id) || 1);
        for (const [key, value] of Object.entries(start)) {
          if (key === "uid" || key === "time" || key === "scan_id") continue;
          // str() loses the quotes of strings that look like other literals
          // (docs/documents.md §7.1).
          if (typeof value === "string" && typeof backStart[key] !== "string") continue;
          if (typeof value === "string" && /[\r\n]/.test(value)) continue;
          expect(JSON.stringify(throughSpec(backStart[key] as DocValue))).toBe(
            JSON.stringify(throughSpec(value)),
          );
        }
        const originalEvents = eventsOf(run, "primary");
        const backEvents = eventsOf(backRun, "primary");
        // A run whose primary stream was re-described mid-run is split by apstools into two #S blocks.
        if (byName(run, "descriptor").filter((d) => d.name === "primary").length > 1) continue;
        expect(backEvents.map((e) => e.seq_num)).toEqual(originalEvents.map((_, i) => i + 1));
        const backKeys = descriptorNamed(backRun, "primary")?.data_keys as DocRecord;
        const labels = Object.values(backKeys).map((k) => (k as DocRecord).spec_label);
        for (const key of Object.keys(descriptorNamed(run, "primary")?.data_keys as DocRecord))
          expect(labels).toContain(key);
        originalEvents.forEach((event, i) => {
          const backData = backEvents[i]?.data as DocRecord;
          for (const [key, value] of Object.entries(event.data as DocRecord)) {
            const backKey = Object.keys(backKeys).find(
              (k) => (backKeys[k] as DocRecord).spec_label === key,
            ) as string;
            expect(throughSpec(backData[backKey])).toEqual(throughSpec(value));
          }
        });
        const stop = byName(run, "stop")[0];
        const backStop = byName(backRun, "stop")[0] as DocRecord;
        if (stop) {
          expect(backStop.exit_status).toBe(stop.exit_status);
          expect(backStop.spec_num_events).toEqual(stop.num_events);
        }
      }
      expect(new Set(uids).size).toBeGreaterThan(0);
      // The first run's start time is exact: the file header's #E holds it.
      const firstStart = byName(runs[0] as NamedDocument[], "start")[0] as DocRecord;
      const backFirst = backRuns
        .map((r) => byName(r, "start")[0] as DocRecord)
        .find((d) => d.uid === firstStart.uid);
      if (backFirst) expect(Number(backFirst.time)).toBe(Number(firstStart.time));
    },
  );
});

const validator = createValidator(loadEventModelSchemas(eventModelSchemasDir()));
/** Outputs written from the synthetic syn-values stream (alone or in API sequences). */
const FROM_SYN_VALUES = /synthetic\/v[12]\/(syn-values|api-[a-z0-9-]+)\.spec$/;

/** Every SPEC file in the writer reference: apstools v2 and v1, and suitcase-specfile. */
const referenceOutputs = [
  "apstools/v1",
  "apstools/v2",
  "synthetic/v1",
  "synthetic/v2",
  "suitcase/expected",
].flatMap((folder) =>
  readdirSync(reference(folder))
    .filter((name) => name.endsWith(".spec"))
    .sort()
    .map((name) => `${folder}/${name}`),
);

/** Corpus files with a scan written by bluesky (found by reading them, not by name). */
const corpusBluesky = corpusNames()
  .filter((name) => {
    const file = parse(readFileSync(corpusPath(name)));
    return Array.from({ length: file.scanCount }, (_, i) => file.scanAt(i)).some(
      (scan) => scan !== undefined && scan !== null && scanWriter(scan) !== "spec",
    );
  })
  .sort();

/**
 * Corpus lines no writer made, which cannot come back from documents (both files are spec2nexus
 * test data edited by hand): the line as it is, and what comes back instead (null: nothing).
 */
const HAND_EDITED: Record<string, { line: number; text: string; back: string | null }> = {
  "usaxs-bluesky-specwritercallback.dat": {
    line: 23,
    text: "#MD badly-formed MD control line",
    back: null,
  },
  // apstools writes the same names to #O and #o; here #o0 holds a SPEC mnemonic instead.
  "issue196_data2.txt": { line: 5, text: "#O0 m_stage_r", back: "#O0 mr" },
};

/**
 * Historic apstools outputs in the documentation, kept as published (trailing blanks stripped by
 * the repository's hooks). Five come from writers older than 1.1 that put the Epoch columns
 * where an unordered Python set left them; their other lines must still come back.
 */
const docsExamples = readdirSync(reference("apstools/docs-examples")).sort();
const HISTORIC_COLUMN_ORDER = new Set([
  "resources-demo_specdata.dat",
  "resources-spec2.dat",
  "resources-spec3.dat",
  "resources-spec_databroker.dat",
  "resources-spec_tunes.dat",
]);
const stripTrailingBlanks = (text: string) => text.replace(/[ \t]+$/gm, "");

describe("(b) SPEC → documents → SPEC", () => {
  test("the corpus's bluesky-written files are found by reading them", () => {
    expect(corpusBluesky).toEqual([
      "05_02_test.dat",
      "20220311-161530.dat",
      "issue196_data.txt",
      "issue196_data2.txt",
      "usaxs-bluesky-specwritercallback.dat",
    ]);
  });

  test.each(referenceOutputs)("%s comes back byte for byte", (path) => {
    const text = readFileSync(reference(path), "utf8");
    expect(rewrite(text)).toBe(text);
  });

  test.each(corpusBluesky)("corpus %s comes back byte for byte", (name) => {
    const text = readFileSync(corpusPath(name), "utf8");
    const edited = HAND_EDITED[name];
    if (!edited) {
      expect(rewrite(text)).toBe(text);
      return;
    }
    // Every line but the hand-made one comes back.
    const lines = text.split("\n");
    expect(lines[edited.line - 1]).toBe(edited.text);
    lines.splice(edited.line - 1, 1, ...(edited.back === null ? [] : [edited.back]));
    expect(rewrite(text)).toBe(lines.join("\n"));
  });

  test.each([
    ...referenceOutputs.map((path) => reference(path)),
    ...corpusBluesky.map((name) => corpusPath(name)),
  ])("the documents read from %s pass the schemas and the run rules", async (path) => {
    const runs = fileToRuns(parse(readFileSync(path)), { provenance: false });
    expect(runs.length).toBeGreaterThan(0);
    const problems = runs.flatMap((run) =>
      validator.validateRun(run.documents).map((p) => `${run.key}: ${p.message}`),
    );
    if (!FROM_SYN_VALUES.test(path)) {
      expect(problems).toEqual([]);
      return;
    }
    // syn-values' `arr` holds [1, 2, 3], [] and [[1, 2], [3, 4]]: no shape fits all, and the
    // stream's own descriptor (shape [3]) fails the same rule. Nothing else may be wrong.
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/data\["arr"\] has more than 1 dim/);
    const source = splitRuns(
      await readDocumentsFile(reference("synthetic/streams/syn-values.json")),
    );
    const sourceProblems = source.flatMap((run) => validator.validateRun(run));
    expect(sourceProblems.map((p) => p.message).join("\n")).toMatch(/data\["arr"\]/);
  });

  test.each(docsExamples)("historic apstools output %s comes back", (name) => {
    const text = stripTrailingBlanks(
      readFileSync(reference(`apstools/docs-examples/${name}`), "utf8"),
    );
    const back = stripTrailingBlanks(rewrite(text));
    if (!HISTORIC_COLUMN_ORDER.has(name)) {
      expect(back).toBe(text);
      return;
    }
    // Columns come back in today's v1 order, end comments in today's order; every control line
    // but #L comes back.
    const controls = (t: string) =>
      t
        .split("\n")
        .filter((l) => l.startsWith("#") && !l.startsWith("#L"))
        .sort();
    expect(back).not.toBe(text);
    expect(controls(back)).toEqual(controls(text));
    expect(back.split("\n").length).toBe(text.split("\n").length);
  });
});

describe("(c) generated runs", () => {
  test.each<[Flavor, (value: DocValue | undefined) => unknown]>([
    ["apstools", throughSpec],
    // v1 and suitcase write full repr: values come back exactly.
    ["apstools-v1", (value) => value ?? null],
    ["suitcase", (value) => value ?? null],
  ])(
    "%s: documents → SPEC → documents → SPEC is stable, and values survive",
    async (flavor, expected) => {
      const { fc } = await import("@fast-check/vitest");
      const number = fc.oneof(
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .map((x) => (Number.isInteger(x) ? new PyFloat(x) : x)),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.boolean(),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      );
      // suitcase writes every value raw into the row: only numbers and booleans keep the columns.
      const value =
        flavor === "suitcase"
          ? number
          : fc.oneof(
              fc
                .double({ noNaN: true, noDefaultInfinity: true })
                .map((x) => (Number.isInteger(x) ? new PyFloat(x) : x)),
              fc.integer({ min: -1e9, max: 1e9 }),
              fc.boolean(),
              fc.stringMatching(/^[a-z][a-z ]{0,8}$/),
              fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null),
              fc.array(fc.integer({ min: -99, max: 99 }), { maxLength: 3 }),
            );
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 99 }),
          (detectors, rows, scanId) => {
            const start: DocRecord = {
              uid: "11111111-2222-4333-8444-555555555555",
              time: 1700000000.5,
              scan_id: scanId,
              plan_name: "count",
              plan_type: "generator",
              detectors,
              plan_args: { detectors, num: rows.length },
            };
            const keys = Object.fromEntries(
              detectors.map((d) => [d, { dtype: "number", shape: [], source: `X:${d}` }]),
            );
            const documents: NamedDocument[] = [
              ["start", start],
              [
                "descriptor",
                {
                  uid: "d1",
                  run_start: start.uid as string,
                  time: 1700000000.6,
                  name: "primary",
                  data_keys: keys,
                  object_keys: Object.fromEntries(detectors.map((d) => [d, [d]])),
                  hints: {},
                },
              ],
              ...rows.map(
                (row, i): NamedDocument => [
                  "event",
                  {
                    uid: `e${i}`,
                    descriptor: "d1",
                    seq_num: i + 1,
                    time: 1700000001 + i,
                    data: Object.fromEntries(detectors.map((d, k) => [d, row[k] as DocValue])),
                    timestamps: {},
                  },
                ],
              ),
              [
                "stop",
                {
                  uid: "s1",
                  run_start: start.uid as string,
                  time: 1700000009.25,
                  exit_status: "success",
                  num_events: { primary: rows.length },
                },
              ],
            ];
            const spec = writeSpec(documents, {
              flavor,
              fileName: "gen.spec",
              timeZone: "UTC",
              identity: { user: "u", host: "h" },
            });
            expect(rewrite(spec)).toBe(spec);
            const back = documentsOf(parse(spec))[0] as NamedDocument[];
            const events = eventsOf(back, "primary");
            rows.forEach((row, i) => {
              detectors.forEach((d, k) => {
                const back = ((events[i]?.data ?? {}) as DocRecord)[d];
                expect(flavor === "apstools" ? throughSpec(back) : back).toEqual(
                  expected(row[k] as DocValue),
                );
              });
            });
          },
        ),
        { numRuns: 100, seed: Number(process.env.FC_SEED ?? 20261124) },
      );
    },
  );
});

describe("reading apstools' mid-scan header (bug #9)", () => {
  test("rows after a header that cut a scan belong to that scan", () => {
    const file = parse(readFileSync(reference("synthetic/v2/syn-session.spec"), "utf8"));
    const runs = fileToRuns(file, { provenance: false });
    const scan11 = runs.find((r) => r.key === "11.1")?.documents ?? [];
    expect(eventsOf(scan11, "primary").map((e) => e.seq_num)).toEqual([1, 2]);
    const stop = byName(scan11, "stop")[0] as DocRecord;
    expect(stop.exit_status).toBe("success");
    expect(stop.num_events).toEqual({ primary: 2, label_start_motor: 0 });
    expect(runs.some((r) => r.key.startsWith("header"))).toBe(false);
  });
});
