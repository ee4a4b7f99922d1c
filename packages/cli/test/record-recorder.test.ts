/**
 * The recorder's logic (src/recorder.ts) on in-memory document streams, through a real SPEC
 * writer into a string: gaps, missed starts, stopless runs, event pages, the --docs bound.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DocRecord, PyFloat } from "@specx/documents";
import { readDocumentsFile } from "@specx/documents/node";
import { createSpecWriter } from "@specx/spec-writer";
import { referencePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { type OpenRecordStream, type RecordOptions, runRecord } from "../src/commands/record.js";
import type { CliIO } from "../src/io.js";
import { Recorder, type RecorderItem, type RunSummary } from "../src/recorder.js";

/** A run of one motor and one detector: start, descriptor, events 1..n, stop. */
function run(uid: string, scanId: number, seqs: number[], stop = true): [string, DocRecord][] {
  const t0 = 1_700_000_000 + scanId * 100;
  const docs: [string, DocRecord][] = [
    ["start", { uid, time: t0, scan_id: scanId, plan_name: "scan", detectors: ["det"] }],
    [
      "descriptor",
      {
        uid: `${uid}-d`,
        run_start: uid,
        time: t0,
        name: "primary",
        data_keys: {
          motor: { source: "m", dtype: "number", shape: [] },
          det: { source: "d", dtype: "number", shape: [] },
        },
      },
    ],
  ];
  for (const seq of seqs) {
    docs.push([
      "event",
      {
        uid: `${uid}-e${seq}`,
        descriptor: `${uid}-d`,
        time: t0 + seq,
        seq_num: seq,
        data: { motor: new PyFloat(seq), det: seq * 10 },
        timestamps: {},
      },
    ]);
  }
  if (stop) {
    docs.push([
      "stop",
      {
        uid: `${uid}-s`,
        run_start: uid,
        time: t0 + 99,
        exit_status: "success",
        num_events: { primary: Math.max(0, ...seqs) },
      },
    ]);
  }
  return docs;
}

function record(
  documents: [string, DocRecord][],
  docsOptions?: { dir: string; maxDocuments: number },
): { text: string; notices: string[]; runs: RunSummary[]; recorder: Recorder } {
  let text = "";
  const writer = createSpecWriter(
    { write: (piece) => (text += piece) },
    { fileName: "live.spec", timeZone: "UTC", identity: { user: "u", host: "h" } },
  );
  const notices: string[] = [];
  const runs: RunSummary[] = [];
  const recorder = new Recorder(
    writer,
    { notice: (line) => notices.push(line), runEnded: (summary) => runs.push(summary) },
    docsOptions && {
      dir: docsOptions.dir,
      format: "jsonl",
      maxDocuments: docsOptions.maxDocuments,
      maxBytes: 1 << 30,
    },
  );
  const items: RecorderItem[] = documents.map(([name, doc]) => ({
    kind: "document",
    name,
    doc,
    bytes: 100,
  }));
  for (const item of items) recorder.consume(item);
  recorder.finish("the recorder stopped");
  return { text, notices, runs, recorder };
}

const rows = (text: string) => text.split("\n").filter((line) => /^-?\d/.test(line));

describe("Recorder", () => {
  test("a seq_num gap is a #C line between the rows around it, and a notice naming run and events", () => {
    const { text, notices, runs } = record(run("run-a", 1, [1, 2, 5, 6]));
    const lines = text.split("\n");
    const gap = lines.findIndex((line) => line.includes("events 3-4 (seq_num) lost in transport"));
    expect(gap).toBeGreaterThan(0);
    expect(lines[gap - 1]).toMatch(/^2 /);
    expect(lines[gap + 1]).toMatch(/^5 /);
    expect(notices).toEqual([
      "run run-a (scan_id 1), stream primary: seq_num gap, events 3-4 lost in transport (2 events)",
    ]);
    expect(runs[0]).toMatchObject({ events: 4, lost: 2, exitStatus: "success" });
  });

  test("events missing at the end are found from the stop's num_events", () => {
    const documents = run("run-b", 2, [1, 2]);
    const stop = documents.at(-1)?.[1] as DocRecord;
    stop.num_events = { primary: 5 };
    const { text, notices } = record(documents);
    expect(text).toMatch(/specx record: stream primary: events 3-5 \(seq_num\) lost in transport/);
    expect(notices).toEqual([expect.stringMatching(/events 3-5 lost in transport \(3 events\)$/)]);
  });

  test("an event page's seq_nums are checked as its events would be", () => {
    const documents = run("run-c", 3, [1]);
    documents.splice(3, 0, [
      "event_page",
      {
        uid: ["p4", "p5"],
        descriptor: "run-c-d",
        time: [1_700_000_304, 1_700_000_305],
        seq_num: [4, 5],
        data: { motor: [4, 5], det: [40, 50] },
        timestamps: { motor: [0, 0], det: [0, 0] },
      },
    ]);
    (documents.at(-1)?.[1] as DocRecord).num_events = { primary: 5 };
    const { text, recorder } = record(documents);
    expect(rows(text)).toHaveLength(3);
    expect(text).toMatch(/events 2-3 \(seq_num\) lost/);
    expect(recorder.totals.events).toBe(3);
  });

  test("documents of a run whose start was missed are reported, never written", () => {
    const missed = run("run-d", 4, [1, 2, 3]).slice(1);
    const { text, notices, recorder } = record([...missed, ...run("run-e", 5, [1])]);
    expect(text).not.toContain("run-d");
    expect(rows(text)).toHaveLength(1);
    expect(notices).toEqual([
      "run run-d: a descriptor arrived but the run's start was missed (the recorder started mid-run?); its documents are not written",
      "run run-d: 5 documents of a run whose start was missed, not written (at its stop)",
    ]);
    expect(recorder.totals.orphans).toBe(5);
  });

  test("a run without stop is closed by the next start, and the last one when the recorder stops", () => {
    const { text, runs } = record([
      ...run("run-f", 6, [1, 2], false),
      ...run("run-g", 7, [1, 2], false),
    ]);
    expect(text.match(/specx record: run ended without a stop document \(.*\)/g)).toEqual([
      "specx record: run ended without a stop document (the next run started)",
      "specx record: run ended without a stop document (the recorder stopped)",
    ]);
    expect(runs.map((summary) => summary.exitStatus)).toEqual([null, null]);
  });

  test("--docs: one suitcase file per run, none for a run over the bound (the SPEC file has it all)", () => {
    const dir = mkdtempSync(join(tmpdir(), "specx-recorder-"));
    const { text, notices, runs } = record(
      [...run("small", 8, [1, 2]), ...run("large", 9, [1, 2, 3, 4, 5, 6])],
      { dir, maxDocuments: 6 },
    );
    expect(readdirSync(dir)).toEqual(["small.jsonl"]);
    expect(readFileSync(join(dir, "small.jsonl"), "utf8").split("\n")).toHaveLength(6);
    expect(runs.map((summary) => summary.docsFile)).toEqual([join(dir, "small.jsonl"), null]);
    expect(notices).toEqual([
      "run large: more than 6 documents; its --docs file will not be written (the SPEC file gets every event)",
    ]);
    expect(rows(text)).toHaveLength(8);
  });

  test("refusals are counted by reason; the first few of each are shown", () => {
    let text = "";
    const writer = createSpecWriter({ write: (piece) => (text += piece) }, { fileName: "x.spec" });
    const notices: string[] = [];
    const recorder = new Recorder(writer, { notice: (line) => notices.push(line), runEnded() {} });
    for (let i = 0; i < 25; i++) {
      recorder.consume({
        kind: "refused",
        code: "malformed",
        reason: "not msgpack",
        prefix: "",
        bytes: 9,
      });
    }
    expect(recorder.totals.refused).toEqual({ malformed: 25 });
    expect(notices).toHaveLength(11);
    expect(notices.at(-1)).toBe("more malformed frames refused; only counted from now on");
    expect(text).toBe("");
  });
});

describe("runRecord (in-process, an in-memory stream)", () => {
  /** A stream of one reference run that stays open `holdMs` before it ends. */
  function memoryStream(holdMs: number): OpenRecordStream {
    const documents = readDocumentsFile(referencePath("apstools/streams/uid-3ab777ae.json"));
    return () => ({
      async *[Symbol.asyncIterator]() {
        yield { kind: "status", state: "connected", address: "tcp://127.0.0.1:1" };
        for (const [name, doc] of documents) yield { kind: "document", name, doc, bytes: 1 };
        await new Promise((resolve) => setTimeout(resolve, holdMs));
      },
      close: async () => {},
    });
  }

  async function runIt(stderrIsTTY: boolean, holdMs: number, extra: Partial<RecordOptions> = {}) {
    let stdout = "";
    let stderr = "";
    const io: CliIO = {
      stdout: (chunk) => {
        stdout += String(chunk);
      },
      stderr: (chunk) => {
        stderr += chunk;
      },
      readInput: () => new Uint8Array(),
      stderrIsTTY,
    };
    const output = join(mkdtempSync(join(tmpdir(), "specx-record-")), "live.spec");
    const options: RecordOptions = { zmq: "tcp://127.0.0.1:1", output, timeZone: "UTC", ...extra };
    const status = await runRecord(io, options, new AbortController().signal, memoryStream(holdMs));
    return { status, stdout, stderr, output };
  }

  test("on a terminal a status line is drawn in place; piped, never", async () => {
    const terminal = await runIt(true, 1200);
    expect(terminal.status).toBe(0);
    const drawn =
      "\r\x1b[2Krecording: 1 run, 11 events, last #S 10014  lineup2(detectors=['I0', 'sca…, ";
    expect(terminal.stderr).toContain(drawn);
    // The rate counts from the start: the 11 events arrived within the first redraw.
    expect(terminal.stderr.slice(terminal.stderr.indexOf(drawn) + drawn.length)).toMatch(
      /^[1-9]\d* events\/s/,
    );
    const piped = await runIt(false, 0);
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain("\x1b");
    expect(piped.stdout).toMatch(/^run 3ab777ae-[^\n]*, 11 events, exit_status success\n$/);
    expect(readFileSync(piped.output, "utf8")).toContain("#S 10014  lineup2(");
  });

  test("bad arguments are one-line usage errors, before anything is opened", async () => {
    await expect(runIt(false, 0, { zmq: "127.0.0.1:5578" })).rejects.toThrow(
      "--zmq must be tcp://HOST:PORT, not '127.0.0.1:5578'",
    );
    await expect(runIt(false, 0, { format: "csv", docs: "x" })).rejects.toThrow(
      "--format must be jsonl or msgpack, not 'csv'",
    );
    await expect(runIt(false, 0, { flavor: "spec" })).rejects.toThrow(
      "--flavor must be apstools, apstools-v1 or suitcase, not 'spec'",
    );
    await expect(runIt(false, 0, { docsLimit: "0" })).rejects.toThrow(
      "--docs-limit must be a positive number of documents, not '0'",
    );
  });
});
