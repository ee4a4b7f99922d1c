/**
 * Reading scans written by bluesky's suitcase-specfile (docs/writer.md §7.2). Its layout carries
 * a run differently from apstools': `#O0`/`#P0` hold the `baseline` stream, the command is
 * SPEC-like (`ct`, `ascan`, `dscan` or `Other`, then the x column, the scan range and the count
 * time), the columns are `<x>  Epoch  Seconds` then the sorted data keys, `Epoch` is the absolute
 * event time, and only a failed run writes an end comment. No uid is written, so uids are UUIDv5.
 */
import type { DocRecord, DocValue, NamedDocument } from "@specx/documents";
import { readValue, type Scan, splitWords } from "@specx/spec-parser";
import { asFloat, dataKeyFor, descriptor, event, uniqueKeys } from "./build.js";
import { cellReader, numberFromToken } from "./literal.js";
import { exitStatus } from "./stop.js";

/** A map, not an object: a command such as `constructor` must not find Object's own members. */
const PLAN_OF_COMMAND = new Map([
  ["ct", "count"],
  ["ascan", "scan"],
  ["dscan", "rel_scan"],
]);

/** The run of a suitcase-written scan: start, baseline, primary and stop. */
export function suitcaseRun(
  scan: Scan,
  startTime: number,
  uidFor: (role: string) => string,
  extraStartKeys: DocRecord = {},
): NamedDocument[] {
  const words = splitWords(scan.command);
  const command = words[0] ?? "";
  const x = words[1] ?? "seq_num";
  const startUid = uidFor("start");
  const owner = /^(.*) {2}User = /.exec(scan.header?.comments[0]?.text ?? "")?.[1] ?? "";
  const start: DocRecord = {
    uid: startUid,
    time: asFloat(startTime),
    ...(scan.number !== null ? { scan_id: scan.number } : {}),
    plan_name: PLAN_OF_COMMAND.get(command) ?? command,
    owner,
  };
  if (command === "ascan" || command === "dscan") {
    start.motors = [x];
    const [from, to, num] = words.slice(2, 5).map(token);
    start.plan_args = { start: from ?? null, stop: to ?? null, num: num ?? null };
  }
  const countTime = splitWords(scan.control("T")[0]?.text ?? "")[0];
  if (countTime !== undefined && countTime !== "-1") start.count_time = token(countTime) ?? null;
  const { data } = scan;
  // The data columns: x (unless it is seq_num) and everything after Seconds.
  const columns = data.names.map((_, i) => i).filter((i) => (i === 0 ? x !== "seq_num" : i > 2));
  const keys = uniqueKeys(columns.map((i) => data.names[i] as string));
  start.detectors = keys.filter((key) => key !== x);
  start.hints = { dimensions: [[[x === "seq_num" ? "time" : x], "primary"]] };
  Object.assign(start, extraStartKeys);
  const documents: NamedDocument[] = [["start", start]];

  const numEvents: DocRecord = {};
  if (scan.positioners.length > 0) {
    const names = uniqueKeys(scan.positioners.map((p) => p.mnemonic ?? p.name));
    const dataKeys: DocRecord = {};
    const values: DocRecord = {};
    scan.positioners.forEach((p, i) => {
      const key = names[i] as string;
      dataKeys[key] = { dtype: "number", shape: [], source: p.name, object_name: key };
      values[key] = numberFromToken(p.raw, p.value);
    });
    const uid = uidFor("descriptor:baseline");
    documents.push(
      ["descriptor", descriptor(uid, startUid, startTime, "baseline", dataKeys, names)],
      ["event", event(uidFor("event:baseline:1"), uid, 1, startTime, values)],
    );
    numEvents.baseline = 1;
  }

  const cell = cellReader(scan);
  const epochColumn = data.columns[1];
  const rows = Array.from({ length: data.rows }, (_, row) => ({
    time: Math.max(startTime, epochColumn?.[row] ?? startTime),
    values: Object.fromEntries(
      columns.map((column, k) => [keys[k], cell(row, column)]),
    ) as DocRecord,
  }));
  const primaryKeys: DocRecord = {};
  columns.forEach((column, k) => {
    const key = keys[k] as string;
    primaryKeys[key] = {
      ...dataKeyFor(rows.map((r) => r.values[key] as DocValue)),
      source: `SPEC:${data.names[column]}`,
      object_name: key,
    };
  });
  const primaryUid = uidFor("descriptor:primary");
  documents.push([
    "descriptor",
    descriptor(primaryUid, startUid, rows[0]?.time ?? startTime, "primary", primaryKeys, keys),
  ]);
  rows.forEach((r, i) => {
    documents.push([
      "event",
      event(uidFor(`event:primary:${i + 1}`), primaryUid, i + 1, r.time, r.values),
    ]);
  });
  numEvents.primary = rows.length;

  const failure = scan.comments
    .map((c) => /^Run exited with status: (.*?)\. Reason: (.*)$/s.exec(c.text))
    .find((match) => match !== null);
  const status = failure?.[1] ?? "success";
  const stop: DocRecord = {
    uid: uidFor("stop"),
    run_start: startUid,
    time: asFloat(rows[rows.length - 1]?.time ?? startTime),
    exit_status: exitStatus(status),
    num_events: numEvents,
  };
  if (failure) stop.reason = failure[2] ?? "";
  documents.push(["stop", stop]);
  return documents;
}

/** A command or `#T` token as a number (int or float kept), or its text. */
function token(text: string | undefined): DocValue | undefined {
  if (text === undefined) return undefined;
  const { value, kind } = readValue(text);
  return kind === "integer" || kind === "number" ? numberFromToken(text, value) : text;
}
