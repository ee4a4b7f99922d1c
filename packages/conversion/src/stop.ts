/**
 * The stop document: exit status, time and event counts from the end comments a bluesky writer
 * leaves (`#C <date>.  num_events_<s> = n`, `exit_status = X`), SPEC's `Scan aborted after`, and
 * the counts of the streams built.
 */
import type { DocRecord, RunStop } from "@specx/documents";
import { readDate, type Scan } from "@specx/spec-parser";
import { asFloat, toEpoch } from "./build.js";

export function stopDocument(
  scan: Scan,
  bluesky: boolean,
  offset: number,
  uid: string,
  runStart: string,
  lastTime: number,
  numEvents: Record<string, number>,
): RunStop {
  const stop: RunStop = {
    uid,
    run_start: runStart,
    time: asFloat(lastTime),
    exit_status: "success",
  };
  const reported: DocRecord = {};
  let endDate: number | null = null;
  let endLine: number | null = null;
  for (const comment of scan.comments) {
    const counted = /\. {2}num_events_(\S+) = (\d+)$/.exec(comment.text);
    if (counted) reported[counted[1] as string] = Number(counted[2]);
    const status = /\. {2}exit_status = (\S+)$/.exec(comment.text);
    if (status) {
      stop.exit_status = exitStatus(status[1] as string);
      endDate = toEpoch(readDate(comment.text.split(".  ")[0] ?? ""), offset);
      endLine = comment.line;
      break;
    }
  }
  if (bluesky && endLine === null) {
    // The writer stopped before the run's end (apstools crashes, or a run cut short): no end lines.
    stop.exit_status = "fail";
    stop.reason = "the SPEC scan has no end comments";
    stop.spec_truncated = true;
  }
  if (scan.aborted) {
    stop.exit_status = "abort";
    stop.reason = scan.comments.find((c) => /Scan aborted after/.test(c.text))?.text ?? "";
  }
  if (endDate !== null) stop.time = asFloat(Math.max(lastTime, endDate + 0.5));
  stop.num_events = numEvents;
  if (bluesky && Object.keys(reported).length > 0) stop.spec_num_events = reported;
  return stop;
}

/** An exit status as event-model allows it: `success`, `abort` or `fail` (any other). */
export function exitStatus(status: string): RunStop["exit_status"] {
  return status === "success" || status === "abort" ? status : "fail";
}
