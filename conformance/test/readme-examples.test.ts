/**
 * The README's code examples run as written, against the built packages: each `ts` block, with
 * its placeholder file names pointed at real files (a corpus file for `scans.spec`, a suitcase
 * reference stream for `run.jsonl`) in a folder of its own. A renamed export or a changed
 * signature breaks this test before it breaks a newcomer's first try.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { fileToRuns } from "@specx/conversion";
import { readDocumentsFile } from "@specx/documents/node";
import { parse } from "@specx/spec-parser/node";
import { corpusPath, referencePath } from "@specx/test-support";
import { afterEach, describe, expect, test, vi } from "vitest";

const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code = ""]) => code);
const require = createRequire(import.meta.url);

const SCANS = corpusPath("33id_spec.dat");
const RUN = referencePath("suitcase/documents/scan.jsonl");

/**
 * Runs a README block in a fresh folder: every quoted name in `files` becomes the path of a copy
 * there, every `@specx/…` import the built package's file. Returns the folder and what it logged.
 */
async function runBlock(code: string, files: Record<string, string | null>) {
  const dir = mkdtempSync(join(tmpdir(), "specx-readme-"));
  let source = code.replace(/from "(@specx\/[^"]+)"/g, (_, specifier: string) => {
    return `from ${JSON.stringify(pathToFileURL(require.resolve(specifier)).href)}`;
  });
  for (const [name, original] of Object.entries(files)) {
    if (original !== null) copyFileSync(original, join(dir, name.replace(/^.*\//, "")));
    const target = JSON.stringify(join(dir, name.replace(/^.*\//, "")));
    source = source
      .replaceAll(`"${name}"`, target)
      .replaceAll(`\`${name}/`, `\`${join(dir, name)}/`);
  }
  const script = join(dir, "example.ts");
  writeFileSync(script, source);
  const logged: unknown[][] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
  await import(pathToFileURL(script).href);
  return { dir, logged };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the README's examples", () => {
  test("are four ts blocks: read a file, SPEC → runs, runs → SPEC, SPEC → NeXus", () => {
    expect(blocks).toHaveLength(4);
  });

  test("read a SPEC file: lists every scan and reads scan 3.1", async () => {
    const { logged } = await runBlock(blocks[0] ?? "", {
      "scans.spec": SCANS,
      "/data/beamtime.spec": SCANS,
    });
    const file = parse(readFileSync(SCANS));
    const listed = logged.slice(0, file.scanEntries.length).map(([key]) => key);
    expect(listed).toEqual(file.scanEntries.map((entry) => entry.key));
    const [labels, firstColumn] = logged[file.scanEntries.length] ?? [];
    expect(labels).toEqual(file.scan("3.1")?.labels);
    expect(firstColumn).toEqual(file.scan("3.1")?.data.columns[0]);
    expect(logged).toHaveLength(file.scanEntries.length + 1 + file.diagnostics.length);
  });

  test("SPEC to bluesky runs: one suitcase-jsonl file per run", async () => {
    const { dir } = await runBlock(blocks[1] ?? "", { "scans.spec": SCANS, runs: null });
    const runs = fileToRuns(parse(readFileSync(SCANS)));
    const written = readdirSync(join(dir, "runs")).sort();
    expect(written).toHaveLength(runs.length);
    const uids = runs.map((run) => `${String(run.documents[0]?.[1]?.uid)}.jsonl`);
    expect(written).toEqual(uids.sort());
  });

  test("bluesky runs to SPEC: the run's rows are the file's", async () => {
    const { dir, logged } = await runBlock(blocks[2] ?? "", { "run.jsonl": RUN, "run.spec": null });
    const file = parse(readFileSync(join(dir, "run.spec")));
    const documents = readDocumentsFile(RUN) as [string, Record<string, unknown>][];
    const primary = documents.find(
      ([name, doc]) => name === "descriptor" && doc.name === "primary",
    );
    const events = documents.filter(
      ([name, doc]) => name === "event" && doc.descriptor === primary?.[1].uid,
    );
    expect(file.scans).toHaveLength(1);
    expect(file.scans[0]?.data.rows).toBe(events.length);
    expect(file.scans[0]?.comments.map((c) => c.text)).toContainEqual(
      expect.stringContaining("sample changed"),
    );
    expect(logged).toEqual([[[]]]);
  });

  test("SPEC to NeXus: the chosen scans as entries of an HDF5 file", async () => {
    const corpusFile = corpusPath("33bm_spec.dat");
    const { dir, logged } = await runBlock(blocks[3] ?? "", {
      "33bm_spec.dat": corpusFile,
      "33bm_spec.h5": null,
    });
    expect(logged).toEqual([[["S3", "S4"]]]);
    // HDF5's signature opens the file.
    const signature = readFileSync(join(dir, "33bm_spec.h5")).subarray(0, 8);
    expect([...signature]).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
