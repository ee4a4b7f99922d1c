/** `--shard`: parsing K/N and `auto`, and a split that is stable, disjoint, covering, balanced. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { parseShard, SHARD_ENV, shardInputs, shardOfKey } from "../src/shard.js";
import { writeArchive } from "./archive.js";
import { expectUsageError, runSpecx } from "./run-specx.js";

describe("parseShard", () => {
  test.each([
    ["1/1", { index: 1, count: 1 }],
    ["3/8", { index: 3, count: 8 }],
    ["8/8", { index: 8, count: 8 }],
  ])("%s", (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  test.each(["0/0", "3/2", "a/b", "0/4", "1/0", "2", "1/2/3", " 1/2", "-1/2", "1.5/2", ""])(
    "'%s' is refused with a one-line reason",
    (text) => {
      expect(() => parseShard(text)).toThrow(/^--shard must be K\/N with 1 <= K <= N/);
    },
  );

  test("auto, SLURM: the task's place in the array, whatever the first id and the step", () => {
    const slurm = (id: string, count: string, extra: Record<string, string> = {}) =>
      parseShard("auto", { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_COUNT: count, ...extra });
    expect(slurm("0", "8", { SLURM_ARRAY_TASK_MIN: "0" })).toEqual({ index: 1, count: 8 });
    expect(slurm("7", "8")).toEqual({ index: 8, count: 8 });
    // --array=1-8
    expect(slurm("1", "8", { SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 1, count: 8 });
    expect(slurm("8", "8", { SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 8, count: 8 });
    // --array=100-103
    expect(slurm("102", "4", { SLURM_ARRAY_TASK_MIN: "100" })).toEqual({ index: 3, count: 4 });
    // --array=0-14:2
    const stepped = { SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "2" };
    expect(slurm("14", "8", stepped)).toEqual({ index: 8, count: 8 });
    expect(() => slurm("8", "8", { SLURM_ARRAY_TASK_MIN: "0" })).toThrow(/is not a task of 8/);
    expect(() => slurm("3", "8", stepped)).toThrow(/is not a task of 8/);
    expect(() => slurm("1", "x")).toThrow(/SLURM_ARRAY_TASK_COUNT must be a whole number/);
    expect(() => parseShard("auto", { SLURM_ARRAY_TASK_ID: "1" })).toThrow(
      /SLURM_ARRAY_TASK_COUNT is not set/,
    );
  });

  test("auto, Kubernetes: JOB_COMPLETION_INDEX from 0, the count from SPECX_SHARD_COUNT", () => {
    const env = { JOB_COMPLETION_INDEX: "0", SPECX_SHARD_COUNT: "4" };
    expect(parseShard("auto", env)).toEqual({ index: 1, count: 4 });
    expect(parseShard("auto", { ...env, JOB_COMPLETION_INDEX: "3" })).toEqual({
      index: 4,
      count: 4,
    });
    expect(() => parseShard("auto", { ...env, JOB_COMPLETION_INDEX: "4" })).toThrow(
      /JOB_COMPLETION_INDEX=4 \(SPECX_SHARD_COUNT=4\) is not a task of 4/,
    );
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "0" })).toThrow(
      /SPECX_SHARD_COUNT is not set/,
    );
    expect(() => parseShard("auto", { ...env, SPECX_SHARD_COUNT: "0" })).toThrow(
      /is not a task of 0/,
    );
  });

  test("auto with no scheduler variable names the variables it reads", () => {
    const reason =
      /^--shard auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT \(SLURM array job\) or JOB_COMPLETION_INDEX and SPECX_SHARD_COUNT \(Kubernetes indexed Job\)$/;
    expect(() => parseShard("auto", {})).toThrow(reason);
    expect(() => parseShard("auto", { SPECX_SHARD_COUNT: "4" })).toThrow(reason);
    expect(Object.values(SHARD_ENV).sort()).toEqual([
      "JOB_COMPLETION_INDEX",
      "SLURM_ARRAY_TASK_COUNT",
      "SLURM_ARRAY_TASK_ID",
      "SLURM_ARRAY_TASK_MIN",
      "SLURM_ARRAY_TASK_STEP",
      "SPECX_SHARD_COUNT",
    ]);
  });
});

describe("the split", () => {
  test("is the first four bytes of the key's SHA-256, mod N: the same on every machine", () => {
    // Computed independently with Python's hashlib.
    const pinned: [string, number, number][] = [
      ["b.spec", 1, 857],
      ["data/x.dat", 2, 946],
      ["beamtime-0/sample-0/scan-00000.spec", 5, 829],
      ["é/ü.spec", 3, 899],
      ["scan-04999.spec", 7, 871],
    ];
    for (const [key, of8, of1000] of pinned) {
      expect(shardOfKey(key, 8)).toBe(of8);
      expect(shardOfKey(key, 1000)).toBe(of1000);
    }
  });

  test("disjoint, covering and balanced over 5,000 keys; adding keys moves none", () => {
    const keys = Array.from(
      { length: 5000 },
      (_, i) => `beamtime-${i % 7}/sample-${i % 23}/scan-${String(i).padStart(5, "0")}.spec`,
    );
    for (const count of [1, 2, 8, 13]) {
      const shards = Array.from({ length: count }, (_, k) =>
        keys.filter((key) => shardOfKey(key, count) === k + 1),
      );
      const all = shards.flat();
      expect(all.length).toBe(keys.length);
      expect(new Set(all).size).toBe(keys.length);
      // Each shard within 15% of an even share (binomial spread is about 4% here).
      for (const shard of shards) {
        expect(Math.abs(shard.length - keys.length / count)).toBeLessThan(
          (0.15 * keys.length) / count,
        );
      }
    }
    const before = keys.map((key) => shardOfKey(key, 8));
    const grown = [...keys, "beamtime-0/new.spec"];
    expect(grown.slice(0, keys.length).map((key) => shardOfKey(key, 8))).toEqual(before);
  });

  test("keys are relative to the folder argument: the same archive anywhere splits alike", () => {
    const root = mkdtempSync(join(tmpdir(), "specx-shard-"));
    const here = join(root, "mounted", "here");
    const files = writeArchive(here, 60);
    const there = join(root, "elsewhere");
    cpSync(here, there, { recursive: true });
    const seen: string[] = [];
    for (let k = 1; k <= 4; k++) {
      const inHere = shardInputs([here], { index: k, count: 4 });
      const inThere = shardInputs([there], { index: k, count: 4 });
      const keys = inHere.map((path) => relative(here, path));
      expect(inThere.map((path) => relative(there, path))).toEqual(keys);
      for (const key of keys) expect(shardOfKey(key, 4)).toBe(k);
      seen.push(...inHere);
    }
    expect(seen.sort()).toEqual([...files].sort());
    // Without a shard, every file in the folder's order; a file argument is its own key.
    expect(shardInputs([here], undefined)).toEqual(files.slice().sort());
    const named = files[1] as string;
    const shardOfNamed = shardOfKey(named, 3);
    expect(shardInputs([named], { index: shardOfNamed, count: 3 })).toEqual([named]);
    expect(shardInputs([named], { index: (shardOfNamed % 3) + 1, count: 3 })).toEqual([]);
    expect(() => shardInputs(["-"], undefined)).toThrow(
      /need named files or folders, not standard input/,
    );
  });

  test("a folder without SPEC files is an error in every shard; an empty shard is not", () => {
    const root = mkdtempSync(join(tmpdir(), "specx-shard-"));
    const empty = join(root, "empty");
    mkdirSync(empty);
    writeFileSync(join(empty, "notes.txt"), "no control lines\n");
    for (let k = 1; k <= 3; k++) {
      expect(() => shardInputs([empty], { index: k, count: 3 })).toThrow(
        /^no SPEC files in folder /,
      );
    }
    const one = join(root, "one");
    writeArchive(one, 1);
    const counts = [1, 2, 3, 4, 5].map((k) => shardInputs([one], { index: k, count: 5 }).length);
    expect(counts.sort()).toEqual([0, 0, 0, 0, 1]);
  });
});

describe("the batch commands' --shard", () => {
  const archive = mkdtempSync(join(tmpdir(), "specx-shard-cli-"));
  writeArchive(archive, 24);

  test.each([
    [
      ["validate", archive, "--shard", "0/0"],
      /^specx: --shard must be K\/N with 1 <= K <= N .*'0\/0'\n$/,
    ],
    [["stats", archive, "--shard", "3/2"], /^specx: --shard must be K\/N .*'3\/2'\n$/],
    [
      ["to-docs", archive, "--format", "jsonl", "-o", join(archive, "runs"), "--shard", "a/b"],
      /'a\/b'\n$/,
    ],
    [["validate", archive, "--shard", "auto"], /^specx: --shard auto needs SLURM_ARRAY_TASK_ID/],
    [
      ["stats", "-", "--shard", "1/2"],
      /^specx: --shard and --manifest need named files or folders/,
    ],
  ])("%j: one line, exit 2", async (args, message) => {
    expectUsageError(await runSpecx(args), message);
  });

  test("auto reads the environment the command runs in", async () => {
    const env = { JOB_COMPLETION_INDEX: "1", SPECX_SHARD_COUNT: "3" };
    const auto = await runSpecx(
      ["validate", archive, "--format", "json", "--shard", "auto"],
      undefined,
      { env },
    );
    const explicit = await runSpecx(["validate", archive, "--format", "json", "--shard", "2/3"]);
    expect(auto.stdout).toBe(explicit.stdout);
    expect(JSON.parse(auto.stdout).summary.files).toBeGreaterThan(0);
  });
});
