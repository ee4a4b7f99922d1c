/**
 * One line of facts per scan: what `specx info` lists and the viewer's scan list shows
 * (packages/viewer), from the same function so that the two always agree.
 */
import type { Scan } from "@specx/spec-parser";

/** What `info` shows of a scan. */
export interface ScanSummary {
  key: string;
  number: number | null;
  command: string;
  /** The `#D` text as written, or null without `#D`. */
  date: string | null;
  /** Data rows. */
  points: number;
  /** Data columns (the `#L` labels, plus synthetic names for unnamed columns). */
  columns: number;
}

/** The facts of one scan. */
export function summarizeScan(scan: Scan): ScanSummary {
  return {
    key: scan.key,
    number: scan.number,
    command: scan.command,
    date: scan.date?.raw ?? null,
    points: scan.data.rows,
    columns: scan.data.names.length,
  };
}
