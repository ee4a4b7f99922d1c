/** `specx to-docs` over several files and folders, and `--scan` across files and shards. */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runFiles, writeArchive } from "./archive.js";
import { expectUsageError, runSpecx as run } from "./run-specx.js";

describe("to-docs over a folder", () => {
  const root = mkdtempSync(join(tmpdir(), "specx-to-docs-batch-"));
  const archive = join(root, "archive");
  const files = writeArchive(archive, 12, 5);

  test("writes what converting each file on its own writes, paths in input order", async () => {
    const together = join(root, "together");
    const result = await run(["to-docs", archive, "--format", "jsonl", "-o", together]);
    expect(result.status).toBe(0);
    const expectedPaths: string[] = [];
    const alone = join(root, "alone");
    // A folder's files come in path order.
    for (const file of [...files].sort()) {
      const one = await run(["to-docs", file, "--format", "jsonl", "-o", alone]);
      expect(one.status).toBe(0);
      expectedPaths.push(...one.stdout.trimEnd().split("\n"));
    }
    expect(result.stdout).toBe(
      `${expectedPaths.map((p) => p.replace(alone, together)).join("\n")}\n`,
    );
    expect(runFiles(together)).toEqual(runFiles(alone));
  });

  test("--scan converts the files that have the scan; a key no file has is exit 2", async () => {
    const out = join(root, "scan3");
    const result = await run(["to-docs", archive, "--scan", "3.1", "--format", "jsonl", "-o", out]);
    expect(result.status).toBe(0);
    const withScan3 = files.filter((file) => readFileSync(file, "latin1").includes("\n#S 3 "));
    expect(withScan3.length).toBeGreaterThan(0);
    expect(withScan3.length).toBeLessThan(files.length);
    expect(readdirSync(out)).toHaveLength(withScan3.length);

    const none = await run(["to-docs", archive, "--scan", "9.1", "--format", "jsonl", "-o", out]);
    expectUsageError(none, /^specx: no scan 9\.1 in any of the files \(keys look like 3\.1/);
  });

  test("within a shard, a key no file of the shard has is not an error (stats and to-docs)", async () => {
    const stats = await run(["stats", archive, "--json", "--scan", "9.1"]);
    expectUsageError(stats, /^specx: no scan 9\.1 in any of the files/);
    const shard = await run(["stats", archive, "--json", "--scan", "9.1", "--shard", "1/1"]);
    expect(shard.status).toBe(0);
    const shardFiles = JSON.parse(shard.stdout).files as { scans: unknown[] }[];
    expect(shardFiles).toHaveLength(files.length);
    expect(shardFiles.every((file) => file.scans.length === 0)).toBe(true);
    const out = join(root, "none");
    const docs = await run([
      "to-docs",
      archive,
      "--scan",
      "9.1",
      "--format",
      "jsonl",
      "-o",
      out,
      "--shard",
      "1/1",
    ]);
    expect(docs.status).toBe(0);
    expect(docs.stdout).toBe("");
  });
});
