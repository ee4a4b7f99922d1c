/**
 * `--shard K/N`: one of N disjoint parts of the input files, the same on every machine, so a
 * SLURM array job or a Kubernetes indexed Job runs one part per task (docs/clusters.md).
 *
 * A file belongs to shard `1 + (h mod N)`, where `h` is the first four bytes (big-endian) of the
 * SHA-256 of its key: its path relative to the folder argument it was found in, with `/`
 * separators, or a file argument as written. Hashing (not sorted-order round robin) means adding
 * a file to an archive moves no other file to another shard, and the split depends neither on
 * where the archive is mounted nor on the order the folder lists its files.
 */
import type * as Crypto from "node:crypto";
import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import { isFolder, specFilesIn } from "./inputs.js";
import { UserError } from "./io.js";

/** Shard `index` of `count`, both counted from 1 as `--shard K/N` writes them. */
export interface Shard {
  index: number;
  count: number;
}

/** The environment variables `--shard auto` reads (documented in docs/clusters.md). */
export const SHARD_ENV = {
  slurmTask: "SLURM_ARRAY_TASK_ID",
  slurmCount: "SLURM_ARRAY_TASK_COUNT",
  slurmMin: "SLURM_ARRAY_TASK_MIN",
  slurmStep: "SLURM_ARRAY_TASK_STEP",
  kubernetesIndex: "JOB_COMPLETION_INDEX",
  kubernetesCount: "SPECX_SHARD_COUNT",
} as const;

type Env = Record<string, string | undefined>;

/**
 * `K/N` (1 ≤ K ≤ N), or `auto`: the task of a SLURM array job, else of a Kubernetes indexed Job.
 * Anything else is a one-line UserError (exit 2).
 */
export function parseShard(text: string, env: Env = {}): Shard {
  if (text === "auto") return shardFromEnv(env);
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new UserError(
      `--shard must be K/N with 1 <= K <= N (such as 3/8) or auto, not '${text}'`,
    );
  }
  return { index, count };
}

/**
 * SLURM numbers array tasks from the `--array` range's first id with its step
 * (`--array=1-8`, `--array=0-14:2`), so the task's place in the array is
 * (ID − MIN) / STEP. A Kubernetes indexed Job numbers its pods from 0 and does not tell their
 * number, so SPECX_SHARD_COUNT must repeat the Job's `completions`.
 */
function shardFromEnv(env: Env): Shard {
  const { slurmTask, slurmCount, slurmMin, slurmStep, kubernetesIndex, kubernetesCount } =
    SHARD_ENV;
  if (env[slurmTask] !== undefined) {
    const id = envInteger(env, slurmTask);
    const count = envInteger(env, slurmCount);
    const min = env[slurmMin] === undefined ? 0 : envInteger(env, slurmMin);
    const step = env[slurmStep] === undefined ? 1 : envInteger(env, slurmStep);
    const place = (id - min) / Math.max(step, 1);
    return placed(place, count, `${slurmTask}=${id} (${slurmMin}=${min}, ${slurmCount}=${count})`);
  }
  if (env[kubernetesIndex] !== undefined) {
    const index = envInteger(env, kubernetesIndex);
    const count = envInteger(env, kubernetesCount);
    return placed(index, count, `${kubernetesIndex}=${index} (${kubernetesCount}=${count})`);
  }
  throw new UserError(
    `--shard auto needs ${slurmTask} and ${slurmCount} (SLURM array job) or ${kubernetesIndex} and ${kubernetesCount} (Kubernetes indexed Job)`,
  );
}

/** A 0-based place among `count` tasks, as a shard; out of range is a UserError. */
function placed(place: number, count: number, described: string): Shard {
  if (count < 1 || !Number.isInteger(place) || place < 0 || place >= count) {
    throw new UserError(`--shard auto: ${described} is not a task of ${count}`);
  }
  return { index: place + 1, count };
}

function envInteger(env: Env, name: string): number {
  const text = env[name];
  if (text === undefined) throw new UserError(`--shard auto: ${name} is not set`);
  if (!/^\d+$/.test(text.trim())) {
    throw new UserError(`--shard auto: ${name} must be a whole number, not '${text}'`);
  }
  return Number(text.trim());
}

/**
 * The files of `args` (as `expandInputs` finds them, in the same order) that belong to
 * `shard`, or all of them without one. A folder's files are sorted into shards before their
 * first bytes are read, so each task reads only its own files. A folder without any SPEC file
 * is an error in every shard; a shard that gets none of a folder's files is not.
 */
export function shardInputs(args: readonly string[], shard: Shard | undefined): string[] {
  const inShard = (key: string) => !shard || shardOfKey(key, shard.count) === shard.index;
  const files: string[] = [];
  for (const arg of args) {
    if (arg === "-") {
      throw new UserError("--shard and --manifest need named files or folders, not standard input");
    }
    if (!isFolder(arg)) {
      if (inShard(keyOf(arg))) files.push(arg);
      continue;
    }
    const found = specFilesIn(arg, (path) => inShard(keyOf(relative(arg, path))));
    if (found.length === 0 && specFilesIn(arg).length === 0) {
      throw new UserError(`no SPEC files in folder ${arg}`);
    }
    // One push per file: push(...found) overflows the call stack for 200,000 files.
    for (const path of found) files.push(path);
  }
  return files;
}

/** A path's shard key: `/` between folders on every system. */
export function keyOf(path: string): string {
  return path.split(sep).join("/");
}

// node:crypto is loaded on the first sharded file only: loading it costs every unsharded
// `validate` or `stats` start some 7 ms (docs/performance.md, "CLI start-up").
const requireBuiltin = createRequire(import.meta.url);
let nodeCrypto: typeof Crypto | undefined;

/** The 1-based shard of `count` that the file with this key belongs to. */
export function shardOfKey(key: string, count: number): number {
  nodeCrypto ??= requireBuiltin("node:crypto") as typeof Crypto;
  const digest = nodeCrypto.createHash("sha256").update(key, "utf8").digest();
  return 1 + (digest.readUInt32BE(0) % count);
}
