/**
 * `--shard` and `--manifest` on a generated archive of 5,000 files, through the real binary
 * (docs/clusters.md): the union of 8 shard runs is one unsharded run, and a run killed with
 * SIGKILL half-way and then resumed prints exactly what the unsharded run prints.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import type { FileReport } from "../src/commands/validate-job.js";
import { writeArchive } from "./archive.js";
import { runSpecx } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const FILES = 5000;

interface ValidateJson {
  files: FileReport[];
  summary: { files: number; errors: number; warnings: number; info: number };
}

function specx(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
}

function specxAsync(args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("close", (status) =>
      resolve({ status, stdout: Buffer.concat(chunks).toString("utf8") }),
    );
  });
}

/** The JSON lines of a manifest that parse (a torn last line does not). */
function wholeLines(path: string): { path: string }[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

describe(`an archive of ${FILES} files`, () => {
  const root = mkdtempSync(join(tmpdir(), "specx-archive-"));
  const archive = join(root, "archive");
  let whole: ReturnType<typeof specx>;

  beforeAll(() => {
    writeArchive(archive, FILES);
    whole = specx(["validate", archive, "--format", "json"]);
  }, 120_000);

  test("validate: the union of 8 shard runs is the unsharded run", async () => {
    const expected = JSON.parse(whole.stdout) as ValidateJson;
    expect(expected.summary.files).toBe(FILES);
    expect(expected.summary.warnings).toBeGreaterThan(0);
    // Two shards at a time, as two tasks of an array job would run (one core each).
    const shards: ValidateJson[] = [];
    for (let k = 1; k <= 8; k += 2) {
      const pair = await Promise.all(
        [k, k + 1].map((index) =>
          specxAsync(["validate", archive, "--format", "json", "--shard", `${index}/8`]),
        ),
      );
      for (const run of pair) {
        expect(run.status).toBe(whole.status);
        shards.push(JSON.parse(run.stdout) as ValidateJson);
      }
    }
    const union = shards.flatMap((shard) => shard.files);
    const byFile = (a: FileReport, b: FileReport) => (a.file < b.file ? -1 : 1);
    expect(union.length).toBe(FILES);
    expect([...union].sort(byFile)).toEqual([...expected.files].sort(byFile));
    for (const count of ["files", "errors", "warnings", "info"] as const) {
      const sum = shards.reduce((total, shard) => total + shard.summary[count], 0);
      expect(sum).toBe(expected.summary[count]);
    }
    // Every shard has work: none is empty, none holds more than twice its share.
    for (const shard of shards) {
      expect(shard.files.length).toBeGreaterThan(FILES / 8 / 2);
      expect(shard.files.length).toBeLessThan((FILES / 8) * 2);
    }
  });

  test("validate: a run killed with SIGKILL half-way, then resumed, prints the unsharded run", async () => {
    const manifest = join(root, "validate.ndjson");
    const args = [bin, "validate", archive, "--format", "json", "--manifest", manifest];
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    let finished = false;
    void ended.then(() => {
      finished = true;
    });
    // Kill it once half of the files are recorded.
    while (!finished) {
      let recorded = 0;
      try {
        recorded = readFileSync(manifest, "latin1").split("\n").length - 1;
      } catch {
        // Not created yet.
      }
      if (recorded >= FILES / 2) {
        child.kill("SIGKILL");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await ended).toBe("SIGKILL");
    const beforeResume = wholeLines(manifest).length;
    expect(beforeResume).toBeGreaterThanOrEqual(FILES / 2);
    expect(beforeResume).toBeLessThan(FILES);

    const resumed = specx(args.slice(1));
    expect(resumed.status).toBe(whole.status);
    expect(resumed.stdout).toBe(whole.stdout);
    // The resumed run did only the files not recorded: every file has exactly one line.
    const paths = wholeLines(manifest).map((line) => line.path);
    expect(paths.length).toBe(FILES);
    expect(new Set(paths).size).toBe(FILES);
  });

  test("stats --json: the union of 8 shards, each resumed from its manifest, is the whole", async () => {
    // In-process over a smaller archive: the split and the manifest are the same code.
    const small = join(root, "small");
    writeArchive(small, 160, 7);
    const expected = JSON.parse((await runSpecx(["stats", small, "--json"])).stdout);
    const union: { file: string }[] = [];
    for (let k = 1; k <= 8; k++) {
      const args = ["stats", small, "--json", "--shard", `${k}/8`];
      const manifest = join(root, `stats-${k}.ndjson`);
      const first = await runSpecx([...args, "--manifest", manifest]);
      const again = await runSpecx([...args, "--manifest", manifest]);
      expect(again.stdout).toBe(first.stdout);
      union.push(...JSON.parse(first.stdout).files);
    }
    const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : 1);
    expect(union.length).toBe(160);
    expect(union.sort(byFile)).toEqual([...expected.files].sort(byFile));
  });
});
