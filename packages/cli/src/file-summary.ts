/**
 * One line of facts per scan, for `specx info`. A job of {@link mapFiles}: it runs on a worker
 * thread per file, so its result is plain data.
 */
import { parse, type Scan } from "@specx/spec-parser/node";
import type { InputFile } from "./inputs.js";
import type { FileJob } from "./parallel.js";

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

/** What `info` shows of a file. */
export interface FileSummary {
  file: string;
  scans: ScanSummary[];
}

/** The scans of one file. */
export function summarizeFile(input: InputFile): FileSummary {
  const file = parse(input.bytes);
  const scans: ScanSummary[] = [];
  // Scan by scan, not `file.scans`: a scan is garbage once summarised, before V8 promotes it.
  for (let i = 0; i < file.scanCount; i++) {
    const scan = file.scanAt(i) as Scan;
    scans.push({
      key: scan.key,
      number: scan.number,
      command: scan.command,
      date: scan.date?.raw ?? null,
      points: scan.data.rows,
      columns: scan.data.names.length,
    });
  }
  return { file: input.name, scans };
}

/** {@link summarizeFile} as a job for {@link mapFiles}. */
export const summarizeJob: FileJob = {
  name: "summarizeFile",
  run: summarizeFile,
};
