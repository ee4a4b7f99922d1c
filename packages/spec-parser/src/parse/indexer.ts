/**
 * The index pass: lexes and parses the file chunk by chunk into a line table and block ranges,
 * without interpreting any scan. Chunks end just before a `#S` line or between two data lines,
 * where neither the lexer nor the grammar needs the line before, so each chunk is parsed on its
 * own (lines before a chunk's first block start extend the last block) and none is held twice.
 */
import type { IToken, TokenType } from "chevrotain";
import { toByteString } from "./bytes.js";
import { parseBlocks } from "./grammar.js";
import {
  BlankLine,
  CommentLine,
  ContinuationLine,
  ControlLine,
  DataLine,
  EpochLine,
  FileStartLine,
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
   * Optional fast one-char-per-byte decoding for this platform (Node's latin1 slice is many
   * times faster than the web APIs the core is limited to); see {@link toByteString}.
   */
  byteString?(bytes: Uint8Array): string;
}

/** Bytes as a byte string, decoded by the source's fast decoder when it has one. */
export function byteStringFrom(source: ByteSource, bytes: Uint8Array): string {
  return source.byteString ? source.byteString(bytes) : toByteString(bytes);
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
  [ContinuationLine, LineKind.Continuation],
  [DataLine, LineKind.Data],
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
    let bytes = source.read(position, chunkEnd);
    let cut = chunkEnd === size ? bytes.length : safeCut(bytes);
    while (cut <= 0 && chunkEnd < size) {
      // No safe place in the chunk: read on until there is one, or to the end.
      chunkEnd = Math.min(size, position + bytes.length * 2);
      bytes = source.read(position, chunkEnd);
      cut = chunkEnd === size ? bytes.length : safeCut(bytes);
    }
    if (cut <= 0) cut = bytes.length;
    indexChunk(byteStringFrom(source, bytes.subarray(0, cut)), position, lines, blocks, problems);
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
  const firstLine = lines.count;
  for (const token of tokens) {
    const start = base + token.startOffset;
    lines.push(
      kindOfToken.get(token.tokenType) ?? LineKind.Other,
      start,
      start + token.image.length,
    );
  }
  const parsed = parseBlocks(tokens);
  for (const message of parsed.errors)
    problems.push({ offset: base, message: `grammar: ${message}` });

  const last = blocks[blocks.length - 1];
  const firstStart = parsed.blockStarts[0];
  const leadingEnd = firstStart ? firstLine + tokenIndex(tokens, firstStart.token) : lines.count;
  if (leadingEnd > firstLine) {
    if (last) last.endLine = leadingEnd;
    else blocks.push({ kind: "preamble", firstLine, endLine: leadingEnd });
  }
  parsed.blockStarts.forEach((start, i) => {
    const next = parsed.blockStarts[i + 1];
    blocks.push({
      kind: start.kind,
      firstLine: firstLine + tokenIndex(tokens, start.token),
      endLine: next ? firstLine + tokenIndex(tokens, next.token) : lines.count,
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
 * Where a chunk may end: just before a scan starts, or between two data lines, where no line's
 * token depends on the line before (a continuation follows a backslash) and no header is cut
 * in two (a `#E` completes a `#F` header only in the same chunk). The last such offset, or 0.
 */
function safeCut(bytes: Uint8Array): number {
  const betweenData = lastDataLineBreak(bytes);
  const scanStart = lastScanStart(bytes);
  return Math.max(betweenData, scanStart);
}

/** A byte that can start a data row: a digit, sign or decimal point. */
function isDataStart(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2b || byte === 0x2e)
  );
}

/**
 * Offset just after the last line break that has a data line on both sides, where the line
 * before does not end in a backslash; 0 when there is none. Only the end of `bytes` is
 * searched (data rows are short), so this costs little.
 */
function lastDataLineBreak(bytes: Uint8Array): number {
  const searchFrom = Math.max(1, bytes.length - 65536);
  for (let i = bytes.length - 2; i >= searchFrom; i--) {
    const byte = bytes[i];
    // A line ends here: LF, or a CR not followed by LF (CR-only files).
    if (byte !== 0x0a && !(byte === 0x0d && bytes[i + 1] !== 0x0a)) continue;
    if (!isDataStart(bytes[i + 1])) continue;
    // The line before: find its start and its last character before the terminator.
    let end = i;
    while (
      end > 0 &&
      (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)
    )
      end--;
    if (end > 0 && bytes[end - 1] === 0x5c) continue; // a backslash: the next line may continue it
    let start = end;
    while (start > 0 && bytes[start - 1] !== 0x0a && bytes[start - 1] !== 0x0d) start--;
    if (start === 0) continue; // the chunk's first line: its start is not known to be a line start
    if (isDataStart(bytes[start])) return i + 1;
  }
  return 0;
}

/**
 * Offset of the last line in `bytes` that starts a scan (`#S` then a blank, digit or line end),
 * other than at offset 0; 0 when there is none.
 */
function lastScanStart(bytes: Uint8Array): number {
  for (let i = bytes.length - 3; i > 0; i--) {
    if (bytes[i] !== 0x23 || bytes[i + 1] !== 0x53) continue; // "#S"
    const before = bytes[i - 1];
    if (before !== 0x0a && before !== 0x0d) continue;
    const after = bytes[i + 2] ?? 0x0a;
    if (after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d) return i;
    if (after >= 0x30 && after <= 0x39) return i;
  }
  return 0;
}
