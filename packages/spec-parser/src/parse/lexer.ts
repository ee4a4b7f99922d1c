/**
 * The SPEC lexer: line-level tokens.
 *
 * SPEC files are line records, so a line is the unit of structure. Lexing whole lines instead of
 * individual numbers keeps the token count low, which is what chevrotain's cost depends on
 * (ARCHITECTURE.md, "Parsing with chevrotain"). Numbers inside a line are split later, in the model
 * stage. Every token is one line, except two kinds of run whose lines never change the meaning of
 * the next one: a run of data rows and a run of continuation lines are one token each, so that a
 * scan of a thousand rows costs one token, not a thousand. The indexer splits runs back into lines.
 *
 * The lexer runs over a "byte string": the file's bytes decoded one byte per UTF-16 unit, so a
 * string offset is a byte offset and every line can be sliced back to its exact bytes.
 */
import type { ILexerConfig, IToken, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

// ---------------------------------------------------------------------------------------------
// Pattern pieces. No complement sets (`[^…]`) and no `u` flag: chevrotain's first-character
// optimisation cannot analyse them (ARCHITECTURE.md, "Parsing with chevrotain").
// ---------------------------------------------------------------------------------------------

/** Any character that is not a line terminator. */
const REST = "[\\x00-\\x09\\x0B\\x0C\\x0E-\\uFFFF]*";
/**
 * A line terminator, or the end of the text for a last line without one. chevrotain forbids `$`,
 * so the end of the text is "no character follows".
 */
const EOL = "(?:\\r\\n|\\n|\\r|(?![\\s\\S]))";

const line = (head: string): RegExp => new RegExp(`${head}${EOL}`);

// ---------------------------------------------------------------------------------------------
// Tokens, most specific first. Each names the characters its lines can start with
// (`start_chars_hint`): chevrotain would otherwise parse every pattern to find them, the largest
// part of building the lexer on every start (docs/performance.md, "CLI start-up").
// test/lexer.test.ts checks the hints against chevrotain's own analysis of the patterns.
// ---------------------------------------------------------------------------------------------

/** A line made of blanks only. The alternative without a terminator is a blank last line. */
export const BlankLine = createToken({
  name: "BlankLine",
  pattern: /[\t ]*(?:\r\n|\n|\r)|[\t ]+(?![\s\S])/,
  line_breaks: true,
  start_chars_hint: ["\t", " ", "\r", "\n"],
});

/** `#S` followed by a blank, a digit or the end of the line: a scan starts. `#SAMPLE` is not one. */
export const ScanStartLine = createToken({
  name: "ScanStartLine",
  pattern: line(`#S(?:[\\t 0-9]${REST})?`),
  line_breaks: true,
  start_chars_hint: ["#"],
});

/** `#F`: always starts a file header block. */
export const FileStartLine = createToken({
  name: "FileStartLine",
  pattern: line(`#F(?:[\\t ]${REST})?`),
  line_breaks: true,
  start_chars_hint: ["#"],
});

/** `#E`: the epoch line, which starts a header block unless it completes one begun by `#F`. */
export const EpochLine = createToken({
  name: "EpochLine",
  pattern: line(`#E(?:[\\t ]${REST})?`),
  line_breaks: true,
  start_chars_hint: ["#"],
});

/** `#C`: a comment, in a header, a scan header, between data rows or after them. */
export const CommentLine = createToken({
  name: "CommentLine",
  pattern: line(`#C(?:[\\t ]${REST})?`),
  line_breaks: true,
  start_chars_hint: ["#"],
});

/** Any other control line `#KEY text`, possibly indented (which earns a diagnostic later). */
export const ControlLine = createToken({
  name: "ControlLine",
  pattern: line(`[\\t ]*#${REST}`),
  line_breaks: true,
  start_chars_hint: ["\t", " ", "#"],
});

/**
 * `@A`, `@A1`, `@AMCA`, `@ketek`, …: the first line of one MCA spectrum, keyed by a device name
 * (`@` and a letter, then anything up to a blank). SPEC's own macros write `@A<n>`; other writers
 * name the device (`@ketek`, declared by a `#@ketek %25C` line).
 */
export const McaLine = createToken({
  name: "McaLine",
  pattern: line(`@[A-Za-z]${REST}`),
  line_breaks: true,
  start_chars_hint: ["@"],
});

/** Any other line opening with `@` (indented, or not a letter after it): kept, never interpreted. */
export const OtherLine = createToken({
  name: "OtherLine",
  pattern: line(`[\\t ]*@${REST}`),
  line_breaks: true,
  start_chars_hint: ["\t", " ", "@"],
});

/** Every character a data or continuation line may start with: all but `#`, `@` and line ends. */
const LINE_START_CHARS: string[] = Array.from({ length: 256 }, (_, code) =>
  String.fromCharCode(code),
).filter((char) => !"\n\r#@".includes(char));

/**
 * One or more consecutive data rows: lines whose first non-blank character is not `#` or `@`.
 * A run, not a line per token: the rows carry no structure the grammar needs.
 */
export const DataLines = createToken({
  name: "DataLines",
  pattern: { exec: (text: string, offset: number) => runOf(text, offset, false) },
  line_breaks: true,
  // Every character a data row may start with, blanks included; chevrotain only tries these.
  start_chars_hint: LINE_START_CHARS,
});

/** Token types after which a trailing backslash continues the record on the next line. */
const CONTINUABLE = new Set<TokenType>();

/**
 * Control lines that continue over a trailing backslash: `#UXML` and the `#@` MCA/SCA keys.
 * Other keys never do, so a `#U` or `#C` value that ends in a backslash cannot swallow a data row.
 */
const CONTINUABLE_CONTROL = /^[\t ]*#(?:UXML|@)/;

/** True when the line's last non-blank character (terminator excluded) is a backslash. */
export function endsWithBackslash(image: string): boolean {
  return backslashBefore(image, image.length, 0);
}

/** True when the last non-blank character of `text[from, end)` is a backslash. */
function backslashBefore(text: string, end: number, from: number): boolean {
  let i = end - 1;
  while (i >= from) {
    const c = text.charCodeAt(i);
    // \n, \r, space and TAB may follow the backslash.
    if (c === 10 || c === 13 || c === 32 || c === 9) i--;
    else return c === 92;
  }
  return false;
}

/**
 * The continuation lines of a record: recognised by state, never by their leading blanks
 * (docs/spec-format.md §5.1). They follow an MCA line or a `#UXML` or `#@` control line whose
 * content ends with a backslash, and go on while each line ends with one. One token for the whole
 * run (an MCA spectrum of 1,024 channels is 64 of them).
 */
export const ContinuationLines = createToken({
  name: "ContinuationLines",
  pattern: {
    exec: (text: string, offset: number, matched: IToken[]): [string] | null => {
      const previous = matched[matched.length - 1];
      if (previous === undefined || !CONTINUABLE.has(previous.tokenType)) return null;
      if (!endsWithBackslash(previous.image)) return null;
      if (previous.tokenType === ControlLine && !CONTINUABLE_CONTROL.test(previous.image))
        return null;
      return runOf(text, offset, true);
    },
  },
  line_breaks: true,
  start_chars_hint: LINE_START_CHARS,
});

CONTINUABLE.add(McaLine).add(ControlLine);

/** True when the line starting at `offset` is a data row: its first non-blank is not `#` or `@`. */
function isDataLineAt(text: string, offset: number): boolean {
  let i = offset;
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  // Past the end of the text there is no line; \n, \r, # and @ open other lines.
  return i < text.length && c !== 10 && c !== 13 && c !== 35 && c !== 64;
}

/**
 * The run of data-like lines from `offset` on; with `whileContinued`, the run also stops after a
 * line that does not end in a backslash. Null when the first line is not data-like.
 */
function runOf(text: string, offset: number, whileContinued: boolean): [string] | null {
  let end = offset;
  while (end < text.length && isDataLineAt(text, end)) {
    const next = lineEnd(text, end);
    const continued = whileContinued && backslashBefore(text, next, end);
    end = next;
    if (whileContinued && !continued) break;
  }
  return end > offset ? [text.slice(offset, end)] : null;
}

/** The text the last {@link lineEnd} call searched, and whether it holds a carriage return. */
let searchedText = "";
let searchedHasCarriageReturn = false;

/**
 * Offset just past the line that starts at `offset`, its terminator (`\r\n`, `\n` or `\r`)
 * included. Text without any `\r` (nearly every file) is searched with `indexOf`, many times
 * faster than a loop over characters.
 */
export function lineEnd(text: string, offset: number): number {
  if (text !== searchedText) {
    searchedText = text;
    searchedHasCarriageReturn = text.includes("\r");
  }
  if (!searchedHasCarriageReturn) {
    const newline = text.indexOf("\n", offset);
    return newline < 0 ? text.length : newline + 1;
  }
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return text.length;
}

/** All tokens in match order: the state-dependent continuation first, then specific to general. */
export const allTokens: TokenType[] = [
  ContinuationLines,
  BlankLine,
  ScanStartLine,
  FileStartLine,
  EpochLine,
  CommentLine,
  ControlLine,
  McaLine,
  OtherLine,
  DataLines,
];

/**
 * The lexer's settings. Positions are offsets only: the indexer numbers the lines. chevrotain's
 * checks of the token definitions are skipped: they cost every program that reads a SPEC file
 * about 10 ms at start (docs/performance.md, "CLI start-up"), and the definitions are fixed, so
 * test/lexer.test.ts runs the checks instead.
 */
export const lexerConfig: ILexerConfig = {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  // Line terminators are part of every token; the lexer need not count lines.
  lineTerminatorsPattern: /\n|\r\n?/,
  lineTerminatorCharacters: ["\n", "\r"],
  skipValidations: true,
};

/** The lexer instance, built once. */
export const specLexer: Lexer = new Lexer(allTokens, lexerConfig);
