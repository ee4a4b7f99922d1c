/**
 * What SPEC writers other than the corpus's put in a file (issue 14): MCA spectra keyed by a
 * device name, a tag stuck to `@A`, and text lines among the data rows. Each case is read as a
 * user would: rows, labels, spectra per device, channels, and the findings with their lines.
 */
import { describe, expect, test } from "vitest";
import { parse, print, type Scan } from "../src/index.js";
import { specLexer } from "../src/parse/lexer.js";

/** `count` channel values written `perLine` to a line after `key`, continued by backslashes. */
function spectrum(key: string, values: number[], perLine: number, indent = " "): string[] {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const words = values.slice(i, i + perLine).join(" ");
    const last = i + perLine >= values.length;
    lines.push(`${i === 0 ? `${key} ` : indent}${words}${last ? "" : "\\"}`);
  }
  return lines;
}

/** Channel values with a recognisable shape: channel c of spectrum s holds (c * 7 + s) % 5. */
const channels = (count: number, s: number) =>
  Array.from({ length: count }, (_, c) => (c * 7 + s) % 5);

const header = ["#F test.spec", "#E 1528796462", "#D Tue Jun 12 09:41:02 2018", "#O0    theta", ""];

function onlyScan(lines: string[]): Scan {
  const text = `${lines.join("\n")}\n`;
  const file = parse(text);
  expect(new TextDecoder().decode(print(file))).toBe(text);
  const scan = file.scanAt(0);
  if (!scan) throw new Error("no scan");
  return scan;
}

const codes = (scan: Scan) => scan.diagnostics.map((d) => d.code);
const rowsOf = (scan: Scan) =>
  Array.from({ length: scan.data.rows }, (_, r) => scan.data.columns.map((c) => c[r]));

describe("lexer: a spectrum is any @ line keyed by a name", () => {
  const kinds = (text: string) => specLexer.tokenize(text).tokens.map((t) => t.tokenType.name);
  test.each([
    ["@A 1 2", "McaLine"],
    ["@A1 1 2", "McaLine"],
    ["@AMCA 1 2", "McaLine"],
    ["@ketek 1 2", "McaLine"],
    ["@1 2 3", "OtherLine"],
    ["  @ketek 1 2", "OtherLine"],
  ])("%s is a %s", (line, kind) => {
    expect(kinds(`${line}\n`)).toEqual([kind]);
  });

  test("continuation lines follow a named spectrum, with or without a leading blank", () => {
    expect(kinds("@ketek 1 2\\\n 3 4\\\n5 6\n7 8\n")).toEqual([
      "McaLine",
      "ContinuationLines",
      "DataLines",
    ]);
  });
});

describe("MCA spectra of named devices", () => {
  const ketek = (s: number) => spectrum("@ketek", channels(2048, s), 25);
  const lines = [
    ...header,
    "#S 1  ascan  theta 0 1  2 1",
    "#D Tue Jun 12 09:41:02 2018",
    "#P0 0.5",
    "#@ketek %25C",
    "#@CHANN 2048 0 2047 1",
    "#@CALIB 0 0.01 0",
    "#N 65",
    "#L icr  ocr  real  live  dead  dtn",
    "31022.5 29410.8 0.80214 0.83377 -1.95501 1.03114",
    ...ketek(0),
    "28801.2 27005.9 0.84490 0.82731 7.90026 0.92207",
    ...ketek(1),
    "29000 27100 0.8 0.81 7.5 0.9",
    ...ketek(2),
  ];

  test("continuation lines are channels, not rows; #N is the one reported", () => {
    const scan = onlyScan(lines);
    expect(scan.labels).toEqual(["icr", "ocr", "real", "live", "dead", "dtn"]);
    expect(scan.data.rows).toBe(3);
    expect(rowsOf(scan)[1]).toEqual([28801.2, 27005.9, 0.8449, 0.82731, 7.90026, 0.92207]);
    const [device] = scan.mca?.devices ?? [];
    expect(device?.name).toBe("@ketek");
    expect(device?.spectra.map((values) => values.length)).toEqual([2048, 2048, 2048]);
    expect(Array.from(device?.spectra[1]?.slice(0, 4) ?? [])).toEqual([1, 3, 0, 2]);
    expect(device?.channels?.count).toBe(2048);
    expect(device?.calibration).toEqual({ a: 0, b: 0.01, c: 0, extra: "" });
    expect(scan.mca?.declarations).toEqual([{ name: "@ketek", layout: "%25C", line: 9 }]);
    expect(codes(scan)).toContain("N_L_MISMATCH");
    for (const code of ["ROW_TOO_SHORT", "MCA_BAD_VALUE", "MCA_CHANNELS_MISMATCH", "TEXT_LINE"]) {
      expect(codes(scan)).not.toContain(code);
    }
  });

  test("several devices: each owns the #@ lines after its declaration; one is never written", () => {
    const scan = onlyScan([
      ...header,
      "#S 2  ascan  theta 0 1  1 1",
      "#D Tue Jun 12 09:41:02 2018",
      "#@ketek %25C",
      "#@CHANN 2048 0 2047 1",
      "#@CALIB 0 0.01 0",
      "#@vortex %25C",
      "#@CHANN 1024 0 1023 1",
      "#@CALIB 0.1 0.02 0",
      "#@falcon %25C",
      "#@CHANN 4096 0 4095 1",
      "#N 2",
      "#L theta  det",
      "0 10",
      ...spectrum("@ketek", channels(2048, 0), 25, ""),
      ...spectrum("@vortex", channels(1024, 1), 25, ""),
      "1 11",
      ...spectrum("@ketek", channels(2048, 2), 25, ""),
      ...spectrum("@vortex", channels(1024, 3), 25, ""),
    ]);
    expect(scan.data.rows).toBe(2);
    const devices = scan.mca?.devices ?? [];
    expect(devices.map((d) => [d.name, d.spectra.map((s) => s.length)])).toEqual([
      ["@ketek", [2048, 2048]],
      ["@vortex", [1024, 1024]],
    ]);
    expect(devices[1]?.calibration?.b).toBe(0.02);
    expect(devices[1]?.channels?.count).toBe(1024);
    expect(scan.mca?.declarations.map((d) => d.name)).toEqual(["@ketek", "@vortex", "@falcon"]);
    const unwritten = scan.diagnostics.filter((d) => d.code === "MCA_DEVICE_UNWRITTEN");
    expect(unwritten.map((d) => d.line)).toEqual([14]);
    expect(codes(scan)).not.toContain("MCA_ROW_MISMATCH");
    expect(codes(scan)).not.toContain("MCA_CHANNELS_MISMATCH");
  });

  test("a spectrum that disagrees with #@CHANN is reported at its line", () => {
    const scan = onlyScan([
      ...header,
      "#S 3  ct 1",
      "#D Tue Jun 12 09:41:02 2018",
      "#@ketek %25C",
      "#@CHANN 64 0 63 1",
      "#L sec  det",
      ...spectrum("@ketek", channels(64, 0), 25),
      "1 5",
      ...spectrum("@ketek", channels(70, 1), 25),
      "1 6",
    ]);
    const found = scan.diagnostics.filter((d) => d.code === "MCA_CHANNELS_MISMATCH");
    expect(found.map((d) => d.line)).toEqual([15]);
    expect(found[0]?.message).toMatch(/1 of 2 @ketek spectra hold 70 values; #@CHANN gives 64/);
  });

  test("a spectrum whose last line still ends in a backslash keeps its values", () => {
    const scan = onlyScan([
      ...header,
      "#S 4  ct 1",
      "#D Tue Jun 12 09:41:02 2018",
      "#L sec  det",
      "@A 1 2 3\\",
      " 4 5\\",
      "#C Tue Jun 12 09:41:03 2018.  mca stopped.",
      "1 5",
    ]);
    expect(Array.from(scan.mca?.spectra[0]?.values ?? [])).toEqual([1, 2, 3, 4, 5]);
    const found = scan.diagnostics.filter((d) => d.code === "MCA_UNTERMINATED");
    expect(found.map((d) => d.line)).toEqual([10]);
    expect(codes(scan)).not.toContain("MCA_BAD_VALUE");
  });
});

describe("a tag stuck to @A is part of the key", () => {
  test("@AMCA: 2,048 channels, not 2,049", () => {
    const scan = onlyScan([
      ...header,
      "#S 5  ct 1",
      "#D Tue Jun 12 09:41:02 2018",
      "#@MCA %16C",
      "#@CHANN 2048 0 2047 1",
      "#L sec  det",
      ...spectrum("@AMCA", channels(2048, 0), 16),
      "1 5",
    ]);
    expect(scan.mca?.devices.map((d) => [d.name, d.spectra[0]?.length])).toEqual([["@AMCA", 2048]]);
    expect(scan.mca?.spectra[0]?.values[0]).toBe(0);
    expect(codes(scan)).not.toContain("MCA_BAD_VALUE");
    expect(codes(scan)).not.toContain("MCA_CHANNELS_MISMATCH");
  });
});

describe("text among the data is not a row", () => {
  const scan = onlyScan([
    ...header,
    "#S 6  ascan  theta 0 1  3 1",
    "#D Tue Jun 12 09:41:02 2018",
    "#L theta  I0  det",
    "sample changed before the first point",
    "0 100 5",
    "0.5 101 6",
    "detector gain set to high",
    "1 102 7",
    "#C Tue Jun 12 09:41:02 2018.  Scan aborted after 3 points.",
    "#C Tue Jun 12 09:41:02 2018.",
    "spectrum data is saved at sample_b.spm3.",
    "2 103 oops",
  ]);

  test("text lines before, between and after the rows are kept, not counted", () => {
    expect(scan.data.rows).toBe(4);
    expect(scan.textLines).toEqual([
      { text: "sample changed before the first point", line: 9, afterRow: 0 },
      { text: "detector gain set to high", line: 12, afterRow: 2 },
      { text: "spectrum data is saved at sample_b.spm3.", line: 16, afterRow: 3 },
    ]);
    const found = scan.diagnostics.filter((d) => d.code === "TEXT_LINE");
    expect(found.map((d) => d.line)).toEqual([9, 12, 16]);
    expect(found[2]?.message).toMatch(/may continue the #C comment on line 15/);
    expect(found[1]?.message).not.toMatch(/comment/);
    expect(scan.abortedAfter).toBe(3);
  });

  test("a row with one stray word among its numbers stays a row", () => {
    expect(rowsOf(scan)[3]).toEqual([2, 103, Number.NaN]);
    expect(codes(scan)).toContain("NON_NUMERIC_TOKEN");
  });

  test("in a bluesky-written scan, Python literals are values", () => {
    const bluesky = onlyScan([
      ...header,
      "#S 7  scan(detectors=['det'], num=3)",
      "#D Tue Jun 12 09:41:02 2018",
      "#MD plan_name = scan",
      "#L m1  label  arr  flag  det",
      "-1.0 'two words' [1, 2, 3] True None",
      "0.0 'a' [] False 3",
      "1.0 'x y z' [[1, 2], [3, 4]] True 4",
    ]);
    expect(bluesky.data.rows).toBe(3);
    expect(bluesky.textLines).toEqual([]);
  });

  test("the same words outside a bluesky scan are text", () => {
    const plain = onlyScan([
      ...header,
      "#S 8  ct 1",
      "#D Tue Jun 12 09:41:02 2018",
      "#L sec  det",
      "1 5",
      "see 'notes' [page 3]",
    ]);
    expect(plain.data.rows).toBe(1);
    expect(plain.textLines.map((t) => t.line)).toEqual([10]);
  });
});
