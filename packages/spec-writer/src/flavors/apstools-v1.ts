/**
 * The layout of apstools' deprecated SpecWriterCallback ("v1", docs/writer.md §7.1), which many
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
 * - every run gets an `#S` block, even one without a primary stream;
 * - comments (apstools' spec_comment()) are buffered: those made outside a run are written after
 *   the next run's uid line, those made during a run after its data rows.
 *
 * Files of apstools 1.1 and older vary this layout; {@link ApstoolsV1Layout} names the variations.
 */
import { type DocRecord, type DocValue, toNumber, unpackEventPage } from "@specx/documents";
import { displayLabels } from "../columns.js";
import type { ApstoolsV1Layout, HeaderSettings, TextSink, WriterOptions } from "../contracts.js";
import { dict, stringList, text } from "../doc.js";
import { buildCommand, formatEpochHeader, formatSpecDate, pythonStr } from "../format/index.js";
import {
  byCodePoint,
  type Descriptor,
  difference,
  fileHeaderLines,
  numberedRows,
  oneLine,
  sameList,
  scanNumberOf,
} from "../layout.js";

/** The layout of current apstools' SpecWriterCallback. */
export const CURRENT_V1_LAYOUT: ApstoolsV1Layout = {
  program: "Bluesky",
  motorLines: true,
  metadataUid: true,
  countRows: false,
  quotedCommandStrings: true,
};

/** Options of {@link ApstoolsV1Writer}. */
export interface ApstoolsV1WriterOptions extends WriterOptions {
  /** Variations of older apstools versions; default {@link CURRENT_V1_LAYOUT}. */
  v1Layout?: Partial<ApstoolsV1Layout>;
}

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
  private readonly options: ApstoolsV1WriterOptions;
  private readonly descriptors = new Map<string, Descriptor>();
  private fileEpoch: DocValue | undefined;
  private identity: { user: string; host: string };
  private layout: ApstoolsV1Layout;
  private headerMotors: string[] | null;
  private nonEmpty: boolean;
  private run: { start: DocRecord; documents: [string, DocRecord][]; comments: string[] } | null =
    null;
  /** Comments made outside a run, for the next run's scan header. */
  private startComments: string[] = [];

  constructor(sink: TextSink, options: ApstoolsV1WriterOptions) {
    this.sink = sink;
    this.options = options;
    this.fileEpoch = options.fileEpoch;
    this.identity = options.identity ?? { user: "", host: "" };
    this.layout = { ...CURRENT_V1_LAYOUT, ...options.v1Layout };
    this.headerMotors = options.existing?.headerMotors ?? null;
    this.nonEmpty = options.existing?.nonEmpty ?? false;
  }

  /** Takes one document; a run's text is written when its stop arrives. */
  receive(name: string, doc: DocRecord): void {
    if (name === "start") {
      this.fileEpoch ??= Math.trunc(toNumber(doc.time) ?? 0);
      this.run = { start: doc, documents: [], comments: [] };
      return;
    }
    if (name === "descriptor")
      this.descriptors.set(text(doc.uid) ?? "", { name: text(doc.name) ?? "primary", doc });
    if (name === "event_page") {
      for (const event of unpackEventPage(doc))
        this.run?.documents.push(["event", event as DocRecord]);
      return;
    }
    if (name === "stop") {
      if (this.run) this.sink.write(this.runText(this.run, doc));
      this.run = null;
      return;
    }
    this.run?.documents.push([name, doc]);
  }

  /**
   * apstools' spec_comment(): a `#C <date>.  text` line per line of text, dated `time` (seconds;
   * default now). Written after the next run's uid line, or after the data of the open run.
   */
  comment(textToWrite: string, time?: number): void {
    const date = this.date(time ?? this.options.now?.() ?? Date.now() / 1000);
    const lines = textToWrite.split(/\r\n|\r|\n/).map((line) => `#C ${date}.  ${line}`);
    (this.run?.comments ?? this.startComments).push(...lines);
  }

  /** Starts a new file header block before the next run, as a new writer session does. */
  newHeader(settings: HeaderSettings = {}): void {
    this.headerMotors = null;
    if (settings.fileEpoch !== undefined) this.fileEpoch = settings.fileEpoch;
    if (settings.identity !== undefined) this.identity = settings.identity;
    if (settings.v1Layout !== undefined)
      this.layout = { ...CURRENT_V1_LAYOUT, ...settings.v1Layout };
  }

  private runText(
    run: { start: DocRecord; documents: [string, DocRecord][]; comments: string[] },
    stop: DocRecord,
  ): string {
    const { start, documents } = run;
    const layout = this.layout;
    const out: string[] = [];
    const descriptorOf = (doc: DocRecord) => this.descriptors.get(text(doc.descriptor) ?? "");
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
      out.push(
        ...fileHeaderLines({
          fileName: this.options.fileName,
          epoch: formatEpochHeader(epoch as number),
          date: this.date(epoch),
          user: this.identity.user,
          host: this.identity.host,
          motors,
          program: layout.program,
          motorLines: layout.motorLines,
        }),
      );
      this.headerMotors = motors;
    }

    const startDate = this.date(start.time);
    const command = buildCommand(start as Record<string, DocValue>, {
      quoteStrings: layout.quotedCommandStrings,
    });
    out.push("", `#S ${scanNumberOf(start)}  ${command}`, `#D ${startDate}`);
    if (start.plan_type === undefined)
      this.warnings.push("start without plan_type (apstools v1 raises here)");
    else out.push(`#C ${startDate}.  plan_type = ${pythonStr(start.plan_type)}`);
    out.push(`#C ${startDate}.  uid = ${text(start.uid) ?? ""}`, ...this.startComments);
    this.startComments = [];
    if (layout.metadataUid) out.push(`#MD uid = ${text(start.uid) ?? ""}`);
    for (const key of Object.keys(start).sort(byCodePoint)) {
      const value = start[key];
      if (NOT_IN_MD.has(key) || value === undefined) continue;
      out.push(`#MD ${oneLine(key)} = ${pythonStr(value)}`);
    }
    const motorData = dict(motorEvent?.data);
    const motorKeys = dict(motorDescriptor?.object_keys);
    if (layout.motorLines)
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

    const keys = primary ? v1Columns(start, primary) : [];
    const labels = primary ? displayLabels(keys, primary) : [];
    out.push(`#N ${layout.countRows ? events.length : keys.length}`);
    out.push(
      labels.length > 0
        ? `#L ${labels.map(oneLine).join("  ")}`
        : "#C no data column labels identified",
    );
    events.forEach((event, row) => {
      const data = dict(event.data);
      const dt = difference(event.time, start.time);
      const users: string[] = [];
      const cells = keys.map((key, column) => {
        if (key === "Epoch_float") return dt.isFloat ? pythonStr(dt.value) : String(dt.value);
        if (key === "Epoch") return String(Math.trunc(dt.value + 0.5));
        const value = key in data ? data[key] : 0;
        if (typeof value === "string") {
          users.push(`#U ${row} ${oneLine(labels[column] ?? key)} ${value}`);
          return String(row);
        }
        return pythonStr(value ?? null);
      });
      out.push(cells.join(" "), ...users);
    });
    out.push(...run.comments);
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
function v1Columns(start: DocRecord, descriptor: DocRecord): string[] {
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
