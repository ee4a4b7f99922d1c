/**
 * Scans read into a NumberArena (src/model/number-arena.ts) against scans read the usual way:
 * the same model on every real file, numbers valid until the arena's next scan, and no cache.
 */
import { describe, expect, test } from "vitest";
import { NumberArena, openSpec, parse, type Scan } from "../src/node.js";
import { everySpecFile, plainData } from "./helpers.js";

/** The memory a scan's numbers live in: its columns' and spectra's buffers. */
function buffersOf(scan: Scan): ArrayBufferLike[] {
  return [
    ...scan.data.columns.map((column) => column.buffer),
    ...(scan.mca?.spectra ?? []).map((spectrum) => spectrum.values.buffer),
  ];
}

describe("a scan read into an arena is the scan read without one", () => {
  test.each(everySpecFile())("%s", (_, path) => {
    const usual = openSpec(path as string);
    const file = openSpec(path as string);
    // One arena for the whole file, as a pass over every scan uses it: it grows as it goes.
    const arena = new NumberArena();
    for (let i = 0; i < file.scanCount; i++) {
      const scan = file.scanAt(i, { arena }) as Scan;
      // Compared before the next read, which may overwrite its numbers.
      expect(plainData(scan)).toEqual(plainData(usual.scanAt(i) as Scan));
    }
    expect(file.diagnostics).toEqual(usual.diagnostics);
  });
});

describe("what an arena promises", () => {
  const twoScans = [
    "#F two.spec",
    "#S 1 ascan x 0 1 2 1",
    "#N 2",
    "#L x y",
    "0 10",
    "1 20",
    "@A 1 2 3",
    "#S 2 ascan x 0 1 2 1",
    "#N 2",
    "#L x y",
    "5 50",
    "6 60",
    "@A 4 5 6",
    "",
  ].join("\n");

  test("the next scan read into the arena takes the memory of the one before", () => {
    const file = parse(twoScans);
    const arena = new NumberArena();
    const first = file.scanAt(0, { arena }) as Scan;
    expect(Array.from(first.data.columns[1] as Float64Array)).toEqual([10, 20]);
    const second = file.scanAt(1, { arena }) as Scan;
    expect(Array.from(second.data.columns[1] as Float64Array)).toEqual([50, 60]);
    // Documented: the first scan's numbers were valid until this read.
    expect(buffersOf(second)[0]).toBe(buffersOf(first)[0]);
    expect(Array.from(first.data.columns[1] as Float64Array)).not.toEqual([10, 20]);
  });

  test("a scan read into an arena is not cached; a scan read without one is its own", () => {
    const file = parse(twoScans);
    const arena = new NumberArena();
    const inArena = file.scanAt(0, { arena }) as Scan;
    const usual = file.scanAt(0) as Scan;
    expect(usual).not.toBe(inArena);
    expect(buffersOf(usual)).not.toContain(buffersOf(inArena)[0]);
    file.scanAt(1, { arena });
    expect(Array.from(usual.data.columns[1] as Float64Array)).toEqual([10, 20]);
    const spectrum = usual.mca?.spectra[0];
    expect(spectrum && Array.from(spectrum.values)).toEqual([1, 2, 3]);
    // Cached now: the arena is not used, and the cached scan comes back as it is.
    expect(file.scanAt(0, { arena })).toBe(usual);
  });

  test("numbers taken before the arena grows stay where they are", () => {
    const arena = new NumberArena();
    arena.startScan();
    const small = arena.take(3);
    small.set([1, 2, 3]);
    const large = arena.take(10_000);
    large.fill(7);
    expect(Array.from(small)).toEqual([1, 2, 3]);
    expect(arena.capacity).toBeGreaterThanOrEqual(10_000);
    // From the next scan on, the larger buffer is reused.
    arena.startScan();
    expect(arena.take(10_000).buffer).toBe(large.buffer);
  });
});
