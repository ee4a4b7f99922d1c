/**
 * A SPEC file → bluesky runs: every scan (or the chosen ones) in file order, and the runs that
 * SPEC kept only the end comments of (end-comments.ts). Each scan's run is scan-to-documents.ts's.
 */
import type { DocRecord } from "@specx/documents";
import {
  type FileHeader,
  isApstools,
  type SpecFile,
  scanWriter,
  splitWords,
} from "@specx/spec-parser";
import { endGroups, resumeScan, runWithoutPrimary } from "./end-comments.js";
import { scanToDocuments } from "./scan-to-documents.js";
import type { ConvertedRun, ToDocumentsOptions } from "./types.js";

/** Converts every scan of a file (or the chosen ones) to runs: {@link runsOf}, collected. */
export function fileToRuns(
  file: SpecFile,
  options: ToDocumentsOptions & { scans?: string[] } = {},
): ConvertedRun[] {
  return Array.from(runsOf(file, options));
}

/**
 * The runs of a file (or of the chosen scans), one at a time, in file order: a caller that
 * writes each run and lets it go holds one or two runs' documents, not the file's (a 227 MB
 * file's runs took 2.6 GB at once; docs/performance.md, "to-docs"). A run is given once no
 * later block can change it: a header that resumes an interrupted scan extends the run before.
 */
export function* runsOf(
  file: SpecFile,
  options: ToDocumentsOptions & { scans?: string[] } = {},
): Generator<ConvertedRun, void, undefined> {
  if (options.scans) {
    for (const key of options.scans) {
      const scan = file.scan(key);
      if (scan) {
        yield {
          key,
          header: scan.header?.index ?? null,
          documents: scanToDocuments(file, scan, options),
        };
      }
    }
    return;
  }
  // The whole file, in order: a header or a scan may also carry the end comments of runs that
  // had no primary stream (apstools appends them wherever it is), which become runs of their own.
  /** The last run made, held back until the next block cannot change it. */
  let previous: ConvertedRun | undefined;
  /** The `#L` labels of each scan's run, for the rows a later header may resume it with. */
  const labelsOf = new WeakMap<ConvertedRun, readonly string[]>();
  let scanIndex = 0;
  let headerIndex = 0;
  for (const block of file.blocks) {
    const made: ConvertedRun[] = [];
    if (block.kind === "header") {
      const header = file.header(headerIndex++);
      let groups = endGroups(header.comments);
      const labels = previous && labelsOf.get(previous);
      if (previous && labels && resumesInterruptedScan(previous, header, labels)) {
        // apstools bug 9 (docs/writer.md §6): a motor stream that arrived mid-scan made it write
        // this header between two rows; the rows and the end comments after it belong to that scan.
        previous.documents = resumeScan(previous.documents, header, groups[0], labels, options);
        groups = groups.slice(1);
      }
      groups.forEach((group, i) => {
        const motors = i === 0 && scanIndex === 0 ? [...header.motorNames.values()].flat() : [];
        made.push({
          key: `header${header.index + 1}:${group.line}`,
          header: header.index,
          documents: runWithoutPrimary(group, header, motors, options),
        });
      });
    } else if (block.kind === "scan") {
      const scan = file.scanAt(scanIndex++);
      if (!scan) continue;
      const run: ConvertedRun = {
        key: scan.key,
        header: scan.header?.index ?? null,
        documents: scanToDocuments(file, scan, options),
      };
      labelsOf.set(run, scan.labels);
      made.push(run);
      if (isApstools(scanWriter(scan))) {
        for (const group of endGroups(scan.comments).slice(1)) {
          made.push({
            key: `${scan.key}:${group.line}`,
            header: scan.header?.index ?? null,
            documents: runWithoutPrimary(group, scan.header, [], options),
          });
        }
      }
    }
    for (const run of made) {
      if (previous) yield previous;
      previous = run;
    }
  }
  if (previous) yield previous;
}

/**
 * True when `header` holds data rows and follows a bluesky scan that has not ended, and each row
 * holds the scan's columns (its `labels`: `Epoch_float`, `Epoch` and one per data key, in the
 * order apstools wrote them); rows of another width are not that run's, and stay out of it.
 */
function resumesInterruptedScan(
  previous: ConvertedRun,
  header: FileHeader,
  labels: readonly string[],
): boolean {
  const stop = previous.documents[previous.documents.length - 1];
  const primary = previous.documents.find(
    ([name, doc]) => name === "descriptor" && (doc as DocRecord).name === "primary",
  )?.[1] as DocRecord | undefined;
  const rows = header.lines.filter((line) => line.kind === "data");
  const width = 2 + Object.keys((primary?.data_keys as DocRecord | undefined) ?? {}).length;
  return (
    primary !== undefined &&
    labels.length === width &&
    stop?.[0] === "stop" &&
    (stop[1] as DocRecord).spec_truncated === true &&
    rows.length > 0 &&
    rows.every((line) => splitWords(line.text).length === width)
  );
}
