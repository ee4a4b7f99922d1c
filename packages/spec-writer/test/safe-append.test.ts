/**
 * Writing that cannot harm a file: a writer killed mid-run, two writers on one file, a disk that
 * fills up, a file the user may not write. Child processes run the built package (dist/), as a
 * beamline's writer process would.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { DocRecord } from "@specx/documents";
import { checkFile, parse, type SpecFile } from "@specx/spec-parser";
import { corpusPath, referencePath } from "@specx/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type AppendIO,
  openSpecFileWriter,
  SpecFileLockedError,
  SpecFileWriteError,
  writeDocumentFiles,
} from "../src/node.js";

const builtWriter = new URL("../dist/node.js", import.meta.url).href;
const writerPackage = fileURLToPath(new URL("..", import.meta.url));

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "specx-safe-"));
  // Readable by every user: the permission test runs a child as an unprivileged user.
  chmodSync(dir, 0o777);
  return dir;
}

/**
 * A script that writes one long run of `rows` events (m1 = i, det = i * i) to `path`, one block
 * per event, printing "started" once its scan header is on disk; `hold` keeps it waiting on stdin
 * after the run's start instead of writing events.
 */
function writerScript(dir: string): string {
  const script = join(dir, "writer.mjs");
  writeFileSync(
    script,
    `import { openSpecFileWriter } from ${JSON.stringify(builtWriter)};
const [path, rows, mode] = process.argv.slice(2);
const writer = openSpecFileWriter(path, { timeZone: "UTC", identity: { user: "u", host: "h" } });
const t0 = 1700000000;
writer.receive("start", { uid: "00000000-0000-4000-8000-000000000001", time: t0, scan_id: 1, plan_name: "count", detectors: ["det"], motors: ["m1"], hints: { dimensions: [[["m1"], "primary"]] } });
writer.receive("descriptor", { uid: "desc-1", run_start: "00000000-0000-4000-8000-000000000001", time: t0, name: "primary",
  data_keys: { m1: { source: "m1", dtype: "number", shape: [] }, det: { source: "det", dtype: "number", shape: [] } } });
process.stdout.write("started\\n");
if (mode === "hold") {
  process.stdin.resume();
} else {
  for (let i = 0; i < Number(rows); i++) {
    writer.receive("event", { uid: "e" + i, descriptor: "desc-1", seq_num: i + 1, time: t0 + i,
      data: { m1: i, det: i * i }, timestamps: { m1: t0 + i, det: t0 + i } });
  }
  writer.receive("stop", { uid: "stop-1", run_start: "00000000-0000-4000-8000-000000000001", time: t0 + Number(rows), exit_status: "success", num_events: { primary: Number(rows) } });
  writer.close();
}
`,
  );
  return script;
}

/** Resolves once the child has printed `started`. */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("started")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`writer exited early (${code}): ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.on("exit", () => resolve());
  });

/** Every finding `specx validate` reports: each scan's, and those across scans. */
const findings = (file: SpecFile) => [...file.diagnostics, ...checkFile(file)];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A run of a few events, written with `openSpecFileWriter` options. */
function shortRun(scanId: number): [string, DocRecord][] {
  const run = `00000000-0000-4000-8000-${String(scanId).padStart(12, "0")}`;
  const t0 = 1700000000 + scanId;
  return [
    ["start", { uid: run, time: t0, scan_id: scanId, plan_name: "count", detectors: ["det"] }],
    [
      "descriptor",
      {
        uid: `${run}-d`,
        run_start: run,
        time: t0,
        name: "primary",
        data_keys: { det: { source: "det", dtype: "number", shape: [] } },
      },
    ],
    ...[1, 2, 3].map((i): [string, DocRecord] => [
      "event",
      {
        uid: `${run}-e${i}`,
        descriptor: `${run}-d`,
        seq_num: i,
        time: t0 + i,
        data: { det: i / 4 },
        timestamps: { det: t0 + i },
      },
    ]),
    [
      "stop",
      {
        uid: `${run}-s`,
        run_start: run,
        time: t0 + 5,
        exit_status: "success",
        num_events: { primary: 3 },
      },
    ],
  ];
}

describe("a writer killed mid-run", () => {
  test("SIGKILL leaves whole rows and one 'no end' warning; the next writer goes on after it", async () => {
    const dir = scratchDir();
    const path = join(dir, "killed.spec");
    const child = spawn(process.execPath, [writerScript(dir), path, "100000000"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await started(child);
    // Let it write some thousands of rows, then kill it without warning.
    while (statSync(path).size < 300_000) await sleep(5);
    child.kill("SIGKILL");
    await exited(child);
    expect(child.signalCode).toBe("SIGKILL");

    const killed = new Uint8Array(readFileSync(path));
    const file = parse(killed);
    expect(file.scanCount).toBe(1);
    const scan = file.scanAt(0);
    const rows = scan?.data.rows ?? 0;
    expect(rows).toBeGreaterThan(1000);
    // Every row is whole: m1 counts up from 0 and det is its square, to the last row.
    const m1 = scan?.column("m1");
    const det = scan?.column("det");
    for (let i = 0; i < rows; i++) {
      expect(m1?.[i]).toBe(i);
      expect(det?.[i]).toBe(i * i);
    }
    // The one finding: the run has no end comments (what `specx validate` reports).
    expect(findings(file).map((d) => `${d.code} ${d.line}`)).toEqual([
      `BLUESKY_EXIT_STATUS ${scan?.line}`,
    ]);
    // The killed writer's lock is left behind; the next writer sees its process is gone.
    expect(existsSync(`${path}.lock`)).toBe(true);

    const next = openSpecFileWriter(path, { timeZone: "UTC" });
    for (const [name, doc] of shortRun(2)) next.receive(name, doc);
    next.close();
    expect(next.warnings.join("\n")).toMatch(/took over .*killed\.spec\.lock, left by process \d+/);
    expect(existsSync(`${path}.lock`)).toBe(false);
    const after = new Uint8Array(readFileSync(path));
    expect(Buffer.compare(after.subarray(0, killed.length), killed)).toBe(0);
    const both = parse(after);
    expect(both.scanEntries.map((e) => e.number)).toEqual([1, 2]);
    expect(both.scanAt(1)?.column("det")).toEqual(new Float64Array([0.25, 0.5, 0.75]));
    expect(findings(both).map((d) => `${d.code} ${d.scan}`)).toEqual(["BLUESKY_EXIT_STATUS 1.1"]);
  }, 60_000);
});

describe("one writer per file", () => {
  test("a second writer in the same process is refused until the first closes", () => {
    const dir = scratchDir();
    const path = join(dir, "shared.spec");
    const first = openSpecFileWriter(path, { timeZone: "UTC" });
    for (const [name, doc] of shortRun(1).slice(0, 3)) first.receive(name, doc);
    const before = readFileSync(path);
    expect(() => openSpecFileWriter(path)).toThrow(SpecFileLockedError);
    expect(() => openSpecFileWriter(path)).toThrow(
      new RegExp(
        `shared\\.spec is being written by process ${process.pid} on .*delete .*shared\\.spec\\.lock`,
      ),
    );
    // The refused writer touched nothing.
    expect(readFileSync(path).equals(before)).toBe(true);
    for (const [name, doc] of shortRun(1).slice(3)) first.receive(name, doc);
    first.close();

    const second = openSpecFileWriter(path, { timeZone: "UTC" });
    for (const [name, doc] of shortRun(2)) second.receive(name, doc);
    second.close();
    expect(second.warnings).toEqual([]);
    expect(parse(new Uint8Array(readFileSync(path))).scanEntries.map((e) => e.number)).toEqual([
      1, 2,
    ]);
  });

  test("a writer in another live process holds the file; once it dies the lock is taken over", async () => {
    const dir = scratchDir();
    const path = join(dir, "held.spec");
    const child = spawn(process.execPath, [writerScript(dir), path, "0", "hold"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    try {
      await started(child);
      expect(() => openSpecFileWriter(path)).toThrow(
        new RegExp(`is being written by process ${child.pid} on `),
      );
      expect(() =>
        writeDocumentFiles([referencePath("synthetic/streams/syn-values.json")], path),
      ).toThrow(SpecFileLockedError);
    } finally {
      child.kill("SIGKILL");
      await exited(child);
    }
    const writer = openSpecFileWriter(path, { timeZone: "UTC" });
    writer.close();
    expect(writer.warnings.join()).toContain(`left by process ${child.pid}`);
  }, 30_000);

  test("an empty lock file is respected while fresh, taken over once old", () => {
    const dir = scratchDir();
    const path = join(dir, "empty-lock.spec");
    writeFileSync(`${path}.lock`, "");
    expect(() => openSpecFileWriter(path)).toThrow(SpecFileLockedError);
    const old = new Date(Date.now() - 60_000);
    spawnSync("touch", ["-d", old.toISOString(), `${path}.lock`]);
    const writer = openSpecFileWriter(path);
    writer.close();
    expect(writer.warnings.join()).toMatch(/took over .* left by a writer that left it empty/);
  });
});

describe("a disk that fills up", () => {
  /** A write call that accepts `budget` bytes in total, then fails as a full disk does. */
  function fillingDisk(budget: number): AppendIO & { written: number } {
    const io = {
      written: 0,
      writeSync(fd: number, bytes: Uint8Array, offset: number, length: number): number {
        const room = budget - io.written;
        if (room <= 0) {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
            code: "ENOSPC",
          });
        }
        const n = writeSync(fd, bytes, offset, Math.min(length, room));
        io.written += n;
        return n;
      },
    };
    return io;
  }

  test("a block cut short by ENOSPC is removed again, and later blocks are refused", () => {
    const dir = scratchDir();
    const path = join(dir, "full.spec");
    copyFileSync(corpusPath("lmn40.spe"), path);
    const original = readFileSync(path);
    const docs = shortRun(99);
    // Room for the start and descriptor blocks and half an event row.
    const probe = join(dir, "probe.spec");
    copyFileSync(path, probe);
    const measuring = openSpecFileWriter(probe, { timeZone: "UTC" });
    for (const [name, doc] of docs.slice(0, 2)) measuring.receive(name, doc);
    measuring.close();
    const headerBytes = statSync(probe).size - original.length;

    const writer = openSpecFileWriter(path, { timeZone: "UTC", io: fillingDisk(headerBytes + 7) });
    for (const [name, doc] of docs.slice(0, 2)) writer.receive(name, doc);
    const whole = readFileSync(path);
    let failure: unknown;
    try {
      writer.receive(...(docs[2] as [string, DocRecord]));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SpecFileWriteError);
    expect((failure as SpecFileWriteError).code).toBe("ENOSPC");
    expect((failure as Error).message).toMatch(
      /^cannot write to .*full\.spec: no space left on the device \(ENOSPC\); the file is left as it was before this block/,
    );
    // The half row is gone: the file is as it was after the last whole block.
    expect(readFileSync(path).equals(whole)).toBe(true);
    expect(() => writer.receive(...(docs[3] as [string, DocRecord]))).toThrow(
      /not written after an earlier failure \(no space left on the device \(ENOSPC\)\)/,
    );
    writer.close();
    expect(readFileSync(path).equals(whole)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  test("a conversion that fails half-way leaves the file byte for byte as it was", () => {
    const dir = scratchDir();
    const path = join(dir, "batch.spec");
    copyFileSync(corpusPath("33id_spec.dat"), path);
    const original = readFileSync(path);
    const inputs = [
      referencePath("synthetic/streams/syn-values.json"),
      referencePath("apstools/streams/uid-3ab777ae.json"),
    ];
    expect(() => writeDocumentFiles(inputs, path, { io: fillingDisk(3000) })).toThrow(
      /^cannot write to .*batch\.spec: no space left on the device \(ENOSPC\); nothing was kept, the file is as it was$/,
    );
    expect(readFileSync(path).equals(original)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
    // With room again, the same conversion goes through.
    writeDocumentFiles(inputs, path);
    expect(parse(new Uint8Array(readFileSync(path))).scanCount).toBe(
      parse(new Uint8Array(original)).scanCount + 2,
    );
  });

  test("a real full device (/dev/full) is reported with its reason", () => {
    const dir = scratchDir();
    const path = join(dir, "device.spec");
    symlinkSync("/dev/full", path);
    expect(() =>
      writeDocumentFiles([referencePath("synthetic/streams/syn-values.json")], path),
    ).toThrow(/^cannot write to .*device\.spec: no space left on the device \(ENOSPC\)/);
  });
});

/** The folder holding package `name` as seen from `from`, found as Node finds it. */
function packageFolder(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} (needed by ${from}) is not installed`);
  }
}

/** Makes every folder under `path` enterable and every file readable by every user. */
function readableByAll(path: string): void {
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) readableByAll(join(path, entry));
  } else if (stat.isFile()) {
    chmodSync(path, (stat.mode & 0o777) | 0o444);
  }
}

/**
 * Copies the built package at `folder` and, under it, every package it depends on at run time
 * (workspace packages and installed ones alike) into a fresh folder under the system's temporary
 * folder that every user may read, as `node_modules/<name>`; returns that folder. The copies are
 * byte for byte the built code: they only move it where an unprivileged user can reach it, which
 * a clone in a folder only root may enter (`mktemp -d`, /root) is not.
 */
function readableInstall(folder: string): string {
  const root = mkdtempSync(join(tmpdir(), "specx-writer-"));
  const copied = new Map<string, string>();
  const copy = (source: string): void => {
    const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
    const name: string = manifest.name;
    const seen = copied.get(name);
    if (seen === source) return;
    if (seen !== undefined) throw new Error(`two copies of ${name}: ${seen} and ${source}`);
    copied.set(name, source);
    const target = join(root, "node_modules", name);
    if (source.split(sep).includes("node_modules")) {
      // An installed package holds only what it publishes; its own dependencies come separately.
      cpSync(source, target, {
        recursive: true,
        filter: (path) => !relative(source, path).split(sep).includes("node_modules"),
      });
    } else {
      // A workspace package: what it would publish (its package.json and its `files`).
      for (const entry of ["package.json", ...(manifest.files ?? [])]) {
        cpSync(join(source, entry), join(target, entry), { recursive: true });
      }
    }
    const dependencies = { ...manifest.dependencies, ...manifest.optionalDependencies };
    for (const dependency of Object.keys(dependencies)) copy(packageFolder(dependency, source));
  };
  copy(realpathSync(folder));
  readableByAll(root);
  return root;
}

describe("files the user may not write", () => {
  // The child imports the built writer from a copy every user may read (see readableInstall).
  let install: string;
  let readableWriter: string;
  beforeAll(() => {
    install = readableInstall(writerPackage);
    const { name } = JSON.parse(readFileSync(join(writerPackage, "package.json"), "utf8"));
    const entry = relative(writerPackage, fileURLToPath(builtWriter));
    readableWriter = pathToFileURL(join(install, "node_modules", name, entry)).href;
  });
  afterAll(() => {
    if (install) rmSync(install, { recursive: true, force: true });
  });

  /**
   * Runs `code` in a child process as an unprivileged user (root may write anything, so as root
   * the child drops to nobody); returns what it printed.
   */
  function asUnprivileged(code: string): string {
    const asRoot = process.getuid?.() === 0;
    const result = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as w from ${JSON.stringify(readableWriter)};\n${code}`,
      ],
      { encoding: "utf8", cwd: install, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
    );
    if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
    return result.stdout.trim();
  }

  const tryOpen = (path: string) =>
    `try { w.openSpecFileWriter(${JSON.stringify(path)}).close(); console.log("opened"); } catch (e) { console.log(e.constructor.name + ": " + e.message); }`;

  test("a read-only file: refused with the reason, the file unchanged", () => {
    const dir = scratchDir();
    const path = join(dir, "readonly.spec");
    copyFileSync(corpusPath("lmn40.spe"), path);
    chmodSync(path, 0o444);
    const original = readFileSync(path);
    expect(asUnprivileged(tryOpen(path))).toMatch(
      /^SpecFileWriteError: cannot open .*readonly\.spec for appending: permission denied \(EACCES\)$/,
    );
    expect(readFileSync(path).equals(original)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  test("a folder the user may not write: the lock cannot be made, nothing is written", () => {
    const dir = scratchDir();
    const path = join(dir, "locked-folder.spec");
    copyFileSync(corpusPath("lmn40.spe"), path);
    chmodSync(path, 0o666);
    chmodSync(dir, 0o555);
    const original = readFileSync(path);
    expect(asUnprivileged(tryOpen(path))).toMatch(
      /^SpecFileWriteError: cannot create the lock file .*locked-folder\.spec\.lock: permission denied \(EACCES\)$/,
    );
    expect(readFileSync(path).equals(original)).toBe(true);
  });
});
