/**
 * The two-pass index against the plain reading of the grammar.
 *
 * Opening a file gives the lexer one stand-in row for each run of lines that start no block, and
 * reading a block gives it one for each run of data rows (indexer.ts). Both are shortcuts: this
 * file checks that they change nothing. The reference lexes the whole file as one string, one
 * token per line or run, and parses the tokens with the same grammar. Line kinds, line starts and
 * blocks must be the same for every corpus file, every fixture and mutated windows of them, read
 * in chunks of any size.
 */
import { fc } from "@fast-check/vitest";
import type { IToken } from "chevrotain";
import { describe, expect, test } from "vitest";
import { memorySource } from "../src/index.js";
import { hasBom, toByteString } from "../src/parse/bytes.js";
import { parseBlocks } from "../src/parse/grammar.js";
import { type Block, indexSource, lexLines } from "../src/parse/indexer.js";
import { lineEnd, specLexer } from "../src/parse/lexer.js";
import { LineTable, lineKindNames } from "../src/parse/line-table.js";
import { mutate, mutation } from "./fuzz-support.js";
import { corpusFiles, fixtureFiles } from "./helpers.js";

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

/** The indexer's view: opened in chunks of `chunkBytes`, then every block's lines lexed. */
function indexed(bytes: Uint8Array, chunkBytes?: number): IndexView & { opened: string[] } {
  const source = memorySource(bytes);
  const table = new LineTable();
  const blocks: Block[] = [];
  const offset = hasBom(bytes) ? 3 : 0;
  table.end = offset;
  indexSource(source, offset, table, blocks, [], chunkBytes);
  const kindsNow = () => Array.from({ length: table.count }, (_, i) => table.kind(i));
  const opened = kindsNow().map((kind) => lineKindNames[kind] ?? "?");
  for (const block of blocks) lexLines(source, table, block.firstLine, block.endLine, []);
  return {
    opened,
    kinds: kindsNow().map((kind) => lineKindNames[kind] ?? "?"),
    starts: Array.from({ length: table.count }, (_, i) => table.start(i)),
    blocks: blocks.map((b) => `${b.kind}:${b.firstLine}-${b.endLine}`),
  };
}

const sources = [...corpusFiles(), ...fixtureFiles()];

describe("the two-pass index reads as the whole file lexed at once", () => {
  test.each(sources.map((file) => [file.name, file.bytes] as const))("%s", (_, bytes) => {
    const expected = reference(bytes);
    for (const chunkBytes of [undefined, 1, 61, 4096]) {
      const { opened, ...view } = indexed(bytes, chunkBytes);
      expect(view).toEqual(expected);
      // Opening lexed only the lines that can start blocks (#S, #F, #E): every other line waits
      // for its block to be read.
      const startKinds = new Set(["scan", "file", "epoch"]);
      expect(opened).toEqual(
        expected.kinds.map((kind) => (startKinds.has(kind) ? kind : "pending")),
      );
    }
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
        const { opened: _, ...view } = indexed(bytes, chunkBytes);
        expect(view).toEqual(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });

  test("a header waiting for its #E past a chunk of 65,536 lines is not cut", () => {
    const text = `#F f\n${"#C c\n".repeat(70_000)}#E 5\n#S 1 x\n1\n`;
    const bytes = new TextEncoder().encode(text);
    const { opened: _, ...view } = indexed(bytes);
    expect(view).toEqual(reference(bytes));
    expect(view.blocks).toEqual(["header:0-70002", "scan:70002-70004"]);
  });
});
