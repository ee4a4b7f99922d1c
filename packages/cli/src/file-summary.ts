/**
 * One line of facts per scan, for `specx info`. A job of {@link mapFiles}: it runs on a worker
 * thread per file, so its result is plain data.
 */
import { type ScanSummary, summarizeScan } from "@specx/scan-data";
import { type InputFile, scansOneByOne, withSpecFile } from "./inputs.js";
import type { FileJob } from "./parallel.js";

/** What `info` shows of a file. */
export interface FileSummary {
  file: string;
  scans: ScanSummary[];
}

/** The scans of one file (a named file read scan by scan from disk). */
export function summarizeFile(input: InputFile): FileSummary {
  return withSpecFile(input, (file) => {
    const scans: ScanSummary[] = [];
    // Scan by scan, not `file.scans`: a scan is garbage once summarised, before V8 promotes it,
    // and its numbers go into the memory of the one before.
    for (const scan of scansOneByOne(file, { spectra: false })) scans.push(summarizeScan(scan));
    return { file: input.name, scans };
  });
}

/** {@link summarizeFile} as a job for {@link mapFiles}. */
export const summarizeJob: FileJob = {
  name: "summarizeFile",
  byPath: true,
  run: summarizeFile,
};
