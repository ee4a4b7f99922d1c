/**
 * Counts read from a file (`#N`, `#@CHANN`, `#@ROI`, `#@CTIME`) describe data; they never size
 * what specx allocates. Whatever a line claims, the scan's tables and spectra hold no more bytes
 * than the values actually present need (8 bytes a value, and a value takes at least 2 bytes of
 * text: a digit and a blank), and reading takes no longer than reading the text.
 */
import { describe, expect, test } from "vitest";
import { parse } from "../src/index.js";

/** Bytes held by a scan's numbers: its data columns and its MCA spectra. */
function numberBytes(text: string): { bytes: number; rows: number; spectra: number[] } {
  const scan = parse(text).scanAt(0);
  if (!scan) throw new Error("no scan");
  const columns = scan.data.columns.reduce((sum, column) => sum + column.byteLength, 0);
  const spectra = scan.mca?.spectra ?? [];
  const channels = spectra.reduce((sum, spectrum) => sum + spectrum.values.byteLength, 0);
  return {
    bytes: columns + channels,
    rows: scan.data.rows,
    spectra: spectra.map((spectrum) => spectrum.values.length),
  };
}

const header = "#S 1 ascan x 0 1 1 1\n#D Thu Feb 11 09:00:00 2021\n";

describe("counts in a file never make specx allocate more than the data present", () => {
  test.each([
    ["#N of 10^8 columns", `${header}#N 100000000\n#L x  y\n1 2\n3 4\n`],
    ["#N of 10^8 columns, wrapped 1 per line", `${header}#N 100000000 1\n#L x\n1\n2\n`],
    ["#N with a huge values-per-line", `${header}#N 3 99999999\n#L x  y  z\n1 2\n3\n4 5 6\n`],
    ["#N of 1e300", `${header}#N 1e300\n#L x  y\n1 2\n`],
    ["#N negative", `${header}#N -7 -2\n#L x  y\n1 2\n`],
    [
      "#@CHANN of 10^9 channels over a 4-channel spectrum",
      `${header}#@MCA 16C\n#@CHANN 1000000000 0 999999999 1\n#N 2\n#L x  y\n1 2\n@A 1 2 3 4\n`,
    ],
    [
      "#@CHANN with a reduction of 0 and a negative range",
      `${header}#@CHANN 5 9 -999999999 0\n#N 2\n#L x  y\n1 2\n@A 1 2\n`,
    ],
    ["#@ROI over 10^12 channels", `${header}#@ROI big 0 999999999999\n#N 2\n#L x  y\n1 2\n`],
    ["#@CTIME with many times", `${header}#@CTIME ${"1 ".repeat(5000)}\n#N 2\n#L x  y\n1 2\n`],
  ])("%s", (_, text) => {
    const { bytes, spectra } = numberBytes(text);
    expect(bytes).toBeLessThanOrEqual(4 * text.length);
    // Spectra hold the values written, whatever #@CHANN says.
    const written = [...text.matchAll(/^@A (.*)$/gm)].map((match) =>
      (match[1] ?? "").trim().split(/\s+/),
    );
    expect(spectra).toEqual(written.map((values) => values.length));
  });

  test("a first row of 100,000 values over 2,000 short rows is not taken as the width", () => {
    const wide = Array.from({ length: 100_000 }, (_, i) => i % 10).join(" ");
    const rows = Array.from({ length: 2000 }, (_, i) => `${i} ${i}`).join("\n");
    const text = `${header}#N 2\n#L x  y\n${wide}\n${rows}\n`;
    const { bytes, rows: count } = numberBytes(text);
    expect(count).toBe(2001);
    expect(bytes).toBeLessThanOrEqual(4 * text.length);
  });
});
