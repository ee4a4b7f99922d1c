/**
 * Scans read with `spectra: false` (ScanReadOptions, src/spec-file.ts) against scans read whole:
 * everything but the MCA part is the same on every real file, and such a scan is never cached.
 */
import { corpusPath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { NumberArena, openSpec, parse, type Scan } from "../src/node.js";
import { everySpecFile, plainData } from "./helpers.js";

/** A scan as plain data without its MCA part and findings. */
function withoutMca(scan: Scan): unknown {
  const { mca: _mca, diagnostics: _diagnostics, ...rest } = scan;
  return plainData(rest);
}

/**
 * The findings of `full` that reading its spectra makes: every MCA finding, and lines of spectra
 * that are not valid UTF-8.
 */
function fromSpectra(full: Scan): (finding: Scan["diagnostics"][number]) => boolean {
  const spectrumLines = new Set(
    full.lines
      .filter((line) => line.kind === "mca" || line.kind === "continuation")
      .map((line) => line.line),
  );
  return (finding) =>
    finding.code.startsWith("MCA_") ||
    (finding.code === "DECODE_FALLBACK" && spectrumLines.has(finding.line ?? -1));
}

describe("a scan read without its spectra is the scan read whole, but for them", () => {
  test.each(everySpecFile())("%s", (_, path) => {
    const whole = openSpec(path as string);
    const file = openSpec(path as string);
    const arena = new NumberArena();
    for (let i = 0; i < file.scanCount; i++) {
      const scan = file.scanAt(i, { arena, spectra: false }) as Scan;
      const full = whole.scanAt(i) as Scan;
      expect(scan.mca).toBeNull();
      expect(withoutMca(scan)).toEqual(withoutMca(full));
      // The same findings in the same order, but those reading spectra makes.
      const made = fromSpectra(full);
      expect(scan.diagnostics).toEqual(full.diagnostics.filter((finding) => !made(finding)));
    }
  });

  test("a file of spectra: every spectrum left, every column read", () => {
    const path = corpusPath("33id_spec.dat");
    const whole = openSpec(path);
    const file = openSpec(path);
    let spectra = 0;
    for (let i = 0; i < file.scanCount; i++) {
      spectra += whole.scanAt(i)?.mca?.spectra.length ?? 0;
      const scan = file.scanAt(i, { spectra: false }) as Scan;
      expect(scan.mca).toBeNull();
      expect(scan.diagnostics.filter((d) => d.code.startsWith("MCA_"))).toEqual([]);
      expect(scan.data.columns).toEqual(whole.scanAt(i)?.data.columns);
    }
    expect(spectra).toBe(4260);
  });
});

test("a scan read without its spectra is not cached; a cached scan comes back whole", () => {
  const file = parse(
    ["#F one.spec", "#S 1 ascan x 0 1 1 1", "#N 2", "#L x y", "0 10", "@A 1 2 3", ""].join("\n"),
  );
  const partial = file.scanAt(0, { spectra: false }) as Scan;
  expect(partial.mca).toBeNull();
  const whole = file.scanAt(0) as Scan;
  expect(whole).not.toBe(partial);
  expect(Array.from(whole.mca?.spectra[0]?.values ?? [])).toEqual([1, 2, 3]);
  expect(file.scanAt(0, { spectra: false })).toBe(whole);
});
