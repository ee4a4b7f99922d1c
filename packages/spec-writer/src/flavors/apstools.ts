/**
 * The streaming SPEC writer in the layout of apstools' SpecWriterCallback2 (docs/writer.md
 * §1-§2): documents go in one at a time, and text comes out as soon as a document makes some, so
 * a crash mid-run leaves a readable file. Each document's text is handed to the sink in one
 * piece.
 *
 * Where apstools is wrong, specx does the right thing by default (docs/writer.md §6):
 * NaN and infinities are written (`nan`, `inf`), event pages give rows, comments can be added,
 * a new file always gets a header, an existing file is continued after its last scan, and a
 * newline inside a value cannot break a line. `strictApstools` restores apstools' output where it
 * can be reproduced at all.
 */
import {
  type DocRecord,
  type DocValue,
  isFloat,
  toNumber,
  unpackEventPage,
} from "@specx/documents";
import { primaryColumns } from "../columns.js";
import type { TextSink, WriterOptions } from "../contracts.js";
import { dict, stringList, text } from "../doc.js";
import {
  buildCommand,
  formatEpochHeader,
  formatSpecDate,
  intDigits,
  pythonRepr,
  pythonStr,
  render13,
  renderValue,
  roundHalfEven,
} from "../format/index.js";
import {
  byCodePoint,
  type Descriptor,
  fileHeaderLines,
  numberedRows,
  oneLine,
  sameList,
  scanNumberOf,
} from "../layout.js";

/** Per-run state, reset by every start document. */
interface Run {
  start: DocRecord;
  /** Data key → the SPEC label to print (`spec_label` of documents read from SPEC). */
  displayNames: Map<string, string>;
  uid: string;
  scanNumber: number;
  motors: string[];
  motorValues: DocRecord;
  motorKeys: Record<string, DocValue>;
  labels: string[] | null;
  scanHeaderDue: boolean;
  primarySeen: boolean;
  externals: [string, DocValue][];
  pendingComments: string[];
  scanHeaderWritten: boolean;
}

/** Writes bluesky runs as SPEC scans, apstools SpecWriterCallback2 style. */
export class ApstoolsWriter {
  /** Things worth telling the user (a NaN written, a malformed login_id, …). */
  readonly warnings: string[] = [];

  private readonly sink: TextSink;
  private readonly options: WriterOptions;
  private readonly descriptors = new Map<string, Descriptor>();
  private fileEpoch: DocValue | undefined;
  private headerMotors: string[] | null;
  private headerDue: boolean;
  private nonEmpty: boolean;
  private needsNewline: boolean;
  private scanFloor: number;
  private readonly continuing: boolean;
  private run: Run | null = null;
  private documentTime: DocValue | undefined;
  private identity: { user: string; host: string } | undefined;
  private user = "";
  private host = "";
  private out: string[] = [];

  constructor(sink: TextSink, options: WriterOptions) {
    this.sink = sink;
    this.options = options;
    const existing = options.existing;
    this.headerMotors = existing?.headerMotors ?? null;
    this.headerDue = this.headerMotors === null;
    this.nonEmpty = existing?.nonEmpty ?? false;
    this.needsNewline = existing?.nonEmpty === true && !existing.endsWithNewline;
    this.scanFloor = existing?.lastScanNumber ?? 0;
    this.continuing = existing?.nonEmpty ?? false;
  }

  /** Takes one document (any event-model name); writes what it completes. */
  receive(name: string, doc: DocRecord): void {
    if (doc.time !== undefined) this.documentTime = doc.time;
    if (this.fileEpoch === undefined && this.options.fileEpoch !== undefined)
      this.fileEpoch = this.options.fileEpoch;
    switch (name) {
      case "start":
        this.onStart(doc);
        break;
      case "descriptor":
        this.onDescriptor(doc);
        break;
      case "event":
        this.onEvent(doc);
        break;
      case "event_page":
        if (this.options.strictApstools) break;
        for (const event of unpackEventPage(doc)) this.receive("event", event as DocRecord);
        break;
      case "resource":
        if (this.run)
          this.run.externals.push([
            text(doc.uid) ?? "",
            { ...doc, _document_type_: "resource" } as DocValue,
          ]);
        break;
      case "datum":
        if (this.run)
          this.run.externals.push([
            text(doc.datum_id) ?? "",
            { ...doc, _document_type_: "datum" } as DocValue,
          ]);
        break;
      case "stop":
        this.onStop(doc);
        break;
      default:
        // bulk_events, stream_resource, stream_datum: nothing in SPEC holds them.
        break;
    }
    this.flush();
  }

  /**
   * Adds a user comment, `#C <date>.  <text>`, after the current row; before the scan header is
   * written it waits for it. A multi-line text becomes several comment lines.
   */
  comment(commentText: string, time?: number): void {
    const when = time ?? this.options.now?.() ?? Date.now() / 1000;
    const lines = commentText.split(/\r\n|\r|\n/).map((line) => `#C ${this.date(when)}.  ${line}`);
    if (this.run && !this.run.scanHeaderWritten) {
      this.run.pendingComments.push(...lines);
      return;
    }
    if (this.headerDue) this.writeFileHeader();
    this.out.push(...lines);
    this.flush();
  }

  /**
   * Starts a new file header block before the next scan (or end lines), as a new writer session
   * on the same file does; a header also follows by itself whenever the motors change.
   */
  newHeader(
    settings: { fileEpoch?: DocValue; identity?: { user: string; host: string } } = {},
  ): void {
    this.headerDue = true;
    if (settings.fileEpoch !== undefined) this.fileEpoch = settings.fileEpoch;
    if (settings.identity !== undefined) this.identity = settings.identity;
  }

  // -------------------------------------------------------------------------------------------

  private onStart(start: DocRecord): void {
    this.fileEpoch ??= start.time;
    const login = text(start.login_id);
    const identity = this.identity ?? this.options.identity ?? { user: "", host: "" };
    [this.user, this.host] = [identity.user, identity.host];
    if (login !== undefined) {
      const parts = login.split("@");
      if (parts.length === 2) [this.user, this.host] = parts as [string, string];
      else
        this.warnings.push(
          `login_id '${login}' is not user@host; using ${identity.user}@${identity.host}`,
        );
    }
    let scanNumber = scanNumberOf(start);
    // Continuing a file, every new scan comes after the one before: a scan_id that is not
    // above it moves up. A new file keeps the run's scan_id, repeats included, as apstools does.
    if (this.continuing) {
      scanNumber = Math.max(scanNumber, this.scanFloor + 1);
      this.scanFloor = scanNumber;
    }
    this.run = {
      start,
      uid: text(start.uid) ?? "",
      scanNumber,
      displayNames: new Map(),
      motors: [],
      motorValues: {},
      motorKeys: {},
      labels: null,
      scanHeaderDue: false,
      primarySeen: false,
      externals: [],
      pendingComments: [],
      scanHeaderWritten: false,
    };
  }

  private onDescriptor(doc: DocRecord): void {
    const uid = text(doc.uid) ?? "";
    const name = text(doc.name) ?? "primary";
    this.descriptors.set(uid, { name, doc });
    const run = this.run;
    if (!run) return;
    for (const [key, dataKey] of Object.entries(dict(doc.data_keys))) {
      const label = text(dict(dataKey).spec_label);
      if (label !== undefined) run.displayNames.set(key, label);
    }
    if (name === "label_start_motor") {
      run.motors = Object.keys(dict(doc.configuration)).sort(byCodePoint);
      run.motorKeys = dict(doc.object_keys);
      if (!sameList(run.motors, this.headerMotors)) this.headerDue = true;
    } else if (name === "primary") {
      // A second primary descriptor starts a second #S block, as apstools does.
      run.labels = primaryColumns(run.start, doc);
      run.scanHeaderDue = true;
      run.primarySeen = true;
    }
  }

  private onEvent(event: DocRecord): void {
    const run = this.run;
    const descriptor = this.descriptors.get(text(event.descriptor) ?? "");
    if (!run || !descriptor) return;
    if (descriptor.name === "label_start_motor") {
      run.motorValues = dict(event.data);
      return;
    }
    if (descriptor.name !== "primary") return;
    // A motor stream that arrives after the scan began: apstools writes a new file header
    // between two data rows, which ends the scan for every reader. specx waits for the next scan.
    const midScan = run.scanHeaderWritten && !run.scanHeaderDue;
    if (this.headerDue && (!midScan || this.options.strictApstools)) this.writeFileHeader();
    if (run.scanHeaderDue) this.writeScanHeader(run);
    this.writeRow(run, event);
  }

  private onStop(stop: DocRecord): void {
    const run = this.run;
    if (this.headerDue && (!run?.scanHeaderWritten || this.options.strictApstools))
      this.writeFileHeader();
    if (run?.scanHeaderDue) this.writeScanHeader(run);
    if (run && run.pendingComments.length > 0) this.out.push(...run.pendingComments.splice(0));
    if (run && run.externals.length > 0) {
      const externals: Record<string, DocValue> = {};
      for (const [key, value] of run.externals) externals[key] = value;
      this.out.push(`#U externals: ${pythonRepr(externals)}`);
    }
    if (stop.spec_truncated === true) {
      // Documents read from a SPEC scan that had no end lines: write none either.
      this.run = null;
      return;
    }
    const when = this.date(stop.time);
    // Documents read from SPEC carry every count the file reported, in its order.
    const counts = stop.spec_num_events !== undefined ? stop.spec_num_events : stop.num_events;
    for (const [stream, count] of Object.entries(dict(counts))) {
      this.out.push(`#C ${when}.  num_events_${oneLine(stream)} = ${pythonStr(count)}`);
    }
    let exitStatus = text(stop.exit_status);
    if (exitStatus === undefined) {
      this.warnings.push("stop document without exit_status; wrote 'unknown'");
      exitStatus = "unknown";
    }
    this.out.push(`#C ${when}.  exit_status = ${this.value(exitStatus)}`);
    this.run = null;
  }

  private writeFileHeader(): void {
    const run = this.run;
    const motors = (run?.motors ?? []).map((m) => run?.displayNames.get(m) ?? m);
    if (this.nonEmpty || this.out.length > 0) this.out.push("");
    const epoch = this.fileEpoch ?? this.documentTime ?? 0;
    this.out.push(
      ...fileHeaderLines({
        fileName: this.options.fileName,
        epoch: formatEpochHeader(epoch as number),
        date: this.date(epoch),
        user: this.user,
        host: this.host,
        motors,
      }),
    );
    this.headerMotors = run?.motors ?? [];
    this.headerDue = false;
  }

  private writeScanHeader(run: Run): void {
    const start = run.start;
    const values = run.motors.map((motor) => {
      const key = motor in run.motorValues ? motor : (stringList(run.motorKeys[motor])[0] ?? motor);
      return this.cell(run.motorValues[key]) ?? "None";
    });
    this.out.push(
      "",
      `#S ${run.scanNumber}  ${buildCommand(start as Record<string, DocValue>)}`,
      `#D ${this.date(start.time)}`,
      `#C ${this.date(this.documentTime)}.  uid = ${run.uid}`,
      ...numberedRows("#P", values, " "),
    );
    for (const [key, value] of Object.entries(start)) {
      if (key === "scan_id" || key === "time" || key === "uid" || value === undefined) continue;
      this.out.push(`#MD ${oneLine(key)} = ${this.value(value)}`);
    }
    const labels = run.labels ?? [];
    this.out.push(`#N ${labels.length}`);
    this.out.push(
      labels.length > 0
        ? `#L ${labels.map((label) => oneLine(run.displayNames.get(label) ?? label)).join("  ")}`
        : "#C no data column labels identified",
    );
    this.out.push(...run.pendingComments.splice(0));
    run.scanHeaderDue = false;
    run.scanHeaderWritten = true;
  }

  private writeRow(run: Run, event: DocRecord): void {
    const labels = run.labels ?? [];
    const data = dict(event.data);
    // event.time − start.time with Python's int/float result type (layout.ts `difference`),
    // inline: this runs once per row.
    const startTime = run.start.time;
    const eventTime = event.time;
    const dt = (toNumber(eventTime) ?? 0) - (toNumber(startTime) ?? 0);
    let line = "";
    let userLines: string[] | undefined;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] as string;
      let cell: string | undefined;
      if (label === "Epoch") cell = String(roundHalfEven(dt));
      else if (label === "Epoch_float")
        cell = isFloat(eventTime) || isFloat(startTime) ? render13(dt) : String(dt);
      else {
        const value = data[label];
        // Most cells are ints: their digits here, as renderValue would give them.
        cell =
          typeof value === "number" && Number.isSafeInteger(value)
            ? String(value)
            : this.cell(value);
        if (cell === undefined) {
          cell = pythonStr(event.seq_num ?? null);
          userLines ??= [];
          userLines.push(
            `#U ${oneLine(run.displayNames.get(label) ?? label)} = ${this.value(value ?? null)}`,
          );
        }
      }
      line = i === 0 ? cell : `${line} ${cell}`;
    }
    this.out.push(line);
    if (userLines !== undefined) this.out.push(...userLines);
  }

  /** A numeric cell, or undefined for a value that goes to a `#U` line. */
  private cell(value: DocValue | undefined): string | undefined {
    // Plain numbers first: nearly every cell is one (same result as renderValue).
    if (typeof value === "number") {
      if (Number.isInteger(value)) return intDigits(value);
      const rendered = render13(value);
      if (!Number.isFinite(value)) this.warned(rendered);
      return rendered;
    }
    const rendered = renderValue(value);
    if (rendered !== undefined && isFloat(value) && !Number.isFinite(toNumber(value) ?? 0)) {
      this.warned(rendered);
    }
    return rendered;
  }

  private warned(rendered: string): void {
    this.warnings.push(`wrote ${rendered}: apstools would have stopped writing here`);
  }

  /** `str(value)` for `#MD`/`#U`, kept on one line unless strict apstools output is wanted. */
  private value(value: DocValue): string {
    const written = pythonStr(value);
    if (this.options.strictApstools || !/[\r\n]/.test(written)) return written;
    return pythonRepr(value);
  }

  private date(time: DocValue | undefined): string {
    return formatSpecDate(toNumber(time) ?? 0, this.options.timeZone);
  }

  private flush(): void {
    if (this.out.length === 0) return;
    // One row is the common case (an event): no join, and the array is kept (pop is cheaper
    // than a new array or setting length).
    let body: string;
    if (this.out.length === 1) body = `${this.out.pop()}\n`;
    else {
      body = `${this.out.join("\n")}\n`;
      this.out = [];
    }
    this.sink.write(this.needsNewline ? `\n${body}` : body);
    this.needsNewline = false;
    this.nonEmpty = true;
  }
}
