/**
 * The line table: kind and byte offset of every physical line, in typed arrays so that a large
 * file costs a few bytes per line. Line numbers shown to users are 1-based; indexes here are
 * 0-based.
 */

/** What a physical line is, as the lexer classified it. */
export const LineKind = {
  Blank: 0,
  FileStart: 1,
  Epoch: 2,
  ScanStart: 3,
  Comment: 4,
  Control: 5,
  Mca: 6,
  Continuation: 7,
  Data: 8,
  Other: 9,
  /** Not lexed yet: opening a file gives kinds to block starts only (see `lexLines`). */
  Pending: 10,
} as const;

/** A line kind code, one of the values of {@link LineKind}. */
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/** Readable names of the line kinds, indexed by code. */
export const lineKindNames: readonly string[] = [
  "blank",
  "file",
  "epoch",
  "scan",
  "comment",
  "control",
  "mca",
  "continuation",
  "data",
  "other",
  "pending",
];

/** Lines per segment of the table: a power of two, so that an index splits with a shift. */
const SEGMENT_BITS = 16;
const SEGMENT_LINES = 1 << SEGMENT_BITS;
const SEGMENT_MASK = SEGMENT_LINES - 1;

/** Offsets within a segment that fit in 32 bits; a segment spanning more keeps doubles. */
const MAX_RELATIVE = 2 ** 32;

/**
 * A growable table of line kinds and start offsets, in fixed-size segments: growing never copies,
 * and a table of a million lines is sixteen small arrays rather than one large one reallocated
 * as it doubles. Each segment stores its lines' starts relative to its first line's, in 32 bits
 * (4 bytes a line instead of 8), unless it spans 4 GiB or more.
 */
export class LineTable {
  private kindSegments: Uint8Array[] = [];
  private startSegments: (Uint32Array | Float64Array)[] = [];
  private segmentBases: number[] = [];
  /** Number of lines. */
  count = 0;
  /** Byte offset just past the last line. */
  end = 0;

  /** Appends a line that starts at `start`; `end` is where it (and so the table) ends. */
  push(kind: LineKind, start: number, end: number): void {
    const segment = this.count >>> SEGMENT_BITS;
    const slot = this.count & SEGMENT_MASK;
    if (slot === 0) {
      this.kindSegments[segment] = new Uint8Array(SEGMENT_LINES);
      this.startSegments[segment] = new Uint32Array(SEGMENT_LINES);
      this.segmentBases[segment] = start;
    }
    let starts = this.startSegments[segment] as Uint32Array | Float64Array;
    const relative = start - (this.segmentBases[segment] as number);
    if (relative >= MAX_RELATIVE && starts instanceof Uint32Array) {
      starts = Float64Array.from(starts);
      this.startSegments[segment] = starts;
    }
    (this.kindSegments[segment] as Uint8Array)[slot] = kind;
    starts[slot] = relative;
    this.count++;
    this.end = end;
  }

  /**
   * Appends lines `[from, to)` of a chunk at byte `base` of the file, all of one kind: the first
   * starts at `firstStart` and each ends where `ends[i]` says (the next starts there).
   */
  pushLines(
    kind: LineKind,
    base: number,
    firstStart: number,
    ends: Int32Array,
    from: number,
    to: number,
  ): void {
    let start = firstStart;
    for (let i = from; i < to; ) {
      const slot = this.count & SEGMENT_MASK;
      if (slot === 0) {
        this.push(kind, base + start, base + (ends[i] as number));
        start = ends[i++] as number;
        continue;
      }
      // The rest of this segment, in one pass over plain arrays.
      const segment = this.count >>> SEGMENT_BITS;
      const stop = Math.min(to, i + SEGMENT_LINES - slot);
      const starts = this.startSegments[segment] as Uint32Array | Float64Array;
      const offset = base - (this.segmentBases[segment] as number);
      if (starts instanceof Uint32Array && offset + (ends[stop - 1] as number) >= MAX_RELATIVE) {
        // Offsets past 4 GiB in this segment: one line at a time, which widens it.
        this.push(kind, base + start, base + (ends[i] as number));
        start = ends[i++] as number;
        continue;
      }
      (this.kindSegments[segment] as Uint8Array).fill(kind, slot, slot + stop - i);
      let at = slot;
      starts[at++] = offset + start;
      for (let j = i; j < stop - 1; j++) starts[at++] = offset + (ends[j] as number);
      this.count += stop - i;
      start = ends[stop - 1] as number;
      i = stop;
    }
    if (to > from) this.end = base + (ends[to - 1] as number);
  }

  /** Sets the kind of lines `[from, to)`. */
  fillKind(from: number, to: number, kind: LineKind): void {
    for (let index = Math.max(0, from); index < Math.min(to, this.count); ) {
      const segment = index >>> SEGMENT_BITS;
      const slot = index & SEGMENT_MASK;
      const stop = Math.min(to, this.count, index + SEGMENT_LINES - slot);
      (this.kindSegments[segment] as Uint8Array).fill(kind, slot, slot + stop - index);
      index = stop;
    }
  }

  /** Sets the kind of line `index`, for a line pushed before its kind was known. */
  setKind(index: number, kind: LineKind): void {
    if (index < 0 || index >= this.count) return;
    (this.kindSegments[index >>> SEGMENT_BITS] as Uint8Array)[index & SEGMENT_MASK] = kind;
  }

  /** Drops every line from `count` on, as a refresh does before re-reading the end of a file. */
  truncate(count: number): void {
    if (count >= this.count) return;
    this.end = this.start(count);
    this.count = count;
    const segments = (count + SEGMENT_MASK) >>> SEGMENT_BITS;
    this.kindSegments.length = segments;
    this.startSegments.length = segments;
    this.segmentBases.length = segments;
  }

  /** The kind of line `index`. */
  kind(index: number): LineKind {
    if (index < 0 || index >= this.count) return LineKind.Other;
    return (this.kindSegments[index >>> SEGMENT_BITS] as Uint8Array)[
      index & SEGMENT_MASK
    ] as LineKind;
  }

  /** Byte offset where line `index` starts (the table's end for `count` and beyond). */
  start(index: number): number {
    if (index < 0) return 0;
    if (index >= this.count) return this.end;
    const segment = index >>> SEGMENT_BITS;
    const starts = this.startSegments[segment] as Uint32Array | Float64Array;
    return (this.segmentBases[segment] as number) + (starts[index & SEGMENT_MASK] as number);
  }

  /** Byte offset just past line `index`, its terminator included. */
  stop(index: number): number {
    return this.start(index + 1);
  }

  /** The 0-based index of the line containing byte `offset` (binary search). */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.start(middle) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
