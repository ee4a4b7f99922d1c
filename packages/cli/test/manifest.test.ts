/** `--manifest`: whole lines, a torn last line tolerated, and resuming with recorded results. */
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Manifest, readManifestEntries, stampOf } from "../src/manifest.js";
import { writeArchive } from "./archive.js";
import { runSpecx as run } from "./run-specx.js";

const scratch = () => mkdtempSync(join(tmpdir(), "specx-manifest-"));

function lines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean);
}

describe("Manifest", () => {
  test("records a line per file; a later Manifest returns the result for the same stamp only", () => {
    const dir = scratch();
    const input = join(dir, "a.spec");
    writeFileSync(input, "#S 1 x\n");
    const path = join(dir, "m.ndjson");
    const stamp = stampOf(input);
    if (!stamp) throw new Error("no stamp");
    const first = new Manifest<{ n: number }>(path, "stats", { scans: ["1.1"] });
    expect(first.resultOf(input, stamp)).toBeUndefined();
    first.record(input, stamp, { n: 1 });
    first.close();
    expect(JSON.parse(lines(path)[0] as string)).toEqual({
      path: input,
      size: 7,
      mtimeMs: stamp.mtimeMs,
      command: "stats",
      options: { scans: ["1.1"] },
      status: "done",
      result: { n: 1 },
    });

    const again = new Manifest<{ n: number }>(path, "stats", { scans: ["1.1"] });
    expect(again.resultOf(input, stamp)).toEqual({ result: { n: 1 } });
    expect(again.resultOf(input, { ...stamp, size: 8 })).toBeUndefined();
    expect(again.resultOf(input, { ...stamp, mtimeMs: stamp.mtimeMs + 1 })).toBeUndefined();
    expect(again.resultOf(input, undefined)).toBeUndefined();
    again.close();
    // Another command, or other options, do not reuse it.
    const other = new Manifest(path, "validate", {});
    expect(other.resultOf(input, stamp)).toBeUndefined();
    other.close();
    const otherScans = new Manifest(path, "stats", { scans: ["2.1"] });
    expect(otherScans.resultOf(input, stamp)).toBeUndefined();
    otherScans.close();
  });

  test("a torn last line is skipped, and the next line starts on a line of its own", () => {
    const dir = scratch();
    const path = join(dir, "m.ndjson");
    const whole = (file: string, n: number) =>
      `${JSON.stringify({ path: file, size: 1, mtimeMs: 2, command: "c", options: {}, status: "done", result: n })}\n`;
    writeFileSync(path, whole("a", 1) + whole("b", 2) + whole("c", 3).slice(0, 40));
    const entries = readManifestEntries<number>(readFileSync(path, "utf8"), "c", {});
    expect([...entries.keys()]).toEqual(["a", "b"]);

    const manifest = new Manifest<number>(path, "c", {});
    expect(manifest.resultOf("b", { size: 1, mtimeMs: 2 })).toEqual({ result: 2 });
    expect(manifest.resultOf("c", { size: 1, mtimeMs: 2 })).toBeUndefined();
    manifest.record("c", { size: 1, mtimeMs: 2 }, 3);
    manifest.close();
    const text = lines(path);
    expect(text).toHaveLength(4);
    expect(() => JSON.parse(text[2] as string)).toThrow();
    expect(readManifestEntries(readFileSync(path, "utf8"), "c", {}).get("c")?.result).toBe(3);
  });

  test("the last line of a path wins; lines of another shape are skipped", () => {
    const entry = (result: number, extra: object = {}) =>
      JSON.stringify({
        path: "a",
        size: 1,
        mtimeMs: 2,
        command: "c",
        options: {},
        status: "done",
        result,
        ...extra,
      });
    const text = [
      entry(1),
      entry(2),
      "[1,2]",
      "null",
      entry(3, { status: "running" }),
      entry(4, { size: "1" }),
      "{",
    ].join("\n");
    expect(readManifestEntries<number>(text, "c", {}).get("a")?.result).toBe(2);
  });

  test("a manifest that cannot be opened is a one-line error", async () => {
    const dir = scratch();
    writeArchive(dir, 2);
    const result = await run(["validate", dir, "--manifest", join(dir, "no", "such", "m.ndjson")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^specx: cannot use the manifest .*m\.ndjson: no such folder\n$/);
  });
});

describe("resuming a batch command", () => {
  test("stats: a rerun reads every result from the manifest and prints the same report", async () => {
    const dir = scratch();
    const archive = join(dir, "archive");
    const files = writeArchive(archive, 40);
    const manifest = join(dir, "stats.ndjson");
    const plain = await run(["stats", archive, "--json"]);
    const first = await run(["stats", archive, "--json", "--manifest", manifest]);
    expect(first.stdout).toBe(plain.stdout);
    expect(lines(manifest)).toHaveLength(40);

    const second = await run(["stats", archive, "--json", "--manifest", manifest]);
    expect(second.stdout).toBe(plain.stdout);
    expect(lines(manifest)).toHaveLength(40);

    // A changed file is done again (and only it); its new result is in the report.
    const changed = files[7] as string;
    appendFileSync(changed, "#S 9  ascan  tth 0 1 1 0.1\n#N 2\n#L tth  det\n1 2\n");
    const third = await run(["stats", archive, "--json", "--manifest", manifest]);
    expect(lines(manifest)).toHaveLength(41);
    expect(JSON.parse(lines(manifest)[40] as string).path).toBe(changed);
    expect(third.stdout).toBe((await run(["stats", archive, "--json"])).stdout);
    expect(third.stdout).not.toBe(plain.stdout);

    // A file whose mtime alone changed is done again too.
    utimesSync(files[3] as string, new Date(), new Date(2020, 0, 1));
    await run(["stats", archive, "--json", "--manifest", manifest]);
    expect(lines(manifest)).toHaveLength(42);
  });

  test("validate: a manifest cut in the middle of a line resumes to the same report", async () => {
    const dir = scratch();
    const archive = join(dir, "archive");
    writeArchive(archive, 30);
    const manifest = join(dir, "validate.ndjson");
    const plain = await run(["validate", archive, "--format", "json"]);
    await run(["validate", archive, "--format", "json", "--manifest", manifest]);
    const text = readFileSync(manifest, "utf8");
    const cut = text.indexOf("\n", text.length / 2) + 25;
    truncateSync(manifest, cut);
    const resumed = await run(["validate", archive, "--format", "json", "--manifest", manifest]);
    expect(resumed.status).toBe(plain.status);
    expect(resumed.stdout).toBe(plain.stdout);
    const paths = readFileSync(manifest, "utf8")
      .split("\n")
      .flatMap((line) => {
        try {
          return [JSON.parse(line).path as string];
        } catch {
          return [];
        }
      });
    // Every file once: the torn line's file was done again, the whole lines' files were not.
    expect(paths.length).toBe(30);
    expect(new Set(paths).size).toBe(30);
  });

  test("to-docs: a killed run's files are accepted when identical; a resumed run prints every path", async () => {
    const dir = scratch();
    const archive = join(dir, "archive");
    writeArchive(archive, 12);
    const out = join(dir, "runs");
    const manifest = join(dir, "to-docs.ndjson");
    const args = ["to-docs", archive, "--format", "jsonl", "-o", out, "--manifest", manifest];
    const plain = await run(["to-docs", archive, "--format", "jsonl", "-o", join(dir, "plain")]);
    const first = await run(args);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(plain.stdout.replaceAll(join(dir, "plain"), out));
    // As if killed after writing the run files of the last input but before its line.
    const kept = lines(manifest);
    writeFileSync(manifest, `${kept.slice(0, -1).join("\n")}\n`);
    const resumed = await run(args);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toBe(first.stdout);
    expect(readdirSync(out).sort()).toEqual(readdirSync(join(dir, "plain")).sort());
    expect(readdirSync(out).some((name) => name.startsWith("."))).toBe(false);
    // Without a manifest, existing files are refused as before.
    const refused = await run(["to-docs", archive, "--format", "jsonl", "-o", out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists \(use --overwrite to replace it\)\n$/);
  });
});
