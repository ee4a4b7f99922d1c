import { parse } from "@specx/spec-parser";
import { corpusBytes } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { meshOf, summarizeScan } from "../src/index.js";

const lmn40 = parse(corpusBytes("lmn40.spe"));
const words = (command: string) => command.trim().split(/\s+/);

describe("meshOf", () => {
  it("reads lmn40 S14 (hklmesh H 0 0.4 40 K -0.05 -0.4 35) as 41 × 36 points, L held fixed", () => {
    const scan = lmn40.scan(14);
    if (!scan) throw new Error("lmn40 has no scan 14");
    const mesh = meshOf(words(scan.command), scan.data);
    expect(mesh).toEqual({
      fastColumn: scan.data.aliases.indexOf("H"),
      slowColumn: scan.data.aliases.indexOf("K"),
      fastCount: 41,
      slowCount: 36,
      fixedColumn: scan.data.aliases.indexOf("L"),
    });
    expect(scan.data.rows).toBe(41 * 36);
  });

  it("finds no grid in a one-motor scan or a mesh stopped before its first line", () => {
    const line = lmn40.scan(63);
    if (!line) throw new Error("lmn40 has no scan 63");
    expect(meshOf(words(line.command), line.data)).toBeNull();
    const stopped = parse(
      "#S 1 mesh m1 0 1 10 m2 0 1 4 1\n#N 3\n#L m1 m2 det\n0 0 1\n0.1 0 2\n",
    ).scan(1);
    if (!stopped) throw new Error("no scan 1");
    expect(meshOf(words(stopped.command), stopped.data)).toBeNull();
  });
});

describe("summarizeScan", () => {
  it("gives a scan's key, number, command, date as written, points and columns", () => {
    const scan = lmn40.scan(14);
    if (!scan) throw new Error("lmn40 has no scan 14");
    const summary = summarizeScan(scan);
    expect(summary).toMatchObject({ key: "14.1", number: 14, points: 41 * 36 });
    expect(summary.command).toBe("hklmesh  H 0 0.4 40  K -0.05 -0.4 35  -370000");
    expect(summary.date).toBe(scan.date?.raw);
    expect(summary.columns).toBe(scan.labels.length);
  });
});
