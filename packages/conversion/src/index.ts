/**
 * @specx/conversion: SPEC scans as bluesky runs, and SPEC files rewritten through their runs.
 *
 * ```ts
 * import { parse } from "@specx/spec-parser";
 * import { rewriteSpecFile, runsOf } from "@specx/conversion";
 * const file = parse(bytes);
 * for (const run of runsOf(file)) { // one run at a time; fileToRuns(file) gives them all
 *   for (const [name, doc] of run.documents) send(name, doc); // start, descriptor, event…, stop
 * }
 * const out: string[] = [];
 * rewriteSpecFile(file, { write: (text) => out.push(text) }); // the same bytes, for a file
 * // written by apstools or suitcase-specfile
 * ```
 *
 * One scan is one run: start, a `label_start_motor` stream from `#O`/`#P`, a `primary` stream
 * from the data (MCA spectra as array data, or an `mca` stream), and stop. Which program wrote a
 * scan (`scanWriter` of `@specx/spec-parser`) decides how it is read. Uids that the file does not
 * hold are UUIDv5 of the scan's content, so converting a file twice gives the same documents.
 */

// SPEC → bluesky documents: every run of a file, in order (one at a time, or all), or the run of
// one scan.

export { fileToRuns, runsOf } from "./file-to-runs.js";
export { scanToDocuments } from "./scan-to-documents.js";
export type { ConvertedRun, ToDocumentsOptions } from "./types.js";

// The plan of a `#S` command (apstools' v1 writer keeps plan_name and plan_args only there).

export type { PlanCommandOptions, PlanFromCommand } from "./plan-command.js";
export { planFromCommand } from "./plan-command.js";

// SPEC → documents → SPEC: a file written from bluesky runs, written again from its runs.

export { rewriteSpecFile, writerOptionsFromSpec } from "./rewrite.js";
