/**
 * Memory for the numbers of one scan at a time, reused from read to read.
 *
 * A scan's data columns and MCA values are read into memory outside V8's heap, which V8 gives
 * back only at a collection; until then every scan takes fresh pages from the system. On the
 * bench machine a fresh page costs about as much as parsing the numbers written into it
 * (docs/performance.md, "Fresh memory"), and dead tables wait in memory for the next collection.
 * A pass that looks at each scan once and lets it go (statistics, a summary, a conversion) can
 * instead read every scan into one arena: `file.scanAt(i, { arena })`.
 */
export class NumberArena {
  /** Numbers are taken from here; a read that outgrows it moves to a larger one. */
  private buffer = new Float64Array(0);
  private used = 0;

  /**
   * Starts the numbers of a new scan: from here on those of the scan read last are overwritten.
   * SpecFile calls it at every read into the arena.
   */
  startScan(): void {
    this.used = 0;
  }

  /**
   * `count` numbers, not cleared (the reader writes every one), valid until the arena's next
   * scan. When they do not fit, the arena moves to a buffer twice as large (or as large as
   * needed): the numbers taken before stay where they are, in the old one, and the new one is
   * reused from the next scan on.
   */
  take(count: number): Float64Array {
    if (this.used + count > this.buffer.length) {
      this.buffer = new Float64Array(Math.max(2 * this.buffer.length, count, 4096));
      this.used = 0;
    }
    const numbers = this.buffer.subarray(this.used, this.used + count);
    this.used += count;
    return numbers;
  }

  /** Numbers the arena can hold before it grows. */
  get capacity(): number {
    return this.buffer.length;
  }
}
