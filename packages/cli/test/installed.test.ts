/**
 * The `specx` binary of a clean install: the workspace packages are packed with `npm pack` (what
 * a registry would serve), installed into an empty project, and every command runs through
 * `node_modules/.bin/specx`. This catches what in-process tests cannot: a file missing from a
 * package's `files`, a dependency declared only at the root, a broken `bin` entry.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusPath } from "@specx/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const packagesDir = fileURLToPath(new URL("../../", import.meta.url));
const PACKAGES = [
  "documents",
  "spec-parser",
  "spec-writer",
  "conversion",
  "scan-data",
  "nexus",
  "live-stream",
  "viewer",
  "cli",
];

let project = "";
let specxBin = "";

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "specx-install-"));
  const dependencies: Record<string, string> = {};
  for (const name of PACKAGES) {
    const output = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], {
      cwd: join(packagesDir, name),
      encoding: "utf8",
    });
    const tarball = output.trim().split("\n").pop() as string;
    dependencies[`@specx/${name}`] = `file:./${tarball}`;
  }
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "specx-install-check", private: true, dependencies }),
  );
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent"], {
    cwd: project,
    stdio: "ignore",
  });
  specxBin = join(project, "node_modules", ".bin", "specx");
}, 180_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function specx(args: string[], input?: Buffer) {
  const result = spawnSync(specxBin, args, { cwd: project, input, encoding: "buffer" });
  return {
    status: result.status,
    stdout: result.stdout.toString("utf8"),
    stderr: result.stderr.toString("utf8"),
    bytes: result.stdout,
  };
}

describe("specx from a clean install", { timeout: 60_000 }, () => {
  test("--help lists the commands", () => {
    const { status, stdout } = specx(["--help"]);
    expect(status).toBe(0);
    for (const command of ["inspect", "print", "to-docs", "from-docs"])
      expect(stdout).toContain(command);
  });

  test("inspect --json reads a corpus file", () => {
    const { status, stdout } = specx(["inspect", corpusPath("33bm_spec.dat"), "--json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).scans).toHaveLength(17);
  });

  test("print gives the same bytes, also from standard input", () => {
    const original = readFileSync(corpusPath("issue119_data.txt"));
    expect(specx(["print", corpusPath("issue119_data.txt")]).bytes.equals(original)).toBe(true);
    expect(specx(["print", "-"], original).bytes.equals(original)).toBe(true);
  });

  test("to-docs writes runs and from-docs writes them back as SPEC", () => {
    const runs = join(project, "runs");
    expect(
      specx(["to-docs", corpusPath("33bm_spec.dat"), "--format", "jsonl", "-o", runs]).status,
    ).toBe(0);
    const listing = execFileSync("ls", [runs], { encoding: "utf8" }).trim().split("\n");
    expect(listing).toHaveLength(17);
    const out = join(project, "back.spec");
    const written = specx(["from-docs", join(runs, listing[0] as string), "-o", out]);
    expect(written.status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^#F /);
  });

  test("validate, info, show, export, stats and plot run from the installed binary", () => {
    const file = corpusPath("33bm_spec.dat");
    expect(specx(["validate", file]).status).toBe(0);
    expect(specx(["rules"]).stdout).toContain("N_L_MISMATCH");
    expect(specx(["info", file]).stdout.trim().split("\n")).toHaveLength(18);
    expect(specx(["show", file, "1.1"]).stdout).toContain("ascan  th 19.022 19.222  60 -20000");
    const csv = specx(["export", file, "--scan", "1.1", "--format", "csv"]).stdout;
    expect(csv.trim().split("\r\n")).toHaveLength(62);
    const stats = JSON.parse(specx(["stats", file, "--scan", "1.1", "--json"]).stdout);
    expect(stats.files[0].scans[0].plot.peak.y).toBe(179);
    const png = join(project, "scan.png");
    expect(specx(["plot", file, "1.1", "-o", png]).status).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  test("to-nexus writes an HDF5 file with h5wasm from the install", () => {
    const out = join(project, "33bm_spec.h5");
    const converted = specx(["to-nexus", corpusPath("33bm_spec.dat"), "-o", out]);
    expect(converted.status, converted.stderr).toBe(0);
    expect(converted.stdout).toContain("17 entries, 0 errors");
    expect([...readFileSync(out).subarray(1, 4)]).toEqual([0x48, 0x44, 0x46]); // "HDF"
  });

  test("view serves the page of the installed viewer and the named file, and ends on SIGINT", async () => {
    const file = corpusPath("33bm_spec.dat");
    const child = spawn(specxBin, ["view", file], { cwd: project });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((done) => child.on("exit", done));
    while (!out.includes("\n") && child.exitCode === null) {
      await new Promise((done) => setTimeout(done, 20));
    }
    const url = /^specx view: (http:\/\/127\.0\.0\.1:\d+\/) /.exec(out)?.[1] ?? "";
    expect(url, out).not.toBe("");
    // The site is read from the installed @specx/viewer, not from this clone.
    const site = join(project, "node_modules", "@specx", "viewer", "dist", "site");
    const index = await fetch(url);
    expect(
      Buffer.from(await index.arrayBuffer()).equals(readFileSync(join(site, "index.html"))),
    ).toBe(true);
    const bytes = Buffer.from(await (await fetch(`${url}files/0/33bm_spec.dat`)).arrayBuffer());
    expect(bytes.equals(readFileSync(file))).toBe(true);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  test("a missing file is one line and exit 2", () => {
    const { status, stderr } = specx(["inspect", join(project, "nope.spec")]);
    expect(status).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});
