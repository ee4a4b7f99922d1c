/**
 * What the rewriting (rewrite.ts) reads from a scan besides its documents: the writer settings
 * of its header, and the comments apstools' v1 writer took from spec_comment().
 */
import type { PyFloat } from "@specx/documents";
import { readDate, type Scan } from "@specx/spec-parser";
import { toEpoch } from "./build.js";
import { headerEpochValue, inferUtcOffset } from "./times.js";

/** Writer settings that reproduce a bluesky-written file's header (for SPEC → documents → SPEC). */
export interface ScanHeaderSettings {
  fileName: string;
  /** The header's `#E` as Python wrote it (int, or float kept a float), or null. */
  epoch: number | PyFloat | null;
  /** True when the scan has no header (apstools' newfile() bug writes such files). */
  headerless: boolean;
  identity: { user: string; host: string } | null;
  /** Fixed UTC offset as `Etc/GMT±h` when it is a whole number of hours, else null. */
  timeZone: string | null;
}

/** Writer settings that reproduce the header a bluesky-written scan sits under. */
export function headerSettings(scan: Scan): ScanHeaderSettings {
  const header = scan.header;
  const program = header?.comments[0]?.text ?? "";
  // `s`: with `.` stopping at U+2028, a comment holding one after many "  host = " was retried
  // from each of them to its end.
  const who = /^Blue[sS]ky {2}user = (.*) {2}host = (.*)$/s.exec(program);
  const offset = inferUtcOffset(header);
  const hours = offset / 3600;
  return {
    fileName: header?.fileName ?? "",
    epoch: header ? headerEpochValue(header) : null,
    headerless: header === null,
    identity: who ? { user: who[1] ?? "", host: who[2] ?? "" } : null,
    timeZone: Number.isInteger(hours)
      ? hours === 0
        ? "UTC"
        : `Etc/GMT${hours > 0 ? "-" : "+"}${Math.abs(hours)}`
      : null,
  };
}

/** A comment the v1 writer took from spec_comment(): its text, time and place in the scan. */
export interface WriterComment {
  text: string;
  /** Seconds since the epoch, from the comment's date. */
  time: number;
  /** True after the `#N` line (made while the run was open), false before (made before it). */
  afterData: boolean;
}

const WRITER_OWN_COMMENT =
  /\. {2}(plan_type = |uid = |num_events_\S+ = \d+$|exit_status = )|^no data column labels identified$/;

/**
 * The spec_comment() lines of a scan written by apstools' v1 writer: every dated `#C` line other
 * than the writer's own plan_type, uid and end lines.
 */
export function v1UserComments(
  scan: Scan,
  utcOffset: number = inferUtcOffset(scan.header),
): WriterComment[] {
  const countLine = scan.control("N")[0]?.line ?? Number.POSITIVE_INFINITY;
  const comments: WriterComment[] = [];
  for (const comment of scan.comments) {
    if (WRITER_OWN_COMMENT.test(comment.text)) continue;
    const separator = comment.text.indexOf(".  ");
    const time =
      separator > 0 ? toEpoch(readDate(comment.text.slice(0, separator)), utcOffset) : null;
    if (time === null) continue;
    comments.push({
      text: comment.text.slice(separator + 3),
      time,
      afterData: comment.line > countLine,
    });
  }
  return comments;
}
