/**
 * What `specx to-nexus` writes, read back with h5py as an analysis script would
 * (nexus-contents.py): for every corpus file, every column, positioner and MCA spectrum equals what
 * `specx inspect --json --data --mca` reports for the same scan, and silx's `get_default()` finds
 * a valid NXdata for every scan with data.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusNames, corpusPath, pythonInterpreter } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { runSpecx } from "./run-specx.js";

const reader = join(dirname(fileURLToPath(import.meta.url)), "nexus-contents.py");

interface EntryContents {
  name: string;
  default: { valid: boolean; signal: string | null; path: string | null };
  columns: [string, (number | null)[]][];
  positioners: [string, number | null][];
  spectra: (number | null)[][];
}

interface InspectScan {
  key: string;
  rows: number;
  positioners: Record<string, number | null>;
  data: (number | null)[][];
  spectra?: { values: (number | null)[] }[];
}

function contents(h5: string): EntryContents[] {
  const run = spawnSync(pythonInterpreter(), [reader, h5], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  expect(run.stderr).toBe("");
  return (JSON.parse(run.stdout) as { entries: EntryContents[] }).entries;
}

describe("to-nexus output, read with h5py, equals what inspect reads", () => {
  it.each(corpusNames())("%s", async (name) => {
    const output = join(mkdtempSync(join(tmpdir(), "specx-to-nexus-")), `${name}.h5`);
    const converted = await runSpecx(["to-nexus", corpusPath(name), "-o", output]);
    expect(converted.stderr).toBe("");
    const inspected = await runSpecx(["inspect", corpusPath(name), "--json", "--data", "--mca"]);
    const scans = (JSON.parse(inspected.stdout) as { scans: InspectScan[] }).scans;
    const entries = contents(output);
    expect(entries.length).toBe(scans.length);
    scans.forEach((scan, i) => {
      const entry = entries[i] as EntryContents;
      const where = `${name} scan ${scan.key} (${entry.name})`;
      // Columns: a mesh's images flattened in C order are the rows in file order.
      const width = scan.data[0]?.length ?? 0;
      expect(entry.columns.length, where).toBe(scan.rows > 0 ? width : 0);
      entry.columns.forEach(([, values], c) => {
        const column = scan.data.map((row) => row[c] ?? null);
        expect(values.slice(0, scan.rows), `${where} column ${c}`).toEqual(column);
      });
      // Positioners, in order: the SPEC name (inspect shows a repeat as `name_1`) and value.
      const motors = Object.entries(scan.positioners);
      expect(entry.positioners.length, where).toBe(motors.length);
      entry.positioners.forEach(([motor, value], m) => {
        const [alias, expected] = motors[m] as [string, number | null];
        expect(alias === motor || alias.startsWith(`${motor}_`), `${where} ${alias}`).toBe(true);
        expect(value, `${where} ${alias}`).toBe(expected);
      });
      // Every MCA spectrum, in file order.
      const spectra = (scan.spectra ?? []).map((s) => s.values);
      expect(entry.spectra, `${where} spectra`).toEqual(spectra);
      if (scan.rows > 0) expect(entry.default.valid, `${where} default plot`).toBe(true);
    });
  });
});
