/**
 * `specx stats`: every number of every scan, checked against an independent reference (a short
 * numpy program that reads the file's text on its own), values worked out by hand from the
 * file, the `--json` shape, the aligned text tables, many files through worker threads, and
 * bad usage.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PlotStats as Plot, peakStats, type ScanStats } from "@specx/scan-data";
import { corpusPath, pythonHas, pythonInterpreter } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import type { StatsResult as StatsJson } from "../src/commands/stats.js";
import { expectUsageError, runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));

async function statsJson(args: string[]): Promise<StatsJson> {
  const result = await run(["stats", ...args, "--json"]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as StatsJson;
}

/**
 * The reference: reads the SPEC text itself (rows are the non-comment lines after `#L`, MCA
 * spectra skipped) and computes each number with numpy. SPEC's half-maximum crossings are
 * found as "the nearest point at or below half on each side of the peak", interpolated with
 * its neighbour toward the peak — the same definition, written another way.
 */
const numpyReference = String.raw`
import sys, json, math
import numpy as np

def scans_of(path):
    text = open(path, encoding="latin-1").read().replace("\r\n", "\n").replace("\r", "\n")
    seen, scans, cur, in_mca = {}, [], None, False
    for line in text.split("\n"):
        if in_mca or line.startswith("@"):
            in_mca = line.rstrip().endswith("\\")
            continue
        if line.startswith("#S"):
            parts = line[2:].split()
            n = parts[0] if parts else ""
            seen[n] = seen.get(n, 0) + 1
            cur = {"key": f"{n}.{seen[n]}", "rows": [], "in_data": False}
            scans.append(cur)
        elif cur is None or line.startswith("#"):
            if cur is not None and line.startswith("#L"):
                cur["in_data"] = True
        elif cur["in_data"] and line.strip():
            row = []
            for token in line.split():
                try:
                    row.append(float(token))
                except ValueError:
                    row.append(math.nan)
            cur["rows"].append(row)
    return scans

def summary(scan):
    rows = scan["rows"]
    width = max((len(r) for r in rows), default=0)
    table = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        table[i, : len(r)] = r
    columns = []
    for j in range(width):
        f = table[:, j][np.isfinite(table[:, j])]
        columns.append([int(f.size)] + ([float(f.min()), float(f.max()), float(f.mean())] if f.size else [None] * 3))
    plot = None
    if width >= 2:
        x, y = table[:, 0], table[:, -1]
        ok = np.isfinite(x) & np.isfinite(y)
        x, y = x[ok], y[ok]
        if x.size:
            top = int(np.argmax(y))
            half = y[top] / 2
            below = np.nonzero(y <= half)[0]
            left, right = below[below < top], below[below > top]
            def cross(i, j):
                return x[i] if y[j] == y[i] else x[j] + (x[i] - x[j]) * (y[j] - half) / (y[j] - y[i])
            lo = cross(left[-1], left[-1] + 1) if left.size else x[0]
            hi = cross(right[0], right[0] - 1) if right.size else x[-1]
            px = x[top]
            cen = (lo + hi) / 2 if (lo != px and hi != px) else (lo if hi == px else hi)
            total = y.sum()
            plot = [float(px), float(y[top]), float(abs(hi - lo)), float(cen),
                    float((x * y).sum() / total) if total != 0 else None]
    return {"key": scan["key"], "rows": len(rows), "columns": columns, "plot": plot}

print(json.dumps([summary(s) for s in scans_of(sys.argv[1])]))
`;

interface Reference {
  key: string;
  rows: number;
  columns: [number, number | null, number | null, number | null][];
  plot: [number, number, number, number, number | null] | null;
}

const hasNumpy = pythonHas("numpy");

function reference(path: string): Reference[] {
  const out = spawnSync(pythonInterpreter(), ["-c", numpyReference, path], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(out.stderr).toBe("");
  return JSON.parse(out.stdout) as Reference[];
}

/** Equal, or both null, or within 1e-9 relative. */
function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

describe("specx stats against numpy", () => {
  test.skipIf(!hasNumpy).each([
    "33bm_spec.dat", // peaks, header-only scan 15.1
    "lmn40.spe", // 262 scans, two headers
    "05_02_test.dat", // None tokens read as NaN
    "33id_spec.dat", // MCA spectra between rows
    "issue216_scan1.spec", // a 7th, unnamed column
    "CdOsO", // a repeated scan number: keys 1.1 and 1.2
  ])(
    "%s: every column and the plotted pair of every scan",
    async (name) => {
      const got = (await statsJson([corpusPath(name)])).files[0]?.scans ?? [];
      const expected = reference(corpusPath(name));
      expect(got.map((s) => s.key)).toEqual(expected.map((s) => s.key));
      let numbers = 0;
      got.forEach((scan, i) => {
        const want = expected[i] as Reference;
        expect(scan.rows, scan.key).toBe(want.rows);
        if (want.rows > 0) expect(scan.columns.length, scan.key).toBe(want.columns.length);
        scan.columns.forEach((column, j) => {
          const [count, min, max, mean] = want.columns[j] ?? [0, null, null, null];
          const where = `${scan.key} column ${j} (${column.label})`;
          expect(column.count, where).toBe(count);
          expectClose(column.min, min, `${where} min`);
          expectClose(column.max, max, `${where} max`);
          expectClose(column.mean, mean, `${where} mean`);
          numbers += column.count;
        });
        if (want.plot === null) {
          expect(scan.plot, scan.key).toBeNull();
        } else {
          const plot = scan.plot as Plot;
          const [peakX, peakY, fwhm, cen, com] = want.plot;
          expectClose(plot.peak.x, peakX, `${scan.key} peak x`);
          expectClose(plot.peak.y, peakY, `${scan.key} peak y`);
          expectClose(plot.fwhm, fwhm, `${scan.key} fwhm`);
          expectClose(plot.cen, cen, `${scan.key} cen`);
          expectClose(plot.com, com, `${scan.key} com`);
        }
      });
      expect(numbers).toBeGreaterThan(0);
    },
    60_000,
  );
});

describe("specx stats by hand", () => {
  test("33bm_spec.dat 1.1: signal against theta, worked out from the file's rows", async () => {
    const scan = (await statsJson([corpusPath("33bm_spec.dat"), "--scan", "1.1"])).files[0]
      ?.scans[0] as ScanStats;
    expect(scan.rows).toBe(61);
    expect(scan.columns.find((c) => c.label === "theta")).toEqual({
      label: "theta",
      count: 61,
      min: 19.022,
      max: 19.222,
      mean: expect.closeTo(19.122, 9),
    });
    expect(scan.columns.find((c) => c.label === "I0")).toEqual({
      label: "I0",
      count: 61,
      min: 20000,
      max: 20000,
      mean: 20000,
    });
    const plot = scan.plot as Plot;
    expect([plot.x, plot.y]).toEqual(["theta", "signal"]);
    // The highest signal is 179 at theta 19.13525; half is 89.5. Left: (19.12525, 100) then
    // (19.122, 70) → 19.12525 − 0.00325 × 10.5/30 = 19.1241125. Right: (19.13875, 116) then
    // (19.142, 87) → 19.13875 + 0.00325 × 26.5/29 = 19.141719827586….
    expect(plot.peak).toEqual({ x: 19.13525, y: 179 });
    expect(plot.fwhm).toBeCloseTo(19.141719827586 - 19.1241125, 10);
    expect(plot.cen).toBeCloseTo((19.141719827586 + 19.1241125) / 2, 10);
    expect(plot.com).toBeGreaterThan(19.12);
    expect(plot.com).toBeLessThan(19.14);
  });

  test("a scan without rows: counts 0, nulls, no plot", async () => {
    const scan = (await statsJson([corpusPath("33bm_spec.dat"), "--scan", "15.1"])).files[0]
      ?.scans[0] as ScanStats;
    expect(scan.rows).toBe(0);
    expect(scan.columns.length).toBe(27);
    expect(scan.columns[0]).toEqual({ label: "H", count: 0, min: null, max: null, mean: null });
    expect(scan.plot).toBeNull();
  });
});

describe("specx stats --json shape", () => {
  test("files → scans → columns and plot, with exactly the contract's keys", async () => {
    const result = await statsJson([corpusPath("33bm_spec.dat")]);
    expect(Object.keys(result)).toEqual(["files"]);
    expect(result.files.length).toBe(1);
    const file = result.files[0] as StatsJson["files"][number];
    expect(Object.keys(file)).toEqual(["file", "scans"]);
    expect(file.file).toBe(corpusPath("33bm_spec.dat"));
    expect(file.scans.length).toBe(17);
    for (const scan of file.scans) {
      expect(Object.keys(scan)).toEqual(["key", "command", "rows", "columns", "plot"]);
      for (const column of scan.columns) {
        expect(Object.keys(column)).toEqual(["label", "count", "min", "max", "mean"]);
      }
      if (scan.plot) {
        expect(Object.keys(scan.plot)).toEqual(["x", "y", "peak", "fwhm", "cen", "com"]);
        expect(Object.keys(scan.plot.peak)).toEqual(["x", "y"]);
      }
    }
    const first = file.scans[0] as ScanStats;
    expect([first.key, first.command]).toEqual(["1.1", "ascan  th 19.022 19.222  60 -20000"]);
  });

  test("--scan takes keys and bare numbers (first occurrence), in the order given", async () => {
    const result = await statsJson([corpusPath("CdOsO"), "--scan", "1.2", "3", "1"]);
    expect(result.files[0]?.scans.map((s) => [s.key, s.rows])).toEqual([
      ["1.2", 20],
      ["3.1", expect.any(Number)],
      ["1.1", 41],
    ]);
  });

  test("standard input is read for -", async () => {
    const bytes = new Uint8Array(readFileSync(corpusPath("issue82_data.txt")));
    const result = await run(["stats", "-", "--json"], bytes);
    const parsed = JSON.parse(result.stdout) as StatsJson;
    expect(parsed.files[0]?.file).toBe("-");
    expect(parsed.files[0]?.scans.map((s) => [s.key, s.rows])).toEqual([["17.1", 92]]);
  });
});

describe("specx stats text", () => {
  test("an aligned table per scan, then SPEC's peak line", async () => {
    const { status, stdout } = await run(["stats", corpusPath("33bm_spec.dat"), "--scan", "1.1"]);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `${corpusPath("33bm_spec.dat")}  #S 1.1  ascan  th 19.022 19.222  60 -20000  (61 rows)`,
    );
    const table = lines.slice(1, 1 + 1 + 27);
    expect(table[0]?.trim().split(/\s+/)).toEqual(["column", "count", "min", "max", "mean"]);
    // Right-aligned columns: every line of the table ends at the same place.
    expect(new Set(table.map((line) => line.length)).size).toBe(1);
    expect(
      table
        .find((line) => line.trim().startsWith("theta"))
        ?.trim()
        .split(/\s+/),
    ).toEqual(["theta", "61", "19.022", "19.222", "19.122"]);
    expect(lines[29]).toMatch(
      /^ {2}signal vs theta: peak at 19\.13525 is 179, COM at 19\.13\d*, FWHM is 0\.01760733 at 19\.13292$/,
    );
  });

  test("-o writes the output to a file", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "specx-stats-")), "stats.json");
    const result = await run(["stats", corpusPath("issue82_data.txt"), "--json", "-o", out]);
    expect([result.status, result.stdout]).toEqual([0, ""]);
    expect(JSON.parse(readFileSync(out, "utf8")).files[0].scans[0].key).toBe("17.1");
  });
});

describe("many files", () => {
  const files = ["33bm_spec.dat", "issue82_data.txt", "lmn40.spe"].map(corpusPath);

  test("results in input order; --scan picks from every file that has the scan", async () => {
    const result = await statsJson([...files, "--scan", "17.1"]);
    expect(result.files.map((f) => [f.file, f.scans.map((s) => s.key)])).toEqual([
      [files[0], ["17.1"]],
      [files[1], ["17.1"]],
      [files[2], ["17.1"]],
    ]);
  });

  test("the real binary on worker threads gives the same JSON as in-process", async () => {
    const inProcess = await statsJson(files);
    const out = spawnSync(process.execPath, [bin, "stats", ...files, "--json"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(inProcess);
    expect(inProcess.files.map((f) => f.scans.length)).toEqual([17, 1, 262]);
  }, 60_000);
});

describe("bad usage and I/O errors: one line on stderr, exit 2", () => {
  const empty = mkdtempSync(join(tmpdir(), "specx-stats-empty-"));
  const binary = join(mkdtempSync(join(tmpdir(), "specx-stats-bin-")), "data.spec");
  writeFileSync(binary, new Uint8Array([35, 83, 32, 49, 0, 1, 2, 3]));

  test.each([
    [["stats", "/no/such.spec"], /^specx: cannot read \/no\/such\.spec: no such file\n$/],
    [["stats"], /^error: missing required argument 'files'\n$/],
    [["stats", empty], /^specx: no SPEC files in folder .*\n$/],
    [["stats", binary], /^specx: .*data\.spec is not a text file\n$/],
    [
      ["stats", corpusPath("33bm_spec.dat"), "--scan", "99.1"],
      /^specx: no scan 99\.1 in .*33bm_spec\.dat \(keys look like 3\.1; see specx inspect\)\n$/,
    ],
    [["stats", corpusPath("33bm_spec.dat"), "--bogus"], /^error: unknown option '--bogus'/],
    [
      ["stats", corpusPath("issue82_data.txt"), "-o", "/no/such/folder/stats.txt"],
      /^specx: cannot write \/no\/such\/folder\/stats\.txt: no such folder\n$/,
    ],
  ])("%j", async (args, message) => {
    expectUsageError(await run(args as string[]), message as RegExp);
  });

  test("a missing file through the real binary", () => {
    const out = spawnSync(process.execPath, [bin, "stats", "/no/such.spec"], { encoding: "utf8" });
    expect(out.status).toBe(2);
    expect(out.stderr).toBe("specx: cannot read /no/such.spec: no such file\n");
  });
});

describe("SPEC's peak rules on small hand-made scans", () => {
  test("a peak at the first point: CEN is the other side's crossing", () => {
    // y falls from 10 to 0 over x = 0…4; half is 5, crossed between (1, 8) and (2, 4) at 1.75.
    const result = peakStats(new Float64Array([0, 1, 2, 3, 4]), new Float64Array([10, 8, 4, 2, 0]));
    expect(result).toEqual({
      peak: { x: 0, y: 10 },
      fwhm: 1.75,
      cen: 1.75,
      com: 22 / 24,
      // The half maximum, and where each side crosses it: the peak itself on the left.
      halfMaximum: 5,
      lower: 0,
      upper: 1.75,
    });
  });

  test("a side that never comes down to half ends at the last point", () => {
    // half is 5; left crossing between (1, 2) and (2, 10): 1 + 3/8 = 1.375; right stays ≥ 6.
    const result = peakStats(new Float64Array([1, 2, 3, 4]), new Float64Array([2, 10, 8, 6]));
    expect(result?.fwhm).toBeCloseTo(4 - 1.375, 12);
    expect(result?.cen).toBeCloseTo((4 + 1.375) / 2, 12);
  });

  test("points with NaN are left out; all-zero y has no centre of mass", () => {
    const result = peakStats(
      new Float64Array([0, Number.NaN, 2, 3]),
      new Float64Array([0, 5, 0, Number.NaN]),
    );
    expect(result).toEqual({
      peak: { x: 0, y: 0 },
      fwhm: 2,
      cen: 2,
      com: null,
      halfMaximum: 0,
      lower: 0,
      upper: 2,
    });
    expect(peakStats(new Float64Array([Number.NaN]), new Float64Array([1]))).toBeNull();
  });
});

describe("reading by path", () => {
  test("a named file read scan by scan from disk gives the same statistics as its bytes", async () => {
    const { statsOfFile } = await import("../src/commands/stats-job.js");
    for (const name of ["lmn40.spe", "33id_spec.dat", "05_02_test.dat"]) {
      const path = corpusPath(name);
      const bytes = new Uint8Array(readFileSync(path));
      const byPath = statsOfFile({ name, bytes: new Uint8Array(0), path }, {});
      const byBytes = statsOfFile({ name, bytes }, {});
      expect(byPath.scans.length).toBeGreaterThan(0);
      expect(byPath).toEqual(byBytes);
    }
  });
});
