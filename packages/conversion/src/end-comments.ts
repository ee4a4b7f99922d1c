/**
 * Runs that SPEC kept only the end of: apstools writes the end comments of a run without a
 * primary stream wherever it is (under a header, or after another scan), and a header block it
 * wrote between two rows of a scan (apstools bug 9, docs/writer.md §6) holds the rest of that
 * scan's run.
 */
import type { DocRecord, NamedDocument } from "@specx/documents";
import { type FileHeader, readDate, readValue, splitWords } from "@specx/spec-parser";
import { asFloat, event, toEpoch } from "./build.js";
import { numberFromToken } from "./literal.js";
import { exitStatus } from "./stop.js";
import { namedMotors } from "./streams/motors.js";
import { inferUtcOffset } from "./times.js";
import type { ToDocumentsOptions } from "./types.js";
import { uuid5 } from "./uuid.js";

/** The `#C <date>.  num_events_<s> = n` … `exit_status = X` groups of bluesky end comments. */
export interface EndGroup {
  counts: DocRecord;
  status: string;
  date: string;
  line: number;
}

export function endGroups(comments: readonly { text: string; line: number }[]): EndGroup[] {
  const groups: EndGroup[] = [];
  let counts: DocRecord = {};
  for (const comment of comments) {
    const counted = /^(.*?)\. {2}num_events_(\S+) = (\d+)$/.exec(comment.text);
    if (counted) counts[counted[2] as string] = Number(counted[3]);
    const status = /^(.*?)\. {2}exit_status = (\S+)$/.exec(comment.text);
    if (status) {
      groups.push({
        counts,
        status: status[2] as string,
        date: status[1] as string,
        line: comment.line,
      });
      counts = {};
    }
  }
  return groups;
}

/**
 * A run of which SPEC kept only its end comments (it had no primary stream): a start and a stop
 * carrying the counts. The first run of a file also keeps the header's motor names, since they
 * came from its label_start_motor stream.
 */
export function runWithoutPrimary(
  group: EndGroup,
  header: FileHeader | null,
  motors: string[],
  options: ToDocumentsOptions,
): NamedDocument[] {
  const time = toEpoch(readDate(group.date), options.utcOffset ?? inferUtcOffset(header)) ?? 0;
  const base = `${header?.fileName ?? ""}:${header?.line ?? 0}:${group.line}:${group.date}`;
  const uid = uuid5(`${base}:start`);
  const start: DocRecord = { uid, time: asFloat(time) };
  if (options.provenance !== false) {
    start.spec = {
      note: "a run without a primary stream: SPEC kept only its end comments",
      line: group.line,
    };
  }
  const documents: NamedDocument[] = [["start", start]];
  const numEvents: DocRecord = {};
  if (motors.length > 0) {
    documents.push(["descriptor", namedMotors(uuid5(`${base}:descriptor`), uid, time, motors)]);
    numEvents.label_start_motor = 0;
  }
  const status = exitStatus(group.status);
  documents.push([
    "stop",
    {
      uid: uuid5(`${base}:stop`),
      run_start: uid,
      time: asFloat(time + 0.5),
      exit_status: status,
      num_events: numEvents,
      spec_num_events: group.counts,
    },
  ]);
  return documents;
}

/**
 * Continues an interrupted run with the rows of the header block that cut it: the header's
 * motors as a label_start_motor descriptor (it arrived mid-scan), the rows as further events,
 * and the header's first end-comment group as the run's stop. `scanLabels` are the `#L` labels
 * of the scan the rows continue, which name their columns.
 */
export function resumeScan(
  documents: NamedDocument[],
  header: FileHeader,
  group: EndGroup | undefined,
  scanLabels: readonly string[],
  options: ToDocumentsOptions,
): NamedDocument[] {
  const out = documents.slice(0, -1);
  const oldStop = documents[documents.length - 1]?.[1] as DocRecord;
  const start = out[0]?.[1] as DocRecord;
  const primary = out.find(
    ([name, doc]) => name === "descriptor" && (doc as DocRecord).name === "primary",
  )?.[1] as DocRecord;
  const primaryEvents = out.filter(
    ([name, doc]) => name === "event" && (doc as DocRecord).descriptor === primary.uid,
  );
  const lastEvent = primaryEvents[primaryEvents.length - 1]?.[1] as DocRecord | undefined;
  const base = `${String(start.uid)}:resumed:${header.line}`;
  const motors = [...header.motorNames.values()].flat();
  const numEvents = { ...(oldStop.num_events as DocRecord) };
  if (motors.length > 0) {
    const time = Number(lastEvent?.time ?? start.time);
    out.push([
      "descriptor",
      namedMotors(uuid5(`${base}:descriptor`), String(start.uid), time, motors),
    ]);
    numEvents.label_start_motor = 0;
  }
  // The rows: the scan's columns, its Epoch_float (else Epoch) giving the time, as the scan's
  // own rows (times.ts).
  const labels = Object.entries(primary.data_keys as DocRecord).map(
    ([key, dataKey]) => [key, (dataKey as DocRecord).spec_label] as const,
  );
  const timeLabel = scanLabels.includes("Epoch_float") ? "Epoch_float" : "Epoch";
  let seqNum = primaryEvents.length;
  // Event times never decrease, as in the scan's own rows.
  let eventTime = Number(lastEvent?.time ?? start.time);
  for (const line of header.lines.filter((l) => l.kind === "data")) {
    const tokens = splitWords(line.text);
    const data: DocRecord = {};
    let relative = 0;
    tokens.forEach((token, i) => {
      const label = scanLabels[i];
      const value = numberFromToken(token, readValue(token).value);
      if (label === timeLabel && Number.isFinite(Number(value))) relative = Number(value);
      const key = labels.find(([, l]) => l === label)?.[0];
      if (key !== undefined) data[key] = value;
    });
    seqNum++;
    eventTime = Math.max(eventTime, Number(start.time) + relative);
    out.push([
      "event",
      event(uuid5(`${base}:event:${seqNum}`), String(primary.uid), seqNum, eventTime, data),
    ]);
  }
  numEvents.primary = seqNum;
  const stop: DocRecord = { ...oldStop, num_events: numEvents };
  // The stop follows the last row, resumed rows included (their Epoch_float may be later).
  if (eventTime > Number(oldStop.time)) stop.time = asFloat(eventTime);
  delete stop.spec_truncated;
  delete stop.reason;
  if (group) {
    stop.exit_status = exitStatus(group.status);
    stop.spec_num_events = group.counts;
    const endDate = toEpoch(readDate(group.date), options.utcOffset ?? inferUtcOffset(header));
    if (endDate !== null) stop.time = asFloat(Math.max(Number(stop.time), endDate + 0.5));
  }
  out.push(["stop", stop]);
  return out;
}
