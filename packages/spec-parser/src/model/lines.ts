/** Turning a range of the line table back into decoded lines, and reading control keys. */
import { type DecodedText, decodeByteString, detach, isAscii } from "../parse/bytes.js";
import { type ByteSource, byteStringOf, readByteString, readBytes } from "../parse/indexer.js";
import { LineKind, type LineTable, lineKindNames } from "../parse/line-table.js";
import type { NumberArena } from "./number-arena.js";
import type { SourceLine } from "./types.js";

/**
 * Largest piece of text read at once. V8 allocates strings above 128 KB one by one in their own
 * pages, several times slower than smaller ones (a scan of 227 KB read as one string cost more
 * than reading all its numbers), so a block is read in pieces that end at line ends.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Calls `visit` for each line `[first, end)` of the table with the piece of text that holds it:
 * the line is `text[from, to)`, terminator included, and the piece starts at byte `base` of the
 * file.
 */
function forEachLine(
  source: ByteSource,
  table: LineTable,
  first: number,
  end: number,
  visit: (text: string, index: number, from: number, to: number, base: number) => void,
): void {
  let index = first;
  while (index < end) {
    const base = table.start(index);
    // The piece: whole lines up to PIECE_BYTES (at least one line, however long).
    let pieceEnd = index + 1;
    while (pieceEnd < end && table.stop(pieceEnd) - base <= PIECE_BYTES) pieceEnd++;
    const text = readByteString(source, base, table.start(pieceEnd));
    for (; index < pieceEnd; index++) {
      visit(text, index, table.start(index) - base, table.stop(index) - base, base);
    }
  }
}

/**
 * Line `index` of the table, `text[from, to)` with its terminator, decoded as a SourceLine that
 * starts at byte `offset`; its number goes to `latin1Lines` when it is not valid UTF-8.
 */
function decodeLine(
  text: string,
  from: number,
  to: number,
  index: number,
  kind: LineKind,
  offset: number,
  latin1Lines: number[],
): SourceLine {
  let body = to;
  while (body > from && (text.charCodeAt(body - 1) === 10 || text.charCodeAt(body - 1) === 13)) {
    body--;
  }
  // Nearly every line is ASCII: its text as it is, without the decoder's result object.
  let decoded = text.slice(from, body);
  if (!isAscii(decoded)) {
    const { text: utf8, latin1Fallback } = decodeByteString(decoded);
    if (latin1Fallback) latin1Lines.push(index + 1);
    decoded = utf8;
  }
  return {
    kind: lineKindNames[kind] ?? "other",
    line: index + 1,
    offset,
    text: decoded,
    eol: text.slice(body, to),
  };
}

/** Decoded lines `[first, end)` of the table, and the line numbers that needed Latin-1. */
export function readLines(
  source: ByteSource,
  table: LineTable,
  first: number,
  end: number,
): { lines: SourceLine[]; latin1Lines: number[] } {
  const lines: SourceLine[] = [];
  const latin1Lines: number[] = [];
  forEachLine(source, table, first, end, (text, index, from, to, base) => {
    lines.push(decodeLine(text, from, to, index, table.kind(index), base + from, latin1Lines));
  });
  return { lines, latin1Lines };
}

/**
 * The data rows of a block as ranges of its bytes: a scan of a thousand rows makes no string
 * and no object per row, and the fast number path reads values straight from the bytes.
 */
export interface DataRowRefs {
  /** The block's bytes; may be a reused buffer, valid only while the scan is interpreted. */
  bytes: Uint8Array;
  /** Number of data rows. */
  count: number;
  /** 1-based line number of each row. */
  lines: Int32Array;
  /** Where each row starts in `bytes`. */
  starts: Int32Array;
  /** Where each row ends in `bytes`, its line terminator excluded. */
  ends: Int32Array;
  /** The source's byte-string decoder. */
  byteString: (bytes: Uint8Array) => string;
  /** `count` numbers, not necessarily zero: the caller writes every one (see ByteSource). */
  allocateNumbers: (count: number) => Float64Array;
}

/** Data row `i` decoded: UTF-8, else Latin-1 (docs/spec-format.md §1). */
export function dataRowText(rows: DataRowRefs, i: number): DecodedText {
  const bytes = rows.bytes.subarray(rows.starts[i] as number, rows.ends[i] as number);
  return decodeByteString(rows.byteString(bytes));
}

/**
 * The MCA spectra of a block as ranges of its bytes, like the data rows: a spectrum is its `@`
 * line and the continuation lines right after it, one part a line. Its values are read straight
 * from the bytes (model/mca.ts `readSpectra`), with no string per line.
 */
export interface SpectrumRefs {
  /** The block's bytes, as in {@link DataRowRefs}. */
  bytes: Uint8Array;
  /** Number of spectra. */
  count: number;
  /** 1-based line number of each spectrum's `@` line; its parts are the lines after it. */
  lines: Int32Array;
  /** The parts of spectrum `r` are `[firstPart[r], firstPart[r + 1])`. */
  firstPart: Int32Array;
  /** Where each part starts in `bytes`. */
  starts: Int32Array;
  /** Where each part ends in `bytes`, its line terminator excluded. */
  ends: Int32Array;
  /** The source's byte-string decoder. */
  byteString: (bytes: Uint8Array) => string;
  /** Room for the values read, as {@link DataRowRefs.allocateNumbers}. */
  allocateNumbers: (count: number) => Float64Array;
  /**
   * True when that room is reused from scan to scan (a NumberArena): the values may then be read
   * straight into room for as many as the lines could hold, most of which stays unused.
   */
  reusedNumbers: boolean;
}

/** A block read for interpretation: data rows and spectra as ranges, every other line decoded. */
export interface BlockLines {
  /** Lines other than data rows and spectra, decoded, in order. */
  lines: SourceLine[];
  rows: DataRowRefs;
  spectra: SpectrumRefs;
  /**
   * Lines other than data rows and spectra that were not valid UTF-8 (data rows and spectra are
   * decoded later, when at all).
   */
  latin1Lines: number[];
}

/** The part arrays of a block without spectra; never written. */
const NO_NUMBERS = new Int32Array(0);
const FIRST_PART_OF_NONE = new Int32Array(1);

/** Kinds of the lines whose text a scan keeps (as control lines or comments; see collectControls). */
function keptKind(kind: LineKind): boolean {
  return kind >= LineKind.FileStart && kind <= LineKind.Control;
}

/** The end of line `[from, to)` of `bytes` without its terminator. */
function bodyEnd(bytes: Uint8Array, from: number, to: number): number {
  let body = to;
  while (body > from && (bytes[body - 1] === 10 || bytes[body - 1] === 13)) body--;
  return body;
}

/**
 * Lines `[first, end)` of the table, with data rows and MCA spectra kept as ranges of the block's
 * bytes (read into `scratch` when it is large enough) and the other lines decoded, run by run.
 * The numbers read from the rows and spectra later go into `arena` when one is given.
 */
export function readBlockLines(
  source: ByteSource,
  table: LineTable,
  first: number,
  end: number,
  scratch: Uint8Array,
  arena?: NumberArena,
): BlockLines {
  const base = table.start(first);
  const bytes = readBytes(source, base, table.start(end), scratch);
  let rowCount = 0;
  let spectrumCount = 0;
  /** Lines that may be parts of spectra: every `@` line and every continuation line. */
  let partCount = 0;
  for (let index = first; index < end; index++) {
    const kind = table.kind(index);
    if (kind === LineKind.Data) rowCount++;
    else if (kind === LineKind.Mca) {
      spectrumCount++;
      partCount++;
    } else if (kind === LineKind.Continuation) partCount++;
  }
  // One allocation for the three arrays.
  const bounds = new Int32Array(3 * rowCount);
  const byteString = (part: Uint8Array) => byteStringOf(source, part);
  const allocateNumbers =
    arena === undefined
      ? (count: number) => source.allocateNumbers?.(count) ?? new Float64Array(count)
      : (count: number) => arena.take(count);
  const rows: DataRowRefs = {
    bytes,
    count: rowCount,
    lines: bounds.subarray(0, rowCount),
    starts: bounds.subarray(rowCount, 2 * rowCount),
    ends: bounds.subarray(2 * rowCount),
    byteString,
    allocateNumbers,
  };
  // Without spectra the parts are never written: shared empty arrays, not four views.
  const parts = spectrumCount === 0 ? null : new Int32Array(2 * spectrumCount + 1 + 2 * partCount);
  const spectra: SpectrumRefs = {
    bytes,
    count: spectrumCount,
    lines: parts ? parts.subarray(0, spectrumCount) : NO_NUMBERS,
    firstPart: parts ? parts.subarray(spectrumCount, 2 * spectrumCount + 1) : FIRST_PART_OF_NONE,
    starts: parts
      ? parts.subarray(2 * spectrumCount + 1, 2 * spectrumCount + 1 + partCount)
      : NO_NUMBERS,
    ends: parts ? parts.subarray(2 * spectrumCount + 1 + partCount) : NO_NUMBERS,
    byteString,
    allocateNumbers,
    reusedNumbers: arena !== undefined,
  };
  const lines: SourceLine[] = [];
  const latin1Lines: number[] = [];
  let row = 0;
  let spectrum = 0;
  let part = 0;
  let index = first;
  while (index < end) {
    const from = Math.min(table.start(index) - base, bytes.length);
    const kind = table.kind(index);
    if (kind === LineKind.Data) {
      const to = Math.min(table.stop(index) - base, bytes.length);
      rows.lines[row] = index + 1;
      rows.starts[row] = from;
      rows.ends[row] = bodyEnd(bytes, from, to);
      row++;
      index++;
      continue;
    }
    if (kind === LineKind.Mca) {
      // A spectrum: its `@` line and every continuation line after it, whatever they hold.
      spectra.lines[spectrum] = index + 1;
      spectra.firstPart[spectrum] = part;
      do {
        const partFrom = Math.min(table.start(index) - base, bytes.length);
        const to = Math.min(table.stop(index) - base, bytes.length);
        spectra.starts[part] = partFrom;
        spectra.ends[part] = bodyEnd(bytes, partFrom, to);
        part++;
        index++;
      } while (index < end && table.kind(index) === LineKind.Continuation);
      spectrum++;
      spectra.firstPart[spectrum] = part;
      continue;
    }
    // A run of other lines, up to PIECE_BYTES, decoded as one string and sliced line by line.
    let runEnd = index + 1;
    let everyLineKept = keptKind(kind);
    while (
      runEnd < end &&
      table.kind(runEnd) !== LineKind.Data &&
      table.kind(runEnd) !== LineKind.Mca &&
      table.stop(runEnd) - base - from <= PIECE_BYTES
    ) {
      everyLineKept &&= keptKind(table.kind(runEnd));
      runEnd++;
    }
    const runBase = base + from;
    const text = byteStringOf(source, bytes.subarray(from, table.start(runEnd) - base));
    for (; index < runEnd; index++) {
      const lineFrom = Math.min(table.start(index) - runBase, text.length);
      const lineTo = Math.min(table.stop(index) - runBase, text.length);
      const offset = runBase + lineFrom;
      const kind = table.kind(index);
      const line = decodeLine(text, lineFrom, lineTo, index, kind, offset, latin1Lines);
      // Detached when the run holds lines that the scan does not keep (blank, continuation and
      // other lines): a slice would keep them alive with the run. A run of kept lines only is
      // the scan's own text, and its slices cost no copy.
      if (!everyLineKept) line.text = detach(line.text);
      lines.push(line);
    }
  }
  return { lines, rows, spectra, latin1Lines };
}

/** The parts of a control line `#KEY text`. */
export interface ControlKey {
  key: string;
  family: string;
  row: number | null;
  /** Text after the key, leading blanks kept. */
  text: string;
  /** True when blanks precede the `#`. */
  indented: boolean;
}

/** Splits a control line into key, family, row number and text; null if it is not one. */
export function readControlKey(line: string): ControlKey | null {
  // A character loop for `^([\t ]*)#(\S*)([\s\S]*)$`: it runs on every control line of a scan.
  let hash = 0;
  while (hash < line.length && (line.charCodeAt(hash) === 32 || line.charCodeAt(hash) === 9)) {
    hash++;
  }
  if (line.charCodeAt(hash) !== 35) return null;
  let end = hash + 1;
  while (end < line.length && !isRegExpSpace(line.charCodeAt(end))) end++;
  const key = line.slice(hash + 1, end);
  // A row number: trailing digits after at least one other character (`#O3`, not `#3`).
  let digits = key.length;
  while (digits > 0 && key.charCodeAt(digits - 1) >= 48 && key.charCodeAt(digits - 1) <= 57) {
    digits--;
  }
  const numbered = digits > 0 && digits < key.length;
  return {
    key,
    family: numbered ? key.slice(0, digits) : key,
    row: numbered ? Number(key.slice(digits)) : null,
    text: line.slice(end),
    indented: hash > 0,
  };
}

/** True for the characters that `\s` matches in a regular expression. */
function isRegExpSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Replaces a record's trailing backslash (and blanks after it) by `joiner` before the next
 * continuation line is appended; text without one is returned as it is. A character scan from
 * the end, not a regular expression, which would search the whole record each time.
 */
export function withoutContinuation(text: string, joiner = ""): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return end > 0 && text.charCodeAt(end - 1) === 92 ? text.slice(0, end - 1) + joiner : text;
}
