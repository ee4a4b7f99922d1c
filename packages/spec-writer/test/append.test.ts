/**
 * Appending to real SPEC files (copies of the corpus): every original byte stays, the new scans are
 * numbered after the last one, and the whole file still parses.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDocumentsFile } from "@specx/documents/node";
import { parse } from "@specx/spec-parser";
import { corpusPath, referencePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { NotASpecFileError, openSpecFileWriter } from "../src/node.js";

const stream = (name: string) => readDocumentsFile(referencePath(name));

function appendTo(path: string, streams: string[]): void {
  const writer = openSpecFileWriter(path, { timeZone: "UTC" });
  try {
    for (const name of streams)
      for (const [docName, doc] of stream(name)) writer.receive(docName, doc);
  } finally {
    writer.close();
  }
}

describe("appending to existing SPEC files", () => {
  test.each([
    ["lmn40.spe", "SPEC, two headers"],
    ["CdOsO", "SPEC, a header starting with #E"],
    ["issue161_spock_spec_file", "spock, no header"],
    ["usaxs-bluesky-specwritercallback.dat", "apstools v1"],
    ["20220311-161530.dat", "apstools 1.6, repeated numbers"],
    ["33id_spec.dat", "SPEC with MCA"],
  ])("%s (%s): original bytes unchanged, new scans numbered after the last", (name) => {
    const dir = mkdtempSync(join(tmpdir(), "specx-append-"));
    const path = join(dir, name);
    copyFileSync(corpusPath(name), path);
    const original = new Uint8Array(readFileSync(path));
    const before = parse(original);
    const lastNumber = Math.max(...before.scanEntries.map((e) => e.number ?? 0));

    appendTo(path, ["synthetic/streams/syn-values.json", "apstools/streams/uid-3ab777ae.json"]);

    const after = new Uint8Array(readFileSync(path));
    expect(Buffer.compare(after.subarray(0, original.length), original)).toBe(0);
    const file = parse(after);
    // syn-values has scan_id 7 and uid-3ab777ae 10014: each keeps its id when that is above
    // the scan before it, else takes the next number.
    const expected: number[] = [];
    let floor = lastNumber;
    for (const scanId of [7, 10014]) {
      floor = Math.max(scanId, floor + 1);
      expected.push(floor);
    }
    const added = file.scanEntries.slice(before.scanCount);
    expect(added.map((e) => e.number)).toEqual(expected);
    expect(Math.min(...added.map((e) => e.number ?? 0))).toBeGreaterThan(lastNumber);
    expect(file.scanCount).toBe(before.scanCount + 2);
    // The old scans read as before; the new ones carry their data.
    expect(file.scanEntries.slice(0, before.scanCount)).toEqual(before.scanEntries);
    expect(file.scanAt(before.scanCount)?.data.rows).toBe(4);
    expect(file.scanAt(before.scanCount + 1)?.data.rows).toBe(11);
    const newErrors = file.diagnostics.filter(
      (d) => d.severity === "error" && (d.line ?? 0) > before.lineCount,
    );
    expect(newErrors).toEqual([]);
  });

  test("a file that ends without a newline gets one before the appended text", () => {
    const dir = mkdtempSync(join(tmpdir(), "specx-append-"));
    const path = join(dir, "cut.spec");
    const original = readFileSync(corpusPath("refresh1.txt")).subarray(0, -1);
    writeFileSync(path, original);
    appendTo(path, ["synthetic/streams/syn-values.json"]);
    const after = readFileSync(path);
    expect(Buffer.compare(after.subarray(0, original.length), original)).toBe(0);
    expect(after[original.length]).toBe(0x0a);
    expect(parse(new Uint8Array(after)).scanEntries.map((e) => e.key)).toEqual([
      "1.1",
      "2.1",
      "3.1",
      "7.1",
    ]);
  });

  test("a file that is not a SPEC file is refused and left untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "specx-append-"));
    const path = join(dir, "notes.txt");
    writeFileSync(path, "shopping list\nmilk\n");
    expect(() => openSpecFileWriter(path)).toThrow(NotASpecFileError);
    expect(readFileSync(path, "utf8")).toBe("shopping list\nmilk\n");
  });

  test("a new file gets a header; writing twice continues the numbering", () => {
    const dir = mkdtempSync(join(tmpdir(), "specx-append-"));
    const path = join(dir, "new.spec");
    appendTo(path, ["synthetic/streams/syn-values.json"]);
    appendTo(path, ["synthetic/streams/syn-values.json"]);
    const file = parse(new Uint8Array(readFileSync(path)));
    expect(file.headers.length).toBe(1);
    expect(file.headers[0]?.fileName).toBe(path);
    expect(file.scanEntries.map((e) => e.number)).toEqual([7, 8]);
    // The second session had nothing new to say in a header: same (empty) motor list.
  });
});
