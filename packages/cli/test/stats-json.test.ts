/**
 * The `stats --json` writer of commands/stats-json.ts against the generic `toJson` it replaces:
 * the same bytes on the statistics of every corpus file and on hand-made edge cases (no files,
 * no scans, no columns, no plot, non-finite numbers, text that JSON must escape).
 */

import type { ScanStats } from "@specx/scan-data";
import { toJson } from "@specx/scan-data";
import { corpusNames, corpusPath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import type { StatsResult } from "../src/commands/stats.js";
import { statsOfFile } from "../src/commands/stats-job.js";
import { statsJson } from "../src/commands/stats-json.js";

function bothWays(result: StatsResult): void {
  expect(statsJson(result)).toBe(`${toJson(result)}\n`);
}

describe("statsJson writes what toJson writes", () => {
  test.each(corpusNames())("%s", (name) => {
    const path = corpusPath(name);
    const { file, scans } = statsOfFile({ name: path, bytes: new Uint8Array(0), path }, {});
    expect(scans.length).toBeGreaterThan(0);
    bothWays({ files: [{ file, scans }] });
  });

  test("every corpus file in one document", () => {
    const files = corpusNames().map((name) => {
      const path = corpusPath(name);
      const { file, scans } = statsOfFile({ name, bytes: new Uint8Array(0), path }, {});
      return { file, scans };
    });
    bothWays({ files });
  });

  const scan = (overrides: Partial<ScanStats>): ScanStats => ({
    key: "1.1",
    command: "ascan  th 0 1  10 0.1",
    rows: 3,
    columns: [{ label: "th", count: 3, min: -0.5, max: 1e21, mean: 1.5e-7 }],
    plot: {
      x: "th",
      y: "det",
      peak: { x: 0.1, y: 7 },
      fwhm: Number.POSITIVE_INFINITY,
      cen: Number.NaN,
      com: null,
    },
    ...overrides,
  });

  test.each<[string, StatsResult]>([
    ["no files", { files: [] }],
    ["a file without scans", { files: [{ file: "-", scans: [] }] }],
    [
      "a scan without columns or plot",
      { files: [{ file: "a", scans: [scan({ columns: [], plot: null })] }] },
    ],
    [
      "empty columns, escaped and non-ASCII text",
      {
        files: [
          {
            file: 'dir/"quoted"\\name.spec',
            scans: [
              scan({
                key: "2.1",
                command: "tscan\tθ 0 1\u0001",
                columns: [
                  { label: "Δ µ", count: 0, min: null, max: null, mean: null },
                  { label: "", count: 1, min: -0, max: 0, mean: 0 },
                ],
              }),
              scan({}),
            ],
          },
          { file: "b", scans: [] },
        ],
      },
    ],
  ])("%s", (_, result) => bothWays(result));
});
