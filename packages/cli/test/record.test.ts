/**
 * `specx record` through the real binary and real 0MQ on 127.0.0.1: Python frames documents as
 * bluesky's Publisher does and forwards them as bluesky-0MQ-proxy does (@specx/test-support/zmq).
 * Every reference stream recorded live must give the file `from-docs` writes from it, byte for
 * byte, and the `--docs` files the suitcase files of its runs.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type NamedDocument, splitRuns, suitcaseJsonl, suitcaseMsgpack } from "@specx/documents";
import { readDocumentsFile } from "@specx/documents/node";
import { referencePath, referenceStreams } from "@specx/test-support";
import { type Forwarder, runPublisher, startForwarder } from "@specx/test-support/zmq";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { faults, freePort, fromDocs, scratch, startRecording } from "./record-harness.js";

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
        stopless.map(
          ([[, start]]) =>
            `specx: run ${String(start.uid).slice(0, 8)} (scan_id ${start.scan_id}): no stop document; its scan is closed because the next run started (0 events recorded)`,
        ),
      );
      expect(recording.stderr).toMatch(
        `; 0 events lost in 0 gaps; ${stopless.length} run${stopless.length === 1 ? "" : "s"} without stop;`,
      );
    },
    120_000,
  );
});
