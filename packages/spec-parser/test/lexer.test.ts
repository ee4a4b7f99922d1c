/** Lexer and grammar cases: each line kind, runs of lines, and the block structure. */
import type { TokenType } from "chevrotain";
import { describe, expect, test } from "vitest";
import { memorySource, parse } from "../src/index.js";
import { encodeUtf8 } from "../src/parse/bytes.js";
import { createToken, Lexer } from "../src/parse/chevrotain.js";
import { SpecGrammar } from "../src/parse/grammar.js";
import { type Block, blockLines, indexSource } from "../src/parse/indexer.js";
import { allTokens, lexerConfig, specLexer } from "../src/parse/lexer.js";
import { LineTable, lineKindNames } from "../src/parse/line-table.js";

const kinds = (text: string) => specLexer.tokenize(text).tokens.map((t) => t.tokenType.name);
/** Kind and start offset of every line, as the indexer records them. */
/** Every line of the file as its block reads it: kind and start offset. */
const indexedLines = (text: string, chunkBytes?: number) => {
  const source = memorySource(encodeUtf8(text));
  const blocks: Block[] = [];
  indexSource(source, 0, { lines: 0, end: 0, lastLineStart: 0 }, blocks, [], chunkBytes);
  return blocks.flatMap((block) => {
    const table = blockLines(source, block, []);
    return Array.from({ length: block.endLine - block.firstLine }, (_, i) => ({
      kind: lineKindNames[table.kind(block.firstLine + i)],
      start: table.start(block.firstLine + i),
    }));
  });
};
const lineKinds = (text: string, chunkBytes?: number) =>
  indexedLines(text, chunkBytes).map((line) => line.kind);
const lineStarts = (text: string) => indexedLines(text).map((line) => line.start);
const blocks = (text: string) =>
  parse(text).blocks.map((b) => `${b.kind}:${b.firstLine + 1}-${b.endLine}`);

describe("lexer: line-level tokens", () => {
  test.each([
    ["#S 1 ascan", "ScanStartLine"],
    ["#S1", "ScanStartLine"],
    ["#S\t2 x", "ScanStartLine"],
    ["#S", "ScanStartLine"],
    ["#SAMPLE quartz", "ControlLine"],
    ["#F /data/x.spec", "FileStartLine"],
    ["#FOO", "ControlLine"],
    ["#E 918630612", "EpochLine"],
    ["#C hello", "CommentLine"],
    ["#CA x", "ControlLine"],
    ["#O0 a  b", "ControlLine"],
    ["   #C indented", "ControlLine"],
    ["#@CALIB 1 2 3", "ControlLine"],
    ["@A 1 2 3", "McaLine"],
    ["@A1 1 2 3", "McaLine"],
    ["@B x", "McaLine"],
    ["@ketek 1 2", "McaLine"],
    ["@1 x", "OtherLine"],
    ["@ x", "OtherLine"],
    ["1 2 3", "DataLines"],
    ["\t-1.5e3 nan", "DataLines"],
    ["None 1", "DataLines"],
    ["   ", "BlankLine"],
  ])("%j is a %s", (line, kind) => {
    expect(kinds(`${line}\n`)).toEqual([kind]);
    expect(kinds(line)).toEqual([kind]);
  });

  test("every line ending ends a line", () => {
    expect(lineStarts("1\n2\r\n3\r4")).toEqual([0, 2, 5, 7]);
    expect(lineKinds("1\n2\r\n3\r4")).toEqual(["data", "data", "data", "data"]);
    expect(kinds("\n\r\n\r")).toEqual(["BlankLine", "BlankLine", "BlankLine"]);
  });

  test("consecutive data rows are one token; anything else ends the run", () => {
    const text = "1 2\n 3 4\n\t5 6\n#C x\n7 8\n\n9\n  #C y\n@ z\n10";
    expect(kinds(text)).toEqual([
      "DataLines",
      "CommentLine",
      "DataLines",
      "BlankLine",
      "DataLines",
      "ControlLine",
      "OtherLine",
      "DataLines",
    ]);
    expect(specLexer.tokenize(text).tokens[0]?.image).toBe("1 2\n 3 4\n\t5 6\n");
    const perLine = ["data", "data", "data", "comment", "data", "blank", "data"];
    expect(lineKinds(text)).toEqual([...perLine, "control", "other", "data"]);
    // A run cut by a chunk boundary gives the same lines.
    for (const chunkBytes of [1, 3, 7, 16]) {
      expect(lineKinds(text, chunkBytes)).toEqual(lineKinds(text));
    }
  });

  test("continuation lines are recognised by state, not by leading blanks", () => {
    const mca = "@A 1 2\\\n 3 4\\  \n 5\n 6 7\n";
    expect(kinds(mca)).toEqual(["McaLine", "ContinuationLines", "DataLines"]);
    expect(lineKinds(mca)).toEqual(["mca", "continuation", "continuation", "data"]);
    expect(kinds("#UXML <a \\\n b='1'>\n#C x \\\n 1 2\n")).toEqual([
      "ControlLine",
      "ContinuationLines",
      "CommentLine",
      "DataLines",
    ]);
    // Only #UXML and #@ keys continue: a #U value ending in a backslash keeps the next row.
    expect(kinds("#@SCA 1 2\\\n 3\n#U label = a\\\n1 2\n")).toEqual([
      "ControlLine",
      "ContinuationLines",
      "ControlLine",
      "DataLines",
    ]);
    // A backslash never swallows a control line or a blank line.
    expect(kinds("@A 1\\\n#C x\n@A 2\\\n\n")).toEqual([
      "McaLine",
      "CommentLine",
      "McaLine",
      "BlankLine",
    ]);
  });

  test("the lexer is total: any text lexes without errors and covers every character", () => {
    const text = "\u0000\u0001#\n@\n\t#S\r\r\n\\\\\n\u00ff\u00b0 x\n";
    const { tokens, errors } = specLexer.tokenize(text);
    expect(errors).toEqual([]);
    expect(tokens.map((t) => t.image).join("")).toBe(text);
  });
});

describe("grammar: block structure", () => {
  test("a #F header takes one #E; a second #E starts a new header", () => {
    expect(blocks("#F a\n#E 1\n#E 2\n#S 1\n1\n")).toEqual(["header:1-2", "header:3-3", "scan:4-5"]);
  });

  test("#E after data starts a header; #E first in a block is a header too", () => {
    expect(blocks("#E 1\n#S 1\n1\n#E 2\n#S 2\n")).toEqual([
      "header:1-1",
      "scan:2-3",
      "header:4-4",
      "scan:5-5",
    ]);
  });

  test("#F can follow data directly; a header may own no scans", () => {
    expect(blocks("#F a\n#S 1\n1 2\n#F b\n#F c\n#S 1\n")).toEqual([
      "header:1-1",
      "scan:2-3",
      "header:4-4",
      "header:5-5",
      "scan:6-6",
    ]);
  });

  test("lines before the first block are a preamble; blank lines never end a scan", () => {
    expect(blocks("\nhello\n#S 1\n\n1\n\n#C after\n")).toEqual(["preamble:1-2", "scan:3-7"]);
  });
});

describe("line table", () => {
  test("keeps offsets past 4 GiB, grows past a segment and truncates", () => {
    const table = new LineTable();
    const starts = [0, 10, 2 ** 32 + 5, 2 ** 33, 2 ** 40];
    for (const start of starts) table.push(8, start, start + 3);
    expect(starts.map((_, i) => table.start(i))).toEqual(starts);
    expect(table.stop(4)).toBe(2 ** 40 + 3);
    expect(table.lineAt(2 ** 32 + 6)).toBe(2);

    const long = new LineTable();
    for (let i = 0; i < 70000; i++) long.push(i % 10 === 0 ? 5 : 8, i * 100, i * 100 + 100);
    expect([long.start(65535), long.start(65536), long.start(69999)]).toEqual([
      6553500, 6553600, 6999900,
    ]);
    expect([long.kind(65530), long.kind(65531)]).toEqual([5, 8]);
    long.truncate(65536);
    expect([long.count, long.end, long.start(65536)]).toEqual([65536, 6553600, 6553600]);
    long.push(9, 6553600, 6553700);
    expect([long.kind(65536), long.start(65536), long.end]).toEqual([9, 6553600, 6553700]);

    // A block's own table numbers its lines as the file does.
    const block = new LineTable(1000);
    block.pushLines(8, 500, 0, Int32Array.of(4, 9, 15), 0, 3);
    block.setKind(1001, 4);
    expect([block.count, block.start(1000), block.stop(1002), block.end]).toEqual([
      1003, 500, 515, 515,
    ]);
    expect([block.kind(1000), block.kind(1001), block.kind(999), block.lineAt(509)]).toEqual([
      8, 4, 9, 1002,
    ]);
  });
});

describe("chunk boundaries", () => {
  test.each([
    ["an @ line", "#F f\n#C c\n@A 1\n#E 5\n#S 1 x\n#L a\n1\n@A 2\n3\n@A 4\n"],
    ["data lines", "#F f\n1 2\n3 4\n5 6\n#E 5\n#S 1 x\n#L a\n1\n2\n"],
    ["#EXTRA, which is no #E", "#F f\n1 2\n#EXTRA\n3 4\n5 6\n#E 5\n#S 1 x\n"],
  ])("a chunk never ends inside an #F header still waiting for its #E (%s)", (_, text) => {
    const table = (chunkBytes?: number) => {
      const blocks: Block[] = [];
      const extent = { lines: 0, end: 0, lastLineStart: 0 };
      indexSource(memorySource(encodeUtf8(text)), 0, extent, blocks, [], chunkBytes);
      return blocks;
    };
    const whole = table();
    expect(whole.map((b) => b.kind)).toEqual(["header", "scan"]);
    for (const chunkBytes of [1, 2, 5, 9, 17, 30]) expect(table(chunkBytes)).toEqual(whole);
  });
});

// The lexer and the grammar skip chevrotain's definition checks at run time (start-up cost,
// docs/performance.md); here they run, so a defect in a token or rule still fails the build.
describe("chevrotain's definition checks", () => {
  test("the lexer's token definitions pass them, and tokenize as the lexer in use does", () => {
    const checked = new Lexer(allTokens, { ...lexerConfig, skipValidations: false });
    expect(checked.lexerDefinitionErrors).toEqual([]);
    const text = "#F f\n#E 1\n\n#S 1 ascan\n#L a  b\n1 2\n3 4\n@A 1 2\\\n 3\n#C done\nodd\n";
    const names = (lexer: Lexer) => lexer.tokenize(text).tokens.map((t) => t.tokenType.name);
    expect(names(checked)).toEqual(names(specLexer));
  });

  test("each token's start characters are the ones chevrotain finds in its pattern", () => {
    // The same patterns without hints: chevrotain analyses each regular expression instead.
    const analysed = allTokens.map((token) =>
      token.PATTERN instanceof RegExp
        ? createToken({ name: token.name, pattern: token.PATTERN, line_breaks: true })
        : token,
    );
    // chevrotain's table (internal, chevrotain 11): first character → token types tried there.
    const firstCharTable = (tokens: TokenType[]) => {
      const lexer = new Lexer(tokens, lexerConfig) as unknown as {
        charCodeToPatternIdxToConfig: { defaultMode: ({ tokenType: TokenType }[] | undefined)[] };
      };
      return lexer.charCodeToPatternIdxToConfig.defaultMode.map((configs) =>
        configs?.map((config) => config.tokenType.name),
      );
    };
    const hinted = firstCharTable(allTokens);
    expect(hinted[35]).toContain("ScanStartLine");
    expect(hinted).toEqual(firstCharTable(analysed));
  });

  test("the grammar passes them (no ambiguity, no left recursion)", () => {
    // performSelfAnalysis throws on any definition error the checks find.
    expect(() => new SpecGrammar(true)).not.toThrow();
  });
});
