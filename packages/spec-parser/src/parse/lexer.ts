/**
 * The SPEC lexer: one token per physical line.
 *
 * SPEC files are line records, so a line is the unit of structure. Lexing whole lines instead of
 * individual numbers keeps the token count low, which is what chevrotain's cost depends on
 * (toolchain notes §4.3). Numbers inside a line are split later, in the model stage.
 *
 * The lexer runs over a "byte string": the file's bytes decoded one byte per UTF-16 unit, so a
 * string offset is a byte offset and every line can be sliced back to its exact bytes.
 */
import { createToken, type IToken, Lexer, type TokenType } from "chevrotain";

// ---------------------------------------------------------------------------------------------
// Pattern pieces. No complement sets (`[^…]`) and no `u` flag: chevrotain's first-character
// optimisation cannot analyse them (toolchain notes §3, problem 5).
// ---------------------------------------------------------------------------------------------

/** Any character that is not a line terminator. */
const REST = "[\\x00-\\x09\\x0B\\x0C\\x0E-\\uFFFF]*";
/**
 * A line terminator, or the end of the text for a last line without one. chevrotain forbids `$`,
 * so the end of the text is "no character follows".
 */
const EOL = "(?:\\r\\n|\\n|\\r|(?![\\s\\S]))";
/** Characters that may open a data row: anything but `#`, `@`, blanks and line terminators. */
const DATA_START = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x22\\x24-\\x3F\\x41-\\uFFFF]";

const line = (head: string): RegExp => new RegExp(`${head}${EOL}`);

// ---------------------------------------------------------------------------------------------
// Tokens, most specific first.
// ---------------------------------------------------------------------------------------------

/** A line made of blanks only. The alternative without a terminator is a blank last line. */
export const BlankLine = createToken({
  name: "BlankLine",
  pattern: /[\t ]*(?:\r\n|\n|\r)|[\t ]+(?![\s\S])/,
  line_breaks: true,
});

/** `#S` followed by a blank, a digit or the end of the line: a scan starts. `#SAMPLE` is not one. */
export const ScanStartLine = createToken({
  name: "ScanStartLine",
  pattern: line(`#S(?:[\\t 0-9]${REST})?`),
  line_breaks: true,
});

/** `#F`: always starts a file header block. */
export const FileStartLine = createToken({
  name: "FileStartLine",
  pattern: line(`#F(?:[\\t ]${REST})?`),
  line_breaks: true,
});

/** `#E`: the epoch line, which starts a header block unless it completes one begun by `#F`. */
export const EpochLine = createToken({
  name: "EpochLine",
  pattern: line(`#E(?:[\\t ]${REST})?`),
  line_breaks: true,
});

/** `#C`: a comment, in a header, a scan header, between data rows or after them. */
export const CommentLine = createToken({
  name: "CommentLine",
  pattern: line(`#C(?:[\\t ]${REST})?`),
  line_breaks: true,
});

/** Any other control line `#KEY text`, possibly indented (which earns a diagnostic later). */
export const ControlLine = createToken({
  name: "ControlLine",
  pattern: line(`[\\t ]*#${REST}`),
  line_breaks: true,
});

/** `@A`, `@A1`, …: the first line of one MCA spectrum. */
export const McaLine = createToken({
  name: "McaLine",
  pattern: line(`@A${REST}`),
  line_breaks: true,
});

/** Any other line opening with `@` (possibly indented): kept, never interpreted. */
export const OtherLine = createToken({
  name: "OtherLine",
  pattern: line(`[\\t ]*@${REST}`),
  line_breaks: true,
});

/** A data row: the first non-blank character is not `#` or `@`. */
export const DataLine = createToken({
  name: "DataLine",
  pattern: line(`[\\t ]*${DATA_START}${REST}`),
  line_breaks: true,
});

const CONTINUATION_BODY = new RegExp(`[\\t ]*${DATA_START}${REST}${EOL}`, "y");

/** Token types after which a trailing backslash continues the record on the next line. */
const CONTINUABLE = new Set<TokenType>();

/**
 * Control lines that continue over a trailing backslash: `#UXML` and the `#@` MCA/SCA keys.
 * Other keys never do, so a `#U` or `#C` value that ends in a backslash cannot swallow a data row.
 */
const CONTINUABLE_CONTROL = /^[\t ]*#(?:UXML|@)/;

/** True when the line's last non-blank character (terminator excluded) is a backslash. */
export function endsWithBackslash(image: string): boolean {
  let i = image.length - 1;
  while (i >= 0) {
    const c = image.charCodeAt(i);
    // \n, \r, space and TAB may follow the backslash.
    if (c === 10 || c === 13 || c === 32 || c === 9) i--;
    else return c === 92;
  }
  return false;
}

/**
 * A continuation line: recognised by state, never by its leading blanks (notes §5.1). It follows an
 * MCA line, a `#UXML` or `#@` control line, or another continuation, whose content ends with a
 * backslash.
 */
export const ContinuationLine = createToken({
  name: "ContinuationLine",
  pattern: {
    exec: (text: string, offset: number, matched: IToken[]): RegExpExecArray | null => {
      const previous = matched[matched.length - 1];
      if (previous === undefined || !CONTINUABLE.has(previous.tokenType)) return null;
      if (!endsWithBackslash(previous.image)) return null;
      if (previous.tokenType === ControlLine && !CONTINUABLE_CONTROL.test(previous.image))
        return null;
      CONTINUATION_BODY.lastIndex = offset;
      return CONTINUATION_BODY.exec(text);
    },
  },
  line_breaks: true,
  // Every character a data row may start with; chevrotain only tries the pattern on these.
  start_chars_hint: continuationStartChars(),
});

CONTINUABLE.add(McaLine).add(ControlLine).add(ContinuationLine);

function continuationStartChars(): string[] {
  const chars: string[] = [];
  for (let code = 0; code < 256; code++) {
    if (code === 10 || code === 13 || code === 35 /* # */ || code === 64 /* @ */) continue;
    chars.push(String.fromCharCode(code));
  }
  return chars;
}

/** All tokens in match order: the state-dependent continuation first, then specific to general. */
export const allTokens: TokenType[] = [
  ContinuationLine,
  BlankLine,
  ScanStartLine,
  FileStartLine,
  EpochLine,
  CommentLine,
  ControlLine,
  McaLine,
  OtherLine,
  DataLine,
];

/**
 * The lexer instance, built once. Positions are offsets only: line numbers are token indexes,
 * because every token is exactly one line.
 */
export const specLexer: Lexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  // Line terminators are part of every token; the lexer need not count lines.
  lineTerminatorsPattern: /\n|\r\n?/,
  lineTerminatorCharacters: ["\n", "\r"],
});
