/**
 * The per-file work of `specx stats`, in a module of its own so `mapFiles` can run it on a
 * worker thread. It returns plain objects only (structured-cloneable).
 */

import { type ScanStats, scanStats } from "@specx/scan-data";
import type { Scan, SpecFile } from "@specx/spec-parser/node";
import { type InputFile, scansOneByOne, withSpecFile } from "../inputs.js";
import type { FileJob, StepReport } from "../parallel.js";
import { scanByRef } from "../scan-select.js";

/** {@link statsOfFile}, addressed for `mapFiles`: it reads a named file scan by scan itself. */
export const statsJob: FileJob = { name: "statsOfFile", byPath: true, run: statsOfFile };

/** What the job needs to know: the scans asked for (all when absent). */
export interface StatsJobOptions {
  scans?: string[];
}

/** One file's statistics, and the requested scan keys it does not have. */
export interface FileStatsResult {
  file: string;
  scans: ScanStats[];
  missing: string[];
}

/** Statistics of every scan of a file (or of the scans asked for, in the order asked). */
export function statsOfFile(
  input: InputFile,
  options: StatsJobOptions,
  step: StepReport = () => {},
): FileStatsResult {
  return withSpecFile(input, (file) => statsOf(file, input.name, options, step));
}

function statsOf(
  file: SpecFile,
  name: string,
  options: StatsJobOptions,
  step: StepReport,
): FileStatsResult {
  const missing: string[] = [];
  const stats: ScanStats[] = [];
  if (options.scans) {
    const seen = new Set<string>();
    const scans: Scan[] = [];
    for (const ref of options.scans) {
      const scan = scanByRef(file, ref);
      if (!scan) missing.push(ref);
      else if (!seen.has(scan.key)) {
        seen.add(scan.key);
        scans.push(scan);
      }
    }
    scans.forEach((scan, i) => {
      stats.push(scanStats(scan));
      step(i + 1, scans.length);
    });
  } else {
    // One scan at a time: only its statistics are kept, so every scan's numbers go into the
    // memory of the one before.
    for (const scan of scansOneByOne(file, { spectra: false })) {
      stats.push(scanStats(scan));
      step(stats.length, file.scanCount);
    }
  }
  return { file: name, scans: stats, missing };
}
