/**
 * `specx info`, `show` and `export` on real corpus files. Expected values come from the files
 * themselves: a small independent SPEC reader in Python (below) and Python's csv and json
 * modules read the output back, and a few facts were read off the files by hand.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { formatScans } from "@specx/scan-data";
import { parse } from "@specx/spec-parser";
import { corpusDir, corpusNames, corpusPath, pythonInterpreter } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const scratch = () => mkdtempSync(join(tmpdir(), "specx-browse-"));

/**
 * An independent reader: scans split at `#S`, keys `n.m` by occurrence, `#L` split on two or
 * more blanks, data = the non-`#` lines after `#L` split on blanks. Good for files without MCA
 * lines or wrapped rows (33bm_spec.dat, 20220311-161530.dat, CdOsO). It prints, as JSON, how
 * the exported CSV or JSON (read with Python's own modules) compares with the SPEC file.
 */
const PYTHON_CHECK = String.raw`
import csv, json, math, re, sys

def scans(path):
    out, counts, cur = [], {}, None
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("#S "):
                n = line.split()[1]
                counts[n] = counts.get(n, 0) + 1
                cur = {"key": "%s.%d" % (n, counts[n]), "labels": [], "rows": []}
                out.append(cur)
            elif cur is None:
                continue
            elif line.startswith("#L "):
                cur["labels"] = [x for x in re.split(r"\s{2,}", line[3:].strip()) if x]
            elif line.strip() and not line.startswith("#") and cur["labels"]:
                cur["rows"].append(line.split())
    return out

def same_number(token, value):
    if value is None:
        return math.isnan(float(token))
    return float(token) == float(value)

spec_path, out_path, kind = sys.argv[1], sys.argv[2], sys.argv[3]
wanted = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else None
found = scans(spec_path)
expected = found if wanted is None else [s for key in wanted for s in found if s["key"] == key]
report = {"rows": 0, "cells": 0, "exact": 0, "mismatches": []}
if kind == "csv":
    with open(out_path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    header, body = table[0], table[1:]
    several = header[0] == "scan"
    report["header"] = header
    want_rows = [(s["key"], row) for s in expected for row in s["rows"]]
    report["rows"] = len(body)
    for (key, tokens), got in zip(want_rows, body):
        if several:
            if got[0] != key:
                report["mismatches"].append(["key", key, got[0]])
            got = got[1:]
        for token, cell in zip(tokens, got):
            report["cells"] += 1
            report["exact"] += token == cell
            if not same_number(token, cell):
                report["mismatches"].append([key, token, cell])
    report["lengths_match"] = len(want_rows) == len(body)
else:
    with open(out_path, encoding="utf-8") as f:
        scans_out = json.load(f)
    report["keys"] = [s["key"] for s in scans_out]
    report["lengths_match"] = len(scans_out) == len(expected)
    for want, got in zip(expected, scans_out):
        if want["labels"] != got["labels"]:
            report["mismatches"].append(["labels", want["key"]])
        report["rows"] += len(got["rows"])
        report["lengths_match"] &= len(want["rows"]) == len(got["rows"])
        for tokens, values in zip(want["rows"], got["rows"]):
            for token, value in zip(tokens, values):
                report["cells"] += 1
                if not same_number(token, value):
                    report["mismatches"].append([want["key"], token, value])
report["mismatches"] = report["mismatches"][:5]
print(json.dumps(report))
`;

interface PythonReport {
  rows: number;
  cells: number;
  exact: number;
  mismatches: unknown[];
  lengths_match: boolean;
  header?: string[];
  keys?: string[];
}

/** Compares an exported file with the SPEC file through Python. */
function pythonCheck(
  specPath: string,
  outPath: string,
  kind: "csv" | "json",
  keys: string[] = [],
): PythonReport {
  const result = spawnSync(
    pythonInterpreter(),
    ["-c", PYTHON_CHECK, specPath, outPath, kind, keys.join(",")],
    { encoding: "utf8" },
  );
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as PythonReport;
}

/** The `#L` labels of the scan whose `#S` line starts with `#S n `, read off the file. */
function labelsInFile(name: string, number: number): string[] {
  const text = readFileSync(corpusPath(name), "latin1");
  const scan = text.slice(text.indexOf(`\n#S ${number} `));
  const line = /\n#L ([^\n]*)/.exec(scan)?.[1] ?? "";
  return line.trim().split(/\s{2,}/);
}

describe("specx info", () => {
  test("one aligned line per scan of 33bm_spec.dat, under a header row", async () => {
    const { status, stdout, stderr } = await run(["info", corpusPath("33bm_spec.dat")]);
    expect([status, stderr]).toEqual([0, ""]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]?.split(/\s+/)).toEqual(["key", "command", "date", "points", "columns"]);
    expect(lines.length).toBe(1 + 17);
    // The counts are right-aligned under their headings, so every line ends at the same column.
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    const dateColumn = lines[0]?.indexOf("date") ?? -1;
    const header15 = lines.find((line) => line.startsWith("15.1 ")) ?? "";
    expect(header15).toContain("hklscan  2 2  2 2  2.8 3.05  250 1");
    expect(header15.slice(dateColumn).split(/\s{2,}/)).toEqual([
      "Wed Jun 16 19:00:05 2010",
      "0",
      "27",
    ]);
    const line1 = lines.find((line) => line.startsWith("1.1 ")) ?? "";
    expect(line1.slice(dateColumn).split(/\s{2,}/)).toEqual([
      "Wed Jun 16 18:27:39 2010",
      "61",
      "27",
    ]);
    // 10201 = 101 × 101 points of the hklmesh, as the independent reader counts them too.
    const line17 = lines.find((line) => line.startsWith("17.1 ")) ?? "";
    expect(line17).toMatch(/ 10201 {7}27$/);
  });

  test("--json: FlyScan scans of 02_03_setup.dat have 17 columns and no points", async () => {
    const { stdout } = await run(["info", corpusPath("02_03_setup.dat"), "--json"]);
    const [summary] = JSON.parse(stdout);
    expect(summary.file).toBe(corpusPath("02_03_setup.dat"));
    expect(summary.scans.length).toBe(50);
    const empty = summary.scans.filter((scan: { points: number }) => scan.points === 0);
    expect(empty.map((scan: { key: string }) => scan.key)).toEqual([
      "5.1",
      "10.1",
      "11.1",
      "16.1",
      "24.1",
      "29.1",
      "30.1",
      "35.1",
      "40.1",
      "41.1",
      "46.1",
    ]);
    expect(empty.every((scan: { columns: number }) => scan.columns === 17)).toBe(true);
    expect(summary.scans[9].command).toMatch(/^FlyScan {2}ar 10\.319 0 8\.4331 2e-05/);
  });

  test("--json: 20220311-161530.dat has keys by occurrence and 10 or 11 points", async () => {
    const { stdout } = await run(["info", corpusPath("20220311-161530.dat"), "--json"]);
    const scans = JSON.parse(stdout)[0].scans as { key: string; points: number }[];
    expect(scans.length).toBe(78);
    expect(scans[0]?.key).toBe("2.1");
    expect(scans.find((scan) => scan.key === "4.1")?.points).toBe(0);
    const points = scans.filter((scan) => scan.key !== "4.1").map((scan) => scan.points);
    expect(points.filter((n) => n === 10).length).toBe(72);
    expect(points.filter((n) => n === 11).length).toBe(5);
  });

  test("several files and a folder: a ==> name <== heading per file, as head does", {
    timeout: 30_000,
  }, async () => {
    const two = await run([
      "info",
      corpusPath("issue82_data.txt"),
      corpusPath("issue216_scan1.spec"),
    ]);
    const headings = two.stdout.split("\n").filter((line) => line.startsWith("==> "));
    expect(headings).toEqual([
      `==> ${corpusPath("issue82_data.txt")} <==`,
      `==> ${corpusPath("issue216_scan1.spec")} <==`,
    ]);
    expect(two.stdout).toMatch(/\n17\.1 +hklmesh {2}H 1\.9 2\.1 100 .* {6}92 {7}27\n/);

    const folder = await run(["info", corpusDir()]);
    expect(folder.status).toBe(0);
    const shown = folder.stdout.split("\n").filter((line) => line.startsWith("==> "));
    const specFiles = corpusNames();
    expect(shown.length).toBe(specFiles.length);
  });

  test("reads standard input for -", async () => {
    const bytes = new Uint8Array(readFileSync(corpusPath("issue196_data2.txt")));
    const { stdout } = await run(["info", "-"], bytes);
    expect(stdout.split("\n")[1]).toMatch(/^108\.1 .* +31 +9$/);
  });
});

describe("specx show", () => {
  test("a scan of 200,000 findings is shown, every finding listed", async () => {
    const rows = 200_000;
    const text = `#S 1  test\n#N 3\n#L a  b  c\n${"1 2\n".repeat(rows)}`;
    const input = join(scratch(), "short-rows.spec");
    writeFileSync(input, text);
    const { status, stdout, stderr } = await run(["show", input, "1", "--max-rows", "2"]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const listed = Number(/\ndiagnostics \((\d+)\)\n/.exec(stdout)?.[1]);
    expect(listed).toBeGreaterThanOrEqual(rows);
    expect(stdout.match(/\n {2}line \d+: /g)?.length).toBe(listed);
    expect(stdout.match(/ROW_TOO_SHORT/g)?.length).toBe(rows);
  });

  test("header facts, positioners and the data of 33bm_spec.dat scan 17", async () => {
    const { status, stdout } = await run(["show", corpusPath("33bm_spec.dat"), "17"]);
    expect(status).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^scan +17\.1 {2}\(line \d+\)$/);
    expect(stdout).toMatch(/\ncommand +hklmesh {2}H 1\.9 2\.1 100 {2}K 1\.9 2\.1 100 {2}-800000\n/);
    expect(stdout).toMatch(/\ndate +Wed Jun 16 19:15:36 2010\n/);
    expect(stdout).toMatch(/\nmonitor +800000 \(I0\)\n/);
    expect(stdout).toMatch(/\nhkl +2 2 1\.9\n/);
    expect(stdout).toMatch(/\npositioners \(22\)\n/);
    expect(stdout).toMatch(/\n {2}2-theta += 67\.78225\n/);
    expect(stdout).toMatch(/\n {2}m22 += 1230\.0415\n/);
    expect(stdout).toMatch(/\n {2}samz += 0\n/);
    // The data: #L labels as the header, then each row's values, right-aligned.
    const header = lines.findIndex((line) => line.trim().startsWith("H "));
    expect(lines[header]?.trim().split(/\s+/)).toEqual(labelsInFile("33bm_spec.dat", 17));
    expect(lines[header + 1]?.trim().split(/\s+/)).toEqual(
      "1.9 1.9 1.9 3086 800000 412179 0 53 61 50 0 1 0 0 0 296297 9.9990436 0 0 0 0 0 0 0 0 1.486516 50".split(
        " ",
      ),
    );
    expect(lines[header + 1]?.length).toBe(lines[header]?.length);
    expect(lines.length - 1 - (header + 1)).toBe(10201);
  });

  test("--max-rows limits the rows and says how many are left", async () => {
    const { stdout } = await run(["show", corpusPath("33bm_spec.dat"), "1.1", "--max-rows", "2"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("… 59 more rows (of 61; see --max-rows)");
    expect(lines.at(-4)?.trim().split(/\s+/)).toEqual(labelsInFile("33bm_spec.dat", 1));
    // The first two data lines of the scan start with these, read off the file.
    expect(lines.at(-3)?.trim().split(/\s+/).slice(0, 3)).toEqual([
      "19.022",
      "0.00292981",
      "0.00366536",
    ]);
    expect(lines.at(-2)?.trim().split(/\s+/)[0]).toBe("19.02525");
  });

  test("a number means its first occurrence; the second #S 1 of CdOsO is 1.2", async () => {
    const first = await run(["show", corpusPath("CdOsO"), "1"]);
    expect(first.stdout).toMatch(/\ncommand +ascan {2}herixE -17\.3368 -7\.33676 {2}40 1\n/);
    expect(first.stdout).toMatch(/\npoints +41\n/);
    const second = await run(["show", corpusPath("CdOsO"), "1.2"]);
    expect(second.stdout).toMatch(/^scan +1\.2 {2}\(line 3725\)\n/);
    expect(second.stdout).toMatch(/\ncolumns +57\n/);
    expect(second.stdout).toMatch(/\naborted +after 20 points\n/);
    expect(second.stdout).toMatch(/\npositioners \(128\)\n/);
  });

  test("None cells keep their text; #MD metadata and diagnostics of the scan", async () => {
    const { stdout } = await run(["show", corpusPath("05_02_test.dat"), "1.7"]);
    expect(stdout).toMatch(/\nmetadata \(14\)\n/);
    expect(stdout).toMatch(/\n {2}beamline_id += APS USAXS 9-ID-C\n/);
    expect(stdout).toMatch(
      /\n {2}detectors += \['scaler0_channels_chan02', 'scaler0_channels_chan05'\]\n/,
    );
    expect(stdout).toMatch(/\ndiagnostics \(3\)\n/);
    expect(stdout).toContain("NON_NUMERIC_TOKEN 'None' in column scaler0_channels_chan02");
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)?.trim().split(/\s+/)).toEqual([
      "0.7202396392822266",
      "1",
      "1.0",
      "64.0",
      "None",
      "None",
    ]);
  });

  test("a header-only scan: labels and no rows", async () => {
    const { stdout } = await run(["show", corpusPath("33bm_spec.dat"), "15.1"]);
    expect(stdout).toMatch(/\npoints +0\n/);
    expect(stdout).toMatch(/\naborted +after 0 points\n/);
    expect(stdout.trimEnd().split("\n").at(-1)?.trim().split(/\s+/)).toEqual(
      labelsInFile("33bm_spec.dat", 15),
    );
  });
});

describe("specx export", () => {
  test("csv of one scan parses back (Python csv) to the file's numbers, as written", async () => {
    const folder = scratch();
    const out = join(folder, "scan1.csv");
    const result = await run([
      "export",
      corpusPath("33bm_spec.dat"),
      "--scan",
      "1.1",
      "--format",
      "csv",
      "-o",
      out,
    ]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "", ""]);
    const report = pythonCheck(corpusPath("33bm_spec.dat"), out, "csv", ["1.1"]);
    expect(report.header).toEqual(labelsInFile("33bm_spec.dat", 1));
    expect([report.rows, report.lengths_match, report.mismatches]).toEqual([61, true, []]);
    expect(report.cells).toBe(61 * 27);
    expect(report.exact).toBe(report.cells);
    expect(readFileSync(out, "utf8").split("\r\n").length).toBe(1 + 61 + 1);
  });

  test("csv of many scans with the same labels: a scan column first", async () => {
    const folder = scratch();
    const out = join(folder, "all.csv");
    const name = corpusPath("20220311-161530.dat");
    expect((await run(["export", name, "-o", out])).status).toBe(0); // format from .csv
    const report = pythonCheck(name, out, "csv");
    expect(report.header?.slice(0, 3)).toEqual(["scan", "Epoch_float", "Epoch"]);
    // 72 scans of 10 rows and 5 of 11 (4.1 has none); 2.0 stays 2.0 as in the file.
    expect([report.rows, report.lengths_match, report.mismatches]).toEqual([775, true, []]);
    expect(report.exact).toBe(report.cells);
  });

  test("csv of scans with different labels is refused: one line, exit 2", async () => {
    const { status, stdout, stderr } = await run([
      "export",
      corpusPath("33id_spec.dat"),
      "--format",
      "csv",
    ]);
    expect([status, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      "specx: scans 1.1 and 2.1 have different labels, and a table has one header: export one scan (--scan KEY) or use --format json or ndjson\n",
    );
  });

  test("json: scans with labels and rows, checked by Python's json module", async () => {
    const folder = scratch();
    const out = join(folder, "scans.json");
    const keys = ["1.2", "3.1"];
    const result = await run(["export", corpusPath("CdOsO"), "--scan", ...keys, "-o", out]);
    expect(result.status).toBe(0);
    const report = pythonCheck(corpusPath("CdOsO"), out, "json", keys);
    expect(report.keys).toEqual(keys);
    expect([report.rows, report.lengths_match, report.mismatches]).toEqual([20 + 50, true, []]);
    expect(report.cells).toBe(20 * 57 + 50 * 56);
  });

  test("json keeps duplicate labels and gives them aliases (33id_spec.dat 1.1)", async () => {
    const { stdout } = await run([
      "export",
      corpusPath("33id_spec.dat"),
      "--scan",
      "1",
      "-f",
      "json",
    ]);
    const [scan] = JSON.parse(stdout);
    expect(scan.labels).toEqual(labelsInFile("33id_spec.dat", 1));
    expect(scan.labels.slice(-2)).toEqual(["I0", "I0"]);
    expect(scan.aliases.slice(-2)).toEqual(["I0", "I0_1"]);
    expect(scan.rows.length).toBe(41);
    // The first data line of the scan, read off the file.
    expect(scan.rows[0]).toEqual([
      43.628, 0.998231, -0.0136717, 11.0081, 1, 0, 54, 1, 0, 860, 0, 0, 1224, 1224,
    ]);
  });

  test("ndjson: one object per row, None as null, labels with blanks as keys", async () => {
    const { stdout } = await run([
      "export",
      corpusPath("05_02_test.dat"),
      "--scan",
      "1.7",
      "1.6",
      "--format",
      "ndjson",
    ]);
    const rows = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows[0]).toEqual({
      scan: "1.7",
      Epoch_float: 0.7202396392822266,
      Epoch: 1,
      "TR diode": 1,
      I0_USAXS: 64,
      scaler0_channels_chan02: null,
      scaler0_channels_chan05: null,
    });
    expect(stdout.split("\n")[0]).toContain('"TR diode":1.0,');
    expect(rows.slice(1).every((row) => row.scan === "1.6")).toBe(true);
  });

  test("tsv from standard input; numbers as the file writes them", async () => {
    const bytes = new Uint8Array(readFileSync(corpusPath("issue196_data.txt")));
    const { stdout } = await run(["export", "-", "--format", "tsv"], bytes);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.length).toBe(1 + 31);
    expect(lines[0]?.split("\t")).toEqual(labelsInFile("issue196_data.txt", 108));
    const text = readFileSync(corpusPath("issue196_data.txt"), "latin1");
    const afterLabels = text.slice(text.indexOf("\n#L ") + 1).split("\n");
    expect(lines[1]?.split("\t")).toEqual(afterLabels[1]?.trim().split(/\s+/));
    expect(lines[31]?.split("\t")).toEqual(afterLabels[31]?.trim().split(/\s+/));
  });

  test("a file exported scan by scan from disk, in reused memory, is what its scans read whole give", async () => {
    // export reads each scan into the memory of the one before and writes it before the next:
    // every corpus file, in every format, must give the text of the scans read whole.
    const formats = ["csv", "tsv", "json", "ndjson"] as const;
    let tables = 0;
    for (const name of corpusNames()) {
      const scans = parse(readFileSync(corpusPath(name))).scans;
      for (const format of formats) {
        let expected: string | null;
        try {
          expected = formatScans(scans, format);
        } catch {
          expected = null; // labels that differ: no table
        }
        const result = await run(["export", corpusPath(name), "--format", format]);
        if (expected === null) {
          expect(result.status, `${name} ${format}`).toBe(2);
          continue;
        }
        tables++;
        expect(result.status, `${name} ${format}`).toBe(0);
        expect(result.stdout === expected, `${name} ${format}`).toBe(true);
      }
    }
    // Most corpus files hold scans of different labels: some tables were still compared.
    expect(tables).toBeGreaterThan(2 * corpusNames().length);
  });

  test("csv quotes fields with commas and quotes (RFC 4180); Python reads them back", () => {
    const file = parse('#S 1  test\n#L a,b  say "hi"  c\n1 2 3\n4 5 6\n');
    const csv = formatScans(file.scans, "csv");
    expect(csv).toBe('"a,b","say ""hi""",c\r\n1,2,3\r\n4,5,6\r\n');
    const path = join(scratch(), "quoted.csv");
    writeFileSync(path, csv);
    const read = spawnSync(
      pythonInterpreter(),
      ["-c", "import csv,sys,json; print(json.dumps(list(csv.reader(open(sys.argv[1])))))", path],
      { encoding: "utf8" },
    );
    expect(JSON.parse(read.stdout)[0]).toEqual(["a,b", 'say "hi"', "c"]);
  });
});

describe("bad usage: one line on stderr, exit 2", () => {
  const folderWithoutSpec = () => {
    const folder = scratch();
    writeFileSync(join(folder, "notes.txt"), "no SPEC here\n");
    return folder;
  };
  test.each([
    [
      ["show", corpusPath("33bm_spec.dat"), "99"],
      `specx: no scan 99 in ${corpusPath("33bm_spec.dat")} (keys look like 3.1; specx info ${corpusPath("33bm_spec.dat")} lists them)\n`,
    ],
    [
      ["export", corpusPath("33bm_spec.dat"), "--scan", "1.1", "18.1", "-f", "csv"],
      `specx: no scan 18.1 in ${corpusPath("33bm_spec.dat")} (keys look like 3.1; specx info ${corpusPath("33bm_spec.dat")} lists them)\n`,
    ],
    [
      ["export", corpusPath("33bm_spec.dat"), "--format", "xlsx"],
      "specx: unknown format 'xlsx': use one of csv, tsv, json, ndjson\n",
    ],
    [
      ["export", corpusPath("33bm_spec.dat"), "-o", "out.txt"],
      "specx: --format is required: one of csv, tsv, json, ndjson\n",
    ],
    [["info", "/no/such.spec"], "specx: cannot read /no/such.spec: no such file\n"],
    [["show", "/no/such.spec", "1"], "specx: cannot read /no/such.spec: no such file\n"],
    [["export", "/no/such.spec", "-f", "csv"], "specx: cannot read /no/such.spec: no such file\n"],
    [
      ["show", corpusPath("33bm_spec.dat"), "1", "--max-rows", "-3"],
      "specx: --max-rows wants a whole number of rows, not '-3'\n",
    ],
    [
      [
        "export",
        corpusPath("33bm_spec.dat"),
        "--scan",
        "1",
        "-f",
        "csv",
        "-o",
        "/no/such/dir/x.csv",
      ],
      "specx: cannot write /no/such/dir/x.csv: no such folder\n",
    ],
  ])("%j", async (args, message) => {
    const { status, stdout, stderr } = await run(args);
    expect([status, stdout, stderr]).toEqual([2, "", message]);
  });

  test("a folder without SPEC files, a binary file", async () => {
    const folder = folderWithoutSpec();
    const empty = await run(["info", folder]);
    expect([empty.status, empty.stderr]).toEqual([2, `specx: no SPEC files in folder ${folder}\n`]);
    // A gzipped SPEC file, as users may pass one.
    const gzipped = join(folder, "issue82_data.txt.gz");
    writeFileSync(gzipped, gzipSync(readFileSync(corpusPath("issue82_data.txt"))));
    for (const args of [
      ["info", gzipped],
      ["show", gzipped, "17.1"],
      ["export", gzipped, "-f", "csv"],
    ]) {
      const result = await run(args);
      expect([result.status, result.stdout, result.stderr]).toEqual([
        2,
        "",
        `specx: ${gzipped} is not a text file\n`,
      ]);
    }
  });

  test("missing arguments are commander's one-line errors", async () => {
    const { status, stderr } = await run(["show", corpusPath("33bm_spec.dat")]);
    expect(status).toBe(2);
    expect(stderr).toBe("error: missing required argument 'scan'\n");
  });

  test("help shows examples", async () => {
    for (const command of ["info", "show", "export"]) {
      const { status, stdout } = await run([command, "--help"]);
      expect(status).toBe(0);
      expect(stdout).toContain("Examples:\n  specx ");
    }
  });
});

describe("colour", () => {
  const ESC = String.fromCharCode(27);
  /** Runs specx as if standard output were a terminal. */
  const onTerminal = async (args: string[], env: Record<string, string> = {}) =>
    (await run(args, undefined, { stdoutIsTTY: true, env })).stdout;

  test("a terminal gets a bold header row; padding is unchanged; NO_COLOR turns it off", async () => {
    const args = ["info", corpusPath("issue82_data.txt")];
    const plain = (await run(args)).stdout;
    const coloured = await onTerminal(args);
    expect(coloured).toContain(`${ESC}[1mkey ${ESC}[0m`);
    expect(coloured.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "")).toBe(plain);
    expect(await onTerminal(args, { NO_COLOR: "1" })).toBe(plain);
  });
});

describe("the real binary", () => {
  const specx = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });

  test("info on the corpus folder (worker threads) equals the in-process run", {
    timeout: 60_000,
  }, async () => {
    const real = specx(["info", corpusDir()]);
    expect([real.status, real.stderr]).toEqual([0, ""]);
    expect(real.stdout).toBe((await run(["info", corpusDir()])).stdout);
  });

  test("show and export csv through bin/specx.cjs; exit 2 on an unknown scan", {
    timeout: 30_000,
  }, () => {
    const show = specx(["show", corpusPath("issue82_data.txt"), "17.1", "--max-rows", "1"]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/\npoints +92\n/);
    const folder = scratch();
    const out = join(folder, "issue82.csv");
    const exported = specx([
      "export",
      corpusPath("issue82_data.txt"),
      "--format",
      "csv",
      "-o",
      out,
    ]);
    expect([exported.status, exported.stderr]).toEqual([0, ""]);
    const report = pythonCheck(corpusPath("issue82_data.txt"), out, "csv");
    expect([report.rows, report.lengths_match, report.mismatches]).toEqual([92, true, []]);
    const unknown = specx(["show", corpusPath("issue82_data.txt"), "1"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.split("\n").length).toBe(2);
    expect(unknown.stderr).toMatch(/^specx: no scan 1 in /);
  });
});
