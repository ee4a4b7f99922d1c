/**
 * The binary runs the CLI from one bundled file with V8's code cache (bin/specx.cjs,
 * scripts/bundle.mjs): the build leaves both, V8 accepts the cache, the bundle prints what the
 * modules print on every corpus file, and a bundle older than a later `tsc -b` is not used.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusNames, corpusPath } from "@specx/test-support";
import { afterAll, describe, expect, test } from "vitest";
import type { main } from "../src/cli.js";
import { statsJob } from "../src/commands/stats-job.js";
import { toDocsJob } from "../src/commands/to-docs-job.js";
import { toNexusJob } from "../src/commands/to-nexus-job.js";
import { validateJob } from "../src/commands/validate-job.js";
import { summarizeJob } from "../src/file-summary.js";
import { jobsByName } from "../src/job-server.js";
import { runMain, runSpecx } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));

interface BundleFiles {
  dist: string;
  bundle: string;
  codeCache: string;
  sources: string;
}
const loader = createRequire(import.meta.url)(bin) as {
  bundleFiles(dist: string): BundleFiles;
  bundleIsCurrent(files?: BundleFiles): boolean;
  loadBundle(
    useCodeCache?: boolean,
    files?: BundleFiles,
  ): { exports: { main: typeof main }; codeCache: string };
  ownBundle: BundleFiles;
};

describe("the bundled binary", () => {
  test("the build leaves a bundle and a code cache that V8 accepts", () => {
    const result = spawnSync(process.execPath, [bin, "--version"], {
      encoding: "utf8",
      env: { ...process.env, SPECX_REPORT_LOADER: "1" },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("0.1.0");
    expect(result.stderr).toBe("specx: loaded from bundle, code cache accepted\n");
  });

  test("prints what the modules print, for every corpus file and everyday command", async () => {
    const bundled = loader.loadBundle().exports.main;
    for (const name of corpusNames()) {
      const file = corpusPath(name);
      for (const args of [
        ["inspect", file, "--json"],
        ["stats", file, "--json"],
        ["validate", file, "--format", "json"],
        ["info", file],
      ]) {
        const [fromBundle, fromModules] = [await runMain(bundled, args), await runSpecx(args)];
        expect({ args, ...fromBundle, bytes: undefined }).toEqual({
          args,
          ...fromModules,
          bytes: undefined,
        });
      }
    }
  });

  test("runs jobs on worker threads, which load the bundle too and find jobs by name", () => {
    // Over 1 MB in all, so mapFiles (parallel.ts) starts workers.
    const files = ["33bm_spec.dat", "33id_spec.dat"].map(corpusPath);
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [bin, "validate", ...files, "--format", "json"], {
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
    const inWorkers = run({ SPECX_WORKERS: "2", SPECX_REPORT_LOADER: "1" });
    const inOneThread = run({ SPECX_WORKERS: "1" });
    expect(inWorkers.stderr.split("\n").sort()).toEqual([
      "",
      "specx worker: loaded from bundle, code cache accepted",
      "specx worker: loaded from bundle, code cache accepted",
      "specx: loaded from bundle, code cache accepted",
    ]);
    expect(inWorkers.stdout.length).toBeGreaterThan(100);
    expect([inWorkers.status, inWorkers.stdout]).toEqual([inOneThread.status, inOneThread.stdout]);
  });
});

describe("jobs by name, for the workers", () => {
  test("name every job mapFiles runs, and give its function", async () => {
    const jobs = [validateJob, summarizeJob, toDocsJob, statsJob, toNexusJob];
    expect(Object.keys(jobsByName).sort()).toEqual(jobs.map((job) => job.name).sort());
    for (const job of jobs) expect(await jobsByName[job.name]()).toBe(job.run);
  });
});

describe("a stale bundle", () => {
  const folder = mkdtempSync(join(tmpdir(), "specx-bundle-test-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test("is one older than the build info of a package it holds", () => {
    const files = loader.bundleFiles(folder);
    copyFileSync(loader.ownBundle.bundle, files.bundle);
    writeFileSync(files.sources, JSON.stringify({ buildInfo: ["a.tsbuildinfo", "gone"] }));
    const buildInfo = join(folder, "a.tsbuildinfo");
    writeFileSync(buildInfo, "{}");
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    utimesSync(files.bundle, at(10), at(10));
    // Written with the bundle, or restored with it by a build cache: current.
    utimesSync(buildInfo, at(10.5), at(10.5));
    expect(loader.bundleIsCurrent(files)).toBe(true);
    // Compiled again later: stale.
    utimesSync(buildInfo, at(12), at(12));
    expect(loader.bundleIsCurrent(files)).toBe(false);
    // No bundle: not current either.
    expect(loader.bundleIsCurrent(loader.bundleFiles(join(folder, "none")))).toBe(false);
  });
});
