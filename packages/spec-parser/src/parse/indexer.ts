/**
 * The index pass: lexes and parses the file chunk by chunk into a line table and block ranges,
 * without interpreting any scan. Chunks end just before a `#S` or `@` line or between two data
 * lines, where neither the lexer nor the grammar needs the line before, so each chunk is parsed on
 * its own (lines before a chunk's first block start extend the last block) and none is held twice.
 */
import type { IToken, TokenType } from "chevrotain";
import { toByteString } from "./bytes.js";
import { parseBlocks } from "./grammar.js";
import {
  BlankLine,
  CommentLine,
  ContinuationLines,
  ControlLine,
  DataLines,
  EpochLine,
  FileStartLine,
  lineEnd,
  McaLine,
  OtherLine,
  ScanStartLine,
  specLexer,
} from "./lexer.js";
import { LineKind, type LineTable } from "./line-table.js";

/** Random access to a file's bytes: memory for `parse`, the file system for `openSpec`. */
export interface ByteSource {
  /** Current size in bytes. */
  readonly size: number;
  /** Bytes `[start, end)`. */
  read(start: number, end: number): Uint8Array;
  /**
   * Optional fast decoding of bytes as a byte string (one char per byte), for platforms that can
   * do better than the web APIs the core is limited to: Node's latin1 slice is a memory copy.
   * See {@link toByteString}.
   */
  byteString?(bytes: Uint8Array): string;
  /**
   * Optional reading of bytes `[start, end)` straight into a byte string, with no array per read:
   * a file on disk reads through one reused buffer. Without it, `read` then `byteString`.
   */
  readText?(start: number, end: number): string;
  /**
   * Optional reading into a caller's buffer: bytes from `start` fill `target` as far as the
   * source goes; returns how many were read. Saves an allocation per read.
   */
  readInto?(target: Uint8Array, start: number): number;
}

/** Bytes `[start, end)` of `source` as a byte string, by the source's fast paths when it has them. */
export function readByteString(source: ByteSource, start: number, end: number): string {
  return source.readText
    ? source.readText(start, end)
    : byteStringOf(source, source.read(start, end));
}

/** Bytes already read, as a byte string, by the source's fast decoder when it has one. */
export function byteStringOf(source: ByteSource, bytes: Uint8Array): string {
  return source.byteString ? source.byteString(bytes) : toByteString(bytes);
}

/**
 * Bytes `[start, end)` of `source`, read into `scratch` when the source can and it is large
 * enough (the result is then a view of `scratch`, valid until its next use), else read as
 * the source gives them (a view of the bytes for a source in memory).
 */
export function readBytes(
  source: ByteSource,
  start: number,
  end: number,
  scratch: Uint8Array,
): Uint8Array {
  if (!source.readInto || end - start > scratch.length) return source.read(start, end);
  const view = scratch.subarray(0, end - start);
  return view.subarray(0, source.readInto(view, start));
}

/** A block of consecutive lines: the preamble, a file header or a scan. */
export interface Block {
  kind: "preamble" | "header" | "scan";
  /** 0-based index of the first line. */
  firstLine: number;
  /** 0-based index just past the last line. */
  endLine: number;
}

/** A structural problem met while indexing (lexer or grammar); never expected on any input. */
export interface IndexProblem {
  offset: number;
  message: string;
}

const kindOfToken = new Map<TokenType, LineKind>([
  [BlankLine, LineKind.Blank],
  [FileStartLine, LineKind.FileStart],
  [EpochLine, LineKind.Epoch],
  [ScanStartLine, LineKind.ScanStart],
  [CommentLine, LineKind.Comment],
  [ControlLine, LineKind.Control],
  [McaLine, LineKind.Mca],
  [ContinuationLines, LineKind.Continuation],
  [DataLines, LineKind.Data],
  [OtherLine, LineKind.Other],
]);

/**
 * Bytes read per chunk; a chunk grows when it has no safe place to end. 64 KB keeps each
 * chunk's string in V8's young generation: 1 MB strings are allocated one by one in fresh pages,
 * which made reading and decoding five times slower, and left more garbage behind.
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/**
 * Indexes `source` from byte `offset` to its end, appending lines to `lines` and blocks to
 * `blocks`. Lines before the first block start extend the last block, or form the preamble.
 */
export function indexSource(
  source: ByteSource,
  offset: number,
  lines: LineTable,
  blocks: Block[],
  problems: IndexProblem[],
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): void {
  let position = offset;
  const size = source.size;
  while (position < size) {
    let chunkEnd = Math.min(size, position + chunkBytes);
    let text = readByteString(source, position, chunkEnd);
    let cut = chunkEnd === size ? text.length : safeCut(text);
    while (cut <= 0 && chunkEnd < size) {
      // No safe place in the chunk: read on until there is one, or to the end.
      chunkEnd = Math.min(size, position + text.length * 2);
      text = readByteString(source, position, chunkEnd);
      cut = chunkEnd === size ? text.length : safeCut(text);
    }
    if (cut <= 0 || text.length === 0) cut = text.length;
    if (cut === 0) break; // the source shrank under us; a refresh starts over
    indexChunk(cut === text.length ? text : text.slice(0, cut), position, lines, blocks, problems);
    position += cut;
  }
}

/** Lexes and parses one chunk of whole lines that starts at byte `base` of the file. */
function indexChunk(
  text: string,
  base: number,
  lines: LineTable,
  blocks: Block[],
  problems: IndexProblem[],
): void {
  const lexed = specLexer.tokenize(text);
  for (const error of lexed.errors) {
    problems.push({ offset: base + error.offset, message: `lexer: ${error.message}` });
  }
  const tokens = lexed.tokens;
  // Line of each token: run tokens (data rows, continuations) hold several lines.
  const tokenLines = new Int32Array(tokens.length + 1);
  tokens.forEach((token, t) => {
    tokenLines[t] = lines.count;
    const kind = kindOfToken.get(token.tokenType) ?? LineKind.Other;
    const start = token.startOffset;
    const end = start + token.image.length;
    if (token.tokenType !== DataLines && token.tokenType !== ContinuationLines) {
      lines.push(kind, base + start, base + end);
      return;
    }
    for (let from = start; from < end; ) {
      const to = lineEnd(text, from);
      lines.push(kind, base + from, base + to);
      from = to;
    }
  });
  tokenLines[tokens.length] = lines.count;
  const parsed = parseBlocks(tokens);
  for (const message of parsed.errors)
    problems.push({ offset: base, message: `grammar: ${message}` });

  const lineOf = (token: IToken) => tokenLines[tokenIndex(tokens, token)] ?? lines.count;
  const firstLine = tokenLines[0] ?? lines.count;
  const last = blocks[blocks.length - 1];
  const firstStart = parsed.blockStarts[0];
  const leadingEnd = firstStart ? lineOf(firstStart.token) : lines.count;
  if (leadingEnd > firstLine) {
    if (last) last.endLine = leadingEnd;
    else blocks.push({ kind: "preamble", firstLine, endLine: leadingEnd });
  }
  parsed.blockStarts.forEach((start, i) => {
    const next = parsed.blockStarts[i + 1];
    blocks.push({
      kind: start.kind,
      firstLine: lineOf(start.token),
      endLine: next ? lineOf(next.token) : lines.count,
    });
  });
}

/** Index of `token` in `tokens`, found by its offset (tokens are in offset order). */
function tokenIndex(tokens: IToken[], token: IToken): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((tokens[middle]?.startOffset ?? 0) < token.startOffset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Where a chunk may end: just before a scan starts, or before an `@` line or between two data
 * lines, where no line's token depends on the line before (a continuation follows a backslash).
 * The last two are refused while an `#F` header waits for its `#E`, which completes the header
 * only in the same chunk. Such an offset near the end of `text`, or 0 when there is none.
 */
function safeCut(text: string): number {
  // Data rows are short and dense, so the search from the end usually stops at once. MCA
  // scans have no two data rows in a row, but a spectrum line every few kilobytes.
  const inside = lastDataLineBreak(text) || lastSpectrumStart(text);
  if (inside > 0 && !headerOpenBefore(text, inside)) return inside;
  return lastScanStart(text);
}

/**
 * Offset of the last line that starts with `@` (an MCA spectrum), other than at offset 0; 0 when
 * there is none. No token depends on the line before an `@` line: continuations open with a
 * data character.
 */
function lastSpectrumStart(text: string): number {
  for (let i = text.lastIndexOf("@", text.length - 1); i > 0; i = text.lastIndexOf("@", i - 1)) {
    if (isLineStart(text, i)) return i;
  }
  return 0;
}

/**
 * True when an `#F` line before `offset` has no `#E` or `#S` line after it and before `offset`,
 * so that its header may still take an `#E`. Nearly every chunk holds no `#F`, and one forward
 * search says so.
 */
function headerOpenBefore(text: string, offset: number): boolean {
  let file = -1;
  for (let i = text.indexOf("#F"); i >= 0 && i < offset; i = text.indexOf("#F", i + 1)) {
    if (isLineStart(text, i)) file = i;
  }
  if (file < 0) return false;
  for (let i = text.indexOf("#", file + 1); i >= 0 && i < offset; i = text.indexOf("#", i + 1)) {
    if (!isLineStart(text, i)) continue;
    // Keys as the lexer reads them: `#E` then a blank or the line end; `#S` a digit too.
    const key = text.charCodeAt(i + 1);
    const after = text.charCodeAt(i + 2);
    const ends =
      i + 2 >= text.length || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d;
    if (key === 0x45 /* E */ && ends) return false;
    if (key === 0x53 /* S */ && (ends || (after >= 0x30 && after <= 0x39))) return false;
  }
  return true;
}

/** True when `text[i]` opens a line. */
function isLineStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const before = text.charCodeAt(i - 1);
  return before === 0x0a || before === 0x0d;
}

/** A character that can start a data row: a digit, sign or decimal point. */
function isDataStart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e;
}

/**
 * Offset just after the last line break that has a data line on both sides, where the line
 * before does not end in a backslash; 0 when there is none. Only the last 4 KB of `text` are
 * searched (data rows are short), so this costs little.
 */
function lastDataLineBreak(text: string): number {
  const searchFrom = Math.max(1, text.length - 4096);
  for (let i = text.length - 2; i >= searchFrom; i--) {
    const c = text.charCodeAt(i);
    // A line ends here: LF, or a CR not followed by LF (CR-only files).
    if (c !== 0x0a && !(c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) continue;
    if (!isDataStart(text.charCodeAt(i + 1))) continue;
    // The line before: find its start and its last character before the terminator.
    let end = i;
    while (end > 0) {
      const before = text.charCodeAt(end - 1);
      if (before !== 0x0d && before !== 0x20 && before !== 0x09) break;
      end--;
    }
    if (end > 0 && text.charCodeAt(end - 1) === 0x5c) continue; // a backslash: the next line may continue it
    let start = end;
    while (start > 0) {
      const before = text.charCodeAt(start - 1);
      if (before === 0x0a || before === 0x0d) break;
      start--;
    }
    if (start === 0) continue; // the chunk's first line: its start is not known to be a line start
    if (isDataStart(text.charCodeAt(start))) return i + 1;
  }
  return 0;
}

/**
 * Offset of the last line in `text` that starts a scan (`#S` then a blank, digit or line end),
 * other than at offset 0; 0 when there is none.
 */
function lastScanStart(text: string): number {
  for (let i = text.lastIndexOf("#S", text.length - 3); i > 0; i = text.lastIndexOf("#S", i - 1)) {
    if (!isLineStart(text, i)) continue;
    const after = text.charCodeAt(i + 2);
    if (after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d) return i;
    if (after >= 0x30 && after <= 0x39) return i;
  }
  return 0;
}
