/**
 * The CLI contract: `inspect --json [--data]`, `print`, and exit statuses, run in-process through
 * `main(argv, io)` and once more through the real `bin/specx.cjs`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "@specx/spec-parser";
import { corpusPath, fixturePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { type InspectResult, inspectBytes } from "../src/cli.js";
import { runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));

/** Runs specx in-process and captures its output. */

describe("specx inspect --json", () => {
  test("reports scans with labels as written, positioners by name, and diagnostics", async () => {
    const { status, stdout } = await run(["inspect", corpusPath("33bm_spec.dat"), "--json"]);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as InspectResult;
    expect(result.scans.length).toBe(17);
    const scan = result.scans.find((s) => s.key === "17.1");
    expect(scan?.command).toBe("hklmesh  H 1.9 2.1 100  K 1.9 2.1 100  -800000");
    expect(scan?.positioners["2-theta"]).toBe(67.78225);
    expect(scan?.positioners.m22).toBe(1230.0415);
    expect(Object.keys(scan?.positioners ?? {})).toContain("DCM.theta");
    expect(scan).not.toHaveProperty("data");
    const headerOnly = result.scans.find((s) => s.key === "15.1");
    expect([headerOnly?.rows, headerOnly?.labels.length]).toEqual([0, 27]);
  });

  test("keeps duplicate labels, never renames them; MCA counts", async () => {
    const result = JSON.parse(
      (await run(["inspect", corpusPath("33id_spec.dat"), "--json"])).stdout,
    );
    const scan = result.scans[0];
    expect(scan.labels.slice(-2)).toEqual(["I0", "I0"]);
    expect(scan.mca).toEqual({ spectra: 41, channels: 91 });
    expect(result.diagnostics.some((d: { code: string }) => d.code === "MCA_ROW_MISMATCH")).toBe(
      true,
    );
  });

  test("--data gives rows with null for NaN, infinities and non-numeric cells", async () => {
    const { stdout } = await run(["inspect", fixturePath("nan_inf.spec"), "--json", "--data"]);
    const scan = (JSON.parse(stdout) as InspectResult).scans[0];
    const det = scan?.labels.indexOf("det") ?? -1;
    expect(scan?.data?.map((row) => row[det])).toEqual([
      null,
      null,
      null,
      null,
      0.5,
      -0.5,
      1000,
      0.001,
      1000,
      null,
    ]);
  });

  test("#MD metadata as JSON values", async () => {
    const result = JSON.parse(
      (await run(["inspect", corpusPath("usaxs-bluesky-specwritercallback.dat"), "--json"])).stdout,
    );
    const metadata = result.scans[0].metadata;
    expect(typeof metadata).toBe("object");
    expect(Object.keys(metadata).length).toBe(13);
  });

  test("exit status 1 when the file has error diagnostics", async () => {
    const { status, stdout } = await run([
      "inspect",
      fixturePath("broken_row_glued_comment.spec"),
      "--json",
    ]);
    expect(status).toBe(1);
    expect(JSON.parse(stdout).diagnostics.map((d: { code: string }) => d.code)).toContain(
      "BROKEN_ROW",
    );
  });

  test("reads standard input for -", async () => {
    const bytes = new Uint8Array(readFileSync(corpusPath("issue196_data2.txt")));
    const result = JSON.parse((await run(["inspect", "-", "--json"], bytes)).stdout);
    expect(result.scans[0].positioners).toEqual({ m_stage_r: 8.824977 });
  });
});

describe("specx print", () => {
  test.each(["lmn40.spe", "CdOsO", "33id_spec.dat"])(
    "%s comes back byte for byte",
    async (name) => {
      const { status, bytes } = await run(["print", corpusPath(name)]);
      expect(status).toBe(0);
      expect(Buffer.compare(bytes, readFileSync(corpusPath(name)))).toBe(0);
    },
  );

  test.each(["crlf.spec", "cr_only.spec", "latin1.spec", "bom.spec", "no_trailing_newline.spec"])(
    "fixture %s comes back byte for byte",
    async (name) => {
      const { bytes } = await run(["print", fixturePath(name)]);
      expect(Buffer.compare(bytes, readFileSync(fixturePath(name)))).toBe(0);
    },
  );
});

describe("bad usage and I/O errors: one line on stderr, exit 2", () => {
  test.each([
    [["inspect", "/no/such.spec"], /^specx: cannot read \/no\/such\.spec: no such file\n$/],
    [["inspect"], /^error: missing required argument 'file'\n$/],
    [["frobnicate"], /^error: unknown command 'frobnicate'/],
    [["inspect", "--bogus", "x"], /^error: unknown option '--bogus'/],
    [["print", "/"], /^specx: cannot read \/: is a directory\n$/],
  ])("%j", async (args, message) => {
    const { status, stderr } = await run(args as string[]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  });

  test("--help and --version exit 0", async () => {
    expect((await run(["--help"])).status).toBe(0);
    expect((await run(["inspect", "--help"])).stdout).toContain("Examples:");
    expect((await run(["--version"])).stdout).toBe("0.1.0\n");
  });

  // `specx info …` loads the info command alone; `specx help info` and `specx --help` load every
  // command (src/cli.ts): the command reads the same either way, and the list names them all.
  test.each(["info", "validate", "stats", "to-docs", "from-docs", "to-nexus", "plot"])(
    "%s --help reads the same with one command loaded as with all",
    async (command) => {
      const alone = await run([command, "--help"]);
      const amongAll = await run(["help", command]);
      expect(alone.status).toBe(0);
      expect(alone.stdout).toBe(amongAll.stdout);
    },
  );

  test("--help lists every command, and a mistyped one gets a suggestion", async () => {
    const { stdout } = await run(["--help"]);
    const commands = stdout.slice(stdout.indexOf("Commands:"), stdout.indexOf("Examples:"));
    const listed = [...commands.matchAll(/^ {2}([a-z-]+) /gm)].map((match) => match[1]);
    expect(listed).toEqual([
      ...["validate", "rules", "info", "show", "export", "stats", "plot", "watch", "view"],
      ...["inspect", "print", "to-docs", "from-docs", "to-nexus", "record", "help"],
    ]);
    const typo = await run(["infoo", "x.spec"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean info\?/);
  });
});

describe("the real binary", () => {
  test("specx inspect --json through bin/specx.cjs", () => {
    const out = execFileSync(process.execPath, [
      bin,
      "inspect",
      corpusPath("issue216_scan1.spec"),
      "--json",
    ]);
    expect(JSON.parse(out.toString()).scans[0].labels).toEqual([
      "EPOCH",
      "Phi",
      "CESR",
      "IC1",
      "IC2",
      "DIODE",
    ]);
  });

  test("specx print through bin/specx.cjs, and exit 2 on a missing file", () => {
    const out = execFileSync(process.execPath, [bin, "print", corpusPath("user6idd.dat")]);
    expect(Buffer.compare(out, readFileSync(corpusPath("user6idd.dat")))).toBe(0);
    const missing = spawnSync(process.execPath, [bin, "print", "/no/such.spec"], {
      encoding: "utf8",
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("specx: cannot read /no/such.spec: no such file\n");
  });
});

describe("JSON output", () => {
  test("equals JSON.stringify's data, with rows on one line", async () => {
    const { stdout } = await run(["inspect", corpusPath("33id_spec.dat"), "--json", "--data"]);
    const parsed = JSON.parse(stdout);
    const bytes = new Uint8Array(readFileSync(corpusPath("33id_spec.dat")));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(inspectBytes(bytes, { data: true }))));
    expect(stdout).toContain('"labels": ["eta", ');
    expect(parsed.scans[0].data[0].length).toBe(14);
  });

  test("--mca gives every spectrum's values, as the parser reads them", async () => {
    const { stdout } = await run(["inspect", corpusPath("33id_spec.dat"), "--json", "--mca"]);
    const first = JSON.parse(stdout).scans[0];
    const scan = parse(new Uint8Array(readFileSync(corpusPath("33id_spec.dat")))).scanAt(0);
    const spectra = scan?.mca?.spectra ?? [];
    expect(spectra.length).toBe(41);
    expect(first.spectra.length).toBe(spectra.length);
    expect(first.spectra[5]).toEqual({
      device: spectra[5]?.device,
      line: spectra[5]?.line,
      values: Array.from(spectra[5]?.values ?? []),
    });
    expect(first.data).toBeUndefined();
  });
});

describe("pipes", () => {
  test("a reader that stops early (| head -1) ends specx quietly, with no stack trace", () => {
    const result = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${bin}" print "${corpusPath("lmn40.spe")}" | head -1`],
      {
        encoding: "utf8",
      },
    );
    expect(result.stdout).toBe("#F /home/sricat/POLAR/data/CMR/lmn40.spe\n");
    expect(result.stderr).toBe("");
  });
});
