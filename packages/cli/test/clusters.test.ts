/**
 * docs/clusters.md works as written: its SLURM array script passes `bash -n` and, run by hand
 * as two array tasks, converts an archive exactly as one unsharded `to-docs`; its Kubernetes
 * indexed Job parses as YAML (Python's yaml), sets the shard count the CLI reads, and its
 * command, run as two indexes, does the same. The variables the page names are the ones
 * `--shard auto` reads.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusPath, python } from "@specx/test-support";
import { beforeAll, describe, expect, test } from "vitest";
import { SHARD_ENV } from "../src/shard.js";
import { runFiles, writeArchive } from "./archive.js";

const page = readFileSync(new URL("../../../docs/clusters.md", import.meta.url), "utf8");
const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));

function block(language: string, containing: string): string {
  const blocks = [...page.matchAll(/```(\w+)\n([\s\S]*?)```/g)]
    .filter(([, lang, body]) => lang === language && body?.includes(containing))
    .map(([, , body]) => body as string);
  expect(blocks).toHaveLength(1);
  return blocks[0] as string;
}

const slurmScript = block("bash", "#SBATCH");
const jobYaml = block("yaml", "kind: Job");

interface JobManifest {
  apiVersion: string;
  kind: string;
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    template: {
      spec: {
        restartPolicy: string;
        containers: {
          command: string[];
          args: string[];
          env: { name: string; value: string }[];
          resources: { requests: { cpu: string } };
          volumeMounts: { name: string }[];
        }[];
        volumes: { name: string }[];
      };
    };
  };
}

const job = JSON.parse(
  python(
    "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))",
    [],
    jobYaml,
  ),
) as JobManifest;

describe("docs/clusters.md", () => {
  const root = mkdtempSync(join(tmpdir(), "specx-clusters-"));
  const archive = join(root, "archive");
  const shims = join(root, "bin");
  let unsharded: Map<string, string>;

  beforeAll(() => {
    writeArchive(archive, 40, 11);
    mkdirSync(shims);
    const shim = join(shims, "specx");
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(shim, 0o755);
    const out = join(root, "unsharded");
    const result = spawnSync(
      process.execPath,
      [bin, "to-docs", archive, "--format", "jsonl", "-o", out],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(0);
    unsharded = runFiles(out);
    expect(unsharded.size).toBeGreaterThan(40);
  });

  const withShims = () => `${shims}:${process.env.PATH ?? ""}`;

  test("the --shard auto table names exactly the variables the CLI reads", () => {
    const section = page.slice(
      page.indexOf("`--shard auto` takes"),
      page.indexOf("## `--manifest"),
    );
    const named = new Set([...section.matchAll(/`([A-Z][A-Z_]+)`/g)].map(([, name]) => name));
    expect([...named].sort()).toEqual(Object.values(SHARD_ENV).sort());
  });

  test("the SLURM script is valid bash and, run as two array tasks, converts the archive", () => {
    const script = join(root, "convert-archive.sh");
    writeFileSync(script, slurmScript);
    expect(spawnSync("bash", ["-n", script], { encoding: "utf8" }).stderr).toBe("");
    expect(slurmScript).toMatch(/^#SBATCH --array=0-7$/m);
    expect(slurmScript).toContain("--shard auto");

    const runs = join(root, "slurm-runs");
    const task = (id: number) =>
      spawnSync("bash", [script], {
        encoding: "utf8",
        env: {
          PATH: withShims(),
          ARCHIVE: archive,
          RUNS: runs,
          [SHARD_ENV.slurmTask]: String(id),
          [SHARD_ENV.slurmCount]: "2",
          [SHARD_ENV.slurmMin]: "0",
        },
      });
    const outputs = [0, 1].map((id) => {
      const result = task(id);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      return result.stdout.trim().split("\n");
    });
    expect(outputs[0]?.length).toBeGreaterThan(0);
    expect(outputs[1]?.length).toBeGreaterThan(0);
    expect(runFiles(join(runs, "docs"))).toEqual(unsharded);
    const manifests = readdirSync(join(runs, "manifests")).sort();
    expect(manifests).toEqual(["task-0.ndjson", "task-1.ndjson"]);

    // Submitted again: the task finds every file in its manifest and prints the same paths.
    const before = readFileSync(join(runs, "manifests", "task-1.ndjson"), "utf8");
    const again = task(1);
    expect(again.status).toBe(0);
    expect(again.stdout.trim().split("\n")).toEqual(outputs[1]);
    expect(readFileSync(join(runs, "manifests", "task-1.ndjson"), "utf8")).toBe(before);
  });

  test("SPECX_WORKERS sets the worker threads: same output; not a number is one line, exit 2", () => {
    // Over 1 MB in all, so that the files run on workers (parallel.ts).
    const large = join(root, "large");
    mkdirSync(large);
    const names = ["03_06_JanTest.dat", "issue161_spock_spec_file", "issue119_data.txt"];
    for (const name of [...names, "02_03_setup.dat", "APS_spec_data.dat"]) {
      copyFileSync(corpusPath(name), join(large, name));
    }
    const run = (workers: string) =>
      spawnSync(process.execPath, [bin, "validate", large, "--format", "json"], {
        encoding: "utf8",
        env: { ...process.env, SPECX_WORKERS: workers },
      });
    const one = run("1");
    expect(one.status).toBe(0);
    expect(run("3").stdout).toBe(one.stdout);
    const bad = run("two");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("specx: SPECX_WORKERS must be a whole number from 1, not 'two'\n");
  });

  test("the Kubernetes Job parses, is indexed, and tells the CLI its shard count", () => {
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.kind).toBe("Job");
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    const pod = job.spec.template.spec;
    expect(["Never", "OnFailure"]).toContain(pod.restartPolicy);
    const [container] = pod.containers;
    if (!container) throw new Error("no container");
    const count = container.env.find((e) => e.name === SHARD_ENV.kubernetesCount);
    expect(Number(count?.value)).toBe(job.spec.completions);
    // One worker thread per CPU the pod requests.
    const workers = container.env.find((e) => e.name === "SPECX_WORKERS");
    expect(workers?.value).toBe(container.resources.requests.cpu);
    expect(container.args.join(" ")).toContain("--shard auto");
    expect(container.args.join(" ")).toContain(`$${SHARD_ENV.kubernetesIndex}`);
    expect(container.volumeMounts.map((m) => m.name).sort()).toEqual(
      pod.volumes.map((v) => v.name).sort(),
    );
  });

  test("the Job's command, run as two indexes over a local archive, converts the archive", () => {
    const [container] = job.spec.template.spec.containers;
    if (!container) throw new Error("no container");
    expect(container.command).toEqual(["sh", "-c"]);
    const here = join(root, "kubernetes");
    // The volumes' mount points, moved under a temporary folder.
    const command = (container.args[0] as string).replace(
      /(?<=[\s"])\/(archive|runs)\b/g,
      (_, volume: string) => (volume === "archive" ? archive : join(here, "runs")),
    );
    expect(command).not.toMatch(/[\s"]\/(archive|runs)\b/);
    for (const index of [0, 1]) {
      const result = spawnSync("sh", ["-c", command], {
        encoding: "utf8",
        env: {
          PATH: withShims(),
          [SHARD_ENV.kubernetesIndex]: String(index),
          [SHARD_ENV.kubernetesCount]: "2",
        },
      });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
    expect(runFiles(join(here, "runs", "docs"))).toEqual(unsharded);
    expect(readdirSync(join(here, "runs", "manifests")).sort()).toEqual([
      "task-0.ndjson",
      "task-1.ndjson",
    ]);
  });
});
