/**
 * `specx watch FILE [--json] [--from-start] [--interval MS] [--idle-exit S]`: follows a SPEC file
 * as SPEC (or a bluesky writer) writes it, and prints each new scan, point and comment once. A
 * line still being written is held back until its terminator arrives, so a number cut in the
 * middle is never shown. The `--json` lines are a contract other tools rely on; keep them stable:
 *
 *   {"event":"following","file":F,"scans":N,"last":KEY|null,"points":P}
 *   {"event":"scan","key":K,"number":N|null,"command":C,"line":L,"labels":[...]}
 *   {"event":"point","key":K,"point":I,"line":L,"values":{ALIAS:VALUE,...}}   (I from 1)
 *   {"event":"comment","key":K,"line":L,"text":T}
 *   {"event":"reset","reason":R}   (the file shrank or was replaced: it is read again)
 */
import { statSync } from "node:fs";
import { scanCells } from "@specx/scan-data";
import { openSpec, type Scan, type SpecFileOnDisk } from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type CliIO, ioReason, UserError } from "../io.js";

/** Options of the command, as commander gives them. */
export interface WatchOptions {
  json?: boolean;
  fromStart?: boolean;
  interval?: string;
  idleExit?: string;
}

export function registerWatch(program: Command, context: CommandContext): void {
  program
    .command("watch")
    .description("follow a SPEC file as it is written: print each new scan, point and comment")
    .argument("<file>", "SPEC file")
    .option("--json", "one JSON object per line (a stable contract)")
    .option("--from-start", "first print every scan and point already in the file")
    .option("--interval <ms>", "how often to look at the file, in milliseconds", "500")
    .option("--idle-exit <seconds>", "stop when the file has not changed for this long")
    .addHelpText(
      "after",
      "\nExamples:\n  specx watch /data/beamtime.spec\n  specx watch run.spec --json | jq -c 'select(.event == \"point\")'\n  specx watch run.spec --from-start --idle-exit 60\n",
    )
    .action(async (file: string, options: WatchOptions) => {
      // Ctrl-C ends the watch normally (exit status 0), as the end of following should.
      const stop = new AbortController();
      const onInterrupt = () => stop.abort();
      process.once("SIGINT", onInterrupt);
      try {
        context.setStatus(await runWatch(context.io, file, options, stop.signal));
      } finally {
        process.off("SIGINT", onInterrupt);
      }
    });
}

/** Runs `watch` until `signal` aborts or the file stays unchanged for `--idle-exit`. */
export async function runWatch(
  io: CliIO,
  path: string,
  options: WatchOptions,
  signal?: AbortSignal,
): Promise<number> {
  const interval = positiveNumber(options.interval ?? "500", "--interval", 3_600_000);
  const idleExit =
    options.idleExit === undefined
      ? null
      : positiveNumber(options.idleExit, "--idle-exit", Number.MAX_SAFE_INTEGER);
  let file: SpecFileOnDisk;
  try {
    // stat first: its error carries the system's code, which gives the clearest reason.
    statSync(path);
    file = openSpec(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${ioReason(error, "no such file")}`);
  }
  const printer = new WatchPrinter(io, options.json === true);
  const follower = new ScanFollower(file, printer);
  follower.start(path, options.fromStart === true);
  let lastChange = Date.now();
  try {
    while (!signal?.aborted) {
      await sleep(interval, signal);
      if (signal?.aborted) break;
      try {
        statSync(path);
      } catch (error) {
        throw new UserError(`cannot follow ${path}: ${ioReason(error, "it no longer exists")}`);
      }
      if (follower.poll()) lastChange = Date.now();
      else if (idleExit !== null && Date.now() - lastChange >= idleExit * 1000) break;
    }
  } finally {
    file.close();
  }
  return 0;
}

/** What has been printed of each scan: its points and comments. */
interface Shown {
  points: number;
  comments: number;
}

/** Remembers what was printed and prints what is new after each refresh. */
class ScanFollower {
  private shown = new Map<string, Shown>();
  private readonly file: SpecFileOnDisk;
  private readonly printer: WatchPrinter;

  constructor(file: SpecFileOnDisk, printer: WatchPrinter) {
    this.file = file;
    this.printer = printer;
  }

  /** Prints the file so far: all of it, or a one-line summary. */
  start(path: string, fromStart: boolean): void {
    // What is there now is the starting point; a refresh tells whether its last line is whole.
    const pending = this.file.refresh().pending;
    const entries = this.file.scanEntries;
    if (fromStart) {
      this.showNew(
        entries.map((entry) => entry.key),
        pending,
      );
      return;
    }
    // Earlier scans are finished; only the last one can still grow, so only it is read.
    const last = entries[entries.length - 1];
    for (const entry of entries)
      this.shown.set(entry.key, { points: Infinity, comments: Infinity });
    const lastScan = last ? this.file.scanAt(last.index) : undefined;
    const points = lastScan ? this.completePoints(lastScan, pending) : 0;
    if (lastScan) this.shown.set(lastScan.key, { points, comments: lastScan.comments.length });
    this.printer.following(path, entries.length, last?.key ?? null, points);
  }

  /** Reads what was appended; true when the file changed. */
  poll(): boolean {
    const report = this.file.refresh();
    if (!report.changed) return false;
    if (report.reset) {
      this.shown.clear();
      this.printer.reset("the file shrank or was replaced; reading it again from the start");
      this.showNew(
        this.file.scanEntries.map((entry) => entry.key),
        report.pending,
      );
      return true;
    }
    this.showNew([...report.updated, ...report.added], report.pending);
    return true;
  }

  private showNew(keys: string[], pending: string | null): void {
    const order = new Map(this.file.scanEntries.map((entry) => [entry.key, entry.index]));
    const inFileOrder = [...new Set(keys)].sort(
      (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0),
    );
    for (const key of inFileOrder) {
      const scan = this.file.scan(key);
      if (!scan) continue;
      let shown = this.shown.get(key);
      if (!shown) {
        // A new scan is shown once its column names are known: its #L line is whole, or it has
        // points, or a later scan has begun (it then has no #L at all).
        const isLast = scan.index === this.file.scanCount - 1;
        const labelLine = scan.control("L")[0]?.line;
        const labelsKnown = labelLine !== undefined && !this.isPendingLine(labelLine, pending);
        if (isLast && !labelsKnown && this.completePoints(scan, pending) === 0) continue;
        shown = { points: 0, comments: 0 };
        this.shown.set(key, shown);
        this.printer.scan(scan);
      }
      this.showPoints(scan, shown, pending);
    }
  }

  /** Prints the scan's points and comments after those shown, in line order. */
  private showPoints(scan: Scan, shown: Shown, pending: string | null): void {
    const points = this.completePoints(scan, pending);
    const comments = scan.comments.filter((comment) => !this.isPendingLine(comment.line, pending));
    const cells = points > shown.points ? scanCells(scan) : null;
    let point = shown.points;
    let comment = shown.comments;
    while (point < points || comment < comments.length) {
      const pointLine = point < points ? (scan.data.rowLines[point] ?? 0) : Infinity;
      const next = comments[comment];
      if (next && next.line < pointLine) {
        this.printer.comment(scan.key, next.line, next.text);
        comment++;
      } else if (cells) {
        this.printer.point(scan, point, cells);
        point++;
      } else break;
    }
    if (Number.isFinite(shown.points)) shown.points = Math.max(shown.points, points);
    if (Number.isFinite(shown.comments)) shown.comments = Math.max(shown.comments, comments.length);
  }

  /** Points whose lines are complete (a last line without its terminator is held back). */
  private completePoints(scan: Scan, pending: string | null): number {
    let points = scan.data.rows;
    while (points > 0 && this.isPendingLine(scan.data.rowLines[points - 1] ?? 0, pending)) points--;
    return points;
  }

  private isPendingLine(line: number, pending: string | null): boolean {
    return pending !== null && line >= this.file.lineCount;
  }
}

/** The two output forms: lines for people, JSON lines for programs. */
class WatchPrinter {
  private readonly io: CliIO;
  private readonly json: boolean;

  constructor(io: CliIO, json: boolean) {
    this.io = io;
    this.json = json;
  }

  following(path: string, scans: number, last: string | null, points: number): void {
    if (this.json) {
      this.line({ event: "following", file: path, scans, last, points });
    } else {
      const tail = last === null ? "" : `, the last (${last}) with ${points} points`;
      this.io.stderr(`specx: following ${path}: ${scans} scans${tail}; Ctrl-C to stop\n`);
    }
  }

  scan(scan: Scan): void {
    if (this.json) {
      const { key, number, command, line, labels } = scan;
      this.line({ event: "scan", key, number, command, line, labels });
    } else {
      this.io.stdout(`\nscan ${scan.key} (line ${scan.line}): ${scan.command}\n`);
      this.io.stdout(`  #  ${scan.data.names.join("  ")}\n`);
    }
  }

  point(scan: Scan, row: number, cells: ReturnType<typeof scanCells>): void {
    const width = scan.data.columns.length;
    if (this.json) {
      // Values as JSON text from the file's own tokens, so 2.0 stays 2.0.
      const values = scan.data.aliases
        .slice(0, width)
        .map((alias, column) => `${JSON.stringify(alias)}:${cells.json(row, column)}`)
        .join(",");
      const line = scan.data.rowLines[row] ?? null;
      const head = JSON.stringify({ event: "point", key: scan.key, point: row + 1, line });
      this.io.stdout(`${head.slice(0, -1)},"values":{${values}}}\n`);
    } else {
      const texts = Array.from({ length: width }, (_, column) => cells.text(row, column, "-"));
      this.io.stdout(`  ${row + 1}  ${texts.join("  ")}\n`);
    }
  }

  comment(key: string, line: number, text: string): void {
    if (this.json) this.line({ event: "comment", key, line, text });
    else this.io.stdout(`  #C ${text}\n`);
  }

  reset(reason: string): void {
    if (this.json) this.line({ event: "reset", reason });
    else this.io.stderr(`specx: ${reason}\n`);
  }

  private line(value: object): void {
    this.io.stdout(`${JSON.stringify(value)}\n`);
  }
}

function positiveNumber(text: string, option: string, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new UserError(`${option} must be a positive number, not '${text}'`);
  }
  return value;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
