/**
 * The layout of apstools' deprecated SpecWriterCallback ("v1", notes/writer.md §7.1), which many
 * existing files have. It differs from SpecWriterCallback2 in these ways:
 * - a run is buffered and written whole at its stop;
 * - `#E` is an int;
 * - the user line is always the machine's;
 * - `#C … plan_type =` and `#MD uid =` lines are added;
 * - `#MD` keys are sorted, leaving out uid, time, project, sample, scan_id, group, owner, hints,
 *   plan_type, plan_name and plan_args;
 * - columns are motors, `Epoch_float  Epoch`, the other keys, then the hinted detector fields;
 * - values are full Python repr, with `Epoch = int(dt + 0.5)` and a missing key written as 0;
 * - a string cell holds the row index and gets a `#U <row> <label> <value>` line;
 * - lists and None are written into the row as they are;
 * - every run gets an `#S` block, even one without a primary stream.
 */
import { type DocValue, toNumber, unpackEventPage } from "@specx/documents";
import type { ApstoolsWriterOptions, TextSink } from "./apstools-writer.js";
import { type Doc, dict, stringList, text } from "./doc.js";
import { buildCommand, formatEpochHeader, formatSpecDate, pythonStr } from "./format/index.js";
import {
  byCodePoint,
  type Descriptor,
  difference,
  fileHeaderLines,
  numberedRows,
  oneLine,
  sameList,
  scanNumberOf,
} from "./layout.js";

/** Start keys v1 leaves out of `#MD`. */
const NOT_IN_MD = new Set([
  "uid",
  "time",
  "project",
  "sample",
  "scan_id",
  "group",
  "owner",
  "hints",
  "plan_type",
  "plan_name",
  "plan_args",
]);

/** Writes runs in apstools' SpecWriterCallback (v1) layout. */
export class ApstoolsV1Writer {
  readonly warnings: string[] = [];
  private readonly sink: TextSink;
  private readonly options: ApstoolsWriterOptions;
  private readonly descriptors = new Map<string, Descriptor>();
  private fileEpoch: DocValue | undefined;
  private headerMotors: string[] | null;
  private nonEmpty: boolean;
  private run: { start: Doc; documents: [string, Doc][] } | null = null;

  constructor(sink: TextSink, options: ApstoolsWriterOptions) {
    this.sink = sink;
    this.options = options;
    this.headerMotors = options.existing?.headerMotors ?? null;
    this.nonEmpty = options.existing?.nonEmpty ?? false;
  }

  /** Takes one document; a run's text is written when its stop arrives. */
  receive(name: string, doc: Doc): void {
    if (name === "start") {
      this.fileEpoch ??= this.options.fileEpoch ?? Math.trunc(toNumber(doc.time) ?? 0);
      this.run = { start: doc, documents: [] };
      return;
    }
    if (name === "descriptor")
      this.descriptors.set(text(doc.uid) ?? "", { name: text(doc.name) ?? "primary", doc });
    if (name === "event_page") {
      for (const event of unpackEventPage(doc)) this.run?.documents.push(["event", event as Doc]);
      return;
    }
    if (name === "stop") {
      if (this.run) this.sink.write(this.runText(this.run.start, this.run.documents, doc));
      this.run = null;
      return;
    }
    this.run?.documents.push([name, doc]);
  }

  /** v1 has no place for a comment outside a run's buffer; comments are not supported here. */
  comment(): void {
    this.warnings.push(
      "the apstools-v1 layout takes comments only through spec_comment(); comment dropped",
    );
  }

  /** Starts a new file header block before the next run. */
  newHeader(): void {
    this.headerMotors = null;
  }

  private runText(start: Doc, documents: [string, Doc][], stop: Doc): string {
    const out: string[] = [];
    const descriptorOf = (doc: Doc) => this.descriptors.get(text(doc.descriptor) ?? "");
    const motorDescriptor = documents.find(
      ([n, d]) => n === "descriptor" && d.name === "label_start_motor",
    )?.[1];
    const motorEvent = documents.find(
      ([n, d]) => n === "event" && descriptorOf(d)?.name === "label_start_motor",
    )?.[1];
    const primary = documents.find(([n, d]) => n === "descriptor" && d.name === "primary")?.[1];
    const events = documents
      .filter(([n, d]) => n === "event" && descriptorOf(d)?.name === "primary")
      .map(([, d]) => d);
    const motors = Object.keys(dict(motorDescriptor?.configuration)).sort(byCodePoint);

    if (this.headerMotors === null || (motorDescriptor && !sameList(motors, this.headerMotors))) {
      if (this.nonEmpty) out.push("");
      const epoch = this.fileEpoch ?? 0;
      const identity = this.options.identity ?? { user: "", host: "" };
      out.push(
        ...fileHeaderLines({
          fileName: this.options.fileName,
          epoch: formatEpochHeader(epoch as number),
          date: this.date(epoch),
          user: identity.user,
          host: identity.host,
          motors,
        }),
      );
      this.headerMotors = motors;
    }

    const startDate = this.date(start.time);
    out.push(
      "",
      `#S ${scanNumberOf(start)}  ${buildCommand(start as Record<string, DocValue>)}`,
      `#D ${startDate}`,
    );
    if (start.plan_type === undefined)
      this.warnings.push("start without plan_type (apstools v1 raises here)");
    else out.push(`#C ${startDate}.  plan_type = ${pythonStr(start.plan_type)}`);
    out.push(
      `#C ${startDate}.  uid = ${text(start.uid) ?? ""}`,
      `#MD uid = ${text(start.uid) ?? ""}`,
    );
    for (const key of Object.keys(start).sort(byCodePoint)) {
      const value = start[key];
      if (NOT_IN_MD.has(key) || value === undefined) continue;
      out.push(`#MD ${oneLine(key)} = ${pythonStr(value)}`);
    }
    const motorData = dict(motorEvent?.data);
    const motorKeys = dict(motorDescriptor?.object_keys);
    out.push(
      ...numberedRows(
        "#P",
        motors.map((m) =>
          pythonStr(
            (m in motorData ? motorData[m] : motorData[stringList(motorKeys[m])[0] ?? m]) ?? null,
          ),
        ),
        " ",
      ),
    );

    const labels = primary ? v1Columns(start, primary) : [];
    out.push(`#N ${labels.length}`);
    out.push(
      labels.length > 0
        ? `#L ${labels.map(oneLine).join("  ")}`
        : "#C no data column labels identified",
    );
    events.forEach((event, row) => {
      const data = dict(event.data);
      const dt = difference(event.time, start.time);
      const users: string[] = [];
      const cells = labels.map((label) => {
        if (label === "Epoch_float") return dt.isFloat ? pythonStr(dt.value) : String(dt.value);
        if (label === "Epoch") return String(Math.trunc(dt.value + 0.5));
        const value = label in data ? data[label] : 0;
        if (typeof value === "string") {
          users.push(`#U ${row} ${oneLine(label)} ${value}`);
          return String(row);
        }
        return pythonStr(value ?? null);
      });
      out.push(cells.join(" "), ...users);
    });
    for (const [name, doc] of documents) {
      if (name === "resource" || name === "datum")
        out.push(`#C ${startDate}.  ${name} ${pythonStr(doc as DocValue)}`);
    }
    const stopDate = this.date(stop.time);
    const counts = stop.spec_num_events !== undefined ? stop.spec_num_events : stop.num_events;
    for (const [stream, count] of Object.entries(dict(counts))) {
      out.push(`#C ${stopDate}.  num_events_${oneLine(stream)} = ${pythonStr(count)}`);
    }
    out.push(`#C ${stopDate}.  exit_status = ${pythonStr(stop.exit_status ?? "unknown")}`);
    this.nonEmpty = true;
    return `${out.join("\n")}\n`;
  }

  private date(time: DocValue | undefined): string {
    return formatSpecDate(toNumber(time) ?? 0, this.options.timeZone);
  }
}

/**
 * v1 columns: the start's motors that are data keys, `Epoch_float`, `Epoch`, the other data keys
 * in descriptor order, then the start's detectors that the hints name (a missing key reads 0).
 */
function v1Columns(start: Doc, descriptor: Doc): string[] {
  const dataKeys = Object.keys(dict(descriptor.data_keys));
  const hints = dict(descriptor.hints);
  const motors = stringList(start.motors).filter((m) => dataKeys.includes(m));
  // Hinted detectors: those the descriptor's hints name, as an object or among its fields.
  const hinted = new Set(Object.keys(hints));
  for (const hint of Object.values(hints))
    for (const field of stringList(dict(hint).fields)) hinted.add(field);
  const detectors = stringList(start.detectors).filter((d) => hinted.has(d));
  const taken = new Set([...motors, ...detectors]);
  return [
    ...motors,
    "Epoch_float",
    "Epoch",
    ...dataKeys.filter((k) => !taken.has(k)),
    ...detectors,
  ];
}
