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
];

/** A growable table of line kinds and start offsets. */
export class LineTable {
  private kinds = new Uint8Array(1024);
  private starts = new Float64Array(1025);
  /** Number of lines. */
  count = 0;
  /** Byte offset just past the last line. */
  end = 0;

  /** Appends a line that starts at `start`; `end` is where it (and so the table) ends. */
  push(kind: LineKind, start: number, end: number): void {
    if (this.count === this.kinds.length) this.grow();
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.count++;
    this.end = end;
  }

  /** Drops every line from `count` on, as a refresh does before re-reading the end of a file. */
  truncate(count: number): void {
    if (count >= this.count) return;
    this.end = this.starts[count] ?? this.end;
    this.count = count;
  }

  /** The kind of line `index`. */
  kind(index: number): LineKind {
    return (this.kinds[index] ?? LineKind.Other) as LineKind;
  }

  /** Byte offset where line `index` starts. */
  start(index: number): number {
    return index < this.count ? (this.starts[index] ?? this.end) : this.end;
  }

  /** Byte offset just past line `index`, its terminator included. */
  stop(index: number): number {
    return index + 1 < this.count ? (this.starts[index + 1] ?? this.end) : this.end;
  }

  /** The 0-based index of the line containing byte `offset` (binary search). */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private grow(): void {
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    const starts = new Float64Array(kinds.length + 1);
    starts.set(this.starts);
    this.kinds = kinds;
    this.starts = starts;
  }
}
