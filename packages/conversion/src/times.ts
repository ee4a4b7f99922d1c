/**
 * The times of a run: the start's, and each event's. Bluesky-written scans give them to the
 * sub-second through `Epoch_float` and the dated uid and end comments; other scans from `#D`,
 * `#E` and the `Epoch` column, or one count time apart.
 */
import { PyFloat, toNumber } from "@specx/documents";
import { type Comment, type FileHeader, readDate, splitWords } from "@specx/spec-parser";
import { toEpoch } from "./build.js";
import type { Columns } from "./streams/primary.js";
import type { ScanRun } from "./types.js";

/** The start time of a run and the time of each of its primary events. */
export interface RunTimes {
  /** `#E` as Python wrote it when the run started at the header, else a number. */
  startTime: number | PyFloat;
  /** One per data row: never decreasing, never before the start. */
  eventTimes: number[];
  /** The header's `#E` as Python wrote it, or null. */
  headerEpoch: number | PyFloat | null;
}

/** The start and event times of a scan's run (`uidComment`: its `#C … uid =` line, if any). */
export function runTimes(
  run: ScanRun,
  columns: Columns,
  uidComment: Comment | undefined,
): RunTimes {
  const { file, scan, bluesky, v1, v1Rows, offset } = run;
  const { data } = scan;
  const header = scan.header;
  const { epochFloat, epoch } = columns;
  const scanDate = toEpoch(scan.date, offset);
  const firstAfterHeader =
    header !== null &&
    file.scanEntries[scan.index - 1]?.headerIndex !== file.scanEntries[scan.index]?.headerIndex;
  const headerEpoch = header ? headerEpochValue(header) : null;
  let startTime: number | PyFloat;
  const relative = (row: number): number | null => {
    if (v1Rows && epochFloat >= 0) return toNumber(v1Rows[row]?.[epochFloat]) ?? null;
    if (bluesky && epochFloat >= 0) return data.columns[epochFloat]?.[row] ?? null;
    if (bluesky && epoch >= 0) return data.columns[epoch]?.[row] ?? null;
    return null;
  };
  if (
    bluesky &&
    headerEpoch !== null &&
    firstAfterHeader &&
    scanDate !== null &&
    Math.abs(scanDate - Number(headerEpoch)) < 1
  ) {
    startTime = headerEpoch;
  } else if (bluesky && scanDate !== null) {
    // v2 writes the uid comment at the first event; v1 at the start, which says nothing new.
    const uidDate =
      uidComment && !v1 ? toEpoch(readDate(uidComment.text.split(".  ")[0] ?? ""), offset) : null;
    const first = relative(0);
    let low = scanDate;
    let high = scanDate + 1;
    if (uidDate !== null && first !== null && Number.isFinite(first)) {
      low = Math.max(low, uidDate - first);
      high = Math.min(high, uidDate - first + 1);
    }
    // The last event also precedes the stop, whose second the end comments give.
    const last = relative(data.rows - 1);
    const endComment = scan.comments.find((c) => /\. {2}exit_status = /.test(c.text));
    const endDate = endComment
      ? toEpoch(readDate(endComment.text.split(".  ")[0] ?? ""), offset)
      : null;
    if (endDate !== null && last !== null && Number.isFinite(last) && endDate + 1 - last > low) {
      high = Math.min(high, endDate + 1 - last);
    }
    startTime = low < high ? (low + high) / 2 : scanDate;
  } else {
    startTime = scanDate ?? (headerEpoch !== null ? Number(headerEpoch) : 0);
  }
  const eventTimes: number[] = [];
  for (let row = 0; row < data.rows; row++) {
    const rel = relative(row);
    let time: number;
    if (rel !== null && Number.isFinite(rel)) time = Number(startTime) + rel;
    else if (
      !bluesky &&
      epoch >= 0 &&
      headerEpoch !== null &&
      Number.isFinite(data.columns[epoch]?.[row] ?? Number.NaN)
    ) {
      time = Number(headerEpoch) + (data.columns[epoch]?.[row] as number);
    } else
      time =
        Number(startTime) + row * (scan.preset?.kind === "time" ? (scan.preset.value ?? 0) : 0);
    // Event times never decrease and never precede the start (SPEC clocks and #D's 1 s do).
    eventTimes.push(Math.max(time, eventTimes[row - 1] ?? Number.NEGATIVE_INFINITY));
  }
  if (eventTimes.length > 0 && (eventTimes[0] as number) < Number(startTime))
    startTime = eventTimes[0] as number;
  return { startTime, eventTimes, headerEpoch };
}

/** The writer's UTC offset from a header: `#D` read as UTC minus `#E`, rounded to 15 minutes. */
export function inferUtcOffset(header: FileHeader | null): number {
  const epoch = header?.epoch;
  const fields = header?.date?.fields;
  if (epoch === null || epoch === undefined || !fields) return 0;
  const asUtc =
    Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) /
    1000;
  return Math.round((asUtc - epoch) / 900) * 900;
}

/** `#E` as Python wrote it: an int, or a float (kept a float when integral). */
export function headerEpochValue(header: FileHeader): number | PyFloat | null {
  const line = header.controls.find((c) => c.key === "E");
  const token = splitWords(line?.text ?? "")[0];
  if (!token || header.epoch === null) return null;
  return /[.eE]/.test(token) && Number.isInteger(header.epoch)
    ? new PyFloat(header.epoch)
    : header.epoch;
}
