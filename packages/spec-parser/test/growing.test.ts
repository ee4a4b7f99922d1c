/**
 * Files that grow while they are read, as SPEC writes them: every corpus file is written in small
 * chunks cut anywhere (mid-line, between CR and LF, inside a number) while `refresh()` polls it.
 * At checkpoints and after the last chunk, the followed model equals a full parse of the bytes so
 * far.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpusBytes, corpusNames, seededRandom } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { openSpec, parse, type SpecFile } from "../src/node.js";
import { expectSameBytes } from "./helpers.js";

/** Everything the model says about the file, typed arrays as plain arrays. */
function modelOf(file: SpecFile) {
  return {
    entries: file.scanEntries,
    headers: file.headers.map(({ lines: _lines, ...header }) => header),
    scans: file.scans.map((scan) => ({
      key: scan.key,
      number: scan.number,
      command: scan.command,
      line: scan.line,
      date: scan.date,
      labels: scan.labels,
      data: { ...scan.data, columns: scan.data.columns.map((column) => Array.from(column)) },
      positioners: scan.positioners,
      metadata: scan.metadata,
      comments: scan.comments,
      mca: scan.mca?.spectra.map((spectrum) => [spectrum.device, Array.from(spectrum.values)]),
      aborted: scan.aborted,
      possiblyTruncated: scan.possiblyTruncated,
      diagnostics: scan.diagnostics,
    })),
    fileDiagnostics: file.fileDiagnostics,
  };
}

describe("a file followed with refresh() while it is written in small chunks", () => {
  test.each(corpusNames())(
    "%s",
    (name) => {
      const content = corpusBytes(name);
      // Seeded, so every run cuts the files the same way.
      const random = seededRandom(content.length);
      // Chunks of 1 byte to 4 KB, so large files still take a few hundred polls; small files are
      // compared with a full parse at every poll, large ones about twenty times.
      const checkEvery = Math.max(1, Math.floor(content.length / 20));
      const path = join(mkdtempSync(join(tmpdir(), "specx-growing-")), name);
      writeFileSync(path, "");
      const file = openSpec(path);
      const seen = new Set<string>();
      let written = 0;
      let nextCheck = 0;
      while (written < content.length) {
        const size = 1 + Math.floor(random() ** 3 * 4096);
        const chunk = content.subarray(written, Math.min(content.length, written + size));
        appendFileSync(path, chunk);
        written += chunk.length;
        const report = file.refresh();
        expect(report.reset).toBe(false);
        for (const key of report.added) {
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
        // The pending text is the last line so far when it lacks its terminator.
        const last = content[written - 1];
        expect(report.pending === null).toBe(last === 0x0a || last === 0x0d);
        if (written >= nextCheck || written === content.length) {
          expect(modelOf(file)).toEqual(modelOf(parse(content.subarray(0, written))));
          nextCheck = written + checkEvery;
        }
      }
      expect([...seen]).toEqual(file.scanEntries.map((entry) => entry.key));
      expectSameBytes(file.printBytes(), content);
      file.close();
    },
    120_000,
  );
});

test("a scan whose #S line is cut after its first digit is reported once, with its final key", () => {
  const path = join(mkdtempSync(join(tmpdir(), "specx-growing-")), "cut.spec");
  writeFileSync(path, "#F cut.spec\n#E 1\n\n#S 1 ascan\n#L x  y\n1 2\n\n#S 1");
  const file = openSpec(path);
  expect(file.scanEntries.map((entry) => entry.key)).toEqual(["1.1", "1.2"]);
  appendFileSync(path, "2 ascan");
  expect(file.refresh()).toMatchObject({ added: [], updated: [], pending: "#S 12 ascan" });
  appendFileSync(path, "\n#L x  y\n");
  expect(file.refresh()).toMatchObject({ added: ["12.1"], updated: [], pending: null });
  expect(file.scanEntries.map((entry) => entry.key)).toEqual(["1.1", "12.1"]);
});

test("a last line completed in place reports its scan as updated", () => {
  const path = join(mkdtempSync(join(tmpdir(), "specx-growing-")), "row.spec");
  writeFileSync(path, "#S 1 ascan\n#L x  y\n1 2\n3 ");
  const file = openSpec(path);
  appendFileSync(path, "4\n");
  expect(file.refresh()).toMatchObject({ added: [], updated: ["1.1"], pending: null });
  expect(Array.from(file.scan("1.1")?.data.columns[1] ?? [])).toEqual([2, 4]);
});
