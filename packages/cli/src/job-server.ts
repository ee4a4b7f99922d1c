/**
 * What a worker thread of {@link mapFiles} does: for each message, find the job's function by its
 * name, run it on the input, and post back its result or its failure. The same for the workers of
 * the ES modules (dist/worker.js) and of the bundled CLI (bin/worker.cjs), which cannot import a
 * module by its URL.
 */
import { createRequire } from "node:module";
import type { InputFile } from "./inputs.js";
import { UserError } from "./io.js";
import type { WorkerJob } from "./parallel.js";

/**
 * A job's function as a worker runs it: progress inside a file is not reported across threads.
 * It may return a promise (to-nexus loads h5wasm, which is asynchronous).
 */
export type WorkerJobFunction = (input: InputFile, options: unknown, step: () => void) => unknown;

/** Every function `mapFiles` runs, by name, loaded when first asked for. */
export const jobsByName = {
  validateInput: async () => (await import("./commands/validate-job.js")).validateInput,
  summarizeFile: async () => (await import("./file-summary.js")).summarizeFile,
  convertInput: async () =>
    (await import("./commands/to-docs-job.js")).convertInput as WorkerJobFunction,
  statsOfFile: async () =>
    (await import("./commands/stats-job.js")).statsOfFile as WorkerJobFunction,
  convertToNexus: async () =>
    (await import("./commands/to-nexus-job.js")).convertToNexus as WorkerJobFunction,
} satisfies Record<string, () => Promise<WorkerJobFunction>>;

/** The name of a function `mapFiles` runs. */
export type JobName = keyof typeof jobsByName;

/** Answers the main thread's messages until it ends this worker. */
export function serveJobs(): void {
  // Required here, not imported at the top: the bundled CLI would load worker_threads at every
  // start (scripts/bundle.mjs requires a built-in where a module that imports it first runs).
  const { parentPort } = createRequire(import.meta.url)(
    "node:worker_threads",
  ) as typeof import("node:worker_threads");
  parentPort?.on(
    "message",
    async (message: { job: WorkerJob; input: InputFile; options: unknown }) => {
      try {
        const run: WorkerJobFunction = await jobsByName[message.job.name]();
        // The main thread counts files for its progress bar.
        parentPort?.postMessage({ result: await run(message.input, message.options, () => {}) });
      } catch (error) {
        parentPort?.postMessage({
          error: (error as Error).message ?? String(error),
          exitCode: error instanceof UserError ? error.exitCode : 2,
        });
      }
    },
  );
}
