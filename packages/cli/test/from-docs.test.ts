/** `specx from-docs`: the command as users run it, in-process and through the binary. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSpecFileWriter } from "@specx/spec-writer/node";
import { referencePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const scratch = () => mkdtempSync(join(tmpdir(), "specx-from-docs-"));

describe("specx from-docs", () => {
  test("writes a SPEC file from a JSON stream; quiet on success", async () => {
    const out = join(scratch(), "run.spec");
    const result = await run([
      "from-docs",
      referencePath("apstools/streams/uid-3ab777ae.json"),
      "-o",
      out,
      "--time-zone",
      "UTC",
    ]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "", ""]);
    const expected = readFileSync(referencePath("apstools/v2/uid-3ab777ae.spec"), "utf8").replace(
      "#F uid-3ab777ae.spec",
      `#F ${out}`,
    );
    expect(readFileSync(out, "utf8")).toBe(expected);
  });

  test("several inputs of every format go into one file, in order", async () => {
    const out = join(scratch(), "all.spec");
    const inputs = [
      "synthetic/streams/syn-values.json",
      "apstools/streams/usaxs-catalog.json.gz",
      "suitcase/documents/scan.jsonl",
      "apstools/streams/440-624e776a.msgpack",
    ].map(referencePath);
    const result = await run(["from-docs", ...inputs, "-o", out, "--time-zone", "UTC"]);
    expect(result.status).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text.match(/^#S /gm)?.length).toBe(1 + 8 + 1 + 1);
    expect(text).toContain("uid = 624e776a-a914-4a74-8841-babf1591fb29");
  });

  test("warnings go to stderr, and the exit status stays 0", async () => {
    const out = join(scratch(), "nan.spec");
    const result = await run([
      "from-docs",
      referencePath("synthetic/streams/syn-nan.json"),
      "-o",
      out,
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^specx: warning: wrote nan/m);
  });

  test.each([
    [["from-docs", "x.json"], /required option '-o, --output <file>' not specified/],
    [["from-docs", "-o", "out.spec"], /missing required argument 'input'/],
    [
      ["from-docs", "a.json", "-o", "o.spec", "--flavor", "csv"],
      /^specx: --flavor must be apstools, apstools-v1 or suitcase, not 'csv'\n$/,
    ],
    [
      ["from-docs", "a.json", "-o", "o.spec", "--time-zone", "Mars/Olympus"],
      /^specx: unknown time zone 'Mars\/Olympus'\n$/,
    ],
    [["from-docs", "/no/such.json", "-o", "o.spec"], /^specx: .*\/no\/such\.json.*\n$/],
  ])("%j fails with one line and exit 2", async (args, message) => {
    const result = await run(args as string[]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split("\n").filter(Boolean).length).toBe(1);
  });

  test("a bad input file fails before the output is created", async () => {
    const dir = scratch();
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '[["start", {"uid": 1}], ["event", ');
    const result = await run([
      "from-docs",
      referencePath("synthetic/streams/syn-values.json"),
      bad,
      "-o",
      join(dir, "o.spec"),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^specx: .*bad\.json/);
    expect(() => readFileSync(join(dir, "o.spec"))).toThrow();
  });

  test("refuses to append to a file that is not SPEC, leaving it untouched", async () => {
    const dir = scratch();
    const target = join(dir, "notes.txt");
    writeFileSync(target, "hello\n");
    const result = await run([
      "from-docs",
      referencePath("synthetic/streams/syn-values.json"),
      "-o",
      target,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^specx: will not append to .*notes\.txt: .*not a SPEC data file\n$/,
    );
    expect(readFileSync(target, "utf8")).toBe("hello\n");
  });

  test("refuses a file another writer holds, with who holds it", async () => {
    const dir = scratch();
    const target = join(dir, "busy.spec");
    const holder = openSpecFileWriter(target);
    try {
      const result = await run([
        "from-docs",
        referencePath("synthetic/streams/syn-values.json"),
        "-o",
        target,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^specx: .*busy\\.spec is being written by process ${process.pid} on .*; two writers would interleave their scans\\. If no writer is running, delete .*busy\\.spec\\.lock\n$`,
        ),
      );
      expect(readFileSync(target, "utf8")).toBe("");
    } finally {
      holder.close();
    }
  });

  test("through the real binary: TZ=UTC specx from-docs STREAM -o NAME.spec in an empty folder", () => {
    const dir = scratch();
    const result = spawnSync(
      process.execPath,
      [
        bin,
        "from-docs",
        referencePath("apstools/streams/apstools-catalog.json.gz"),
        "-o",
        "apstools-catalog.spec",
      ],
      { cwd: dir, encoding: "utf8", env: { ...process.env, TZ: "UTC" } },
    );
    expect(result.status).toBe(0);
    const mask = (text: string) =>
      text.replace(/^#C Bluesky {2}user = .*$/gm, "#C Bluesky  user = …");
    expect(mask(readFileSync(join(dir, "apstools-catalog.spec"), "utf8"))).toBe(
      mask(readFileSync(referencePath("apstools/v2/apstools-catalog.spec"), "utf8")),
    );
  });
});
