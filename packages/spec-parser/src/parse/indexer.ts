/**
 * The index: block ranges, built lazily in two passes over the file's bytes.
 *
 * - **Opening** (`indexSource`) counts the file's lines and parses its blocks with the grammar,
 *   chunk by chunk. Only the lines that start blocks (`#F`, `#E`, `#S`) matter to the grammar;
 *   each run of other lines reaches the lexer as one short stand-in row, a body line like any
 *   other. So opening decodes almost nothing, makes a few tokens per scan, and keeps nothing per
 *   line: the index grows with the number of blocks, not of lines.
 * - **Reading a block** (`blockLines`) splits its bytes into lines again and lexes them for their
 *   kinds, into a line table of the block alone. Data rows are the runs the lexer can only read as
 *   data (a byte other than `#`, `@`, a blank or a line end opens them, and no backslash before
 *   them asks for a continuation); each run again reaches the lexer as one stand-in. Every other
 *   line reaches it as it is, and its token gives its kind.
 *
 * A block's lines lex the same on their own as within the file: a block starts with a line whose
 * token never depends on the line before. Chunks end at a line start where neither the lexer nor
 * the grammar needs the line before, so each is parsed on its own (lines before a chunk's first
 * block start extend the last block) and none is held twice.
 */
import type { IToken, TokenType } from "chevrotain";
import { detach, toByteString } from "./bytes.js";
import { parseBlocks } from "./grammar.js";
import {
  BlankLine,
  CommentLine,
  ContinuationLines,
  ControlLine,
  DataLines,
  EpochLine,
  FileStartLine,
  McaLine,
  OtherLine,
  ScanStartLine,
  specLexer,
} from "./lexer.js";
import { LineKind, LineTable } from "./line-table.js";

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
  /**
   * Optional allocation of the byte buffers the indexer reuses. Node's Buffers find a byte
   * several times faster than a plain Uint8Array's `indexOf`, which splits every line.
   */
  allocate?(size: number): Uint8Array;
  /**
   * Optional allocation of `count` numbers that the caller writes in full before anyone reads
   * them (a scan's table on the fast number path): Node's unzeroed Buffers skip clearing and
   * mapping fresh pages for every table.
   */
  allocateNumbers?(count: number): Float64Array;
  /**
   * Optional view of bytes `[start, end)` in the source's own buffer, valid until its next read;
   * undefined when they are not at hand. Saves the indexer a copy of every chunk.
   */
  view?(start: number, end: number): Uint8Array | undefined;
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
  /** Byte offset of the first line. */
  start: number;
  /** Byte offset just past the last line. */
  end: number;
  /**
   * A scan block's `#S` line as a byte string, terminator included, kept by the indexer so that
   * listing scans reads nothing again.
   */
  startText?: string;
}

/** A structural problem met while indexing (lexer or grammar); never expected on any input. */
export interface IndexProblem {
  /** 0-based index of the line. */
  line: number;
  message: string;
}

/**
 * How far the index reaches: lines counted, the byte offset just past them, and where the last of
 * them starts. The index keeps no table of lines: a block's lines are split again when it is
 * read, so its memory grows with the number of blocks, not of lines.
 */
export interface IndexExtent {
  lines: number;
  end: number;
  lastLineStart: number;
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
 * Bytes read per chunk while opening; a chunk grows when it has no safe place to end. Only block
 * starts reach the lexer as text, so a large chunk is cheap; fewer chunks mean fewer lexer and
 * parser calls, which cost most while V8 has not yet optimised them.
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/**
 * Most text given to the lexer at once when a block's lines are lexed: a block that is mostly
 * structure (MCA spectra) is lexed in pieces. V8 allocates strings above 128 KB one by one in
 * fresh pages, which made decoding five times slower.
 */
const TEXT_BUDGET = 64 * 1024;

/** Most lines split per chunk (the chunk ends there), so that the line-end buffer stays small. */
const MAX_CHUNK_LINES = 64 * 1024;

/**
 * What the lexer is given for a run of lines it need not see: a data row of its own (a
 * continuation line of its own after an MCA line that ends in a backslash).
 */
const STAND_IN_BYTES = Uint8Array.of(0x30, 0x0a);
/**
 * What the lexer is given for an MCA line: only its start (`@` and a letter make it one) and
 * whether a backslash ends it matter to the lexer; its values are read from the bytes.
 */
const MCA_LINE_BYTES = Uint8Array.of(0x40, 0x41, 0x0a);
const MCA_LINE_CONTINUED_BYTES = Uint8Array.of(0x40, 0x41, 0x5c, 0x0a);

/** The buffer a piece's text is gathered in before it is decoded, reused and grown. */
const GATHERED_KEPT = 256 * 1024;
let gathered = new Uint8Array(GATHERED_KEPT);

/**
 * Indexes `source` from byte `offset` (where `extent` ends) to its end, counting lines into
 * `extent` and appending blocks to `blocks`. Lines before the first block start extend the last
 * block, or form the preamble.
 */
export function indexSource(
  source: ByteSource,
  offset: number,
  extent: IndexExtent,
  blocks: Block[],
  problems: IndexProblem[],
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): void {
  const chunkSize = Math.max(1, chunkBytes);
  let scratch: Uint8Array | undefined;
  let ends = new Int32Array(MAX_CHUNK_LINES + 1);
  const size = source.size;
  let position = offset;
  let wanted = chunkSize;
  while (position < size) {
    const asked = Math.min(size, position + wanted) - position;
    let bytes = source.view?.(position, position + asked);
    if (!bytes) {
      scratch ??= source.allocate ? source.allocate(chunkSize) : new Uint8Array(chunkSize);
      bytes = readBytes(source, position, position + asked, scratch);
    }
    if (bytes.length === 0) break; // the source shrank under us; a refresh starts over
    // A short read means the source shrank: what was read is all there is.
    const atEnd = bytes.length < asked || position + bytes.length >= size;
    const used = indexChunk(source, bytes, position, atEnd, ends, extent, blocks, problems);
    if (used > 0) {
      position += used;
      wanted = chunkSize;
    } else {
      // No safe place to end: read on until there is one, with room for every line.
      wanted = bytes.length * 2;
      if (ends.length <= bytes.length)
        ends = new Int32Array(Math.min(2 * ends.length, 2 * bytes.length + 1));
    }
  }
}

/**
 * The lines of `block`, split again from its bytes and lexed for their kinds: a table numbered as
 * the file's lines are.
 */
export function blockLines(source: ByteSource, block: Block, problems: IndexProblem[]): LineTable {
  const table = new LineTable(block.firstLine, block.endLine - block.firstLine);
  table.end = block.start;
  const bytes = source.view?.(block.start, block.end) ?? source.read(block.start, block.end);
  if (bytes.length === 0) return table;
  let split = lineEnds(bytes, true, blockEnds);
  while (!split.whole) {
    blockEnds = new Int32Array(Math.min(bytes.length, 2 * blockEnds.length) + 1);
    split = lineEnds(bytes, true, blockEnds);
  }
  const count = split.count;
  table.pushLines(LineKind.Pending, block.start, 0, blockEnds, 0, count);
  // Lexed in pieces of at most TEXT_BUDGET bytes of text, each ending where the next may start.
  for (let k = 0; k < count; ) {
    k += lexPiece(source, bytes, blockEnds, k, count, block.firstLine, table, problems);
  }
  // A block of millions of lines must not keep its buffer's size in memory for good.
  if (blockEnds.length > BLOCK_ENDS_KEPT) blockEnds = new Int32Array(BLOCK_ENDS_KEPT);
  return table;
}

/** Line ends of the block being split, reused from block to block and grown as needed. */
const BLOCK_ENDS_KEPT = 64 * 1024;
let blockEnds = new Int32Array(4096);

/** True for a byte that makes its line a data row for the lexer: not `#`, `@`, a blank or a line end. */
function opensDataRow(byte: number): boolean {
  return (
    byte !== 0x23 &&
    byte !== 0x40 &&
    byte !== 0x20 &&
    byte !== 0x09 &&
    byte !== 0x0a &&
    byte !== 0x0d
  );
}

/**
 * True when the line at `start` may be a data or continuation line for the lexer: its first
 * non-blank byte is not `#`, `@` or a line end (or is not in the chunk).
 */
function dataLikeAt(bytes: Uint8Array, start: number): boolean {
  let i = start;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  if (i === bytes.length) return true;
  return opensDataRow(bytes[i] as number);
}

/** True for `A`–`Z` and `a`–`z` (undefined past the bytes is neither). */
function isAsciiLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

/**
 * True when the line `bytes[start, end)` is data-like for the lexer: it has a byte other than a
 * blank before its end, and that byte is not `#`, `@` or a line end (lexer.ts `isDataLineAt`).
 */
function dataLikeLine(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  if (i === end) return false;
  const c = bytes[i];
  return c !== 0x23 && c !== 0x40 && c !== 0x0a && c !== 0x0d;
}

/** True when the last non-blank byte of `bytes[start, end)` is a backslash (a continuation). */
function backslashBefore(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = end - 1; i >= start; i--) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09) return c === 0x5c;
  }
  return false;
}

const KEY_F = 0x46;
const KEY_E = 0x45;
const KEY_S = 0x53;

/**
 * The key of the line at `start` when the lexer reads it as a block start: `F`, `E` or `S` for
 * `#F`, `#E` or `#S` then a blank or the line's end (`#S` a digit too), else 0. The line's end is
 * a terminator or the end of `bytes`.
 */
function blockKeyAt(bytes: Uint8Array, start: number): number {
  if (bytes[start] !== 0x23 || start + 1 >= bytes.length) return 0;
  const key = bytes[start + 1] as number;
  if (key !== KEY_F && key !== KEY_E && key !== KEY_S) return 0;
  if (start + 2 === bytes.length) return key;
  const after = bytes[start + 2] as number;
  if (after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d) return key;
  return key === KEY_S && after >= 0x30 && after <= 0x39 ? key : 0;
}

/**
 * The text the lexer is given: verbatim stretches of a chunk's bytes, and a stand-in row for each
 * run of lines it need not see. `entryText[k]` is where a text line starts and `entryLine[k]` the
 * file line it is (for a stand-in, `~line` of the run's first line).
 */
class ChunkText {
  readonly entryText: number[] = [];
  readonly entryLine: number[] = [];
  /** Where each text line's file line starts in the piece's bytes. */
  readonly entryStart: number[] = [];
  /** The kind a stand-in's lines must lex as (-1 for a line given as it is). */
  readonly entryKind: number[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  /** The bytes given instead of stretch `i` when `from[i]` is -1. */
  private readonly substitutes: Uint8Array[] = [];
  /** Start of the verbatim stretch still open, or -1. */
  private verbatimFrom = -1;
  /** Length of the text before the open stretch. */
  private closedLength = 0;

  /** Adds a verbatim line that starts at byte `start` and is file line `line`. */
  verbatimLine(start: number, line: number): void {
    if (this.verbatimFrom < 0) this.verbatimFrom = start;
    this.entryText.push(this.closedLength + start - this.verbatimFrom);
    this.entryLine.push(line);
    this.entryStart.push(start);
    this.entryKind.push(-1);
  }

  /**
   * Adds a stand-in for a run of lines that starts at byte `start` with file line `line`, all of
   * kind `kind`: data rows, or the continuation lines of an MCA line.
   */
  standIn(start: number, line: number, kind: LineKind = LineKind.Data): void {
    this.substitute(start, STAND_IN_BYTES);
    this.entryLine.push(~line);
    this.entryKind.push(kind);
  }

  /** Adds line `line`, which starts at byte `start`, as the lexer is to see it: `bytes`. */
  lineAs(start: number, line: number, bytes: Uint8Array): void {
    this.substitute(start, bytes);
    this.entryLine.push(line);
    this.entryKind.push(-1);
  }

  private substitute(start: number, bytes: Uint8Array): void {
    this.closeAt(start);
    this.entryText.push(this.closedLength);
    this.entryStart.push(start);
    this.from.push(-1);
    this.to.push(-1);
    this.substitutes[this.from.length - 1] = bytes;
    this.closedLength += bytes.length;
  }

  /** The text, for a piece that ends at byte `end`: its pieces gathered, then decoded at once. */
  build(source: ByteSource, bytes: Uint8Array, end: number): string {
    this.closeAt(end);
    if (this.from.length === 1 && (this.from[0] as number) >= 0) {
      return byteStringOf(source, bytes.subarray(this.from[0], this.to[0]));
    }
    if (gathered.length < this.closedLength) {
      gathered = new Uint8Array(Math.max(this.closedLength, 2 * gathered.length));
    }
    let at = 0;
    for (let i = 0; i < this.from.length; i++) {
      const from = this.from[i] as number;
      if (from < 0) {
        const substitute = this.substitutes[i] as Uint8Array;
        gathered.set(substitute, at);
        at += substitute.length;
      } else {
        const to = this.to[i] as number;
        gathered.set(bytes.subarray(from, to), at);
        at += to - from;
      }
    }
    const text = byteStringOf(source, gathered.subarray(0, at));
    // One very long line must not keep its size in memory for good.
    if (gathered.length > GATHERED_KEPT) gathered = new Uint8Array(GATHERED_KEPT);
    return text;
  }

  /** Ends the open verbatim stretch at byte `end`. */
  private closeAt(end: number): void {
    if (this.verbatimFrom < 0) return;
    this.from.push(this.verbatimFrom);
    this.to.push(end);
    this.closedLength += end - this.verbatimFrom;
    this.verbatimFrom = -1;
  }
}

/**
 * Splits the chunk `bytes` (byte `base` of the file) into lines, counts them into `extent` and
 * appends the blocks the grammar finds to `blocks`. Returns how many bytes it used: up to the last
 * line start where the chunk may end (all of them `atEnd`), or 0 when there is none.
 */
function indexChunk(
  source: ByteSource,
  bytes: Uint8Array,
  base: number,
  atEnd: boolean,
  ends: Int32Array,
  extent: IndexExtent,
  blocks: Block[],
  problems: IndexProblem[],
): number {
  const split = lineEnds(bytes, atEnd, ends);
  let taken = split.whole ? split.count : linesBeforeBlockCut(bytes, ends, split.count);
  if (taken === 0) return 0;
  const firstLine = extent.lines;
  const text = new ChunkText();
  let verbatimBytes = 0;
  let headerOpen = false;
  for (let k = 0; k < taken; ) {
    const start = k === 0 ? 0 : (ends[k - 1] as number);
    const key = blockKeyAt(bytes, start);
    if (key !== 0) {
      // Past the text budget, end the chunk before a block start that no #F header waits on.
      if (verbatimBytes > TEXT_BUDGET && (key === KEY_S || !headerOpen)) {
        taken = k;
        break;
      }
      text.verbatimLine(start, firstLine + k);
      verbatimBytes += (ends[k] as number) - start;
      headerOpen = key === KEY_F;
      k++;
      continue;
    }
    // A run of body lines: the grammar only needs to know they are there.
    text.standIn(start, firstLine + k);
    k = bodyRunEnd(bytes, ends, k + 1, taken);
  }
  const used = ends[taken - 1] as number;
  extent.lines = firstLine + taken;
  extent.end = base + used;
  extent.lastLineStart = base + (taken > 1 ? (ends[taken - 2] as number) : 0);
  const lexed = lexText(text, text.build(source, bytes, used), problems, null);
  addBlocks(lexed, text, base, firstLine, extent, blocks, problems);
  return used;
}

/** The first line from `from` on (before `limit`) that starts a block. */
function bodyRunEnd(bytes: Uint8Array, ends: Int32Array, from: number, limit: number): number {
  let k = from;
  while (k < limit && blockKeyAt(bytes, ends[k - 1] as number) === 0) k++;
  return k;
}

/**
 * Lexes lines `[from, count)` of a block (file line `firstLine` is its line 0), or as many of
 * them as fit the text budget, and gives them their kinds. Returns how many it lexed.
 */
function lexPiece(
  source: ByteSource,
  bytes: Uint8Array,
  ends: Int32Array,
  from: number,
  count: number,
  firstLine: number,
  lines: LineTable,
  problems: IndexProblem[],
): number {
  const text = new ChunkText();
  // Offsets in the piece's text are from the piece's first byte.
  const pieceStart = from === 0 ? 0 : (ends[from - 1] as number);
  let verbatimBytes = 0;
  let previousBackslash = false;
  let previousCondensed = false;
  let k = from;
  while (k < count) {
    const start = k === 0 ? 0 : (ends[k - 1] as number);
    // Past the text budget, end the piece at the first line the lexer can start with.
    if (
      verbatimBytes > TEXT_BUDGET &&
      (previousCondensed || !previousBackslash || !dataLikeAt(bytes, start))
    ) {
      break;
    }
    // An MCA line (`@` and a letter at the start of a line: always one, whatever came before)
    // and its continuation lines: the lexer sees whether a backslash ends it, and one stand-in
    // for the lines it continues over, which it would take as one run.
    if (bytes[start] === 0x40 && isAsciiLetter(bytes[start + 1])) {
      const continued = backslashBefore(bytes, start, contentEnd(bytes, start, ends[k] as number));
      text.lineAs(
        start - pieceStart,
        firstLine + k,
        continued ? MCA_LINE_CONTINUED_BYTES : MCA_LINE_BYTES,
      );
      previousBackslash = continued;
      const runStart = ++k;
      // As the lexer's run of continuation lines: data-like lines while the one before ends in
      // a backslash.
      while (previousBackslash && k < count) {
        const lineStart = ends[k - 1] as number;
        const lineEnd = ends[k] as number;
        if (!dataLikeLine(bytes, lineStart, lineEnd)) break;
        previousBackslash = backslashBefore(
          bytes,
          lineStart,
          contentEnd(bytes, lineStart, lineEnd),
        );
        k++;
      }
      if (k > runStart) {
        text.standIn(
          (ends[runStart - 1] as number) - pieceStart,
          firstLine + runStart,
          LineKind.Continuation,
        );
        lines.fillKind(firstLine + runStart, firstLine + k, LineKind.Continuation);
      }
      previousCondensed = false;
      continue;
    }
    // Data rows the lexer cannot read otherwise: one stand-in for the run.
    if (opensDataRow(bytes[start] as number) && (previousCondensed || !previousBackslash)) {
      const runEnd = dataRunEnd(bytes, ends, k + 1, count);
      text.standIn(start - pieceStart, firstLine + k);
      lines.fillKind(firstLine + k, firstLine + runEnd, LineKind.Data);
      k = runEnd;
      previousCondensed = true;
      continue;
    }
    const end = ends[k] as number;
    text.verbatimLine(start - pieceStart, firstLine + k);
    verbatimBytes += end - start;
    previousBackslash = backslashBefore(bytes, start, contentEnd(bytes, start, end));
    previousCondensed = false;
    k++;
  }
  const pieceBytes = bytes.subarray(pieceStart, ends[k - 1] as number);
  lexText(text, text.build(source, pieceBytes, pieceBytes.length), problems, lines);
  return k - from;
}

/** The first line from `from` on (before `limit`) that does not open with a data byte. */
function dataRunEnd(bytes: Uint8Array, ends: Int32Array, from: number, limit: number): number {
  let k = from;
  while (k < limit && opensDataRow(bytes[ends[k - 1] as number] as number)) k++;
  return k;
}

/**
 * Fills `ends` with the offset just past each line of `bytes` (its terminator included: LF, CR LF
 * or a lone CR), as many as `ends` holds. A last line without a terminator counts only `atEnd`;
 * before that it goes on in the next chunk, and so does a CR that ends the chunk. `whole` says
 * the lines cover all of `bytes` at its end.
 */
/**
 * The ends of LF-terminated lines in `bytes`, at most `capacity` of them, into `ends`: nearly
 * every file, found by the platform's byte search. A function of its own so that V8's optimized
 * code for this loop holds nothing else: with the checks after it, the loop's code left
 * optimization at every block read for want of type feedback on a comparison there.
 */
function lineFeedEnds(bytes: Uint8Array, ends: Int32Array, capacity: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && count < capacity; i = bytes.indexOf(0x0a, i + 1)) {
    ends[count++] = i + 1;
  }
  return count;
}

function lineEnds(
  bytes: Uint8Array,
  atEnd: boolean,
  ends: Int32Array,
): { count: number; whole: boolean } {
  const size = bytes.length;
  const capacity = ends.length - 1;
  let count = 0;
  if (bytes.indexOf(0x0d) < 0) {
    count = lineFeedEnds(bytes, ends, capacity);
  } else {
    for (let i = 0; i < size && count < capacity; i++) {
      const c = bytes[i];
      if (c === 0x0a) ends[count++] = i + 1;
      else if (c === 0x0d) {
        if (i + 1 < size) ends[count++] = bytes[i + 1] === 0x0a ? ++i + 1 : i + 1;
        else if (atEnd) ends[count++] = size;
      }
    }
  }
  if (count === capacity && count > 0 && (ends[count - 1] as number) < size) {
    return { count, whole: false };
  }
  const last = count > 0 ? (ends[count - 1] as number) : 0;
  if (atEnd && last < size) ends[count++] = size;
  return { count, whole: atEnd };
}

/** Offset where the content of the line `[start, end)` ends, before its terminator. */
function contentEnd(bytes: Uint8Array, start: number, end: number): number {
  let stop = end;
  if (stop > start && bytes[stop - 1] === 0x0a) stop--;
  if (stop > start && bytes[stop - 1] === 0x0d) stop--;
  return stop;
}

/**
 * How many of the chunk's `count` whole lines to take: those before the last line start where the
 * chunk may end because the grammar does not need the line before: no #F header may wait there
 * for its #E (a chunk that began it would not see it), unless the line starts a scan. 0 when there
 * is no such place.
 */
function linesBeforeBlockCut(bytes: Uint8Array, ends: Int32Array, count: number): number {
  let j = count;
  while (j > 0) {
    const start = ends[j - 1] as number; // line j starts where line j - 1 ends
    // The last block start before line j says whether a header is open there.
    let key = 0;
    let k = j - 1;
    for (; k >= 0 && key === 0; k--) key = blockKeyAt(bytes, k === 0 ? 0 : (ends[k - 1] as number));
    // A scan start closes the header; the chunk's last line is known to be one only when whole.
    const scanStart = j < count && blockKeyAt(bytes, start) === KEY_S;
    if (key !== KEY_F || scanStart) return j;
    j = k + 1; // no place to end between that #F line and line j, but maybe just before it
  }
  return 0;
}

/** What the lexer made of a piece's text. */
interface LexedText {
  tokens: IToken[];
  /** The text entry each token starts at. */
  tokenEntries: Int32Array;
}

/**
 * Lexes a piece's text. With `kinds`, its verbatim lines take their tokens' kinds there, and its
 * stand-ins must be data rows (when reading a block); without, it only finds block starts.
 */
function lexText(
  chunk: ChunkText,
  text: string,
  problems: IndexProblem[],
  kinds: LineTable | null,
): LexedText {
  const { entryText, entryLine } = chunk;
  const lexed = specLexer.tokenize(text);
  for (const error of lexed.errors) {
    problems.push({ line: lineAtText(chunk, error.offset), message: `lexer: ${error.message}` });
  }
  const tokens = lexed.tokens;
  const tokenEntries = new Int32Array(tokens.length);
  let entry = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as IToken;
    while (entry < entryText.length - 1 && (entryText[entry + 1] as number) <= token.startOffset) {
      entry++;
    }
    tokenEntries[t] = entry;
    if (!kinds) continue;
    const kind = kindOfToken.get(token.tokenType) ?? LineKind.Other;
    const tokenEnd = token.startOffset + token.image.length;
    for (; entry < entryText.length && (entryText[entry] as number) < tokenEnd; entry++) {
      const line = entryLine[entry] as number;
      if (line >= 0) kinds.setKind(line, kind);
      else if (kind !== chunk.entryKind[entry]) {
        const what = chunk.entryKind[entry] === LineKind.Data ? "data rows" : "continuation lines";
        problems.push({ line: ~line, message: `lexer: ${what} read as ${token.tokenType.name}` });
      }
    }
  }
  return { tokens, tokenEntries };
}

/**
 * Runs the grammar over a chunk's tokens and adds the blocks it finds; the chunk starts at byte
 * `base` with line `firstLine`, and `extent` already counts its lines.
 */
function addBlocks(
  lexed: LexedText,
  chunk: ChunkText,
  base: number,
  firstLine: number,
  extent: IndexExtent,
  blocks: Block[],
  problems: IndexProblem[],
): void {
  const { tokens, tokenEntries } = lexed;
  const parsed = parseBlocks(tokens);
  for (const message of parsed.errors)
    problems.push({ line: firstLine, message: `grammar: ${message}` });

  // Where a block starting at `token` begins: its line and its byte offset.
  const entryOf = (token: IToken) => tokenEntries[tokenIndex(tokens, token)] as number;
  const lineOf = (token: IToken) => lineOfEntry(chunk.entryLine[entryOf(token)] as number);
  const startOf = (token: IToken) => base + (chunk.entryStart[entryOf(token)] as number);

  const last = blocks[blocks.length - 1];
  const firstStart = parsed.blockStarts[0];
  const leadingEnd = firstStart ? lineOf(firstStart.token) : extent.lines;
  const leadingEndByte = firstStart ? startOf(firstStart.token) : extent.end;
  if (leadingEnd > firstLine) {
    if (last) {
      last.endLine = leadingEnd;
      last.end = leadingEndByte;
    } else {
      blocks.push({
        kind: "preamble",
        firstLine,
        endLine: leadingEnd,
        start: base,
        end: leadingEndByte,
      });
    }
  }
  parsed.blockStarts.forEach((start, i) => {
    const next = parsed.blockStarts[i + 1];
    const block: Block = {
      kind: start.kind,
      firstLine: lineOf(start.token),
      endLine: next ? lineOf(next.token) : extent.lines,
      start: startOf(start.token),
      end: next ? startOf(next.token) : extent.end,
    };
    if (start.kind === "scan") block.startText = detach(start.token.image);
    blocks.push(block);
  });
}

/** The file line of a text entry (a stand-in's is its run's first line). */
function lineOfEntry(entryLine: number): number {
  return entryLine >= 0 ? entryLine : ~entryLine;
}

/** The file line that holds `offset` of a piece's text. */
function lineAtText(chunk: ChunkText, offset: number): number {
  const { entryText, entryLine } = chunk;
  let entry = 0;
  while (entry < entryText.length - 1 && (entryText[entry + 1] as number) <= offset) entry++;
  return lineOfEntry(entryLine[entry] ?? 0);
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
