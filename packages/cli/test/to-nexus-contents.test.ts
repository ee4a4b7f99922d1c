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
import { uniqueAliases } from "@specx/spec-parser";
import { corpusNames, corpusPath, pythonInterpreter } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { runSpecx } from "./run-specx.js";

const reader = join(dirname(fileURLToPath(import.meta.url)), "nexus-contents.py");

interface EntryContents {
  name: string;
  default: { valid: boolean; signal: string | null; path: string | null };
  /** Name, values (flattened), shape, and for a mesh's axes the image dimension they span. */
  columns: [string, (number | null)[], number[], number | null][];
  positioners: [string, number | null][];
  spectra: (number | null)[][];
}

interface InspectScan {
  key: string;
  labels: string[];
  rows: number;
  positioners: Record<string, number | null>;
  data: (number | null)[][];
  spectra?: { values: (number | null)[] }[];
}

/** The columns' names as the parser makes them: `#L` labels, then `col<n>` for unnamed ones. */
function namesOf(scan: InspectScan): string[] {
  const width = scan.data[0]?.length ?? scan.labels.length;
  const names = scan.labels.slice(0, width);
  for (let c = names.length; c < width; c++) names.push(`col${c + 1}`);
  return names;
}

/** JSON has no -0: inspect prints `-0.000` as 0, h5py keeps its sign. */
const zero = (value: number | null) => (value === 0 ? 0 : value);

function contents(h5: string): EntryContents[] {
  const run = spawnSync(pythonInterpreter(), [reader, h5], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  expect(run.stderr).toBe("");
  return (JSON.parse(run.stdout) as { entries: EntryContents[] }).entries;
}

describe("to-nexus output, read with h5py, equals what inspect reads", () => {
  it.each(corpusNames())(
    "%s",
    async (name) => {
      const output = join(mkdtempSync(join(tmpdir(), "specx-to-nexus-")), `${name}.h5`);
      const converted = await runSpecx(["to-nexus", corpusPath(name), "-o", output]);
      // 1: a part of an entry could not be converted (test_3_error.spec's #UXML); the rest is written.
      expect(converted.status, converted.stderr).toBe(name === "test_3_error.spec" ? 1 : 0);
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
        // A mesh's motors are its axes, each the grid line it spans (the image is [slow, fast]);
        // an hklmesh's fixed index is one value.
        const image = entry.columns.find(([, , shape]) => shape.length === 2)?.[2];
        const aliases = uniqueAliases(namesOf(scan)).aliases;
        entry.columns.forEach(([alias, values, shape, axis]) => {
          const c = aliases.indexOf(alias);
          expect(c, `${where} column ${alias}`).toBeGreaterThanOrEqual(0);
          const column = scan.data.map((row) => row[c] ?? null);
          let expected = column;
          if (image && axis !== null) {
            const [slow = 0, fast = 0] = image;
            expected =
              axis === 1
                ? column.slice(0, fast)
                : Array.from({ length: slow }, (_, k) => column[k * fast] ?? null);
          } else if (image && (shape.length === 0 || (shape.length === 1 && shape[0] === 1))) {
            expected = column.slice(0, 1);
          }
          expect(values.slice(0, expected.length).map(zero), `${where} column ${c}`).toEqual(
            expected.map(zero),
          );
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
        expect(entry.spectra.slice(0, spectra.length), `${where} spectra`).toEqual(spectra);
        // A stopped mesh's cube is padded with NaN past the spectra it measured.
        for (const padding of entry.spectra.slice(spectra.length)) {
          expect(
            padding.every((v) => v === null),
            `${where} padding`,
          ).toBe(true);
        }
        if (scan.rows > 0) expect(entry.default.valid, `${where} default plot`).toBe(true);
      });
      // A conversion writes tens of thousands of HDF5 objects: up to a minute for a large file.
    },
    300_000,
  );
});
