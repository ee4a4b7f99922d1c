/** A worker thread of {@link mapFiles}: imports the named function and runs it per message. */
import { parentPort } from "node:worker_threads";
import type { InputFile } from "./inputs.js";
import { UserError } from "./io.js";
import type { WorkerJob } from "./parallel.js";

type JobFunction = (input: InputFile, options: unknown, step: () => void) => unknown;

parentPort?.on(
  "message",
  async (message: { job: WorkerJob; input: InputFile; options: unknown }) => {
    try {
      const run = (await import(message.job.module))[message.job.name] as JobFunction;
      // Progress inside a file is not reported across threads: the main thread counts files.
      parentPort?.postMessage({ result: run(message.input, message.options, () => {}) });
    } catch (error) {
      parentPort?.postMessage({
        error: (error as Error).message ?? String(error),
        exitCode: error instanceof UserError ? error.exitCode : 2,
      });
    }
  },
);
