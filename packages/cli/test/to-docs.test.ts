/** `specx to-docs`: SPEC scans as run files, in-process. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { decodeMsgpackStream, parseJsonLines } from "@specx/documents";
import { corpusPath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { runSpecx as run } from "./run-specx.js";

describe("specx to-docs", () => {
  test("one <uid>.jsonl per scan; the uid of a bluesky-written scan is its own", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    const result = await run([
      "to-docs",
      corpusPath("usaxs-bluesky-specwritercallback.dat"),
      "--format",
      "jsonl",
      "-o",
      out,
    ]);
    expect(result.status).toBe(0);
    const files = readdirSync(out).sort();
    expect(files.length).toBe(7);
    expect(result.stdout.trim().split("\n").sort()).toEqual(files.map((f) => join(out, f)));
    const text = readFileSync(join(out, files[0] as string), "utf8");
    const documents = parseJsonLines(text);
    expect(documents[0]?.[0]).toBe("start");
    expect(documents[documents.length - 1]?.[0]).toBe("stop");
    expect(`${documents[0]?.[1].uid}.jsonl`).toBe(files[0]);
  });

  test("--scan picks scans; msgpack holds event pages", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    const result = await run([
      "to-docs",
      corpusPath("33id_spec.dat"),
      "--scan",
      "1.1",
      "26.1",
      "--format",
      "msgpack",
      "-o",
      out,
    ]);
    expect(result.status).toBe(0);
    const files = readdirSync(out);
    expect(files.length).toBe(2);
    const names = files.flatMap((f) =>
      decodeMsgpackStream(new Uint8Array(readFileSync(join(out, f)))).map(
        (d) => (d as unknown[])[0],
      ),
    );
    expect(new Set(names)).toEqual(new Set(["start", "descriptor", "event_page", "stop"]));
  });

  test("the same file twice gives the same uids (deterministic), and refuses to overwrite", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    const toDocs = ["to-docs", corpusPath("lmn40.spe"), "--scan", "7.1", "--format", "jsonl"];
    await run([...toDocs, "-o", out]);
    const first = readdirSync(out);
    const again = await run([...toDocs, "-o", out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists \(use --overwrite to replace it\)\n$/);
    const replaced = await run([...toDocs, "-o", out, "--overwrite"]);
    expect(replaced.status).toBe(0);
    expect(readdirSync(out)).toEqual(first);
  });

  test("a run refused after others were made leaves no run file and no temporary file", async () => {
    const toDocs = ["to-docs", corpusPath("lmn40.spe"), "--format", "msgpack"];
    const first = await run([...toDocs, "-o", mkdtempSync(join(tmpdir(), "specx-to-docs-"))]);
    const lastRun = basename(first.stdout.trimEnd().split("\n").at(-1) as string);
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    // The file's last run exists: every run before it is made and written before the refusal.
    writeFileSync(join(out, lastRun), "kept");
    const refused = await run([...toDocs, "-o", out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists \(use --overwrite to replace it\)\n$/);
    expect(readdirSync(out)).toEqual([lastRun]);
    expect(readFileSync(join(out, lastRun), "utf8")).toBe("kept");
  });

  test("--no-provenance leaves out the spec key", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    await run([
      "to-docs",
      corpusPath("issue82_data.txt"),
      "--format",
      "jsonl",
      "-o",
      out,
      "--no-provenance",
    ]);
    const [file] = readdirSync(out);
    const start = parseJsonLines(readFileSync(join(out, file as string), "utf8"))[0]?.[1] as Record<
      string,
      unknown
    >;
    expect(start.spec).toBeUndefined();
    expect(start.scan_id).toBe(17);
  });

  test.each([
    [["to-docs", "x.spec", "-o", "d"], /required option '--format <format>' not specified/],
    [
      ["to-docs", "x.spec", "--format", "csv", "-o", "d"],
      /^specx: --format must be jsonl or msgpack, not 'csv'\n$/,
    ],
    [
      ["to-docs", "/no/such.spec", "--format", "jsonl", "-o", "d"],
      /^specx: cannot read \/no\/such\.spec: no such file\n$/,
    ],
  ])("%j fails with one line and exit 2", async (args, message) => {
    const result = await run(args as string[]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test("an unknown scan key is refused before anything is written", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    writeFileSync(join(out, "keep"), "");
    const result = await run([
      "to-docs",
      corpusPath("lmn40.spe"),
      "--scan",
      "4.10",
      "--format",
      "jsonl",
      "-o",
      out,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^specx: no scan 4\.10 in /);
    expect(readdirSync(out)).toEqual(["keep"]);
  });
});

describe("hostile content", () => {
  test("uids that read like paths never name a file outside the output folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    const bluesky = (uid: string, n: number) =>
      `#S ${n}  count()\n#D Tue Nov 14 22:13:20 2023\n#C Tue Nov 14 22:13:20 2023.  uid = ${uid}\n#MD uid = ${uid}\n#MD plan_name = count\n#N 3\n#L Epoch  Epoch_float  det\n1 1.0 5\n\n`;
    const input = join(dir, "hostile.spec");
    writeFileSync(
      input,
      `#F hostile.spec\n#E 1700000000\n#D Tue Nov 14 22:13:20 2023\n#C Bluesky  user = u  host = h\n\n${[
        "../../../../tmp/escaped",
        "/etc/cron.d/x",
        "..",
        "a/b\\\\c",
        "-----------",
      ]
        .map(bluesky)
        .join("")}`,
    );
    const out = join(dir, "runs");
    const result = await run(["to-docs", input, "--format", "jsonl", "-o", out]);
    expect(result.stderr).toBe("");
    const written = readdirSync(out).sort();
    expect(written).toHaveLength(5);
    expect(result.stdout.trimEnd().split("\n").sort()).toEqual(
      written.map((name) => join(out, name)),
    );
    // Every file is a plain name in the folder, nothing was made beside it.
    for (const name of written) expect(name).toMatch(/^[0-9a-f-]+\.jsonl$/);
    expect(readdirSync(dir).sort()).toEqual(["hostile.spec", "runs"]);
  });
});
