/**
 * `specx record` under load, through the real binary, the Python forwarder and publisher on
 * 127.0.0.1. 100 runs of 1,000 events at 5,000 events per second (ten times a fast beamline)
 * must all be in the file, row by row. Then faster, up to as fast as Python sends: 0MQ PUB/SUB
 * drops what a busy reader cannot take, and every lost event must be reported as a seq_num gap
 * (on stderr and as a #C line in its scan). The figures (highest rate without loss, peak RSS)
 * are logged, not asserted: the machine is shared.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Forwarder, runPublisher, startForwarder } from "@specx/test-support/zmq";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { scratch, startRecording } from "./record-harness.js";

let forwarder: Forwarder;
beforeAll(async () => {
  forwarder = await startForwarder();
});
afterAll(async () => {
  await forwarder?.stop();
});

/** Each scan of a file of synthetic runs: its number, rows and the seq_nums its gap lines report. */
interface SyntheticScan {
  number: number;
  rows: string[][];
  labels: string[];
  lost: number[];
}

function scansOf(text: string): SyntheticScan[] {
  const scans: SyntheticScan[] = [];
  let scan: SyntheticScan | undefined;
  for (const line of text.split("\n")) {
    const header = /^#S (\d+) /.exec(line);
    if (header) {
      scan = { number: Number(header[1]), rows: [], labels: [], lost: [] };
      scans.push(scan);
    } else if (scan && line.startsWith("#L ")) scan.labels = line.slice(3).split("  ");
    else if (scan && line !== "" && !line.startsWith("#")) scan.rows.push(line.split(" "));
    const gap = /specx record: stream primary: events? (\d+)(?:-(\d+))? \(seq_num\) lost/.exec(
      line,
    );
    if (scan && gap) {
      for (let seq = Number(gap[1]); seq <= Number(gap[2] ?? gap[1]); seq++) scan.lost.push(seq);
    }
  }
  return scans;
}

/** The seq_num of a synthetic row (motor = seq_num × 0.1), after checking its det value. */
function checkedSeq(scan: SyntheticScan, row: string[]): number {
  const seq = Math.round(Number(row[scan.labels.indexOf("motor")]) * 10);
  expect(Number(row[scan.labels.indexOf("det")])).toBe((seq * 7919) % 1000);
  expect(Number(row[scan.labels.indexOf("Epoch_float")])).toBeCloseTo(seq * 0.01, 5);
  return seq;
}

describe("specx record under load", () => {
  test("100 runs × 1,000 events at 5,000 events/s: every event in the file, row by row", async () => {
    const dir = scratch();
    const recording = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
    // The publisher paces documents: 1,003 per run (start, descriptor, events, stop).
    const report = await runPublisher({
      address: forwarder.inUrl,
      rate: 5000 * (1003 / 1000),
      actions: ["synthetic:100:1000"],
    });
    await recording.runs(100, 60_000);
    const peak = recording.peakKiB();
    expect((await recording.stop()).code).toBe(0);
    console.log(
      `load: 100,000 events sent in ${report.seconds} s (${Math.round(100_000 / report.seconds)} events/s); recorder peak RSS ${Math.round((peak ?? 0) / 1024)} MiB (VmHWM)`,
    );
    const scans = scansOf(readFileSync(join(dir, "out.spec"), "utf8"));
    // On failure, what the recorder said (gaps, missed starts) tells where the events went.
    expect(
      scans.map((scan) => scan.number),
      recording.stderr.split("\n").slice(-12).join("\n"),
    ).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    for (const scan of scans) {
      expect(scan.lost).toEqual([]);
      expect(scan.rows.map((row) => checkedSeq(scan, row))).toEqual(
        Array.from({ length: 1000 }, (_, i) => i + 1),
      );
    }
    expect(recording.stderr).toMatch(
      /recorded 100 runs \(100000 events\) into out\.spec; 0 events lost in 0 gaps;/,
    );
  }, 180_000);

  test("faster and faster: every lost event is reported as a gap; the highest rate without loss is logged", async () => {
    const results: string[] = [];
    let lossless = 0;
    for (const rate of [10_000, 20_000, 40_000, 0]) {
      const dir = scratch();
      const recording = await startRecording(dir, ["--zmq", forwarder.outUrl, "-o", "out.spec"]);
      const report = await runPublisher({
        address: forwarder.inUrl,
        ...(rate > 0 ? { rate: rate * (2003 / 2000) } : {}),
        actions: ["synthetic:10:2000"],
      });
      await recording.runs(10, 20_000);
      const peak = recording.peakKiB();
      expect((await recording.stop()).code).toBe(0);
      const scans = scansOf(readFileSync(join(dir, "out.spec"), "utf8"));
      let rows = 0;
      let lost = 0;
      for (const scan of scans) {
        const seqs = scan.rows.map((row) => checkedSeq(scan, row));
        // Rows in order, and no event both written and reported lost.
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(seqs.filter((seq) => scan.lost.includes(seq))).toEqual([]);
        rows += seqs.length;
        lost += scan.lost.length;
      }
      // What the recorder says it lost is what its scans say; a run whose start or stop was
      // dropped is reported too (missed start, or no stop).
      const summary =
        /recorded (\d+) runs? \((\d+) events\) into out\.spec; (\d+) events lost/.exec(
          recording.stderr,
        );
      expect(summary).not.toBeNull();
      expect(Number(summary?.[2])).toBe(rows);
      expect(Number(summary?.[3])).toBe(lost);
      if (rows + lost < 20_000) {
        expect(recording.stderr).toMatch(/start was missed|no stop document/);
      }
      const sent = Math.round(20_000 / report.seconds);
      if (rows === 20_000) lossless = Math.max(lossless, sent);
      results.push(
        `${rate > 0 ? `${rate}/s asked` : "unpaced"}: ${sent} events/s sent, ${rows} rows, ${lost} reported lost in gaps, ${20_000 - rows - lost} in dropped runs' edges; peak RSS ${Math.round((peak ?? 0) / 1024)} MiB`,
      );
    }
    console.log(
      `load ladder (10 runs × 2,000 events each):\n  ${results.join("\n  ")}\n  highest rate with no loss: ${lossless > 0 ? `${lossless} events/s` : "none of these"}`,
    );
  }, 180_000);
});
