/**
 * What every batch command (`validate`, `stats`, `to-docs`, and any later one) shares: its
 * options `--shard` (shard.ts) and `--manifest` (manifest.ts), the files they select, and the
 * results recorded for them. The per-file job itself runs on the worker pool
 * (`mapFilesWithProgress` of parallel.ts). Without either option a command sees exactly the
 * files it always did.
 */
import { Option } from "commander";
import { expandInputs } from "./inputs.js";
import type { CliIO } from "./io.js";
import { type FileStamp, Manifest, stampOf } from "./manifest.js";
import { parseShard, shardInputs } from "./shard.js";

/** The options every batch command takes. */
export interface BatchOptions {
  shard?: string;
  manifest?: string;
}

/** `--shard K/N|auto`, for `command.addOption`. */
export function shardOption(): Option {
  return new Option(
    "--shard <K/N|auto>",
    "only shard K of N (1 <= K <= N) of the files, split by a hash of each path relative to its argument; auto reads SLURM_ARRAY_TASK_ID/_COUNT/_MIN or JOB_COMPLETION_INDEX with SPECX_SHARD_COUNT",
  );
}

/** `--manifest FILE`, for `command.addOption`. */
export function manifestOption(): Option {
  return new Option(
    "--manifest <file>",
    "record each finished file as a JSON line in FILE; a rerun skips the files recorded with the same size and mtime and reports their recorded results",
  );
}

/** A command's per-file work, as {@link runBatch} needs it. */
export interface BatchJob<R> {
  /** The command's name, recorded in the manifest. */
  command: string;
  /** The options that shape a file's result: a recorded result is reused only under the same. */
  options: unknown;
  /** Runs the job over `files`, telling `onResult` of each file as it finishes; input order. */
  run(files: readonly string[], onResult: (file: string, result: R) => void): Promise<R[]>;
}

/**
 * The results of `job` over the files of `args` (in input order), restricted to `--shard`, with
 * the files a `--manifest` records as done taken from it instead of being run again.
 */
export async function runBatch<R>(
  io: CliIO,
  args: readonly string[],
  batch: BatchOptions,
  job: BatchJob<R>,
): Promise<R[]> {
  if (batch.shard === undefined && batch.manifest === undefined) {
    return job.run(expandInputs(args), () => {});
  }
  const shard = batch.shard === undefined ? undefined : parseShard(batch.shard, io.env ?? {});
  const files = shardInputs(args, shard);
  if (batch.manifest === undefined) return job.run(files, () => {});

  const manifest = new Manifest<R>(batch.manifest, job.command, job.options);
  try {
    // Stamped before the work: a file changed meanwhile is done again on the next run.
    const stamps = new Map<string, FileStamp | undefined>(files.map((f) => [f, stampOf(f)]));
    const recorded = new Map<string, R>();
    for (const file of files) {
      const found = manifest.resultOf(file, stamps.get(file));
      if (found) recorded.set(file, found.result);
    }
    const todo = files.filter((file) => !recorded.has(file));
    const fresh = await job.run(todo, (file, result) => {
      const stamp = stamps.get(file);
      if (stamp) manifest.record(file, stamp, result);
    });
    const freshByFile = new Map(todo.map((file, i) => [file, fresh[i] as R]));
    return files.map(
      (file) => (recorded.has(file) ? recorded.get(file) : freshByFile.get(file)) as R,
    );
  } finally {
    manifest.close();
  }
}
