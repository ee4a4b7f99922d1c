/**
 * Documents of what SPEC writers other than the corpus's put in a file (issue 14; the parser's
 * side is in spec-parser's other-writers.test.ts): spectra of a device named in `#@`.
 */
import { parse } from "@specx/spec-parser";
import { describe, expect, test } from "vitest";
import { fileToRuns } from "../src/index.js";

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

  test("the spectra pair with the rows in the documents, under the device's name", () => {
    const file = parse(`${lines.join("\n")}\n`);
    const [run] = fileToRuns(file);
    const events = (run?.documents ?? [])
      .filter(([name]) => name === "event")
      .map(([, doc]) => (doc as { data: Record<string, unknown> }).data)
      .filter((data) => "icr" in data);
    expect(events).toHaveLength(3);
    const data = events[2] ?? {};
    expect((data.ketek as number[]).length).toBe(2048);
    expect(data.icr).toBe(29000);
  });
});
