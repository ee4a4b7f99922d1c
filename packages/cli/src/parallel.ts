/**
 * Runs one function over many input files on all cores (worker threads), results in input
 * order. The function takes `(input, options)`, both structured-cloneable, and is named in
 * job-server.ts's `jobsByName`, where a worker finds it. Inputs are read in the main thread
 * (one-line errors, standard input) just before a worker takes them, so memory holds only the
 * files in flight. Without a built worker (running from TypeScript sources in tests), for a
 * single file or for files too small to repay a worker's start, the function runs in this
 * thread: same results, one core.
 */
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { checkSpecInput, type InputFile, readSpecInput } from "./inputs.js";
import { type CliIO, UserError } from "./io.js";
import type { JobName } from "./job-server.js";
import { progressFor } from "./style.js";

/** A function `(input, options) => result`: itself for this thread, its name for a worker. */
export interface FileJob {
  /** Its name in `jobsByName` (job-server.ts), where a worker finds it. */
  name: JobName;
  /** The function, run in this thread. */
  run(input: InputFile, options: unknown, step: StepReport): unknown;
  /**
   * True when the function reads named files itself (by `input.path`, scan by scan) instead of
   * getting their bytes: memory then stays bounded for any file size.
   */
  byPath?: boolean;
}

/** What a worker gets of a job: the name it finds the function by (job-server.ts). */
export type WorkerJob = Pick<FileJob, "name">;

/** `done` of `total` units of work inside one file (scans), for a progress bar. */
export type StepReport = (done: number, total: number) => void;

const workerUrl = new URL("./worker.js", import.meta.url);

/**
 * Below this many bytes in all, the files run in this thread: a worker loads the parser again
 * before its first file (some 0.1 s of a core), more than reading 1 MB of small files costs
 * (docs/performance.md, "CLI start-up").
 */
const WORKER_MIN_BYTES = 1 << 20;

/** True when the named files hold at least `limit` bytes (unreadable ones count as empty). */
function holdAtLeast(files: readonly string[], limit: number): boolean {
  let total = 0;
  for (const name of files) {
    try {
      total += statSync(name).size;
    } catch {
      // Reading the file reports the reason, in either path.
    }
    if (total >= limit) return true;
  }
  return false;
}

/**
 * `job` over every file, in file order; `onDone` hears of each file (and its result) as it
 * completes, so a caller can record it at once (manifest.ts), and
 * `onStep` of the steps within a file run in this thread (a single large file).
 */
export async function mapFiles<R>(
  io: CliIO,
  files: readonly string[],
  job: FileJob,
  options: unknown,
  onDone: (name: string, result: R) => void = () => {},
  onStep: (name: string, done: number, total: number) => void = () => {},
): Promise<R[]> {
  // Read first, so a malformed SPECX_WORKERS is refused whichever way the files run.
  const workerLimit = files.length > 1 ? workerCount(io) : 1;
  const canUseWorkers =
    workerLimit > 1 &&
    !files.includes("-") &&
    existsSync(fileURLToPath(workerUrl)) &&
    holdAtLeast(files, WORKER_MIN_BYTES);
  if (!canUseWorkers) {
    const results: R[] = [];
    for (const name of files) {
      // Awaited: a job may be asynchronous (to-nexus-job.ts).
      const result = (await job.run(inputOf(io, job, name), options, (done, total) =>
        onStep(name, done, total),
      )) as R;
      results.push(result);
      onDone(name, result);
    }
    return results;
  }
  return inWorkers<R>(io, files, job, options, onDone, workerLimit);
}

async function inWorkers<R>(
  io: CliIO,
  files: readonly string[],
  job: FileJob,
  options: unknown,
  onDone: (name: string, result: R) => void,
  workerLimit: number,
): Promise<R[]> {
  const results = new Array<R>(files.length);
  let next = 0;
  const count = Math.min(workerLimit, files.length);
  // Loaded here, not at the top: some 7 ms that a run in this thread does not need.
  const { Worker } = createRequire(import.meta.url)(
    "node:worker_threads",
  ) as typeof import("node:worker_threads");
  const workers = Array.from({ length: count }, () => new Worker(workerUrl));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < files.length) {
          const index = next++;
          const name = files[index] as string;
          const input = inputOf(io, job, name);
          const result = (await runIn(worker, job, input, options)) as R;
          results[index] = result;
          onDone(name, result);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/**
 * How many workers: `SPECX_WORKERS` when set, else the CPUs this process may run on. Node 20
 * counts a SLURM task's CPUs (its affinity) but not a container's CPU limit, so a Kubernetes pod
 * sets SPECX_WORKERS (docs/clusters.md).
 */
function workerCount(io: CliIO): number {
  const setting = io.env?.SPECX_WORKERS;
  if (setting === undefined || setting === "") return availableParallelism();
  if (!/^[1-9]\d*$/.test(setting.trim())) {
    throw new UserError(`SPECX_WORKERS must be a whole number from 1, not '${setting}'`);
  }
  return Number(setting.trim());
}

/** What a job gets for one file: its bytes, or its checked path for a job that reads by path. */
function inputOf(io: CliIO, job: FileJob, name: string): InputFile {
  return job.byPath ? checkSpecInput(io, name) : readSpecInput(io, name);
}

function runIn(worker: Worker, job: FileJob, input: InputFile, options: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { result?: unknown; error?: string; exitCode?: number }) => {
      worker.off("error", onError);
      if (message.error !== undefined) reject(new UserError(message.error, message.exitCode ?? 2));
      else resolve(message.result);
    };
    const onError = (error: Error) => {
      worker.off("message", onMessage);
      reject(error);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
    const bytes = input.bytes.slice();
    const address: WorkerJob = { name: job.name };
    worker.postMessage({ job: address, input: { ...input, bytes }, options }, [bytes.buffer]);
  });
}

/** {@link mapFiles} with a progress bar over the files (on a terminal only). */
export async function mapFilesWithProgress<R>(
  io: CliIO,
  files: readonly string[],
  job: FileJob,
  options: unknown,
  onResult: (file: string, result: R) => void,
): Promise<R[]> {
  const progress = progressFor(io, files.length);
  try {
    return await mapFiles<R>(
      io,
      files,
      job,
      options,
      (name, result) => {
        onResult(name, result);
        progress.tick(name);
      },
      (name, done, total) => progress.step(name, done, total),
    );
  } finally {
    progress.done();
  }
}
