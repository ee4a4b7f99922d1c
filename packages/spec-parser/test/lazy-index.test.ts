/**
 * The two-pass index against the plain reading of the grammar.
 *
 * Opening a file gives the lexer one stand-in row for each run of lines that start no block, and
 * reading a block gives it one for each run of data rows (indexer.ts). Both are shortcuts: this
 * file checks that they change nothing. The reference lexes the whole file as one string, one
 * token per line or run, and parses the tokens with the same grammar. Line kinds, line starts and
 * blocks must be the same for every corpus file, every fixture and mutated windows of them, read
 * in chunks of any size, with blocks lexed one by one or together. Opening must decode no more
 * than the block starts and the stand-ins.
 */
import { fc } from "@fast-check/vitest";
import { corpusFiles, fixtureFiles } from "@specx/test-support";
import { mutate, mutation } from "@specx/test-support/fuzz";
import type { IToken } from "chevrotain";
import { describe, expect, test } from "vitest";
import { memorySource } from "../src/index.js";
import { hasBom, toByteString } from "../src/parse/bytes.js";
import { parseBlocks } from "../src/parse/grammar.js";
import { type Block, blockLines, indexSource } from "../src/parse/indexer.js";
import { lineEnd, specLexer } from "../src/parse/lexer.js";
import { lineKindNames } from "../src/parse/line-table.js";

/** Kind names of the tokens, as the line table names them. */
const kindOfToken: Record<string, string> = {
  BlankLine: "blank",
  FileStartLine: "file",
  EpochLine: "epoch",
  ScanStartLine: "scan",
  CommentLine: "comment",
  ControlLine: "control",
  McaLine: "mca",
  ContinuationLines: "continuation",
  DataLines: "data",
  OtherLine: "other",
};

interface IndexView {
  kinds: string[];
  starts: number[];
  blocks: string[];
}

/** The whole file lexed as one string and parsed at once: no chunks, no stand-ins. */
function reference(bytes: Uint8Array): IndexView {
  const offset = hasBom(bytes) ? 3 : 0;
  const text = toByteString(bytes.subarray(offset));
  const { tokens } = specLexer.tokenize(text);
  const kinds: string[] = [];
  const starts: number[] = [];
  const lineOfToken = new Map<IToken, number>();
  for (const token of tokens) {
    lineOfToken.set(token, kinds.length);
    const kind = kindOfToken[token.tokenType.name] ?? "?";
    const end = token.startOffset + token.image.length;
    for (let from = token.startOffset; from < end; from = lineEnd(text, from)) {
      kinds.push(kind);
      starts.push(offset + from);
    }
  }
  const starters = parseBlocks(tokens).blockStarts;
  const blocks: string[] = [];
  const firstStart = starters[0] ? (lineOfToken.get(starters[0].token) as number) : kinds.length;
  if (firstStart > 0) blocks.push(`preamble:0-${firstStart}`);
  starters.forEach((start, i) => {
    const next = starters[i + 1];
    const end = next ? (lineOfToken.get(next.token) as number) : kinds.length;
    blocks.push(`${start.kind}:${lineOfToken.get(start.token)}-${end}`);
  });
  return { kinds, starts, blocks };
}

/** The indexer's view: opened in chunks of `chunkBytes`, then every block's lines split and lexed. */
function indexed(
  bytes: Uint8Array,
  chunkBytes?: number,
  together = false,
): IndexView & { decoded: number } {
  let decoded = 0;
  const source = {
    ...memorySource(bytes),
    byteString: (part: Uint8Array) => {
      decoded += part.length;
      return toByteString(part);
    },
  };
  const blocks: Block[] = [];
  const offset = hasBom(bytes) ? 3 : 0;
  indexSource(
    source,
    offset,
    { lines: 0, end: offset, lastLineStart: offset },
    blocks,
    [],
    chunkBytes,
  );
  const opened = decoded;
  const kinds: string[] = [];
  const starts: number[] = [];
  // Blocks are lexed one by one, or all together, as a batch of small scans is.
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const ranges =
    together && first && last ? [{ ...first, endLine: last.endLine, end: last.end }] : blocks;
  for (const block of ranges) {
    const table = blockLines(source, block, []);
    for (let line = block.firstLine; line < block.endLine; line++) {
      kinds.push(lineKindNames[table.kind(line)] ?? "?");
      starts.push(table.start(line));
    }
  }
  return {
    decoded: opened,
    kinds,
    starts,
    blocks: blocks.map((b) => `${b.kind}:${b.firstLine}-${b.endLine}`),
  };
}

const sources = [...corpusFiles(), ...fixtureFiles()];

describe("the two-pass index reads as the whole file lexed at once", () => {
  test.each(sources.map((file) => [file.name, file.bytes] as const))("%s", (_, bytes) => {
    const expected = reference(bytes);
    for (const chunkBytes of [undefined, 1, 61, 4096]) {
      const { decoded: _, ...view } = indexed(bytes, chunkBytes);
      expect(view).toEqual(expected);
    }
    const { decoded: __, ...together } = indexed(bytes, undefined, true);
    expect(together).toEqual(expected);
    // Opening decoded only the lines that can start blocks (#S, #F, #E), and a two-byte stand-in
    // for each run of other lines between them (a chunk's end may split a run): everything else
    // waits for its block to be read.
    const startKinds = new Set(["scan", "file", "epoch"]);
    let startBytes = 0;
    let startLines = 0;
    expected.kinds.forEach((kind, i) => {
      if (!startKinds.has(kind)) return;
      startLines++;
      startBytes += (expected.starts[i + 1] ?? bytes.length) - (expected.starts[i] as number);
    });
    const { decoded } = indexed(bytes);
    expect(decoded).toBeGreaterThanOrEqual(startBytes);
    const chunks = Math.ceil(bytes.length / 65536);
    expect(decoded).toBeLessThanOrEqual(startBytes + 2 * (startLines + chunks));
  });

  test("mutated windows, in chunks of any size", () => {
    const input = fc.tuple(
      fc.nat(sources.length - 1),
      fc.nat(),
      fc.nat(16 * 1024),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 2048 }),
    );
    fc.assert(
      fc.property(input, ([which, at, size, mutations, chunkBytes]) => {
        const whole = (sources[which] as { bytes: Uint8Array }).bytes;
        const start = whole.length > size ? at % (whole.length - size + 1) : 0;
        let bytes = whole.subarray(start, start + size);
        for (const m of mutations) bytes = mutate(bytes, m);
        const { decoded: _, ...view } = indexed(bytes, chunkBytes, chunkBytes % 2 === 0);
        expect(view).toEqual(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });

  test("MCA lines and what may continue them, in every order", () => {
    // Lines that end in a backslash or not, data-like or not, next to `@` lines of every shape.
    const line = fc.constantFrom(
      "@A 1 2\\",
      "@A 1 2",
      "@A1\\ \t",
      "@AMCA",
      "@b\\",
      "@1 x\\",
      " @A 3\\",
      " 3 4\\",
      " 3 4",
      "5 6",
      "5 6\\",
      "\t7\\ ",
      "\\",
      "#@CALIB 1 2 3\\",
      "#C c\\",
      "#S 2 x",
      "",
      "   ",
      "x y",
    );
    const eol = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, eol), { maxLength: 30 }),
        fc.boolean(),
        (lines, ended) => {
          const last = lines.length - 1;
          const text = `#S 1 x\n${lines.map(([l, e], i) => (i === last && !ended ? l : l + e)).join("")}`;
          const bytes = new TextEncoder().encode(text);
          const { decoded: _, ...view } = indexed(bytes);
          expect(view).toEqual(reference(bytes));
        },
      ),
      { numRuns: 1000, seed: 16 },
    );
  });

  test("a header waiting for its #E past a chunk of 65,536 lines is not cut", () => {
    const text = `#F f\n${"#C c\n".repeat(70_000)}#E 5\n#S 1 x\n1\n`;
    const bytes = new TextEncoder().encode(text);
    const { decoded: _, ...view } = indexed(bytes);
    expect(view).toEqual(reference(bytes));
    expect(view.blocks).toEqual(["header:0-70002", "scan:70002-70004"]);
  });
});
