/**
 * The start document: for a bluesky-written scan the keys it was written from (`#MD`, and for
 * apstools' v1 layout the plan read back from `#S` and the plan_type comment); for any other
 * scan, the plan, motors, detectors and hints that SPEC's standard macros imply. Either way, the
 * `spec` provenance key keeps what SPEC said that has no place in event-model.
 */
import {
  type DocRecord,
  type DocValue,
  isDocObject,
  type PyFloat,
  PyTuple,
  pyTuple,
  type RunStart,
} from "@specx/documents";
import { readValue, type Scan, type SpecFile, splitWords } from "@specx/spec-parser";
import { v1PlanType } from "./apstools-v1.js";
import { asFloat, safeKey } from "./build.js";
import { literal } from "./literal.js";
import { planFromCommand, unquotedCommand } from "./plan-command.js";
import type { Columns } from "./streams/primary.js";
import type { ScanRun, ToDocumentsOptions } from "./types.js";

/** The start document of a scan's run. */
export function startDocument(
  run: ScanRun,
  columns: Columns,
  startTime: number | PyFloat,
  headerEpoch: number | PyFloat | null,
  options: ToDocumentsOptions,
): RunStart {
  const { file, scan, bluesky, v1 } = run;
  // `#E` keeps the kind Python wrote it in; any other time is a float.
  const start: RunStart = {
    uid: run.startUid,
    time: startTime === headerEpoch ? startTime : asFloat(startTime),
  };
  if (scan.number !== null) start.scan_id = scan.number;
  const metadata = metadataValues(scan);
  if (bluesky) {
    if (v1) Object.assign(start, v1StartKeys(scan, metadata));
    for (const [key, value] of Object.entries(metadata)) {
      if (key !== "uid" && key !== "time" && key !== "scan_id") start[safeKey(key)] = value;
    }
  } else {
    Object.assign(start, plainStartKeys(scan, columns.labelKeys, columns.keys), metadata);
  }
  coerceStartTypes(start);
  if (options.provenance !== false) {
    start[start.spec === undefined ? "spec" : "_spec"] = provenance(file, scan, options.sourcePath);
  }
  return start;
}

/**
 * v1 start keys outside `#MD`: plan_type from its comment, and plan_name and plan_args read
 * back from the `#S` command (unless `#MD` has them).
 */
function v1StartKeys(scan: Scan, metadata: DocRecord): DocRecord {
  const keys: DocRecord = {};
  const planType = v1PlanType(scan);
  if (planType !== undefined && metadata.plan_type === undefined) keys.plan_type = planType;
  if (metadata.plan_name === undefined) {
    const plan = planFromCommand(scan.command, { quotedStrings: !unquotedCommand(scan.command) });
    if (plan) {
      keys.plan_name = plan.plan_name;
      if (plan.plan_args !== undefined && metadata.plan_args === undefined)
        keys.plan_args = plan.plan_args;
    }
  }
  return keys;
}

function metadataValues(scan: Scan): DocRecord {
  const values: DocRecord = {};
  for (const [key, text] of Object.entries(scan.metadataText))
    values[key] = sanitizeDeep(literal(text));
  return values;
}

/** The argument layout of SPEC's standard scan macros (docs/documents.md §5.2). */
const MACROS: Record<
  string,
  { motors: number; perMotor: 3 | 4; kind: "scan" | "mesh" | "time" | "count" }
> = {
  ascan: { motors: 1, perMotor: 3, kind: "scan" },
  dscan: { motors: 1, perMotor: 3, kind: "scan" },
  a2scan: { motors: 2, perMotor: 3, kind: "scan" },
  d2scan: { motors: 2, perMotor: 3, kind: "scan" },
  a3scan: { motors: 3, perMotor: 3, kind: "scan" },
  d3scan: { motors: 3, perMotor: 3, kind: "scan" },
  a4scan: { motors: 4, perMotor: 3, kind: "scan" },
  d4scan: { motors: 4, perMotor: 3, kind: "scan" },
  mesh: { motors: 2, perMotor: 4, kind: "mesh" },
  dmesh: { motors: 2, perMotor: 4, kind: "mesh" },
  hklmesh: { motors: 2, perMotor: 4, kind: "mesh" },
  timescan: { motors: 0, perMotor: 3, kind: "time" },
  loopscan: { motors: 0, perMotor: 3, kind: "time" },
  ct: { motors: 0, perMotor: 3, kind: "count" },
};

/**
 * Start keys for a plain SPEC scan, from its `#S` command and `#T`: plan_name, plan_args of the
 * standard macros (numbers as numbers), num_points, motors and detectors as data keys, and the
 * plot hints (the scanned motors, or time for counts).
 */
function plainStartKeys(
  scan: Scan,
  columnKeys: Map<string, string>,
  keysInOrder: string[],
): DocRecord {
  const words = splitWords(scan.command);
  const planName = words[0] ?? "";
  const keys: DocRecord = { plan_name: planName };
  const arg = (i: number): DocValue => {
    const word = words[1 + i];
    if (word === undefined) return null;
    const { value, kind } = readValue(word);
    return kind === "integer" || kind === "number" ? value : word;
  };
  const macro = MACROS[planName];
  let motorNames: string[] = [];
  if (macro?.kind === "scan" || macro?.kind === "mesh") {
    const { motors: n, perMotor } = macro;
    motorNames = Array.from({ length: n }, (_, m) => words[1 + m * perMotor] ?? "");
    const planArgs: DocRecord = {
      motors: motorNames,
      starts: motorNames.map((_, m) => arg(m * perMotor + 1)),
      stops: motorNames.map((_, m) => arg(m * perMotor + 2)),
    };
    let points: number | null = null;
    if (macro.kind === "scan") {
      planArgs.intervals = arg(n * 3);
      planArgs.count_time = arg(n * 3 + 1);
      const intervals = planArgs.intervals;
      if (typeof intervals === "number" && Number.isInteger(intervals)) {
        keys.num_intervals = intervals;
        points = intervals + 1;
      }
    } else {
      const intervals = motorNames.map((_, m) => arg(m * 4 + 3));
      planArgs.intervals = intervals;
      planArgs.count_time = arg(n * 4);
      if (intervals.every((v) => typeof v === "number" && Number.isInteger(v))) {
        points = intervals.reduce((product: number, v) => product * ((v as number) + 1), 1);
      }
    }
    if (points !== null) keys.num_points = points;
    keys.plan_args = planArgs;
  } else if (macro?.kind === "time") {
    keys.plan_args =
      planName === "loopscan" ? { num: arg(0), count_time: arg(1) } : { count_time: arg(0) };
    if (planName === "loopscan" && typeof arg(0) === "number") keys.num_points = arg(0);
  } else if (macro?.kind === "count") {
    keys.plan_args = { count_time: arg(0) };
    keys.num_points = 1;
  }
  if (scan.preset?.kind === "time" && scan.preset.value !== null)
    keys.count_time = scan.preset.value;

  // Motors as data keys: the #S mnemonic, through #o/#O, names a #L column.
  const nameOf = new Map(scan.positioners.map((p) => [p.mnemonic ?? p.name, p.name]));
  let motorKeys = motorNames
    .map((m) => columnKeys.get(m) ?? columnKeys.get(nameOf.get(m) ?? ""))
    .filter((k): k is string => k !== undefined);
  // Without a mnemonic-to-label path (old files have no #o), SPEC's convention holds: the
  // scanned motors are the first columns.
  if (motorKeys.length < motorNames.length) motorKeys = keysInOrder.slice(0, motorNames.length);
  if (motorKeys.length > 0) keys.motors = motorKeys;
  const detector = keysInOrder[keysInOrder.length - 1];
  if (detector !== undefined) keys.detectors = [detector];
  if (macro?.kind === "time" || macro?.kind === "count")
    keys.hints = { dimensions: [[["time"], "primary"]] };
  else if (motorKeys.length > 0)
    keys.hints = { dimensions: motorKeys.map((k) => [[k], "primary"]) };
  const owner = /User = (\S+)/.exec(scan.header?.comments[0]?.text ?? "")?.[1];
  if (owner) keys.owner = owner;
  return keys;
}

/** Schema-fixed types: sample/owner/group/project/data_session strings, data_groups string[], scan_id int. */
function coerceStartTypes(start: DocRecord): void {
  for (const key of ["sample", "owner", "group", "project", "data_session"]) {
    const value = start[key];
    if (
      value !== undefined &&
      typeof value !== "string" &&
      !(key === "sample" && isDocObject(value))
    ) {
      start[key] = pythonish(value);
    }
  }
  if (start.data_groups !== undefined && !Array.isArray(start.data_groups))
    start.data_groups = [pythonish(start.data_groups)];
  if (Array.isArray(start.data_groups))
    start.data_groups = start.data_groups.map((v) => (typeof v === "string" ? v : pythonish(v)));
}

function pythonish(value: DocValue): string {
  return typeof value === "string"
    ? value
    : (JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "None");
}

export function provenance(file: SpecFile, scan: Scan, sourcePath: string | undefined): DocRecord {
  const header = scan.header;
  const byFamily = (family: string) => scan.control(family).map((c) => c.text.trim());
  const spec: DocRecord = {
    key: scan.key,
    command: scan.command,
    file: header?.fileName ?? null,
    epoch: header?.epoch ?? null,
    date: scan.date?.raw ?? null,
    file_comments: header?.comments.map((c) => c.text) ?? [],
    comments: scan.comments.map((c) => ({ text: c.text, row: c.afterRow })) as DocValue,
    G: Object.fromEntries([...scan.geometry].map(([row, values]) => [`G${row}`, values])),
    Q: scan.hkl ?? [],
    U: byFamily("U"),
    V: sanitizeDeep(scan.unicat as DocValue),
    unnamed_positions: scan.unnamedPositions,
    diagnostics: scan.diagnostics.map((d) => `${d.line}: ${d.code} ${d.message}`),
    file_scan_count: file.scanCount,
  };
  if (scan.preset)
    spec[scan.preset.kind === "time" ? "T" : "M"] = {
      value: scan.preset.value,
      counter: scan.preset.counter,
    };
  if (sourcePath !== undefined) spec.source_path = sourcePath;
  return sanitizeDeep(spec) as DocRecord;
}

/** Dict keys at any depth without `.` or `/`, which the event-model schemas forbid. */
function sanitizeDeep(value: DocValue): DocValue {
  if (value instanceof PyTuple) return pyTuple(value.map(sanitizeDeep));
  if (Array.isArray(value)) return value.map(sanitizeDeep);
  if (isDocObject(value)) {
    const out: DocRecord = {};
    for (const [key, item] of Object.entries(value))
      out[key.replace(/[./]/g, "_")] = sanitizeDeep(item);
    return out;
  }
  return value;
}
