/**
 * The line table: kind and byte offset of every physical line of a block, in typed arrays so that
 * a large block costs a few bytes per line. Line numbers shown to users are 1-based; indexes here
 * are 0-based, numbered as in the file.
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
  /** Not lexed yet: a block's lines are split first, then lexed (see `blockLines`). */
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
  /** Number of lines held. */
  private size = 0;
  /** Index of the first line: a block's own table numbers its lines as the file does. */
  readonly first: number;
  /** Byte offset just past the last line. */
  end = 0;

  /** Lines expected, so that a small table allocates little: segments grow past it as needed. */
  private readonly expected: number;

  constructor(first = 0, expected = SEGMENT_LINES) {
    this.first = first;
    this.expected = Math.max(16, expected);
  }

  /**
   * The segment that holds slot `slot` of segment `segment`, made or grown as needed: a segment
   * starts at the expected size and doubles up to SEGMENT_LINES.
   */
  private room(segment: number, slot: number, start: number): void {
    const kinds = this.kindSegments[segment];
    if (kinds === undefined) {
      const length = Math.min(SEGMENT_LINES, this.expected - (segment << SEGMENT_BITS));
      this.kindSegments[segment] = new Uint8Array(Math.max(16, length));
      this.startSegments[segment] = new Uint32Array(Math.max(16, length));
      this.segmentBases[segment] = start;
      return;
    }
    if (slot < kinds.length) return;
    const length = Math.min(SEGMENT_LINES, 2 * kinds.length);
    const grownKinds = new Uint8Array(length);
    grownKinds.set(kinds);
    this.kindSegments[segment] = grownKinds;
    const starts = this.startSegments[segment] as Uint32Array | Float64Array;
    const grownStarts =
      starts instanceof Uint32Array ? new Uint32Array(length) : new Float64Array(length);
    grownStarts.set(starts);
    this.startSegments[segment] = grownStarts;
  }

  /** Index just past the last line (the number of lines, for a table that starts the file). */
  get count(): number {
    return this.first + this.size;
  }

  /** Appends a line that starts at `start`; `end` is where it (and so the table) ends. */
  push(kind: LineKind, start: number, end: number): void {
    const segment = this.size >>> SEGMENT_BITS;
    const slot = this.size & SEGMENT_MASK;
    if (slot === 0 || slot >= (this.kindSegments[segment] as Uint8Array).length) {
      this.room(segment, slot, start);
    }
    let starts = this.startSegments[segment] as Uint32Array | Float64Array;
    const relative = start - (this.segmentBases[segment] as number);
    if (relative >= MAX_RELATIVE && starts instanceof Uint32Array) {
      starts = Float64Array.from(starts);
      this.startSegments[segment] = starts;
    }
    (this.kindSegments[segment] as Uint8Array)[slot] = kind;
    starts[slot] = relative;
    this.size++;
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
      const slot = this.size & SEGMENT_MASK;
      const segment = this.size >>> SEGMENT_BITS;
      if (slot === 0 || slot >= (this.kindSegments[segment] as Uint8Array).length) {
        this.push(kind, base + start, base + (ends[i] as number));
        start = ends[i++] as number;
        continue;
      }
      // The rest of this segment's room, in one pass over plain arrays.
      const stop = Math.min(to, i + (this.kindSegments[segment] as Uint8Array).length - slot);
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
      this.size += stop - i;
      start = ends[stop - 1] as number;
      i = stop;
    }
    if (to > from) this.end = base + (ends[to - 1] as number);
  }

  /** Sets the kind of lines `[from, to)`. */
  fillKind(from: number, to: number, kind: LineKind): void {
    const stopAt = Math.min(to - this.first, this.size);
    for (let local = Math.max(0, from - this.first); local < stopAt; ) {
      const slot = local & SEGMENT_MASK;
      const stop = Math.min(stopAt, local + SEGMENT_LINES - slot);
      (this.kindSegments[local >>> SEGMENT_BITS] as Uint8Array).fill(
        kind,
        slot,
        slot + stop - local,
      );
      local = stop;
    }
  }

  /** Sets the kind of line `index`, for a line pushed before its kind was known. */
  setKind(index: number, kind: LineKind): void {
    const local = index - this.first;
    if (local < 0 || local >= this.size) return;
    (this.kindSegments[local >>> SEGMENT_BITS] as Uint8Array)[local & SEGMENT_MASK] = kind;
  }

  /** Drops every line from index `count` on. */
  truncate(count: number): void {
    const local = Math.max(0, count - this.first);
    if (local >= this.size) return;
    this.end = this.start(count);
    this.size = local;
    const segments = (local + SEGMENT_MASK) >>> SEGMENT_BITS;
    this.kindSegments.length = segments;
    this.startSegments.length = segments;
    this.segmentBases.length = segments;
  }

  /** The kind of line `index`. */
  kind(index: number): LineKind {
    const local = index - this.first;
    if (local < 0 || local >= this.size) return LineKind.Other;
    return (this.kindSegments[local >>> SEGMENT_BITS] as Uint8Array)[
      local & SEGMENT_MASK
    ] as LineKind;
  }

  /** Byte offset where line `index` starts (the table's end for `count` and beyond). */
  start(index: number): number {
    const local = Math.max(0, index - this.first);
    if (local >= this.size) return this.end;
    const segment = local >>> SEGMENT_BITS;
    const starts = this.startSegments[segment] as Uint32Array | Float64Array;
    return (this.segmentBases[segment] as number) + (starts[local & SEGMENT_MASK] as number);
  }

  /** Byte offset just past line `index`, its terminator included. */
  stop(index: number): number {
    return this.start(index + 1);
  }

  /** The index of the line containing byte `offset` (binary search). */
  lineAt(offset: number): number {
    let low = this.first;
    let high = this.count - 1;
    while (low < high) {
      const middle = low + ((high - low + 1) >>> 1);
      if (this.start(middle) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
