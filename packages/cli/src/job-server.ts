/**
 * What a worker thread of {@link mapFiles} does: for each message, find the job's function, run
 * it on the input, and post back its result or its failure. `worker.ts` finds the function by
 * importing its module (the ES modules of dist/); `bin/worker.cjs` by its name in the bundled CLI
 * (`serveJobsByName`), which cannot import.
 */
import { createRequire } from "node:module";
import type { InputFile } from "./inputs.js";
import { UserError } from "./io.js";
import type { WorkerJob } from "./parallel.js";

/** A job's function as a worker runs it: progress inside a file is not reported across threads. */
export type WorkerJobFunction = (input: InputFile, options: unknown, step: () => void) => unknown;

/** Answers the main thread's messages until it ends this worker. */
export function serveJobs(find: (job: WorkerJob) => Promise<WorkerJobFunction>): void {
  // Required here, not imported at the top: the bundled CLI would load worker_threads at every
  // start (scripts/bundle.mjs requires a built-in where a module that imports it first runs).
  const { parentPort } = createRequire(import.meta.url)(
    "node:worker_threads",
  ) as typeof import("node:worker_threads");
  parentPort?.on(
    "message",
    async (message: { job: WorkerJob; input: InputFile; options: unknown }) => {
      try {
        const run = await find(message.job);
        // The main thread counts files for its progress bar.
        parentPort?.postMessage({ result: run(message.input, message.options, () => {}) });
      } catch (error) {
        parentPort?.postMessage({
          error: (error as Error).message ?? String(error),
          exitCode: error instanceof UserError ? error.exitCode : 2,
        });
      }
    },
  );
}

/** Every function `mapFiles` runs, by name, loaded when first asked for. */
export const jobsByName: Record<string, () => Promise<WorkerJobFunction>> = {
  validateInput: async () => (await import("./commands/validate-job.js")).validateInput,
  summarizeFile: async () => (await import("./file-summary.js")).summarizeFile,
  convertInput: async () =>
    (await import("./commands/to-docs-job.js")).convertInput as WorkerJobFunction,
  statsOfFile: async () =>
    (await import("./commands/stats-job.js")).statsOfFile as WorkerJobFunction,
};

/** {@link serveJobs} finding each function by its name, for the bundled CLI's workers. */
export function serveJobsByName(): void {
  serveJobs(async (job) => {
    const load = Object.hasOwn(jobsByName, job.name) ? jobsByName[job.name] : undefined;
    if (!load) throw new Error(`no job named ${job.name} in this CLI`);
    return await load();
  });
}
