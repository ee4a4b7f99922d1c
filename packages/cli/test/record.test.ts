/**
 * `specx record` through the real binary and real 0MQ on 127.0.0.1: Python frames documents as
 * bluesky's Publisher does and forwards them as bluesky-0MQ-proxy does (@specx/test-support/zmq).
 * Every reference stream recorded live must give the file `from-docs` writes from it, byte for
 * byte, and the `--docs` files the suitcase files of its runs.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type DocValue,
  type NamedDocument,
  splitRuns,
  stringifyJson,
  suitcaseJsonl,
  suitcaseMsgpack,
} from "@specx/documents";
import { readDocumentsFile } from "@specx/documents/node";
import { referencePath, referenceStreams } from "@specx/test-support";
import {
  type Forwarder,
  runPublisher,
  startForwarder,
  startPublisher,
} from "@specx/test-support/zmq";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bin, faults, freePort, fromDocs, scratch, startRecording } from "./record-harness.js";

let forwarder: Forwarder;
beforeAll(async () => {
  forwarder = await startForwarder();
});
afterAll(async () => {
  await forwarder?.stop();
});

/** The runs of a document file, as `from-docs` reads it. */
function runsOf(path: string): NamedDocument[][] {
  return splitRuns(readDocumentsFile(path));
}

describe("specx record: every reference stream, live through the forwarder", () => {
  const streams = referenceStreams();

  test.each(streams.map((stream, index) => [stream, index % 2 === 0 ? "jsonl" : "msgpack"]))(
    "%s: the file from-docs writes, and --docs %s files of the same documents",
    async (stream, format) => {
      const input = referencePath(stream);
      const dir = scratch();
      const recording = await startRecording(dir, [
        "--zmq",
        forwarder.outUrl,
        "-o",
        "out.spec",
        "--docs",
        "docs",
        "--format",
        format,
      ]);
      // Paced as a fast beamline would send: 0MQ PUB/SUB drops what a busy reader cannot take
      // (record-load.test.ts measures that), and this test is about the bytes.
      await runPublisher({ address: forwarder.inUrl, rate: 2000, actions: [`stream:${input}`] });
      const runs = runsOf(input);
      // One line per run when it ends; a last run without stop ends only when the recorder stops.
      const started = runs.filter((run) => run[0]?.[0] === "start");
      const lastHasStop = started.at(-1)?.some(([name]) => name === "stop") ?? true;
      await recording.runs(started.length - (lastHasStop ? 0 : 1), 60_000);
      const { code } = await recording.stop();
      expect(code).toBe(0);

      const recorded = readFileSync(join(dir, "out.spec"), "utf8");
      expect(recorded).toBe(fromDocs([input], "out.spec"));

      // One suitcase file per run that had a start, as the suitcase writers make it.
      const files = readdirSync(join(dir, "docs")).sort();
      const expected = runs
        .filter((run) => run[0]?.[0] === "start")
        .map((run) => (format === "jsonl" ? suitcaseJsonl(run) : suitcaseMsgpack(run)));
      expect(files).toEqual(expected.map((file) => file.fileName).sort());
      for (const file of expected) {
        const written = readFileSync(join(dir, "docs", file.fileName));
        if ("text" in file) expect(written.toString("utf8")).toBe(file.text);
        else expect(new Uint8Array(written)).toEqual(file.bytes);
      }
      // The only fault a reference stream has: a run without stop (apstools-catalog's 49dce8d9,
      // with no events, so nothing of it is in the file).
      const stopless = started.filter((run) => !run.some(([name]) => name === "stop"));
      expect(faults(recording.stderr)).toEqual(
        stopless.map((run) => {
          const start = run[0]?.[1] ?? {};
          return `specx: run ${String(start.uid).slice(0, 8)} (scan_id ${start.scan_id}): no stop document; its scan is closed because the next run started (0 events recorded)`;
        }),
      );
      expect(recording.stderr).toMatch(
        `; 0 events lost in 0 gaps; ${stopless.length} run${stopless.length === 1 ? "" : "s"} without stop;`,
      );
    },
    120_000,
  );
});

const stream = (name: string) => referencePath(`apstools/streams/${name}.json`);

describe("specx record: without a proxy, prefixes, JSON, pickle", () => {
  test("--bind: a Publisher connects straight to specx", async () => {
    const dir = scratch();
    const port = await freePort();
    const url = `tcp://127.0.0.1:${port}`;
    const recording = await startRecording(dir, ["--zmq", url, "--bind", "-o", "out.spec"]);
    expect(recording.stderr).toMatch(`specx: listening ${url}`);
    await runPublisher({ address: url, rate: 2000, actions: [`stream:${stream("uid-3ab777ae")}`] });
    await recording.runs(1);
    expect((await recording.stop()).code).toBe(0);
    expect(readFileSync(join(dir, "out.spec"), "utf8")).toBe(
      fromDocs([stream("uid-3ab777ae")], "out.spec"),
    );
  });

  test("--prefix keeps one publisher's documents; JSON payloads are read as msgpack ones", async () => {
    const dir = scratch();
    const recording = await startRecording(dir, [
      "--zmq",
      forwarder.outUrl,
      "--prefix",
      "8idi",
      "-o",
      "out.spec",
    ]);
    await runPublisher({
      address: forwarder.inUrl,
      rate: 2000,
      actions: [
        "prefix:9bm",
        `stream:${stream("uid-34c84a1b")}`,
        "prefix:8idi",
        "serializer:json",
        `stream:${stream("uid-3ab777ae")}`,
        "prefix:",
        `stream:${stream("uid-f05b6684")}`,
      ],
    });
    await recording.runs(1);
    expect((await recording.stop()).code).toBe(0);
    expect(readFileSync(join(dir, "out.spec"), "utf8")).toBe(
      fromDocs([stream("uid-3ab777ae")], "out.spec"),
    );
    expect(recording.stdout).toMatch(/^run 3ab777ae-[^\n]*, 11 events, exit_status success\n$/);
  });

  test("pickle is refused with the serializer advice; the next msgpack publisher is recorded", async () => {
    const dir = scratch();
    const recording = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
    await runPublisher({
      address: forwarder.inUrl,
      rate: 2000,
      serializer: "pickle",
      actions: [`stream:${stream("uid-34c84a1b")}`],
    });
    await runPublisher({
      address: forwarder.inUrl,
      rate: 2000,
      actions: [`stream:${stream("uid-3ab777ae")}`],
    });
    await recording.runs(1);
    expect((await recording.stop()).code).toBe(0);
    const refused = faults(recording.stderr).filter((line) => line.includes("pickle"));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(
      /serializer=functools\.partial\(msgpack\.packb, default=msgpack_numpy\.encode\)/,
    );
    expect(recording.stderr).toMatch(/refused frames: \d+ pickle/);
    expect(readFileSync(join(dir, "out.spec"), "utf8")).toBe(
      fromDocs([stream("uid-3ab777ae")], "out.spec"),
    );
  });
});

describe("specx record: faults", () => {
  test("a run without stop is closed with a #C line at the next start, and when the recorder stops", async () => {
    const dir = scratch();
    // uid-3ab777ae without its stop, then uid-34c84a1b, then uid-f05b6684 without its stop.
    const cut = (name: string) => readDocumentsFile(stream(name)).filter(([doc]) => doc !== "stop");
    const documents = [
      ...cut("uid-3ab777ae"),
      ...readDocumentsFile(stream("uid-34c84a1b")),
      ...cut("uid-f05b6684"),
    ];
    const input = join(dir, "stopless.json");
    writeFileSync(input, stringifyJson(documents as unknown as DocValue));
    const recording = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
    await runPublisher({ address: forwarder.inUrl, rate: 2000, actions: [`stream:${input}`] });
    await recording.runs(2);
    // SIGTERM (a service manager's stop) ends it as Ctrl-C does: scan closed, lock released.
    expect((await recording.stop("SIGTERM")).code).toBe(0);
    expect(existsSync(join(dir, "out.spec.lock"))).toBe(false);
    const recorded = readFileSync(join(dir, "out.spec"), "utf8").split("\n");
    const expected = fromDocs([input], "out.spec").split("\n");
    // from-docs' file, plus one #C line at the end of each cut scan, dated by its last event.
    const added = recorded.filter((line) => line.includes("specx record:"));
    expect(added).toEqual([
      expect.stringMatching(
        /^#C .*\. {2}specx record: run ended without a stop document \(the next run started\)$/,
      ),
      expect.stringMatching(
        /^#C .*\. {2}specx record: run ended without a stop document \(the recorder stopped\)$/,
      ),
    ]);
    expect(recorded.filter((line) => !line.includes("specx record:"))).toEqual(expected);
    // Each #C line follows the last row of its scan.
    const first = recorded.indexOf(added[0] as string);
    expect(recorded[first + 1]).toBe("");
    expect(recorded[first + 2]).toMatch(/^#S /);
    expect(recorded.at(-2)).toBe(added[1]);
    expect(faults(recording.stderr)).toEqual([
      expect.stringMatching(
        /no stop document; its scan is closed because the next run started \(11 events recorded\)$/,
      ),
      expect.stringMatching(
        /no stop document; its scan is closed because the recorder stopped \(31 events recorded\)$/,
      ),
    ]);
  });

  test("every malformed frame is refused with its reason, and the recorder goes on", async () => {
    const dir = scratch();
    const recording = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
    await runPublisher({
      address: forwarder.inUrl,
      rate: 2000,
      actions: [
        "garbage",
        "no-spaces",
        "truncated",
        "wrong-shape",
        "huge:100000000",
        "sleep:1.5",
        `stream:${stream("uid-3ab777ae")}`,
      ],
    });
    await recording.runs(1);
    expect((await recording.stop()).code).toBe(0);
    const refused = faults(recording.stderr).filter((line) => line.startsWith("specx: refused"));
    for (const code of ["malformed", "wrong-shape", "too-large"]) {
      expect(
        refused.some((line) => line.includes(`: ${code}: `)),
        code,
      ).toBe(true);
    }
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(readFileSync(join(dir, "out.spec"), "utf8")).toBe(
      fromDocs([stream("uid-3ab777ae")], "out.spec"),
    );
  });
});

/** The seq_nums of a synthetic scan's rows (motor = seq_num × 0.1) and of its gap comments. */
function syntheticScan(text: string, scanNumber: number): { rows: number[]; lost: number[] } {
  const block = text.split(/\n(?=\n#S )/).find((part) => part.startsWith(`\n#S ${scanNumber} `));
  if (block === undefined) throw new Error(`no scan ${scanNumber}`);
  const lines = block.split("\n");
  const labels = (lines.find((line) => line.startsWith("#L ")) ?? "").slice(3).split("  ");
  const motor = labels.indexOf("motor");
  const rows: number[] = [];
  const lost: number[] = [];
  for (const line of lines) {
    if (line !== "" && !line.startsWith("#")) {
      rows.push(Math.round(Number(line.split(" ")[motor]) * 10));
    }
    const gap = /specx record: stream primary: events? (\d+)(?:-(\d+))? \(seq_num\) lost/.exec(
      line,
    );
    if (gap) {
      for (let seq = Number(gap[1]); seq <= Number(gap[2] ?? gap[1]); seq++) lost.push(seq);
    }
  }
  return { rows, lost };
}

/** Waits until `ready()` (polled every 50 ms), or `timeoutMs`. */
async function until(ready: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("specx record: the proxy and the recorder go away", () => {
  test("the forwarder killed and restarted mid-run: specx reconnects; what was lost is a gap in the scan", async () => {
    const own = await startForwarder();
    const dir = scratch();
    const recording = await startRecording(dir, ["--zmq", own.outUrl, "-o", "out.spec"]);
    const publisher = startPublisher({
      address: own.inUrl,
      rate: 300,
      actions: ["synthetic:1:600"],
    });
    // Mid-run: once the scan has begun in the file.
    await until(() => {
      const text = existsSync(join(dir, "out.spec"))
        ? readFileSync(join(dir, "out.spec"), "utf8")
        : "";
      return /\n#S 1 [\s\S]*\n#L [^\n]*\n(?:[^#\n][^\n]*\n){50}/.test(text);
    }, 30_000);
    await own.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await startForwarder({ inPort: own.inPort, outPort: own.outPort });
    try {
      await publisher.done;
      await recording.runs(1);
      expect((await recording.stop()).code).toBe(0);
    } finally {
      await again.stop();
    }
    const stderr = recording.stderr;
    expect(stderr.indexOf(`specx: disconnected ${own.outUrl}`)).toBeGreaterThan(0);
    expect(stderr.lastIndexOf(`specx: connected ${own.outUrl}`)).toBeGreaterThan(
      stderr.indexOf(`specx: disconnected ${own.outUrl}`),
    );
    // Every event is a row or inside a reported gap, once, in order.
    const { rows, lost } = syntheticScan(readFileSync(join(dir, "out.spec"), "utf8"), 1);
    expect([...rows, ...lost].sort((a, b) => a - b)).toEqual(oneTo(600));
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    console.log(
      `forwarder restart: ${rows.length} rows recorded, ${lost.length} events lost while it was down`,
    );
    if (lost.length > 0)
      expect(faults(stderr).some((line) => line.includes("seq_num gap"))).toBe(true);
  });

  test("the recorder SIGKILLed mid-run and restarted: the file parses, one cut scan, the missed run reported", async () => {
    const dir = scratch();
    const first = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
    const publisher = startPublisher({
      address: forwarder.inUrl,
      rate: 400,
      actions: ["synthetic:3:1000"],
    });
    // Killed once scan 2 has begun in the file: 2.5 s per run leaves time to restart mid-run.
    await until(() => {
      const text = readFileSync(join(dir, "out.spec"), "utf8");
      return /\n#S 2 [\s\S]*\n#L [^\n]*\n(?:[^#\n][^\n]*\n){20}/.test(text);
    }, 60_000);
    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    const second = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
    await publisher.done;
    await second.runs(1);
    expect((await second.stop()).code).toBe(0);

    expect(second.stderr).toMatch(/took over out\.spec\.lock, left by process \d+/);
    expect(second.stderr).toMatch(
      /^specx: run synthetic-start-1: a (event|stop) arrived but the run's start was missed/m,
    );
    const text = readFileSync(join(dir, "out.spec"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.match(/^#S /gm)).toHaveLength(3);
    // Scan 1 whole, scan 2 cut where the recorder died (whole rows only), scan 3 whole.
    expect(syntheticScan(text, 1).rows).toEqual(oneTo(1000));
    const cut = syntheticScan(text, 2).rows;
    expect(cut).toEqual(oneTo(cut.length));
    expect(cut.length).toBeLessThan(1000);
    expect(syntheticScan(text, 3).rows).toEqual(oneTo(1000));
    const validate = spawnSync(process.execPath, [bin, "validate", "out.spec"], {
      cwd: dir,
      encoding: "utf8",
    });
    console.log(`specx validate after the SIGKILL:\n${validate.stdout}${validate.stderr}`);
    // No error; the only scan with a finding of its own is the cut one (the synthetic runs'
    // uids are not UUIDs, which every scan is told: BLUESKY_NO_UID).
    expect(validate.status).toBe(0);
    const findings = validate.stdout
      .split("\n")
      .filter((line) => line !== "" && !line.includes("BLUESKY_NO_UID"));
    expect(findings).toEqual([expect.stringMatching(/ BLUESKY_EXIT_STATUS .*\[scan 2\.1\]$/)]);
  });
});
