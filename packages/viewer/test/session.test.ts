/**
 * The worker's answers, in Node, against the `specx` binary on every corpus file: the scan list
 * is `specx info --json`'s, the CSV `specx export --format csv`'s, the jsonl `specx to-docs`'s,
 * the statistics `specx stats --json`'s, and raw lines the file's own. Files are read through the
 * worker's windowed source with a small window, so that reads cross window edges everywhere.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse, type Scan, SpecFile } from "@specx/spec-parser";
import { corpusBytes, corpusNames, corpusPath } from "@specx/test-support";
import { afterAll, describe, expect, it } from "vitest";
import type { Answers, RequestMessage, ResponseMessage } from "../src/protocol.js";
import { handle } from "../src/worker/handle.js";
import * as session from "../src/worker/session.js";
import { type TrackedSource, trackedSource } from "../src/worker/sources.js";

const run = promisify(execFile);
const specx = fileURLToPath(new URL("../../cli/bin/specx.cjs", import.meta.url));
const names = corpusNames();
const folder = mkdtempSync(join(tmpdir(), "specx-viewer-session-"));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the `specx` binary; standard output as text. */
async function cli(args: string[], input?: Uint8Array): Promise<string> {
  const child = run(process.execPath, [specx, ...args], {
    maxBuffer: 512 * 1024 * 1024,
    encoding: "utf8",
  });
  if (input) child.child.stdin?.end(input);
  return (await child).stdout;
}

/** Runs `tasks` two at a time (the machine has two cores). */
async function inPairs<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** A corpus file read as the worker reads a large one: window by window, 64 KiB each. */
function openWindowed(name: string): { file: SpecFile; source: TrackedSource; bytes: Uint8Array } {
  const bytes = corpusBytes(name);
  const source = trackedSource(bytes.length, (start, end) => bytes.slice(start, end), {
    wholeLimit: 0,
    windowBytes: 64 * 1024,
  });
  return { file: new SpecFile(source), source, bytes };
}

/**
 * A few scans of each file for the commands run once per scan: all of a small file, else the
 * first, middle and last, and the first mesh scan.
 */
function sampleScans(file: SpecFile): number[] {
  const count = file.scanCount;
  if (count <= 5) return Array.from({ length: count }, (_, i) => i);
  const mesh = file.scanEntries.findIndex((entry) => /^\s*(hkl)?mesh\s/.test(entry.command));
  const chosen = [0, Math.floor(count / 2), count - 1, ...(mesh >= 0 ? [mesh] : [])];
  return chosen.filter((index, i) => chosen.indexOf(index) === i);
}

/** Lines as the parser splits them: `\n`, `\r\n` or a lone `\r`, decoded UTF-8 else Latin-1. */
function fileLines(bytes: Uint8Array): string[] {
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const decode = (part: Uint8Array) => {
    try {
      return strict.decode(part);
    } catch {
      return Array.from(part, (byte) => String.fromCharCode(byte)).join("");
    }
  };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const lines: string[] = [];
  let start = bom;
  for (let i = bom; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    lines.push(decode(bytes.subarray(start, i)));
    if (byte === 0x0d && bytes[i + 1] === 0x0a) i++;
    start = i + 1;
  }
  if (start < bytes.length) lines.push(decode(bytes.subarray(start)));
  return lines;
}

/** A number as the CLI's JSON writes it: null for null, NaN and the infinities. */
function jsonNumber(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

describe("the scan list", () => {
  it("equals specx info --json for every corpus file, diagnostics collected in one pass", async () => {
    const info = JSON.parse(await cli(["info", "--json", ...names.map(corpusPath)])) as {
      file: string;
      scans: Record<string, unknown>[];
    }[];
    expect(info.map((entry) => entry.file)).toEqual(names.map(corpusPath));
    for (const [i, name] of names.entries()) {
      const { file, source } = openWindowed(name);
      const reached: number[] = [];
      const overview = session.overview(file, 7, name, (end) => reached.push(end));
      expect(overview.fileId).toBe(7);
      expect(overview.name).toBe(name);
      expect(overview.size).toBe(file.byteLength);
      const rows = overview.scans.map(({ key, number, command, date, points, columns }) => ({
        key,
        number,
        command,
        date,
        points,
        columns,
      }));
      expect(rows, name).toEqual(info[i]?.scans);
      expect(overview.scans.map((row) => row.index)).toEqual(rows.map((_, j) => j));
      // The same findings as the parser's own `file.diagnostics`, from a fresh parse.
      expect(overview.diagnostics, name).toEqual(parse(corpusBytes(name)).diagnostics);
      // Progress only moves forwards, and ends at the end of the file.
      expect(reached).toEqual([...reached].sort((a, b) => a - b));
      if (reached.length > 0) expect(reached[reached.length - 1]).toBe(file.byteLength);
      // Windowed: a file of several windows is fetched in pieces, and no piece twice over
      // except where the index and the scan list each read it once.
      if (source.size > 2 * 1024 * 1024) expect(source.fetches).toBeGreaterThan(2);
      expect(source.bytesFetched).toBeLessThanOrEqual(3 * source.size + 2 * 1024 * 1024);
    }
  });

  it("counts each scan's findings, names its motors and finds meshes and spectra", () => {
    let meshes = 0;
    let withMca = 0;
    let withMotors = 0;
    for (const name of names) {
      const { file } = openWindowed(name);
      const overview = session.overview(file, 1, name);
      for (const row of overview.scans) {
        const scan = file.scanAt(row.index) as Scan;
        const mine = overview.diagnostics.filter((d) => d.scan === row.key && d.line !== null);
        expect(row.errors).toBe(scan.diagnostics.filter((d) => d.severity === "error").length);
        expect(row.warnings).toBe(scan.diagnostics.filter((d) => d.severity === "warning").length);
        expect(mine.length).toBeGreaterThanOrEqual(row.errors + row.warnings);
        expect(row.macro).toBe(scan.command.trim().split(/\s+/)[0] ?? "");
        const words = scan.command.trim().split(/\s+/).slice(1);
        for (const motor of row.motors) expect(words).toContain(motor);
        if (row.motors.length > 0) withMotors++;
        if (row.isMesh) meshes++;
        if (row.hasMca) withMca++;
        expect(row.hasMca).toBe((scan.mca?.spectra.length ?? 0) > 0);
        if (row.isMesh) expect(row.macro).toMatch(/^(hkl)?mesh$/);
      }
    }
    // The corpus has mesh scans (lmn40, 33bm, 33id, issue82) and MCA scans (33id).
    expect(meshes).toBeGreaterThan(50);
    expect(withMca).toBeGreaterThan(50);
    expect(withMotors).toBeGreaterThan(400);
  });
});

describe("a scan's data", () => {
  it("gives the parser's details, columns and spectra", () => {
    for (const name of names) {
      const { file } = openWindowed(name);
      const reference = parse(corpusBytes(name));
      for (let index = 0; index < file.scanCount; index++) {
        const scan = file.scanAt(index) as Scan;
        const expected = reference.scanAt(index) as Scan;
        const detail = session.scanDetail(scan);
        expect(detail.key).toBe(expected.key);
        expect(detail.line).toBe(expected.line);
        expect(detail.labels).toEqual(expected.data.names);
        expect(detail.aliases).toEqual(expected.data.aliases);
        expect(detail.points).toBe(expected.data.rows);
        expect(detail.positioners.map((p) => p.name)).toEqual(
          expected.positioners.map((p) => p.name),
        );
        expect(detail.metadata.map((m) => m.key)).toEqual(Object.keys(expected.metadataText));
        expect(detail.comments).toEqual(
          expected.comments.map((c) => ({ line: c.line, text: c.text })),
        );
        expect(detail.diagnostics).toEqual(expected.diagnostics);
        const width = expected.data.columns.length;
        expect([detail.defaultX, detail.defaultY]).toEqual(width > 0 ? [0, width - 1] : [-1, -1]);
        const asked = Array.from({ length: width }, (_, c) => width - 1 - c);
        const columns = session.columns(scan, asked);
        asked.forEach((column, k) => {
          const values = expected.data.columns[column] as Float64Array;
          expect(Array.from(columns[k] as Float64Array)).toEqual(
            Array.from(values.subarray(0, expected.data.rows)),
          );
        });
        // Copies: the answer's buffers can be transferred without touching the parser's.
        for (const column of columns) {
          expect(scan.data.columns.some((own) => own.buffer === column.buffer)).toBe(false);
        }
        const devices = (expected.mca?.devices ?? []).filter((d) => d.spectra.length > 0);
        expect(detail.mca?.devices ?? []).toEqual(devices.map((d) => d.name));
        devices.forEach((device, d) => {
          for (const row of [0, device.spectra.length - 1]) {
            const spectrum = session.mca(scan, row, d);
            expect(spectrum?.rows).toBe(device.spectra.length);
            expect(Array.from(spectrum?.counts ?? [])).toEqual(
              Array.from(device.spectra[row] ?? []),
            );
            expect(spectrum?.channels.length).toBe(device.spectra[row]?.length);
          }
        });
        if (devices.length === 0) expect(session.mca(scan, 0)).toBeNull();
        if (detail.mesh) {
          expect(detail.mesh.fastCount * detail.mesh.slowCount).toBeGreaterThanOrEqual(
            detail.points,
          );
          expect(detail.mesh.fastColumn).not.toBe(detail.mesh.slowColumn);
        }
      }
    }
  });

  it("refuses a column or a spectrum the scan does not have, with a reason", () => {
    const { file } = openWindowed("33id_spec.dat");
    const scan = file.scanAt(0) as Scan;
    expect(() => session.columns(scan, [999])).toThrow(/no column 999/);
    expect(() => session.mca(scan, 99_999)).toThrow(/no spectrum 99999/);
  });
});

describe("statistics", () => {
  it("of the default pair equal specx stats --json, with the half-maximum crossings", async () => {
    const stats = JSON.parse(await cli(["stats", "--json", ...names.map(corpusPath)])) as {
      files: { file: string; scans: { key: string; plot: Record<string, unknown> | null }[] }[];
    };
    let compared = 0;
    for (const [i, name] of names.entries()) {
      const { file } = openWindowed(name);
      const scans = stats.files[i]?.scans ?? [];
      expect(scans.length).toBe(file.scanCount);
      scans.forEach((expected, index) => {
        const scan = file.scanAt(index) as Scan;
        const width = scan.data.columns.length;
        const mine = width >= 2 ? session.stats(scan, 0, width - 1) : null;
        if (expected.plot === null) {
          expect(mine, `${name} ${expected.key}`).toBeNull();
          return;
        }
        if (!mine) throw new Error(`${name} ${expected.key}: no statistics`);
        compared++;
        expect(
          {
            peak: { x: jsonNumber(mine.peak.x), y: jsonNumber(mine.peak.y) },
            fwhm: jsonNumber(mine.fwhm),
            cen: jsonNumber(mine.cen),
            com: jsonNumber(mine.com),
          },
          `${name} ${expected.key}`,
        ).toEqual({
          peak: expected.plot.peak,
          fwhm: expected.plot.fwhm,
          cen: expected.plot.cen,
          com: expected.plot.com,
        });
        expect(mine.halfMaximum).toBe(mine.peak.y / 2);
        if (Number.isFinite(mine.fwhm)) {
          expect(Math.abs(mine.upper - mine.lower)).toBeCloseTo(mine.fwhm, 9);
        }
      });
    }
    expect(compared).toBeGreaterThan(800);
  });
});

describe("exports", () => {
  it("CSV equals specx export --format csv", async () => {
    const cases = names.flatMap((name) => {
      const { file } = openWindowed(name);
      return sampleScans(file).map((index) => ({ name, file, scan: file.scanAt(index) as Scan }));
    });
    const expected = await inPairs(
      cases.map(
        ({ name, scan }) =>
          () =>
            cli(["export", corpusPath(name), "--scan", scan.key, "--format", "csv"]),
      ),
    );
    cases.forEach(({ name, scan }, i) => {
      expect(session.csv(scan), `${name} ${scan.key}`).toBe(expected[i]);
    });
  });

  it("jsonl equals specx to-docs of the same bytes from standard input", async () => {
    for (const name of names) {
      const { file } = openWindowed(name);
      const unique = sampleScans(file).map((index) => (file.scanAt(index) as Scan).key);
      const out = join(folder, name);
      const printed = await cli(
        ["to-docs", "-", "--scan", ...unique, "--format", "jsonl", "-o", out],
        corpusBytes(name),
      );
      const written = printed.trim().split("\n");
      expect(written.length, name).toBe(unique.length);
      unique.forEach((key, i) => {
        const run = session.jsonl(file, file.scan(key) as Scan);
        const path = written[i] as string;
        expect(join(out, run.fileName), `${name} ${key}`).toBe(path);
        expect(run.text, `${name} ${key}`).toBe(readFileSync(path, "utf8"));
      });
    }
  });

  it("jsonl differs from specx to-docs FILE only by the start's spec.source_path", async () => {
    const name = "33bm_spec.dat";
    const { file } = openWindowed(name);
    const scan = file.scanAt(3) as Scan;
    const out = join(folder, `path-${name}`);
    await cli(["to-docs", corpusPath(name), "--scan", scan.key, "--format", "jsonl", "-o", out]);
    const [written] = readdirSync(out);
    const run = session.jsonl(file, scan);
    expect(written).toBe(run.fileName);
    const fromPath = readFileSync(join(out, written as string), "utf8")
      .trim()
      .split("\n");
    const mine = run.text.trim().split("\n");
    expect(mine.length).toBe(fromPath.length);
    const [startName, start] = JSON.parse(fromPath[0] as string) as [
      string,
      { spec: Record<string, unknown> },
    ];
    expect(startName).toBe("start");
    expect(start.spec.source_path).toBe(corpusPath(name));
    delete start.spec.source_path;
    expect(JSON.parse(mine[0] as string)).toEqual(["start", start]);
    expect(mine.slice(1)).toEqual(fromPath.slice(1));
  });
});

describe("raw lines", () => {
  it("are the file's lines, for the whole file and for ranges inside and across blocks", () => {
    for (const name of names) {
      const { file, bytes } = openWindowed(name);
      const expected = fileLines(bytes);
      expect(file.lineCount, name).toBe(expected.length);
      expect(session.lines(file, 1, file.lineCount).lines, name).toEqual(expected);
      // Around every diagnostic, as the diagnostics view asks, and around each scan's start.
      const starts = [
        ...file.diagnostics.map((d) => d.line ?? 1),
        ...file.scanEntries.map((entry) => entry.line),
      ].slice(0, 200);
      for (const line of starts) {
        const answer = session.lines(file, line - 3, line + 3);
        const from = Math.max(1, line - 3);
        expect(answer.from).toBe(from);
        expect(answer.lines, `${name} ${line}`).toEqual(expected.slice(from - 1, line + 3));
      }
      expect(session.lines(file, file.lineCount + 1, file.lineCount + 5).lines).toEqual([]);
      expect(session.lines(file, 5, 4).lines).toEqual([]);
    }
  });

  it("splits \\r\\n, a lone \\r and a last line without a terminator as the parser does", () => {
    const text = "#F x\r\n#E 1\r#D d\n\n#S 1 ascan  a 0 1  1 1\r\n#L a  b\n1 2\r\n3 4";
    const bytes = new TextEncoder().encode(text);
    const file = parse(bytes);
    for (const window of [1, 2, 3, 7, 1024]) {
      const source = trackedSource(bytes.length, (s, e) => bytes.slice(s, e), {
        wholeLimit: 0,
        windowBytes: window,
      });
      const windowed = new SpecFile(source);
      expect(windowed.lineCount).toBe(file.lineCount);
      expect(session.lines(windowed, 1, 99).lines).toEqual(fileLines(bytes));
    }
    expect(fileLines(bytes)).toEqual([
      "#F x",
      "#E 1",
      "#D d",
      "",
      "#S 1 ascan  a 0 1  1 1",
      "#L a  b",
      "1 2",
      "3 4",
    ]);
  });
});

describe("the windowed source", () => {
  it("reads a small file whole at once and a large one window by window", () => {
    const bytes = corpusBytes("lmn40.spe");
    const fetched: [number, number][] = [];
    const fetch = (start: number, end: number) => {
      fetched.push([start, end]);
      return bytes.slice(start, end);
    };
    const whole = trackedSource(bytes.length, fetch);
    session.overview(new SpecFile(whole), 1, "lmn40.spe");
    expect(fetched).toEqual([[0, bytes.length]]);
    expect(whole.bytesFetched).toBe(bytes.length);

    fetched.length = 0;
    const windowed = trackedSource(bytes.length, fetch, {
      wholeLimit: 1024,
      windowBytes: 256 * 1024,
    });
    const overview = session.overview(new SpecFile(windowed), 1, "lmn40.spe");
    expect(overview.scans.length).toBe(262);
    expect(fetched.length).toBe(windowed.fetches);
    expect(Math.max(...fetched.map(([s, e]) => e - s))).toBeLessThanOrEqual(
      1024 * 1024 + 256 * 1024,
    );
  });

  it("says so when the file is shorter than it was said to be", () => {
    const bytes = new TextEncoder().encode("#S 1 ascan  a 0 1  1 1\n#L a  b\n1 2\n");
    const source = trackedSource(bytes.length + 100, (s, e) => bytes.slice(s, e));
    expect(() => new SpecFile(source)).toThrow(/the file ended at byte 35, before byte 135/);
  });
});

describe("the worker's dispatch", () => {
  /** A Blob over bytes, and FileReaderSync reading it, as a worker has them (Node has neither). */
  class BytesBlob {
    readonly bytes: Uint8Array;
    constructor(bytes: Uint8Array) {
      this.bytes = bytes;
    }
    get size(): number {
      return this.bytes.length;
    }
    slice(start: number, end: number): BytesBlob {
      return new BytesBlob(this.bytes.subarray(start, end));
    }
  }
  const global = globalThis as { FileReaderSync?: unknown };

  /** Sends one request; every message posted back, with the buffers it transferred. */
  function ask(message: RequestMessage): { message: ResponseMessage; transfer: ArrayBuffer[] }[] {
    const posted: { message: ResponseMessage; transfer: ArrayBuffer[] }[] = [];
    handle(message, (response, transfer) => posted.push({ message: response, transfer }));
    return posted;
  }

  function answer<T extends keyof Answers>(message: RequestMessage & { type: T }): Answers[T] {
    const last = ask(message).pop()?.message;
    if (!last || !("ok" in last) || !last.ok) throw new Error(`no answer: ${JSON.stringify(last)}`);
    return last.value as Answers[T];
  }

  it("answers every request type for a file it opened, and errors without throwing", () => {
    global.FileReaderSync = class {
      readAsArrayBuffer(blob: BytesBlob): ArrayBuffer {
        return blob.bytes.slice().buffer;
      }
    };
    try {
      const name = "33id_spec.dat";
      const bytes = corpusBytes(name);
      const blob = new BytesBlob(bytes) as unknown as Blob;
      const opened = ask({ id: 1, type: "open", fileId: 3, source: { kind: "blob", name, blob } });
      const last = opened.pop()?.message as ResponseMessage;
      expect(last).toMatchObject({ id: 1, ok: true });
      const overview = (last as { value: Answers["open"] }).value;
      const reference = parse(bytes);
      expect(overview.scans.map((row) => row.key)).toEqual(reference.scanEntries.map((e) => e.key));
      expect(overview.diagnostics).toEqual(reference.diagnostics);
      // Progress: the file's size as total, never backwards, ending at the whole file.
      const progress = opened.map(({ message }) =>
        "progress" in message ? message.progress : null,
      );
      expect(progress.every((p) => p !== null && p.total === bytes.length)).toBe(true);
      const done = progress.map((p) => p?.bytes ?? 0);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(done[done.length - 1]).toBe(bytes.length);

      const scan = reference.scanAt(0) as Scan;
      expect(answer({ id: 2, type: "scan", fileId: 3, index: 0 }).key).toBe(scan.key);
      const [columnsAnswer] = ask({ id: 3, type: "columns", fileId: 3, index: 0, columns: [0, 1] });
      if (!columnsAnswer) throw new Error("no answer to columns");
      const columns = (columnsAnswer.message as { value: Float64Array[] }).value;
      expect(columnsAnswer.transfer).toEqual(columns.map((column) => column.buffer));
      expect(Array.from(columns[1] as Float64Array)).toEqual(
        Array.from((scan.data.columns[1] as Float64Array).subarray(0, scan.data.rows)),
      );
      const [mcaAnswer] = ask({ id: 4, type: "mca", fileId: 3, index: 0, row: 0 });
      expect(mcaAnswer?.transfer).toHaveLength(2);
      expect(answer({ id: 5, type: "stats", fileId: 3, index: 0, x: 0, y: 1 })).not.toBeNull();
      expect(answer({ id: 6, type: "lines", fileId: 3, from: 1, to: 2 }).lines).toEqual(
        fileLines(bytes).slice(0, 2),
      );
      expect(answer({ id: 7, type: "csv", fileId: 3, index: 0 })).toBe(session.csv(scan));
      expect(answer({ id: 8, type: "jsonl", fileId: 3, index: 0 }).fileName).toMatch(/\.jsonl$/);
      expect(answer({ id: 9, type: "close", fileId: 3 })).toBeNull();
      expect(ask({ id: 10, type: "scan", fileId: 3, index: 0 })).toEqual([
        { message: { id: 10, ok: false, error: "no open file 3" }, transfer: [] },
      ]);
    } finally {
      delete global.FileReaderSync;
    }
    // Outside a worker there is no FileReaderSync: a reason, not a throw.
    const blob = new BytesBlob(new Uint8Array(1)) as unknown as Blob;
    const [refused] = ask({
      id: 11,
      type: "open",
      fileId: 4,
      source: { kind: "blob", name: "x", blob },
    });
    expect(refused?.message).toEqual({
      id: 11,
      ok: false,
      error: "files can only be read in a worker (no FileReaderSync here)",
    });
  });
});
