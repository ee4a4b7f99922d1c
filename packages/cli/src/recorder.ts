/**
 * The logic of `specx record`: live document stream items (`@specx/live-stream`) in, SPEC scans
 * out through a file writer of `@specx/spec-writer/node`, one document at a time, exactly as
 * `from-docs` feeds the same writer from files. What a live stream adds is handled here:
 *
 * - a run whose stop never comes is closed with a `#C` line when the next start arrives or when
 *   the recorder stops;
 * - documents of a run whose start was missed (the recorder started mid-run) are counted and
 *   reported, never written: a scan without its header would be half-made;
 * - `seq_num` gaps per descriptor (0MQ PUB/SUB drops messages when a reader falls behind) are
 *   reported on stderr and as a `#C` line inside the scan; a stop whose `num_events` is above what
 *   arrived reports the lost tail;
 * - refused frames are counted by reason;
 * - with `--docs`, each run's documents are kept (up to a bound) and written as one suitcase file
 *   when the run ends, under a temporary name renamed at the end.
 *
 * Memory is bounded: rows go to the writer as they come; only the open run's descriptors and
 * sequence counters, and with `--docs` its documents up to {@link DocsOptions.maxDocuments} and
 * {@link DocsOptions.maxBytes}, are held.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type DocRecord,
  type DocValue,
  type NamedDocument,
  suitcaseJsonlBytes,
  suitcaseMsgpack,
  toNumber,
} from "@specx/documents";
import { SpecFileWriteError } from "@specx/spec-writer/node";

/**
 * What the recorder takes: the items of `@specx/live-stream`'s `openDocumentStream`, by shape,
 * so that tests can feed any iterable.
 */
export type RecorderItem =
  | { kind: "document"; name: string; doc: DocRecord; bytes?: number }
  | { kind: "refused"; code: string; reason: string; prefix: string; bytes: number }
  | { kind: "status"; state: string; address: string; reason?: string };

/** The part of a SPEC file writer the recorder uses (`SpecFileWriter` has it). */
export interface RecorderWriter {
  receive(name: string, doc: DocRecord): void;
  comment(text: string, time?: number): void;
  readonly warnings: readonly string[];
}

/** Where each run's documents go with `--docs`. */
export interface DocsOptions {
  dir: string;
  format: "jsonl" | "msgpack";
  /** Documents of one run kept for its file; beyond, the run's file is not written. */
  maxDocuments: number;
  /** Frame bytes of one run kept for its file; beyond, the run's file is not written. */
  maxBytes: number;
}

/** What the recorder tells the command. */
export interface RecorderReport {
  /** A fault or notice, one line, for standard error. */
  notice(line: string): void;
  /** A run was closed: one line for standard output. */
  runEnded(summary: RunSummary): void;
}

/** One finished run. */
export interface RunSummary {
  uid: string;
  /** The start's scan_id (the `#S` number may be higher when a file is continued). */
  scanId: DocValue | undefined;
  planName: string | undefined;
  events: number;
  /** `exit_status` of the stop, or null when the run had none. */
  exitStatus: string | null;
  /** Events lost in transport, as seq_num gaps and short counts showed. */
  lost: number;
  /** The `--docs` file written, if any. */
  docsFile: string | null;
}

/** Counts since the recorder started. */
export interface RecorderTotals {
  runs: number;
  events: number;
  documents: number;
  /** Refused frames by reason code (pickle, malformed, wrong-shape, too-large). */
  refused: Record<string, number>;
  /** Events known lost (seq_num gaps and short stops). */
  lost: number;
  /** Gaps reported. */
  gaps: number;
  /** Documents not written because their run's start was missed. */
  orphans: number;
  /** Runs closed without a stop. */
  stopless: number;
}

/** Individual lines per refusal reason before the recorder only counts them. */
const REFUSALS_SHOWN_PER_CODE = 10;

/** Runs whose start was missed that are remembered, so their later documents stay quiet. */
const ORPHAN_RUNS_REMEMBERED = 1000;
/** Descriptors remembered per such run (a run has a few; a sender may send any number). */
const ORPHAN_DESCRIPTORS_REMEMBERED = 100;

/**
 * The state of one stream in the open run. bluesky numbers events per stream name: a second
 * descriptor of the same stream (new configuration) continues its seq_num.
 */
interface StreamState {
  name: string;
  /** The seq_num expected next; 1 at first, as bluesky numbers from 1. */
  next: number;
}

/** The open run. */
interface OpenRun {
  uid: string;
  start: DocRecord;
  /** Descriptor uid → its stream. */
  descriptors: Map<string, StreamState>;
  /** Stream name → its state. */
  streams: Map<string, StreamState>;
  events: number;
  lost: number;
  lastTime: number | undefined;
  docs: NamedDocument[] | null;
  docsBytes: number;
  /** Why the run's `--docs` file is not written, once it will not be. */
  docsDropped: string | null;
}

/** A run seen without its start. */
interface OrphanRun {
  documents: number;
  descriptors: Set<string>;
}

export class Recorder {
  readonly totals: RecorderTotals = {
    runs: 0,
    events: 0,
    documents: 0,
    refused: {},
    lost: 0,
    gaps: 0,
    orphans: 0,
    stopless: 0,
  };
  /** The last run started: its scan_id and plan, for the status line. */
  lastRun: { scanId: DocValue | undefined; planName: string | undefined } | null = null;

  private readonly writer: RecorderWriter;
  private readonly docs: DocsOptions | undefined;
  private readonly report: RecorderReport;
  private run: OpenRun | null = null;
  /** Runs seen without their start, by run uid (or descriptor uid for lone events). */
  private readonly orphans = new Map<string, OrphanRun>();
  private warningsShown = 0;

  constructor(writer: RecorderWriter, report: RecorderReport, docs?: DocsOptions) {
    this.writer = writer;
    this.report = report;
    this.docs = docs;
  }

  /** Takes one stream item. Throws only when the SPEC file cannot be written. */
  consume(item: RecorderItem): void {
    if (item.kind === "document") this.document(item.name, item.doc, item.bytes ?? 0);
    else if (item.kind === "refused") this.refused(item.code, item.reason, item.prefix);
    else this.status(item.state, item.address, item.reason);
  }

  /** Closes the open run (the recorder stops): its scan gets a `#C` line saying why. */
  finish(why: string): void {
    const run = this.run;
    if (run) this.closeWithoutStop(run, why);
    this.showWarnings();
    for (const [uid, orphan] of this.orphans) {
      if (orphan.documents > 0) this.orphanSummary(uid, orphan, "when the recorder stopped");
    }
    this.orphans.clear();
  }

  // -------------------------------------------------------------------------------------------

  private document(name: string, doc: DocRecord, bytes: number): void {
    this.totals.documents++;
    switch (name) {
      case "start":
        this.onStart(doc, bytes);
        return;
      case "stop":
        this.onStop(doc, bytes);
        return;
      case "descriptor":
        this.onDescriptor(doc, bytes);
        return;
      case "event":
      case "event_page":
        this.onEvents(name, doc, bytes);
        return;
      default: {
        // resource, datum, datum_page, bulk_*, stream_*: they belong to the open run, if any.
        const runStart = text(doc.run_start);
        const run = this.run;
        if (run && (runStart === undefined || runStart === run.uid))
          this.pass(run, name, doc, bytes);
        else this.orphan(runStart ?? "(unknown run)", name);
      }
    }
  }

  private onStart(start: DocRecord, bytes: number): void {
    const previous = this.run;
    if (previous) this.closeWithoutStop(previous, "the next run started");
    const uid = text(start.uid) ?? "";
    const run: OpenRun = {
      uid,
      start,
      descriptors: new Map(),
      streams: new Map(),
      events: 0,
      lost: 0,
      lastTime: toSeconds(start.time),
      docs: this.docs ? [] : null,
      docsBytes: 0,
      docsDropped: null,
    };
    this.run = run;
    this.totals.runs++;
    this.lastRun = { scanId: start.scan_id, planName: text(start.plan_name) };
    this.pass(run, "start", start, bytes);
  }

  private onDescriptor(descriptor: DocRecord, bytes: number): void {
    const run = this.run;
    const runStart = text(descriptor.run_start);
    if (!run || (runStart !== undefined && runStart !== run.uid)) {
      const key = runStart ?? "(unknown run)";
      this.orphan(key, "descriptor");
      const uid = text(descriptor.uid);
      const orphan = this.orphans.get(key);
      if (uid !== undefined && orphan && orphan.descriptors.size < ORPHAN_DESCRIPTORS_REMEMBERED) {
        orphan.descriptors.add(uid);
      }
      return;
    }
    const uid = text(descriptor.uid) ?? "";
    const name = text(descriptor.name) ?? "primary";
    let stream = run.streams.get(name);
    if (!stream) {
      stream = { name, next: 1 };
      run.streams.set(name, stream);
    }
    run.descriptors.set(uid, stream);
    this.pass(run, "descriptor", descriptor, bytes);
  }

  private onEvents(name: string, doc: DocRecord, bytes: number): void {
    const run = this.run;
    const descriptorUid = text(doc.descriptor) ?? "";
    const stream = run?.descriptors.get(descriptorUid);
    if (!run || !stream) {
      this.orphan(this.orphanKeyOf(descriptorUid), name);
      return;
    }
    const seqNums =
      name === "event" ? [doc.seq_num] : Array.isArray(doc.seq_num) ? doc.seq_num : [];
    const first = seqNums.length > 0 ? toInteger(seqNums[0]) : undefined;
    if (first !== undefined && first > stream.next) {
      this.gap(
        run,
        stream,
        stream.next,
        first - 1,
        toSeconds(doc.time) ?? toSeconds(firstOf(doc.time)),
      );
    }
    const last = seqNums.length > 0 ? toInteger(seqNums[seqNums.length - 1]) : undefined;
    if (last !== undefined && last >= stream.next) stream.next = last + 1;
    const count = name === "event" ? 1 : seqNums.length;
    run.events += count;
    this.totals.events += count;
    this.pass(run, name, doc, bytes);
  }

  private onStop(stop: DocRecord, bytes: number): void {
    const run = this.run;
    const runStart = text(stop.run_start);
    if (!run || (runStart !== undefined && runStart !== run.uid)) {
      const key = runStart ?? "(unknown run)";
      this.orphan(key, "stop");
      const orphan = this.orphans.get(key);
      if (orphan) {
        this.orphanSummary(key, orphan, "at its stop");
        this.orphans.delete(key);
      }
      return;
    }
    // Events announced by the stop but never received: the tail of a stream was lost.
    const counts = stop.num_events;
    if (counts !== null && typeof counts === "object" && !Array.isArray(counts)) {
      for (const stream of run.streams.values()) {
        const announced = toInteger((counts as DocRecord)[stream.name]);
        if (announced !== undefined && announced >= stream.next) {
          this.gap(run, stream, stream.next, announced, toSeconds(stop.time));
        }
      }
    }
    this.pass(run, "stop", stop, bytes);
    this.run = null;
    this.endRun(run, text(stop.exit_status) ?? "unknown");
  }

  /** The run a lone event belongs to, when its descriptor was seen without a start. */
  private orphanKeyOf(descriptorUid: string): string {
    for (const [key, orphan] of this.orphans) if (orphan.descriptors.has(descriptorUid)) return key;
    return `(descriptor ${descriptorUid})`;
  }

  private pass(run: OpenRun, name: string, doc: DocRecord, bytes: number): void {
    const time = toSeconds(doc.time);
    if (time !== undefined) run.lastTime = time;
    this.keepForDocs(run, name, doc, bytes);
    try {
      this.writer.receive(name, doc);
    } catch (error) {
      if (isWriteFailure(error)) throw error;
      // A document the writer cannot take (an odd shape): say so, keep recording.
      this.report.notice(
        `run ${short(run.uid)}: a ${name} document could not be written: ${(error as Error).message}`,
      );
    }
    this.showWarnings();
  }

  private keepForDocs(run: OpenRun, name: string, doc: DocRecord, bytes: number): void {
    const docs = this.docs;
    if (!docs || run.docs === null) return;
    run.docs.push([name as NamedDocument[0], doc]);
    run.docsBytes += bytes;
    if (run.docs.length > docs.maxDocuments || run.docsBytes > docs.maxBytes) {
      run.docs = null;
      run.docsDropped =
        run.docsBytes > docs.maxBytes
          ? `more than ${docs.maxBytes} bytes of documents`
          : `more than ${docs.maxDocuments} documents`;
      this.report.notice(
        `run ${short(run.uid)}: ${run.docsDropped}; its --docs file will not be written (the SPEC file gets every event)`,
      );
    }
  }

  private gap(
    run: OpenRun,
    stream: StreamState,
    from: number,
    to: number,
    time: number | undefined,
  ): void {
    const count = to - from + 1;
    run.lost += count;
    this.totals.lost += count;
    this.totals.gaps++;
    const which = from === to ? `event ${from}` : `events ${from}-${to}`;
    this.report.notice(
      `run ${short(run.uid)} (scan_id ${pyText(run.start.scan_id)}), stream ${stream.name}: seq_num gap, ${which} lost in transport (${count} event${count === 1 ? "" : "s"})`,
    );
    this.comment(
      run,
      `specx record: stream ${stream.name}: ${which} (seq_num) lost in transport, not in this scan`,
      time,
    );
  }

  private closeWithoutStop(run: OpenRun, why: string): void {
    this.run = null;
    this.totals.stopless++;
    this.report.notice(
      `run ${short(run.uid)} (scan_id ${pyText(run.start.scan_id)}): no stop document; its scan is closed because ${why} (${run.events} events recorded)`,
    );
    this.comment(run, `specx record: run ended without a stop document (${why})`, run.lastTime);
    this.endRun(run, null);
  }

  private comment(run: OpenRun, line: string, time: number | undefined): void {
    try {
      this.writer.comment(line, time ?? run.lastTime);
    } catch (error) {
      if (isWriteFailure(error)) throw error;
    }
    this.showWarnings();
  }

  private endRun(run: OpenRun, exitStatus: string | null): void {
    const docsFile = this.writeDocs(run);
    this.report.runEnded({
      uid: run.uid,
      scanId: run.start.scan_id,
      planName: text(run.start.plan_name),
      events: run.events,
      exitStatus,
      lost: run.lost,
      docsFile,
    });
  }

  /** The run's suitcase file: written under a temporary name, renamed when complete. */
  private writeDocs(run: OpenRun): string | null {
    const docs = this.docs;
    if (!docs || run.docs === null || run.docs.length === 0) return null;
    const documents = run.docs;
    run.docs = null;
    let fileName: string;
    let content: Uint8Array;
    try {
      if (docs.format === "jsonl") {
        // As bytes, as `to-docs` writes them: no string of the whole run to encode.
        const file = suitcaseJsonlBytes(documents);
        [fileName, content] = [file.fileName, file.bytes];
      } else {
        const file = suitcaseMsgpack(documents);
        [fileName, content] = [file.fileName, file.bytes];
      }
    } catch (error) {
      this.report.notice(`run ${short(run.uid)}: no --docs file: ${(error as Error).message}`);
      return null;
    }
    const path = join(docs.dir, fileName);
    const partial = join(docs.dir, `.${fileName}.partial`);
    try {
      writeFileSync(partial, content);
      renameSync(partial, path);
    } catch (error) {
      rmSync(partial, { force: true });
      this.report.notice(
        `run ${short(run.uid)}: cannot write ${path}: ${(error as Error).message}`,
      );
      return null;
    }
    return path;
  }

  private orphan(key: string, name: string): void {
    this.totals.orphans++;
    let orphan = this.orphans.get(key);
    if (!orphan) {
      if (this.orphans.size >= ORPHAN_RUNS_REMEMBERED) {
        const [oldest] = this.orphans.keys();
        if (oldest !== undefined) this.orphans.delete(oldest);
      }
      orphan = { documents: 0, descriptors: new Set() };
      this.orphans.set(key, orphan);
      this.report.notice(
        `run ${short(key)}: a ${name} arrived but the run's start was missed (the recorder started mid-run?); its documents are not written`,
      );
    }
    orphan.documents++;
  }

  private orphanSummary(key: string, orphan: OrphanRun, when: string): void {
    this.report.notice(
      `run ${short(key)}: ${orphan.documents} document${orphan.documents === 1 ? "" : "s"} of a run whose start was missed, not written (${when})`,
    );
  }

  private refused(code: string, reason: string, prefix: string): void {
    const count = (this.totals.refused[code] ?? 0) + 1;
    this.totals.refused[code] = count;
    if (count <= REFUSALS_SHOWN_PER_CODE) {
      const from = prefix === "" ? "" : ` (prefix ${JSON.stringify(prefix)})`;
      this.report.notice(`refused a frame${from}: ${code}: ${reason}`);
    } else if (count === REFUSALS_SHOWN_PER_CODE + 1) {
      this.report.notice(`more ${code} frames refused; only counted from now on`);
    }
  }

  private status(state: string, address: string, reason: string | undefined): void {
    this.report.notice(`${state} ${address}${reason ? `: ${reason}` : ""}`);
  }

  /** The writer's new warnings (a NaN written, a login_id that is not user@host), once each. */
  private showWarnings(): void {
    const warnings = this.writer.warnings;
    while (this.warningsShown < warnings.length) {
      this.report.notice(`warning: ${warnings[this.warningsShown]}`);
      this.warningsShown++;
    }
  }
}

/** True for the writer's I/O failures, which end the recording. */
function isWriteFailure(error: unknown): boolean {
  return error instanceof SpecFileWriteError;
}

function text(value: DocValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function firstOf(value: DocValue | undefined): DocValue | undefined {
  return Array.isArray(value) ? value[0] : undefined;
}

function toSeconds(value: DocValue | undefined): number | undefined {
  const seconds = value === undefined ? undefined : toNumber(value);
  return seconds !== undefined && Number.isFinite(seconds) ? seconds : undefined;
}

function toInteger(value: DocValue | undefined): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

/** A uid's first 8 characters, as bluesky's tools show them. */
function short(uid: string): string {
  return /^[0-9a-f-]{36}$/i.test(uid) ? uid.slice(0, 8) : uid;
}

function pyText(value: DocValue | undefined): string {
  if (value === undefined || value === null) return "None";
  return String(value);
}
