/** readDocumentsFile: files on disk, gzip, and errors that name the path. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DocumentFormatError, readDocumentsFile } from "../src/node.js";

const dir = mkdtempSync(join(tmpdir(), "specx-documents-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("readDocumentsFile", () => {
  it("reads gzipped JSONL and msgpack as well as JSON", () => {
    const jsonl = file(
      "run.jsonl.gz",
      gzipSync('["start", {"uid": "a"}]\n["stop", {"uid": "b"}]\n'),
    );
    expect(readDocumentsFile(jsonl).map(([name]) => name)).toEqual(["start", "stop"]);
    const msgpack = file(
      "run.msgpack",
      Uint8Array.of(0x92, 0xa5, 0x73, 0x74, 0x61, 0x72, 0x74, 0x80),
    );
    expect(readDocumentsFile(msgpack)).toEqual([["start", {}]]);
  });

  it("names the path when the file cannot be read", () => {
    const path = join(dir, "missing.json");
    expect(() => readDocumentsFile(path)).toThrow(`${path}: cannot read: ENOENT`);
  });

  it("names the path for an unknown file type", () => {
    expect(() => readDocumentsFile("run.spec")).toThrow(/^run\.spec: unknown document file type/);
  });

  it("names the path, line and column of a format error", () => {
    const path = file("bad.jsonl", '["start", {}]\n["stop", {]\n');
    let error: unknown;
    try {
      readDocumentsFile(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DocumentFormatError);
    expect((error as DocumentFormatError).message).toBe(
      `${path}: Expecting property name enclosed in double quotes: line 2 column 11`,
    );
    expect((error as DocumentFormatError).line).toBe(2);
  });

  it("names the path of a broken gzip file", () => {
    const path = file("broken.json.gz", "not gzip");
    expect(() => readDocumentsFile(path)).toThrow(new RegExp(`^${path}: cannot gunzip`));
  });

  it("bounds the gunzipped size (a gzip bomb fails instead of filling memory)", () => {
    const path = file("bomb.json.gz", gzipSync(`[${" ".repeat(1_000_000)}]`));
    expect(() => readDocumentsFile(path, { maxGunzippedBytes: 1000 })).toThrow(
      new RegExp(`^${path}: cannot gunzip`),
    );
    expect(readDocumentsFile(path)).toEqual([]);
  });
});
