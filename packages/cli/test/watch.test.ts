/**
 * `specx watch`: a file written in small pieces (lines cut anywhere) while specx follows it. Every
 * new scan, point and comment is printed exactly once, in file order, with the values a full
 * parse of the finished file gives.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type SpecFile } from "@specx/spec-parser/node";
import { corpusBytes } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { expectUsageError, runSpecx } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const scratch = () => mkdtempSync(join(tmpdir(), "specx-watch-"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** refresh1 + refresh2 + refresh3: scan 3 grows across the pieces, scans 4 to 6 are new. */
const growingFile = Buffer.concat([
  corpusBytes("refresh1.txt"),
  corpusBytes("refresh2.txt"),
  corpusBytes("refresh3.txt"),
]);

/** Appends `content` to `path` in pieces of `size` bytes, `pause` ms apart. */
async function writeSlowly(path: string, content: Uint8Array, size: number, pause: number) {
  for (let at = 0; at < content.length; at += size) {
    appendFileSync(path, content.subarray(at, at + size));
    await sleep(pause);
  }
}

type WatchEvent = Record<string, unknown> & { event: string };

/** Points of the last scan of `prefix` whose lines are complete (`pending`: the last is not). */
function completePoints(prefix: SpecFile, pending: boolean): number {
  const last = prefix.scanAt(prefix.scanCount - 1);
  const rows = last?.data.rows ?? 0;
  return pending && last?.data.rowLines[rows - 1] === prefix.lineCount ? rows - 1 : rows;
}

/** The events `watch --json` should print after `prefix` for the whole `file`. */
function expectedEvents(file: SpecFile, prefix: SpecFile, prefixPending: boolean): WatchEvent[] {
  const events: WatchEvent[] = [];
  const known = prefix.scanEntries.length;
  // The complete points of the last scan so far were summarized, not printed.
  const shownOfLast = completePoints(prefix, prefixPending);
  file.scans.forEach((scan, index) => {
    if (index < known - 1) return;
    if (index >= known) {
      const { key, number, command, line, labels } = scan;
      events.push({ event: "scan", key, number, command, line, labels });
    }
    const from = index === known - 1 ? shownOfLast : 0;
    for (let row = from; row < scan.data.rows; row++) {
      const values: Record<string, number> = {};
      scan.data.aliases.forEach((alias, column) => {
        values[alias] = scan.data.columns[column]?.[row] as number;
      });
      events.push({
        event: "point",
        key: scan.key,
        point: row + 1,
        line: scan.data.rowLines[row],
        values,
      });
    }
  });
  return events;
}

describe("specx watch", () => {
  test("--json: every new scan and point once, while the file is written in 37-byte pieces", async () => {
    const path = join(scratch(), "growing.spec");
    // Start mid-way through scan 3, in the middle of a line.
    const start = 2500;
    writeFileSync(path, growingFile.subarray(0, start));
    const watching = runSpecx(["watch", path, "--json", "--interval", "5", "--idle-exit", "2"]);
    await sleep(50);
    await writeSlowly(path, growingFile.subarray(start), 37, 3);
    const result = await watching;
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    const events = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as WatchEvent);

    const prefix = parse(growingFile.subarray(0, start));
    const pending = growingFile[start - 1] !== 0x0a;
    const final = parse(growingFile);
    expect(events[0]).toEqual({
      event: "following",
      file: path,
      scans: prefix.scanCount,
      last: prefix.scanEntries[prefix.scanCount - 1]?.key,
      points: completePoints(prefix, pending),
    });
    expect(events.filter((e) => e.event === "scan" || e.event === "point")).toEqual(
      expectedEvents(final, prefix, pending),
    );
    // Comments of new scans, each once, in file order.
    const comments = events.filter((e) => e.event === "comment");
    const newScans = final.scans.slice(prefix.scanCount);
    expect(comments.map((e) => [e.key, e.line, e.text])).toEqual(
      expect.arrayContaining(
        newScans.flatMap((scan) => scan.comments.map((c) => [scan.key, c.line, c.text])),
      ),
    );
    expect(new Set(comments.map((e) => `${e.key} ${e.line}`)).size).toBe(comments.length);
  }, 30_000);

  test("--from-start prints every scan and point of a finished file, then stops when idle", async () => {
    const path = join(scratch(), "done.spec");
    writeFileSync(path, growingFile);
    const result = await runSpecx(["watch", path, "--from-start", "--idle-exit", "0.05"]);
    expect(result.status).toBe(0);
    const file = parse(growingFile);
    const scanLines = result.stdout.split("\n").filter((line) => line.startsWith("scan "));
    expect(scanLines).toEqual(
      file.scans.map((scan) => `scan ${scan.key} (line ${scan.line}): ${scan.command}`),
    );
    // Point lines: two blanks, the point number, then the row as the file wrote it.
    const scan5 = file.scan("5.1");
    expect(result.stdout).toContain(
      `scan 5.1 (line ${scan5?.line}): ${scan5?.command}\n  #  ${scan5?.data.names.join("  ")}\n  1  `,
    );
    const points = result.stdout.split("\n").filter((line) => /^ {2}\d+ {2}/.test(line));
    expect(points).toHaveLength(file.scans.reduce((sum, scan) => sum + scan.data.rows, 0));
  });

  test("a scan header cut in the middle of '#S 1' is shown once, as its final number", async () => {
    const dir = scratch();
    const path = join(dir, "cut.spec");
    writeFileSync(path, "#F cut.spec\n#E 1\n\n#S 1 ascan\n#L x  y\n1 2\n\n#S 1");
    const watching = runSpecx(["watch", path, "--json", "--interval", "5", "--idle-exit", "1.5"]);
    await sleep(40);
    appendFileSync(path, "2 ascan x 0");
    await sleep(40);
    appendFileSync(path, " 1 2 1\n#L x  y\n3 4\n5 ");
    await sleep(40);
    appendFileSync(path, "6\n");
    const events = (await watching).stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events).toEqual([
      { event: "following", file: path, scans: 2, last: "1.2", points: 0 },
      {
        event: "scan",
        key: "12.1",
        number: 12,
        command: "ascan x 0 1 2 1",
        line: 8,
        labels: ["x", "y"],
      },
      { event: "point", key: "12.1", point: 1, line: 10, values: { x: 3, y: 4 } },
      { event: "point", key: "12.1", point: 2, line: 11, values: { x: 5, y: 6 } },
    ]);
  });

  test("bad options and missing files: exit 2 with one line", async () => {
    const path = join(scratch(), "x.spec");
    writeFileSync(path, growingFile);
    expectUsageError(
      await runSpecx(["watch", path, "--interval", "0"]),
      /^specx: --interval must be a positive number, not '0'$/m,
    );
    expectUsageError(
      await runSpecx(["watch", path, "--idle-exit", "soon"]),
      /^specx: --idle-exit must be a positive number, not 'soon'$/m,
    );
    expectUsageError(
      await runSpecx(["watch", join(scratch(), "none.spec")]),
      /^specx: cannot read .*none\.spec: no such file$/m,
    );
  });

  test("through the real binary: points appear as they are written; Ctrl-C ends with status 0", async () => {
    const path = join(scratch(), "live.spec");
    writeFileSync(path, corpusBytes("refresh1.txt"));
    const child = spawn(process.execPath, [bin, "watch", path, "--json", "--interval", "20"]);
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    while (!out.includes('"following"')) await sleep(20);
    appendFileSync(path, corpusBytes("refresh2.txt"));
    while (!out.includes('"key":"5.1","point":8')) await sleep(20);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(err).toBe("");
    const keys = out
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((e) => e.event === "scan")
      .map((e) => e.key);
    expect(keys).toEqual(["4.1", "5.1"]);
  }, 30_000);
});
