/**
 * `specx record --zmq tcp://HOST:PORT [--bind] [--prefix P] -o FILE.spec [--flavor F]
 * [--docs DIR [--format jsonl|msgpack]]`: bluesky's live 0MQ document stream
 * (`@specx/live-stream`) written as SPEC scans while the runs happen, through the same file
 * writer and options as `from-docs` (recorder.ts has the logic). Faults go to standard error, one
 * line each; one line per finished run to standard output; on a terminal a status line. SIGINT
 * and SIGTERM close the open scan, flush, release the lock and exit 0.
 *
 * zeromq is a native addon: this command runs from the ES modules of dist/, never from the
 * bundle (bin/specx.cjs, scripts/bundle.mjs), and loads `@specx/live-stream` only when it runs.
 */
import { mkdirSync, writeSync } from "node:fs";
import { NotASpecFileError } from "@specx/spec-writer";
import {
  type AppendIO,
  openSpecFileWriter,
  SpecFileWriteError,
  type SpecFileWriter,
} from "@specx/spec-writer/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type CliIO, UserError } from "../io.js";
import { type DocsOptions, Recorder, type RecorderItem, type RunSummary } from "../recorder.js";
import { fileWriterOptions, withWriterOptions } from "./from-docs.js";

/** Options of the command, as commander gives them. */
export interface RecordOptions {
  zmq: string;
  bind?: boolean;
  prefix?: string;
  output: string;
  flavor?: string;
  timeZone?: string;
  strictApstools?: boolean;
  docs?: string;
  format?: string;
  docsLimit?: string;
}

/** The stream the command reads: `@specx/live-stream`'s, or a test's. */
export interface RecordStream extends AsyncIterable<RecorderItem> {
  close(): Promise<void>;
  readonly counts?: { refused: Record<string, number> };
}

/** Opens the stream; `@specx/live-stream`'s `openDocumentStream` by default. */
export type OpenRecordStream = (options: {
  url: string;
  bind: boolean;
  prefix: string;
  highWaterMark: number;
  signal: AbortSignal;
}) => RecordStream;

/**
 * Frames libzmq may queue for the recorder (ZMQ_RCVHWM). bluesky's 1,000 is 0.2 s at 5,000
 * events/s: a busy machine that pauses the recorder longer would lose events. libzmq's I/O thread
 * fills the queue while JavaScript is busy, so 10,000 bridges 2 s pauses; at a few kB per
 * document that is tens of MB at most.
 */
const RECEIVE_QUEUE_FRAMES = 10_000;

/** Default bound of one run's documents kept for `--docs`. */
const DEFAULT_DOCS_LIMIT = 100_000;
/** Bound of one run's frame bytes kept for `--docs`. */
const DOCS_MAX_BYTES = 256 * 1024 * 1024;
/** How often the terminal status line is redrawn. */
const STATUS_INTERVAL_MS = 500;

export function registerRecord(program: Command, context: CommandContext): void {
  const command = program
    .command("record")
    .description("write bluesky's live 0MQ document stream as SPEC scans while the runs happen")
    .requiredOption(
      "--zmq <url>",
      "tcp://HOST:PORT: a bluesky-0MQ-proxy's out port (or, with --bind, the port Publishers send to)",
    )
    .option("--bind", "bind the port so a Publisher connects straight to specx (no proxy)")
    .option("--prefix <prefix>", "only documents sent with this Publisher prefix");
  withWriterOptions(command)
    .option("--docs <dir>", "also keep each run's documents as a suitcase file in DIR")
    .option("--format <format>", "format of the --docs files: jsonl or msgpack", "jsonl")
    .option(
      "--docs-limit <documents>",
      `documents of one run kept for its --docs file (beyond, that file is not written)`,
      String(DEFAULT_DOCS_LIMIT),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  specx record --zmq tcp://127.0.0.1:5578 -o beamtime.spec\n  specx record --zmq tcp://127.0.0.1:5577 --bind -o beamtime.spec --docs runs/\n  specx record --zmq tcp://proxy:5578 --prefix 8idi -o 8idi.spec --format msgpack --docs runs/\n",
    )
    .action(async (options: RecordOptions) => {
      // Ctrl-C and a service manager's SIGTERM end the recording normally (exit status 0).
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        context.setStatus(await runRecord(context.io, options, stop.signal));
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}

/** Runs `record` until `signal` aborts; returns the exit status (2 when the file cannot be written). */
export async function runRecord(
  io: CliIO,
  options: RecordOptions,
  signal: AbortSignal,
  openStream?: OpenRecordStream,
): Promise<number> {
  if (!/^tcp:\/\/[^\s/]+:\d+$/.test(options.zmq)) {
    throw new UserError(`--zmq must be tcp://HOST:PORT, not '${options.zmq}'`);
  }
  const writerOptions = fileWriterOptions(options);
  const docs = docsOptions(options);
  const open = openStream ?? (await loadLiveStream());

  const status = new StatusLine(io);
  const sniffer = new ScanHeaderSniffer();
  let writer: SpecFileWriter;
  try {
    writer = openSpecFileWriter(options.output, { ...writerOptions, io: sniffer.io });
  } catch (error) {
    if (error instanceof NotASpecFileError) {
      throw new UserError(`will not append to ${options.output}: ${error.message}`);
    }
    throw new UserError((error as Error).message);
  }

  let stream: RecordStream;
  try {
    stream = open({
      url: options.zmq,
      bind: options.bind === true,
      prefix: options.prefix ?? "",
      highWaterMark: RECEIVE_QUEUE_FRAMES,
      signal,
    });
  } catch (error) {
    writer.close();
    throw new UserError(`cannot open ${options.zmq}: ${(error as Error).message}`);
  }

  const recorder = new Recorder(
    writer,
    {
      notice: (line) => status.notice(`specx: ${line}\n`),
      runEnded: (run) => status.print(`${runLine(run)}\n`),
    },
    docs,
  );
  status.start(() => statusText(recorder, sniffer.lastScan));
  status.notice(
    `specx: recording ${options.zmq}${options.bind ? " (bound)" : ""} into ${options.output}; Ctrl-C to stop\n`,
  );

  let exitStatus = 0;
  try {
    for await (const item of stream) {
      recorder.consume(item);
      status.count(recorder.totals.events);
      if (signal.aborted) break;
    }
  } catch (error) {
    exitStatus = 2;
    const reason =
      error instanceof SpecFileWriteError
        ? error.message
        : `the stream failed: ${(error as Error).message}`;
    status.notice(`specx: ${reason}\n`);
  } finally {
    await stream.close();
  }
  try {
    recorder.finish("the recorder stopped");
  } catch (error) {
    exitStatus = 2;
    status.notice(`specx: ${(error as Error).message}\n`);
  }
  try {
    writer.close();
  } catch (error) {
    exitStatus = 2;
    status.notice(`specx: ${(error as Error).message}\n`);
  }
  status.stop();
  io.stderr(`specx: ${summary(recorder, stream, options.output)}\n`);
  return exitStatus;
}

/** `@specx/live-stream`, imported when the command runs (zeromq is a native addon). */
async function loadLiveStream(): Promise<OpenRecordStream> {
  try {
    const module = (await import(`@specx/live-stream`)) as typeof import("@specx/live-stream");
    return (options) => module.openDocumentStream(options);
  } catch (error) {
    throw new UserError(`cannot load the 0MQ transport: ${(error as Error).message}`);
  }
}

function docsOptions(options: RecordOptions): DocsOptions | undefined {
  const format = options.format ?? "jsonl";
  if (format !== "jsonl" && format !== "msgpack") {
    throw new UserError(`--format must be jsonl or msgpack, not '${format}'`);
  }
  const limit = Number(options.docsLimit ?? DEFAULT_DOCS_LIMIT);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new UserError(
      `--docs-limit must be a positive number of documents, not '${options.docsLimit}'`,
    );
  }
  if (options.docs === undefined) return undefined;
  try {
    mkdirSync(options.docs, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create ${options.docs}: ${(error as Error).message}`);
  }
  return { dir: options.docs, format, maxDocuments: limit, maxBytes: DOCS_MAX_BYTES };
}

/** One finished run, for standard output. */
function runLine(run: RunSummary): string {
  const parts = [
    `run ${run.uid}`,
    `scan_id ${run.scanId === undefined || run.scanId === null ? "None" : String(run.scanId)}`,
    ...(run.planName !== undefined ? [run.planName] : []),
    `${run.events} event${run.events === 1 ? "" : "s"}`,
    run.exitStatus === null ? "no stop" : `exit_status ${run.exitStatus}`,
    ...(run.lost > 0 ? [`${run.lost} lost in transport`] : []),
    ...(run.docsFile !== null ? [`docs ${run.docsFile}`] : []),
  ];
  return parts.join(", ");
}

function statusText(recorder: Recorder, lastScan: string | null): string {
  const { runs, events, lost } = recorder.totals;
  const scan =
    lastScan === null
      ? ""
      : `, last ${lastScan.length > 40 ? `${lastScan.slice(0, 39)}…` : lastScan}`;
  return `${runs} run${runs === 1 ? "" : "s"}, ${events.toLocaleString("en-US")} events${lost > 0 ? ` (${lost} lost)` : ""}${scan}`;
}

function summary(recorder: Recorder, stream: RecordStream, output: string): string {
  const t = recorder.totals;
  // The stream counts refusals it reports only once (pickle); the recorder sees one each.
  const refusedCounts = stream.counts?.refused ?? t.refused;
  const refused = Object.entries(refusedCounts)
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${n} ${code}`);
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  return [
    `recorded ${t.runs} run${t.runs === 1 ? "" : "s"} (${t.events} events) into ${output}`,
    `${t.lost} events lost in ${t.gaps} gap${t.gaps === 1 ? "" : "s"}`,
    `${t.stopless} run${t.stopless === 1 ? "" : "s"} without stop`,
    `${t.orphans} document${t.orphans === 1 ? "" : "s"} of runs whose start was missed`,
    `refused frames: ${refused.length > 0 ? refused.join(", ") : "none"}`,
    `peak RSS ${peakMiB.toFixed(0)} MiB`,
  ].join("; ");
}

/**
 * The write call of the file writer, watching for `#S` lines so the status line can name the
 * last scan written. Blocks with a scan header start with a newline or a `#` line; rows never do.
 */
class ScanHeaderSniffer {
  lastScan: string | null = null;
  readonly io: AppendIO = {
    writeSync: (fd, bytes, offset, length) => {
      const first = bytes[offset];
      if (first === 0x0a || first === 0x23) this.look(bytes, offset, length);
      return writeSync(fd, bytes, offset, length);
    },
  };

  private look(bytes: Uint8Array, offset: number, length: number): void {
    const block = Buffer.from(bytes.buffer, bytes.byteOffset + offset, length);
    let at = block.lastIndexOf("\n#S ");
    if (at < 0 && block.subarray(0, 3).toString() === "#S ") at = -1;
    else if (at < 0) return;
    const begin = at + 1;
    const end = block.indexOf("\n", begin);
    this.lastScan = block.subarray(begin, end < 0 ? block.length : end).toString("utf8");
  }
}

/**
 * Standard error on a terminal: a status line redrawn in place, which each notice clears first.
 * Anywhere else only the notices (and standard output's run lines) are written.
 */
class StatusLine {
  private readonly io: CliIO;
  private readonly live: boolean;
  private timer: ReturnType<typeof setInterval> | undefined;
  private text: () => string = () => "";
  private drawn = false;
  private samples: { at: number; events: number }[] = [];
  private events = 0;

  constructor(io: CliIO) {
    this.io = io;
    this.live = io.stderrIsTTY === true;
  }

  start(text: () => string): void {
    this.text = text;
    if (!this.live) return;
    this.samples = [{ at: Date.now(), events: 0 }];
    this.timer = setInterval(() => this.draw(), STATUS_INTERVAL_MS);
    this.timer.unref?.();
  }

  count(events: number): void {
    this.events = events;
  }

  notice(line: string): void {
    this.clear();
    this.io.stderr(line);
  }

  print(line: string): void {
    this.clear();
    this.io.stdout(line);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.clear();
  }

  private draw(): void {
    const now = Date.now();
    this.samples.push({ at: now, events: this.events });
    // The rate over the last five seconds.
    while (this.samples.length > 1 && now - (this.samples[0]?.at ?? now) > 5000)
      this.samples.shift();
    const oldest = this.samples[0] ?? { at: now, events: 0 };
    const seconds = (now - oldest.at) / 1000;
    const rate = seconds > 0 ? Math.round((this.events - oldest.events) / seconds) : 0;
    this.io.stderr(`\r\x1b[2Krecording: ${this.text()}, ${rate} events/s`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    this.io.stderr("\r\x1b[2K");
    this.drawn = false;
  }
}
