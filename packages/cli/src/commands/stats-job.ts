/**
 * The per-file work of `specx stats`, in a module of its own so `mapFiles` can run it on a
 * worker thread. It returns plain objects only (structured-cloneable).
 */
import { parse, type Scan } from "@specx/spec-parser/node";
import type { InputFile } from "../inputs.js";
import type { StepReport } from "../parallel.js";
import { scanByRef } from "../scan-select.js";
import { type ScanStats, scanStats } from "../scan-stats.js";

/** This module's URL, for `mapFiles`. */
export const statsJobModule = import.meta.url;

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
  const file = parse(input.bytes);
  const missing: string[] = [];
  let scans: Scan[];
  if (options.scans) {
    const seen = new Set<Scan>();
    scans = [];
    for (const ref of options.scans) {
      const scan = scanByRef(file, ref);
      if (!scan) missing.push(ref);
      else if (!seen.has(scan)) {
        seen.add(scan);
        scans.push(scan);
      }
    }
  } else {
    scans = file.scans;
  }
  const stats = scans.map((scan, i) => {
    step(i + 1, scans.length);
    return scanStats(scan);
  });
  return { file: input.name, scans: stats, missing };
}
