/**
 * The index pass: lexes and parses the file chunk by chunk into a line table and block ranges,
 * without interpreting any scan. Chunks end just before a `#S` line, where the grammar is always
 * at a block boundary, so each chunk is parsed on its own and no chunk is ever held twice.
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
 * Bytes read per chunk; a chunk grows when a single scan is longer. 1 MB: larger chunks are no
 * faster and leave more garbage behind (4 MB raised peak memory by 40 MB on a 227 MB file).
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

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
    let cut = chunkEnd === size ? bytes.length : lastScanStart(bytes);
    while (cut <= 0 && chunkEnd < size) {
      // One scan longer than the chunk: read on until the next scan start or the end.
      chunkEnd = Math.min(size, position + bytes.length * 2);
      bytes = source.read(position, chunkEnd);
      cut = chunkEnd === size ? bytes.length : lastScanStart(bytes);
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
