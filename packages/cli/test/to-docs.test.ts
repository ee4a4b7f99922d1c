/** `specx to-docs`: SPEC scans as run files, in-process. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeMsgpackStream, parseJsonLines } from "@specx/documents";
import { describe, expect, test } from "vitest";
import { runSpecx as run } from "./run-specx.js";

const corpus = (name: string) =>
  fileURLToPath(new URL(`../../../../shared/spec-corpus/${name}`, import.meta.url));

describe("specx to-docs", () => {
  test("one <uid>.jsonl per scan; the uid of a bluesky-written scan is its own", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    const result = await run([
      "to-docs",
      corpus("usaxs-bluesky-specwritercallback.dat"),
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
      corpus("33id_spec.dat"),
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
    await run(["to-docs", corpus("lmn40.spe"), "--scan", "7.1", "--format", "jsonl", "-o", out]);
    const first = readdirSync(out);
    const again = await run([
      "to-docs",
      corpus("lmn40.spe"),
      "--scan",
      "7.1",
      "--format",
      "jsonl",
      "-o",
      out,
    ]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists \(use --overwrite to replace it\)\n$/);
    const replaced = await run([
      "to-docs",
      corpus("lmn40.spe"),
      "--scan",
      "7.1",
      "--format",
      "jsonl",
      "-o",
      out,
      "--overwrite",
    ]);
    expect(replaced.status).toBe(0);
    expect(readdirSync(out)).toEqual(first);
  });

  test("--no-provenance leaves out the spec key", async () => {
    const out = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
    await run([
      "to-docs",
      corpus("issue82_data.txt"),
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
      corpus("lmn40.spe"),
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
