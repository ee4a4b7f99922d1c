/**
 * Every scan of the corpus, converted to documents and written as suitcase-jsonl and
 * suitcase-msgpack files, is read by Python the way databroker 1.x reads them and validated with
 * jsonschema (Debian python3-msgpack, python3-msgpack-numpy, python3-jsonschema).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileToRuns } from "@specx/conversion";
import { suitcaseJsonl, suitcaseMsgpack } from "@specx/documents";
import { parse } from "@specx/spec-parser";
import { runDatabrokerCheck } from "@specx/test-support";
import { expect, test } from "vitest";
import { corpusCases, corpusDir } from "../src/suite.js";

const specx = join(
  dirname(createRequire(import.meta.url).resolve("@specx/cli/package.json")),
  "bin",
  "specx.cjs",
);

test("Python reads converted scans of every corpus file as databroker does; jsonschema accepts them", () => {
  const folder = mkdtempSync(join(tmpdir(), "specx-python-"));
  const expected = new Map<string, number>();
  for (const testCase of corpusCases(corpusDir())) {
    const file = parse(new Uint8Array(readFileSync(testCase.path)));
    // The first scans and the last of each file: every kind of file, in a time CI can afford
    // (Python's jsonschema takes about 0.1 s per file).
    const keys = file.scanEntries.map((e) => e.key);
    const chosen = [...new Set([...keys.slice(0, 4), ...keys.slice(-1)])];
    for (const run of fileToRuns(file, { scans: chosen })) {
      const jsonl = suitcaseJsonl(run.documents);
      const msgpack = suitcaseMsgpack(run.documents);
      // Duplicate scans (the same uid in one file) overwrite: databroker keys runs by uid too.
      writeFileSync(join(folder, jsonl.fileName), jsonl.text);
      writeFileSync(join(folder, msgpack.fileName), msgpack.bytes);
      expected.set(jsonl.fileName, run.documents.length);
    }
  }
  const files = readdirSync(folder).map((name) => join(folder, name));
  expect(files.length).toBe(expected.size * 2);
  expect(expected.size).toBeGreaterThan(80);
  const report = runDatabrokerCheck(files);
  const failures = report.files
    .filter((f) => f.errors.length > 0)
    .map((f) => `${f.path}: ${f.errors.slice(0, 2).join("; ")}`);
  expect(failures).toEqual([]);
  expect(report.ok).toBe(true);
  for (const file of report.files.filter((f) => f.path.endsWith(".jsonl"))) {
    const count = Object.values(file.documents).reduce((a, b) => a + b, 0);
    expect(count).toBe(expected.get(file.path.split("/").pop() as string));
  }
}, 300_000);

test("files written by the real `specx to-docs` pass the same check", () => {
  const folder = mkdtempSync(join(tmpdir(), "specx-to-docs-"));
  for (const [name, format] of [
    ["33id_spec.dat", "msgpack"],
    ["usaxs-bluesky-specwritercallback.dat", "jsonl"],
    ["issue161_spock_spec_file", "jsonl"],
  ] as const) {
    const result = spawnSync(
      process.execPath,
      [specx, "to-docs", join(corpusDir(), name), "--format", format, "-o", folder],
      {
        encoding: "utf8",
      },
    );
    expect(result.status, result.stderr).toBe(0);
  }
  const files = readdirSync(folder).map((name) => join(folder, name));
  expect(files.length).toBe(106 + 7 + 41);
  const report = runDatabrokerCheck(files);
  expect(report.files.filter((f) => f.errors.length > 0)).toEqual([]);
}, 300_000);
