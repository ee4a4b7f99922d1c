/**
 * `specx to-nexus`: one HDF5 file per SPEC file, beside it or in `-o DIR` (a folder's layout
 * kept), `-o OUT.h5` for one input; refusals before anything is written; and, with the real
 * binary, faults (a folder that cannot be written, a full disk, a kill) that leave nothing under
 * the final name.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadH5wasm } from "@specx/nexus";
import { corpusPath } from "@specx/test-support";
import { afterAll, describe, expect, test } from "vitest";
import { writeArchive } from "./archive.js";
import { expectUsageError, runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "specx-to-nexus-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder under the test's root. */
function folder(name: string): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
}

/** The top-level names of an HDF5 file and the shape of `/<entry>/title`, as h5wasm reads them. */
async function readTree(path: string, entry?: string) {
  const h5 = await loadH5wasm();
  const file = new h5.File(path, "r");
  try {
    const names = file.keys();
    const title = entry ? (file.get(`${entry}/title`) as { shape: number[] } | null) : null;
    return { names, titleShape: title?.shape ?? null };
  } finally {
    file.close();
  }
}

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/** Runs the real binary; `shell` wraps it (`ulimit -f …; exec …`). */
function runBinary(args: string[], env: Record<string, string> = {}, shell?: string) {
  const command = shell
    ? ["sh", ["-c", `${shell}; exec "$0" "$@"`, process.execPath, bin, ...args]]
    : [process.execPath, [bin, ...args]];
  return spawnSync(command[0] as string, command[1] as string[], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

/** A SPEC file with `scans` scans of `points` rows of 12 columns: seconds to convert. */
function writeLargeSpec(path: string, scans: number, points: number): void {
  const labels = Array.from({ length: 12 }, (_, i) => `c${i}`);
  const lines = ["#F large.spec", "#E 1700000000", "#D Tue Nov 14 22:13:20 2023", ""];
  for (let s = 1; s <= scans; s++) {
    lines.push(`#S ${s}  ascan  c0 0 1 ${points} 0.1`, `#N ${labels.length}`);
    lines.push(`#L ${labels.join("  ")}`);
    for (let p = 0; p < points; p++) {
      lines.push(labels.map((_, c) => ((p * 13 + c * 7 + s) % 1000) / 7).join(" "));
    }
    lines.push("");
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

describe("to-nexus on one file", () => {
  test("writes NAME.h5 beside the input: one entry per scan, a line per file and a summary", async () => {
    const dir = folder("beside");
    const input = join(dir, "33bm_spec.dat");
    copyFileSync(corpusPath("33bm_spec.dat"), input);
    const result = await run(["to-nexus", input]);
    expect(result.status).toBe(0);
    const output = join(dir, "33bm_spec.h5");
    expect(result.stdout).toBe(`${output}  17 entries, 0 errors\n`);
    expect(result.stderr).toBe("1 file written, 17 entries, 0 errors\n");
    expect(filesUnder(dir)).toEqual(["33bm_spec.dat", "33bm_spec.h5"]);
    const { names } = await readTree(output);
    expect(names.filter((name) => /^S\d/.test(name))).toHaveLength(17);
  });

  test("-o OUT.h5, --scan and --compat spec2nexus: chosen scans, spec2nexus's encodings", async () => {
    const dir = folder("chosen");
    const [specx, compat] = [join(dir, "specx.h5"), join(dir, "compat.h5")];
    const input = corpusPath("33bm_spec.dat");
    expect((await run(["to-nexus", input, "--scan", "3", "12", "-o", specx])).status).toBe(0);
    const both = await run([
      "to-nexus",
      input,
      "--scan",
      "3",
      "-o",
      compat,
      "--compat",
      "spec2nexus",
    ]);
    expect(both.status).toBe(0);
    const fromSpecx = await readTree(specx, "S3");
    const fromCompat = await readTree(compat, "S3");
    expect(fromSpecx.names.filter((name) => /^S\d/.test(name))).toEqual(["S3", "S12"]);
    // specx writes a scalar title, spec2nexus a one-element array (docs/nexus.md).
    expect([fromSpecx.titleShape, fromCompat.titleShape]).toEqual([[], [1]]);
  });

  test("an existing output is refused, untouched, unless --overwrite", async () => {
    const dir = folder("existing");
    const output = join(dir, "out.h5");
    writeFileSync(output, "not HDF5");
    const refused = await run(["to-nexus", corpusPath("test_3.spec"), "-o", output]);
    expectUsageError(refused, /^specx: .*out\.h5 exists \(use --overwrite to replace it\)\n$/);
    expect(readFileSync(output, "utf8")).toBe("not HDF5");
    const replaced = await run([
      "to-nexus",
      corpusPath("test_3.spec"),
      "-o",
      output,
      "--overwrite",
    ]);
    expect(replaced.status).toBe(0);
    expect((await readTree(output)).names.length).toBeGreaterThan(0);
    expect(filesUnder(dir)).toEqual(["out.h5"]);
  });

  test("bad usage is one line and exit 2", async () => {
    const dir = folder("usage");
    const two = [corpusPath("test_3.spec"), corpusPath("test_4.spec")];
    expectUsageError(
      await run(["to-nexus", ...two, "-o", join(dir, "one.h5")]),
      /^specx: -o .*one\.h5 names one file, for one input; give a folder for several\n$/,
    );
    expectUsageError(
      await run(["to-nexus", corpusPath("test_3.spec"), "--compat", "silx", "-o", dir]),
      /^specx: --compat must be spec2nexus, not 'silx'\n$/,
    );
    expectUsageError(
      await run(["to-nexus", corpusPath("test_3.spec"), "--scan", "99", "-o", dir]),
      /^specx: no scan 99 in .*test_3\.spec/,
    );
    expectUsageError(await run(["to-nexus", "-"]), /^specx: standard input needs -o OUT\.h5\n$/);
    expectUsageError(
      await run(["to-nexus", join(dir, "missing.spec"), "-o", dir]),
      /^specx: cannot read .*missing\.spec: no such file\n$/,
    );
    expect(filesUnder(dir)).toEqual([]);
  });

  test("reads standard input with -o OUT.h5", async () => {
    const output = join(folder("stdin"), "in.h5");
    const bytes = new Uint8Array(readFileSync(corpusPath("test_3.spec")));
    const result = await run(["to-nexus", "-", "-o", output], bytes);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/in\.h5 {2}\d+ entr(y|ies), 0 errors\n$/);
  });
});

describe("to-nexus over folders", () => {
  const archive = join(root, "archive");
  const files = writeArchive(archive, 9, 5);

  test("-o DIR keeps the folder's layout; --json reports each file; a progress bar on a terminal", async () => {
    const out = join(root, "archive-out");
    const result = await run(["to-nexus", archive, "-o", out, "--json"], undefined, {
      stderrIsTTY: true,
    });
    expect(result.status).toBe(0);
    const expected = files.map((file) => relative(archive, file).replace(/\.spec$/, ".h5")).sort();
    expect(filesUnder(out)).toEqual(expected);
    const report = JSON.parse(result.stdout) as {
      files: { file: string; output: string; entries: number; errors: string[] }[];
      summary: { files: number; entries: number; errors: number };
    };
    expect(report.files.map((f) => relative(out, f.output)).sort()).toEqual(expected);
    expect(report.summary.files).toBe(files.length);
    expect(report.summary.entries).toBe(report.files.reduce((n, f) => n + f.entries, 0));
    // The bar is drawn over itself and cleared at the end.
    expect(result.stderr).toContain(`] ${files.length}/${files.length} `);
    expect(result.stderr.endsWith("\r\x1b[2K")).toBe(true);
  });

  test("--manifest: a rerun takes the files it records as done, without converting them again", async () => {
    const out = join(root, "manifest-out");
    const manifest = join(root, "done.ndjson");
    const first = await run(["to-nexus", archive, "-o", out, "--manifest", manifest, "--json"]);
    expect(first.status).toBe(0);
    const again = await run(["to-nexus", archive, "-o", out, "--manifest", manifest, "--json"]);
    expect([again.status, again.stdout]).toEqual([0, first.stdout]);
    // Without the manifest, the existing outputs are refused.
    expectUsageError(await run(["to-nexus", archive, "-o", out]), / exists \(use --overwrite/);
    const shard = await run(["to-nexus", archive, "-o", join(root, "shard-out"), "--shard", "1/2"]);
    expect(shard.status).toBe(0);
    const written = filesUnder(join(root, "shard-out")).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(files.length);
  });

  test("two inputs that would write the same file are refused before anything is written", async () => {
    const twin = folder("twins");
    mkdirSync(join(twin, "a"));
    mkdirSync(join(twin, "b"));
    copyFileSync(corpusPath("test_3.spec"), join(twin, "a", "same.spec"));
    copyFileSync(corpusPath("test_4.spec"), join(twin, "b", "same.spec"));
    const out = join(root, "twins-out");
    const result = await run(["to-nexus", join(twin, "a"), join(twin, "b"), "-o", out]);
    expectUsageError(
      result,
      /^specx: .*a\/same\.spec and .*b\/same\.spec would both be written to .*same\.h5\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  test("the binary runs it from the ES modules, on worker threads, as in one thread", () => {
    // Over 1 MB in all, so mapFiles (parallel.ts) starts workers; few datasets, so it is quick.
    const inputs = ["one.spec", "two.spec"].map((name, i) => {
      const path = join(folder("worker-inputs"), name);
      writeLargeSpec(path, 2 + i, 6000);
      return path;
    });
    const lines = (dir: string, workers: string) => {
      const result = runBinary(["to-nexus", ...inputs, "-o", dir], {
        SPECX_WORKERS: workers,
        SPECX_REPORT_LOADER: "1",
      });
      expect(result.status).toBe(0);
      expect(result.stderr.split("\n")[0]).toBe("specx: loaded from modules");
      return result.stdout.replaceAll(dir, "OUT");
    };
    const inWorkers = lines(folder("workers-2"), "2");
    expect(inWorkers).toBe("OUT/one.h5  2 entries, 0 errors\nOUT/two.h5  3 entries, 0 errors\n");
    expect(lines(folder("workers-1"), "1")).toBe(inWorkers);
  });
});

describe("to-nexus faults, with the real binary: one line, exit 2, nothing under the final name", () => {
  const input = corpusPath("33bm_spec.dat");

  test("an output folder that cannot be written", () => {
    const dir = folder("faults");
    const aFile = join(dir, "a-file");
    writeFileSync(aFile, "");
    for (const [output, reason] of [
      [join(aFile, "out.h5"), /: a parent of it is not a folder\n$/],
      ["/proc/specx-out.h5", /: (no such folder|permission denied)\n$/],
    ] as const) {
      const result = runBinary(["to-nexus", input, "-o", output]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^specx: cannot write ${output}${reason.source}`));
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(existsSync(output)).toBe(false);
    }
    // -o DIR below a file: the folder cannot be made.
    const below = runBinary(["to-nexus", input, "-o", join(aFile, "out")]);
    expect([below.status, below.stderr]).toEqual([
      2,
      `specx: cannot create the folder of ${join(aFile, "out", "33bm_spec.h5")}: a file is in the way\n`,
    ]);
    // /dev/full is no folder to write in, and what is not a file is never replaced, even with
    // --overwrite (root could rename over a device).
    const device = runBinary(["to-nexus", input, "-o", "/dev/full", "--overwrite"]);
    expect([device.status, device.stderr]).toEqual([
      2,
      "specx: cannot create the folder of /dev/full/33bm_spec.h5: a file is in the way\n",
    ]);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
    const aFolder = join(dir, "folder.h5");
    mkdirSync(aFolder);
    const folderOutput = runBinary(["to-nexus", input, "-o", aFolder, "--overwrite"]);
    expect([folderOutput.status, folderOutput.stderr]).toEqual([
      2,
      `specx: ${aFolder} exists and is not a file\n`,
    ]);
    expect(readdirSync(aFolder)).toEqual([]);
  });

  test("a folder that is not writable for its user (chmod), when not root", () => {
    const dir = folder("read-only");
    chmodSync(dir, 0o555);
    const result = runBinary(["to-nexus", corpusPath("test_3.spec"), "-o", join(dir, "out.h5")]);
    chmodSync(dir, 0o755);
    // Root writes anyway: then the file is there and whole.
    if (process.getuid?.() === 0) {
      expect(result.status).toBe(0);
      expect(filesUnder(dir)).toEqual(["out.h5"]);
    } else {
      expect([result.status, result.stderr]).toEqual([
        2,
        `specx: cannot write ${join(dir, "out.h5")}: permission denied\n`,
      ]);
      expect(filesUnder(dir)).toEqual([]);
    }
  });

  test("a full disk (a file size limit): HDF5's failure in one line, the temporary removed", () => {
    const dir = folder("full");
    const output = join(dir, "out.h5");
    // 64 blocks of 1 KiB: the conversion of a 1.2 MB file fails part-way.
    const result = runBinary(["to-nexus", input, "-o", output], {}, "ulimit -f 64");
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`specx: cannot write ${output}: File too large\n`);
    expect(filesUnder(dir)).toEqual([]);
  });

  test.each(["SIGKILL", "SIGTERM", "SIGINT"] as const)(
    "a %s during the conversion leaves at most a hidden .partial, never the output",
    async (signal) => {
      const dir = folder(`killed-${signal}`);
      const large = join(dir, "large.spec");
      writeLargeSpec(large, 20, 2000);
      const output = join(dir, "large.h5");
      const child: ChildProcess = spawn(process.execPath, [bin, "to-nexus", large, "-o", output], {
        stdio: "ignore",
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on("exit", (_, signal) => resolve(signal)),
      );
      // Killed once its temporary exists, that is mid-way through writing.
      let partial: string | undefined;
      while (partial === undefined && child.exitCode === null) {
        partial = readdirSync(dir).find((name) => name.endsWith(".partial"));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(partial).toMatch(/^\.large\.h5\.\d+-\d+\.partial$/);
      expect(existsSync(output)).toBe(false);
      const left = readdirSync(dir).filter((name) => name !== "large.spec");
      expect(left.every((name) => name.startsWith(".") && name.endsWith(".partial"))).toBe(true);
      // What a kill left is no SPEC input and no output for a later batch over the folder.
      const again = runBinary(["to-nexus", dir]);
      expect(again.status).toBe(0);
      expect(again.stdout).toBe(`${output}  20 entries, 0 errors\n`);
    },
  );
});
