/**
 * `SpecFile.sourceLines`: any range of physical lines, read from the blocks that hold them, as
 * the model's own lines (the browser viewer's raw text shows them).
 */
import { corpusFiles } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { parse } from "../src/index.js";

/** Every line of the file as the parser reads them, block by block. */
function modelLines(file: ReturnType<typeof parse>) {
  const headers = file.blocks.filter((block) => block.kind === "header").length;
  return [
    ...file.preamble,
    ...Array.from({ length: headers }, (_, i) => file.header(i).lines),
    ...file.scans.map((scan) => scan.lines),
  ]
    .flat()
    .sort((a, b) => a.line - b.line);
}

describe("SpecFile.sourceLines", () => {
  it("gives every corpus file's lines as its headers, scans and preamble hold them", () => {
    for (const { name, bytes } of corpusFiles()) {
      const file = parse(bytes);
      const all = file.sourceLines(1, file.lineCount);
      expect(all.length, name).toBe(file.lineCount);
      expect(all, name).toEqual(modelLines(file));
      // A range across the first scan's start, and one past the end.
      const start = file.scanEntries[0]?.line ?? 1;
      expect(file.sourceLines(start - 2, start + 2), name).toEqual(
        all.slice(Math.max(0, start - 3), start + 2),
      );
      expect(file.sourceLines(file.lineCount + 1, file.lineCount + 9)).toEqual([]);
    }
  });

  it("splits \\r\\n, a lone \\r and a last line without terminator, and decodes Latin-1", () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("#F x\r\n#E 1\r#C caf"),
      0xe9,
      ...new TextEncoder().encode("\n#S 1 count 1\n#L a\n1"),
    ]);
    const lines = parse(bytes).sourceLines(0, 99);
    expect(lines.map((line) => [line.line, line.text, line.eol])).toEqual([
      [1, "#F x", "\r\n"],
      [2, "#E 1", "\r"],
      [3, "#C café", "\n"],
      [4, "#S 1 count 1", "\n"],
      [5, "#L a", "\n"],
      [6, "1", ""],
    ]);
  });
});
