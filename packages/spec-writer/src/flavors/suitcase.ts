/**
 * The suitcase-specfile flavour (docs/writer.md §7.2): the layout of bluesky's
 * suitcase.specfile.Serializer, whose reference files are frozen by its legacy test.
 *
 * - the `baseline` stream gives `#O0` (data key sources, one line) and `#P0`;
 * - the first other descriptor is the primary stream, whatever its name;
 * - the command is SPEC-like (`ct`, `ascan`, `dscan`, or `Other`);
 * - columns are the scanned motor (or seq_num), `Epoch` (absolute, int), `Seconds`, then the
 *   sorted scalar data keys;
 * - every row is followed by an empty line, and only a failed run writes a closing comment.
 *
 * Unlike suitcase, event pages are unpacked (by the caller's router), a multi-motor scan falls
 * back to seq_num with a warning instead of raising, and values go through Python's `str()`.
 */
import { type DocRecord, type DocValue, toNumber } from "@specx/documents";
import type { TextSink } from "../contracts.js";
import { dict, stringList, text } from "../doc.js";
import { formatSpecDate, pythonStr } from "../format/index.js";

/** Options of {@link SuitcaseWriter}. */
export interface SuitcaseWriterOptions {
  /** The `#F` text (suitcase writes the output file's base name). */
  fileName: string;
  /** IANA time zone for dates; default: the process's local zone. */
  timeZone?: string;
  /** True when the file already holds a header (then none is written). */
  continuing?: boolean;
}

const SPEC_COMMANDS: Record<string, string> = { count: "ct", scan: "ascan", rel_scan: "dscan" };

/** Writes runs in suitcase-specfile's layout. */
export class SuitcaseWriter {
  readonly warnings: string[] = [];
  private readonly sink: TextSink;
  private readonly options: SuitcaseWriterOptions;
  private start: DocRecord | null = null;
  private baselineDescriptor: DocRecord | null = null;
  private baselineEvent: DocRecord | null = null;
  private primaryDescriptor: DocRecord | null = null;
  private scanHeaderWritten = false;
  private headerWritten: boolean;

  constructor(sink: TextSink, options: SuitcaseWriterOptions) {
    this.sink = sink;
    this.options = options;
    this.headerWritten = options.continuing ?? false;
  }

  /** Takes one document; event pages must be unpacked by the caller. */
  receive(name: string, doc: DocRecord): void {
    if (name === "start") {
      this.start = doc;
      this.baselineDescriptor = null;
      this.baselineEvent = null;
      this.primaryDescriptor = null;
      this.scanHeaderWritten = false;
    } else if (name === "descriptor") {
      if (doc.name === "baseline") this.baselineDescriptor = doc;
      else if (!this.primaryDescriptor) this.primaryDescriptor = doc;
      else this.warnings.push(`descriptor '${text(doc.name)}' ignored: suitcase writes one stream`);
    } else if (name === "event") {
      this.onEvent(doc);
    } else if (name === "stop") {
      const status = text(doc.exit_status) ?? "unknown";
      // suitcase ends every run with a newline and, on failure only, a comment without one.
      this.sink.write(
        status === "success"
          ? "\n"
          : `\n#C Run exited with status: ${status}. Reason: ${text(doc.reason) ?? ""}`,
      );
    }
  }

  private onEvent(event: DocRecord): void {
    const start = this.start;
    if (!start) return;
    if (this.baselineDescriptor && event.descriptor === this.baselineDescriptor.uid) {
      this.baselineEvent = event;
      return;
    }
    const primary = this.primaryDescriptor;
    if (!primary || event.descriptor !== primary.uid) return;
    let out = "";
    if (!this.scanHeaderWritten) {
      if (!this.headerWritten) out += this.fileHeader(start);
      out += this.scanHeader(start, primary);
      this.headerWritten = true;
      this.scanHeaderWritten = true;
    }
    const motor = this.motorName(start);
    const position = motor === "seq_num" ? event.seq_num : dict(event.data)[motor];
    const values = this.columns(start, primary).map((key) =>
      pythonStr(dict(event.data)[key] ?? null),
    );
    out += `\n${pythonStr(position ?? null)}  ${Math.trunc(toNumber(event.time) ?? 0)} ${this.countTime(start)} ${values.join(" ")}\n`;
    this.sink.write(out);
  }

  private fileHeader(start: DocRecord): string {
    const dataKeys = dict(this.baselineDescriptor?.data_keys);
    const names = Object.keys(dataKeys).sort();
    const sources = names.map((name) => text(dict(dataKeys[name]).source) ?? "");
    const epoch = Math.trunc(toNumber(start.time) ?? 0);
    const owner = text(start.owner) ?? "";
    return [
      `#F ${this.options.fileName}`,
      `#E ${epoch}`,
      `#D ${formatSpecDate(epoch, this.options.timeZone)}`,
      `#C ${owner}  User = ${owner}`,
      `#O0 ${sources.join("  ")}`,
      `#o0 ${names.join(" ")}`,
    ].join("\n");
  }

  private scanHeader(start: DocRecord, primary: DocRecord): string {
    const command = SPEC_COMMANDS[text(start.plan_name) ?? ""] ?? "Other";
    const motor = this.motorName(start);
    const planArgs = dict(start.plan_args);
    const args = Array.isArray(planArgs.args) ? planArgs.args : [];
    // Scans take start/stop from plan_args, or from `args` (motor, start, stop) as bluesky passes them.
    const commandArgs =
      command === "ascan" || command === "dscan"
        ? [planArgs.start ?? args[1], planArgs.stop ?? args[2], planArgs.num].map((v) =>
            pythonStr(v ?? null),
          )
        : [];
    const positions = Object.entries(dict(this.baselineEvent?.data))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, value]) => pythonStr(value));
    const columns = this.columns(start, primary);
    return [
      "",
      "",
      `#S ${pythonStr(start.scan_id ?? null)} ${[command, motor, ...commandArgs, this.countTime(start)].join(" ")}`,
      `#D ${formatSpecDate(toNumber(start.time) ?? 0, this.options.timeZone)}`,
      `#T ${this.countTime(start)}  (Seconds)`,
      `#P0 ${positions.join(" ")}`,
      `#N ${3 + columns.length}`,
      `#L ${motor}  Epoch  Seconds  ${columns.join("  ")}`,
    ].join("\n");
  }

  /** The scanned motor, or seq_num for counts, unknown plans and (with a warning) several motors. */
  private motorName(start: DocRecord): string {
    const command = SPEC_COMMANDS[text(start.plan_name) ?? ""];
    if (command !== "ascan" && command !== "dscan") return "seq_num";
    const motors = stringList(start.motors);
    if (motors.length !== 1) {
      if (!this.warnings.some((w) => w.startsWith("several motors"))) {
        this.warnings.push(`several motors (${motors.join(", ")}): the first column is seq_num`);
      }
      return "seq_num";
    }
    return motors[0] as string;
  }

  /** Sorted scalar data keys, the motor's own keys excluded. */
  private columns(start: DocRecord, primary: DocRecord): string[] {
    const motor = this.motorName(start);
    const dataKeys = dict(primary.data_keys);
    return Object.keys(dataKeys)
      .filter((key) => {
        const dataKey = dict(dataKeys[key]);
        const shape = dataKey.shape;
        return dataKey.object_name !== motor && !(Array.isArray(shape) && shape.length > 0);
      })
      .sort();
  }

  private countTime(start: DocRecord): string {
    const value: DocValue | undefined = start.count_time;
    return value === undefined || value === null ? "-1" : pythonStr(value);
  }
}
