/**
 * One test per synthetic fixture of docs/spec-format.md §12 (conformance/fixtures): the
 * fixture-specific facts in each `.expected.json` "extra" block. The shared fields (keys,
 * labels, rows, positioners…) are checked for every fixture by the conformance suite.
 */
import { readFileSync } from "node:fs";
import { fixturePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { parse, print, type Scan, type SpecFile } from "../src/index.js";
import { expectSameBytes } from "./helpers.js";

interface Loaded {
  bytes: Uint8Array;
  file: SpecFile;
  // biome-ignore lint/suspicious/noExplicitAny: expected files are free-form per fixture
  extra: any;
}

function load(name: string): Loaded {
  const bytes = new Uint8Array(readFileSync(fixturePath(name)));
  const expected = JSON.parse(readFileSync(fixturePath(`${name}.expected.json`), "utf8"));
  return { bytes, file: parse(bytes), extra: expected.extra };
}

function scan(file: SpecFile, key: string): Scan {
  const found = file.scan(key);
  if (!found) throw new Error(`no scan ${key}`);
  return found;
}

function column(s: Scan, name: string): number[] {
  const index = s.data.aliases.indexOf(name);
  return Array.from(s.data.columns[index] ?? []);
}

/** Every string reachable from a value (to prove no `\r` leaks into parsed text). */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return [value];
  if (value === null || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  if (ArrayBuffer.isView(value)) return [];
  const items = value instanceof Map ? [...value.values()] : Object.values(value);
  return items.flatMap((item) => strings(item, seen));
}

function parsedStrings(file: SpecFile): string[] {
  return file.scans.flatMap((s) => {
    const { lines, header, ...rest } = s;
    return strings({ ...rest, lines: lines.map((l) => l.text) });
  });
}

const expectedNumber = (value: number | string) =>
  typeof value === "string" ? Number(value) : value;

describe("synthetic fixtures (docs/spec-format.md §12)", () => {
  test("nan_inf.spec: special tokens are NaN/±Infinity with their text kept, never 0", () => {
    const { file, extra } = load("nan_inf.spec");
    const s = scan(file, "1.1");
    expect(column(s, extra.column)).toEqual(extra.values.map(expectedNumber));
    const detColumn = s.data.aliases.indexOf(extra.column);
    const specialRaw = s.data.special.filter((v) => v.column === detColumn).map((v) => v.raw);
    expect(specialRaw).toEqual(["nan", "NaN", "inf", "-inf", "1d3", "None"]);
    for (const [code, row] of Object.entries(extra.diagnosedRows)) {
      const lines = s.diagnostics.filter((d) => d.code === code).map((d) => d.line);
      expect(lines).toEqual([s.data.rowLines[row as number]]);
    }
    const s2 = scan(file, "2.1");
    expect(s2.diagnostics).toEqual([]);
    const values = s2.data.columns.flatMap((c) => Array.from(c));
    for (const v of extra.valuesScan2) expect(values).toContain(expectedNumber(v));
  });

  test("tabs.spec: TABs separate names and values", () => {
    const { file, extra } = load("tabs.spec");
    const s = scan(file, "1.1");
    expect(s.positioners.map((p) => p.name)).toEqual(extra.motorNames);
    expect(s.data.rows).toBeGreaterThan(0);
    expect(s.data.short).toEqual([]);
    expect(s.data.extras).toEqual([]);
  });

  test("single_col.spec: one column, every row", () => {
    const { file, extra } = load("single_col.spec");
    for (const [key, columns] of Object.entries(extra.columns)) {
      expect(scan(file, key).data.columns.length).toBe(columns);
    }
    expect(scan(file, "1.1").comments.map((c) => c.text)).toContain(extra.abortComment);
  });

  test("cr_only.spec: the same model as its LF twin, and the same bytes back", () => {
    const cr = load("cr_only.spec");
    const lf = load("cr_only_lf.spec");
    expectSameBytes(print(cr.file), cr.bytes);
    const view = (f: SpecFile) =>
      f.scans.map((s) => ({
        key: s.key,
        labels: s.labels,
        columns: s.data.columns.map((c) => Array.from(c)),
        positioners: s.positioners,
        comments: s.comments,
        lines: s.lines.map(({ eol, offset, ...rest }) => rest),
      }));
    expect(view(cr.file)).toEqual(view(lf.file));
    expect(cr.file.scans[0]?.lines[0]?.eol).toBe("\r");
    expect(parsedStrings(cr.file).filter((text) => text.includes("\r"))).toEqual([]);
  });

  test("crlf.spec: no \\r in any string, no empty names, aliases, CRLF kept", () => {
    const { bytes, file, extra } = load("crlf.spec");
    expectSameBytes(print(file), bytes);
    const s = scan(file, "1.1");
    expect(s.data.aliases).toEqual(extra.aliases);
    expect(s.header?.counterNames.get(0)).toEqual(extra.counterNames);
    expect(s.header?.counterMnemonics.get(0)).toEqual(extra.counterMnemonics);
    expect(s.positioners.map((p) => p.mnemonic)).toEqual(extra.motorMnemonics);
    expect(s.positioners.every((p) => p.name.trim() === p.name && p.name !== "")).toBe(true);
    expect(parsedStrings(file).filter((text) => text.includes("\r"))).toEqual([]);
    expect(new Set(s.lines.map((l) => l.eol))).toEqual(new Set(["\r\n"]));
  });

  test("no_trailing_newline.spec: the last row counts", () => {
    const { bytes, file, extra } = load("no_trailing_newline.spec");
    const s = file.scans[file.scanCount - 1] as Scan;
    const last = s.lines[s.lines.length - 1];
    expect(last?.text).toBe(extra.lastLine);
    expect(last?.eol).toBe("");
    expect(s.data.rowLines[s.data.rows - 1]).toBe(last?.line);
    expectSameBytes(print(file), bytes);
  });

  test("trailing_L_spaces.spec: trailing blanks make no empty label", () => {
    const { file } = load("trailing_L_spaces.spec");
    expect(scan(file, "1.1").labels).toEqual(["a", "b"]);
    expect(scan(file, "2.1").labels).toEqual(["Two Theta", "Seconds", "Ion Ch 1"]);
  });

  test("hash_S_custom_key.spec: #SAMPLE is a control line, not a scan", () => {
    const { file, extra } = load("hash_S_custom_key.spec");
    expect(file.scanCount).toBe(2);
    const found = file.scans.flatMap((s) => s.control(extra.customKey));
    expect(found.map((c) => c.line)).toEqual(extra.customKeyLines);
    expect(found.every((c) => c.text.trim() === extra.customKeyText)).toBe(true);
    for (const [key, row] of Object.entries(extra.customKeyRow)) {
      expect(scan(file, key).control(extra.customKey)[0]?.afterRow).toBe(row);
    }
  });

  test("S_two_spaces.spec: the number follows any run of blanks", () => {
    const { file } = load("S_two_spaces.spec");
    expect(file.scanEntries.map((e) => e.number)).toEqual([5, 6, 7]);
    expect(scan(file, "5.1").command).toBe("ascan  theta 10 10.4  4 1");
  });

  test("at_A1.spec: @A1 and @A2 are two devices; their digit is not a value", () => {
    const { file, extra } = load("at_A1.spec");
    const s = scan(file, "1.1");
    const mca = s.mca;
    expect(mca?.devices.map((d) => d.name)).toEqual(["@A1", "@A2"]);
    expect(mca?.devices.map((d) => d.spectra.length)).toEqual([4, 4]);
    const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
    const first = mca?.spectra[0]?.values as Float64Array;
    expect(Array.from(first.slice(0, 4))).toEqual(extra.firstSpectrum.head);
    expect(first.length).toBe(extra.firstSpectrum.length);
    expect(sum(first)).toBe(extra.firstSpectrum.sum);
    expect(sum(mca?.spectra[1]?.values as Float64Array)).toBe(extra.secondSpectrum.sum);
    const last = mca?.spectra[mca.spectra.length - 1]?.values as Float64Array;
    expect(sum(last)).toBe(extra.lastSpectrum.sum);
    const comment = s.comments.find((c) => c.line === extra.comment.line);
    expect(comment?.text).toBe(extra.comment.text);
    expect(comment?.afterRow).toBe(extra.comment.commentRow);
    expect(s.diagnostics.map((d) => d.code)).not.toContain("MCA_ROW_MISMATCH");
  });

  test("first_row_short.spec: only the short row is flagged", () => {
    const { file, extra } = load("first_row_short.spec");
    for (const [key, rows] of Object.entries(extra.flaggedRowIndices)) {
      const s = scan(file, key);
      expect(s.data.short.map((r) => r.row)).toEqual(rows);
      expect(s.data.rows).toBe(extra.rowWidths[key].length);
    }
    const s = scan(file, "1.1");
    expect(s.data.columns.map((c) => c[0])).toEqual(extra.firstRowPadded.map(expectedNumber));
  });

  test("extra_column.spec: the extra value is kept and reported", () => {
    const { file, extra } = load("extra_column.spec");
    const s = scan(file, "1.1");
    expect(s.data.extras).toEqual([
      { row: extra.longRowIndex, values: extra.extraValues, raw: extra.extraValues.map(String) },
    ]);
    expect(s.data.columns.length).toBe(5);
  });

  test("wide600.spec: 600 columns", () => {
    const { file, extra } = load("wide600.spec");
    const s = scan(file, "1.1");
    expect(s.data.columns.length).toBe(extra.columns);
    expect(s.labels.slice(0, 5)).toEqual(extra.firstLabels);
    expect(s.labels[s.labels.length - 1]).toBe(extra.lastLabel);
  });

  test("latin1.spec: per-line decoding, raw bytes kept", () => {
    const { bytes, file, extra } = load("latin1.spec");
    expectSameBytes(print(file), bytes);
    const allLines = [
      ...file.headers.flatMap((h) => h.lines),
      ...file.scans.flatMap((s) => s.lines),
    ];
    const reported = file.diagnostics
      .filter((d) => d.code === "DECODE_FALLBACK")
      .map((d) => d.line);
    for (const want of extra.decodedLines) {
      expect(allLines.find((l) => l.line === want.line)?.text).toBe(want.text);
      expect(reported.includes(want.line)).toBe(want.fallback);
    }
  });

  test("bom.spec: header recognised after the BOM, which is kept", () => {
    const { bytes, file, extra } = load("bom.spec");
    expect(file.bom).toBe(true);
    expect(file.headers[0]?.lines[0]?.text).toBe(extra.firstLine);
    expect(file.headers[0]?.epoch).toBe(extra.headerEpoch);
    expectSameBytes(print(file), bytes);
  });

  test("no_date.spec: missing and epoch dates", () => {
    const { file, extra } = load("no_date.spec");
    for (const [key, raw] of Object.entries(extra.rawDates)) {
      expect(scan(file, key).date?.raw ?? null).toBe(raw);
    }
    for (const [key, date] of Object.entries(extra.dates)) {
      const want = date as { epoch: number; utc: string } | null;
      const actual = scan(file, key).date;
      expect(actual?.epoch ?? null).toBe(want?.epoch ?? null);
      if (want) expect(new Date((actual?.epoch ?? 0) * 1000).toISOString()).toBe(want.utc);
    }
  });

  test("dup_header_no_F.spec: #E after data starts a header that later scans use", () => {
    const { file, extra } = load("dup_header_no_F.spec");
    expect(file.headers.map((h) => [h.line, h.startsWith, h.epoch])).toEqual(
      extra.headers.map((h: { line: number; startsWith: string; epoch: number }) => [
        h.line,
        h.startsWith,
        h.epoch,
      ]),
    );
    const s2 = scan(file, "2.1");
    expect(s2.data.rowLines[s2.data.rows - 1]).toBe(extra.scan2LastRowLine);
    expect(scan(file, "3.1").header?.line).toBe(extra.headers[1].line);
    expect(scan(file, "3.1").positioners.length).toBe(11);
  });

  test("wrapped_rows.spec: #N 15 8 rows are joined", () => {
    const { file, extra } = load("wrapped_rows.spec");
    const s = scan(file, "1.1");
    expect(s.valuesPerLine).toBe(extra.valuesPerLine);
    expect(s.data.columns.length).toBe(extra.columns);
    expect(s.data.aliases).toEqual(extra.aliases);
    expect(file.preamble.map((l) => l.line)).toEqual(extra.preambleLines);
    expect(s.header).toBeNull();
  });

  test("broken_row_glued_comment.spec: complete rows only, broken row and abort recovered", () => {
    const { file, extra } = load("broken_row_glued_comment.spec");
    const s = scan(file, "1.1");
    expect(s.data.broken).toEqual([{ lines: extra.brokenRowLines, tokens: extra.brokenRowTokens }]);
    const glued = s.comments.find((c) => c.glued);
    expect(glued).toMatchObject({ text: extra.abortComment, line: extra.abortCommentLine });
    expect(s.abortedAfter).toBe(s.data.rows);
  });

  test("truncated_duplicate.spec: both copies kept, the first flagged", () => {
    const { file, extra } = load("truncated_duplicate.spec");
    expect(scan(file, extra.truncated).possiblyTruncated).toBe(true);
    expect(scan(file, extra.completeCopy).possiblyTruncated).toBe(false);
    const first = scan(file, extra.truncated);
    const second = scan(file, extra.completeCopy);
    for (let row = 0; row < extra.sharedPrefixRows; row++) {
      expect(first.data.columns.map((c) => c[row])).toEqual(second.data.columns.map((c) => c[row]));
    }
    expect(second.comments.map((c) => c.text)).toContain(extra.abortComment);
  });

  test("headerless_nan.spec: no header, per-scan positioners, NaN not 0", () => {
    const { file, extra } = load("headerless_nan.spec");
    expect(file.headers).toEqual([]);
    expect(file.scanEntries.map((e) => e.number)).toEqual(extra.scanNumbers);
    for (const key of extra.headerOnly) expect(scan(file, key).data.rows).toBe(0);
    for (const [key, count] of Object.entries(extra.positionerCounts)) {
      expect(scan(file, key).positioners.length).toBe(count);
    }
    const nan = column(scan(file, "1.1"), extra.nanColumn);
    expect(nan.length).toBeGreaterThan(0);
    expect(nan.every(Number.isNaN)).toBe(true);
    for (const [key, date] of Object.entries(extra.dates)) {
      expect(scan(file, key).date?.epoch).toBe((date as { epoch: number }).epoch);
    }
  });

  test("spaced_labels_mca_calib.spec: spaced labels, calibration with device, ROIs from the right", () => {
    const { file, extra } = load("spaced_labels_mca_calib.spec");
    const s = scan(file, "1.1");
    expect(s.preset).toEqual({
      kind: "time",
      value: extra.countTime,
      counter: extra.countTimeCounter,
    });
    const comment = s.comments.find((c) => c.line === extra.comment.line);
    expect(comment?.text).toBe(extra.comment.text);
    expect(comment?.afterRow).toBe(extra.comment.commentRow);
    const device = s.mca?.devices[0];
    expect(device?.calibration).toEqual({
      a: extra.calib[0],
      b: extra.calib[1],
      c: extra.calib[2],
      extra: extra.calibDevice,
    });
    expect(device?.times).toEqual(extra.ctime);
    expect(device?.channels).toMatchObject({
      total: extra.chann.total,
      first: extra.chann.first,
      last: extra.chann.last,
      count: extra.chann.channels,
    });
    expect(s.mca?.rois.map(({ line, ...roi }) => roi)).toEqual(extra.rois);
    const results = s.control("R")[0];
    expect(results?.line).toBe(extra.results.line);
    expect(results?.text.trim()).toBe(extra.results.text);
  });

  test("mca_multi.spec: four 256-channel devices", () => {
    const { file, extra } = load("mca_multi.spec");
    const s = scan(file, "1.1");
    expect(s.mca?.devices.map((d) => d.name)).toEqual(["@A1", "@A2", "@A3", "@A4"]);
    const sums = s.mca?.spectra.map((sp) => sp.values.reduce((a, b) => a + b, 0));
    expect(sums).toEqual(extra.spectrumSums);
    expect(s.mca?.devices.every((d) => d.spectra.every((sp) => sp.length === 256))).toBe(true);
    const calibrations = s.mca?.devices.map((d) => [
      d.calibration?.a,
      d.calibration?.b,
      d.calibration?.c,
    ]);
    expect(calibrations).toEqual(Object.values(extra.calibByDevice));
  });

  test("sca_uxml_continued.spec: continuations joined before interpretation", () => {
    const { file, extra } = load("sca_uxml_continued.spec");
    const s = scan(file, "1.1");
    for (const continuation of extra.continuations) {
      const control = s.controls.find((c) => c.line === continuation.lines[0]);
      expect(`#${control?.key}${control?.text}`).toBe(continuation.joined);
    }
    expect(s.control("@SCA")[0]?.text.trim().split(/\s+/).map(Number)).toEqual(extra.scaValues);
    expect(s.uxml?.wellFormed).toBe(extra.uxmlWellFormed);
    expect(s.uxml?.text.split("\n").length).toBe(extra.uxmlLogicalLines.length);
    expect(s.data.rows).toBe(4);
  });
});

/** The spectra of a scan as the fixtures list them: device, first line, rows before, sum. */
function spectraOf(s: Scan) {
  return (s.mca?.spectra ?? []).map((sp) => ({
    device: sp.device,
    line: sp.line,
    afterRow: sp.afterRow,
    sum: sp.values.reduce((a, b) => a + b, 0),
  }));
}

interface ExpectedDeclaration {
  name: string;
  layout: string;
  chann: { total: number; first: number; last: number; reduction: number; channels: number };
  calib: number[] | null;
  ctime: number[] | null;
}

describe('input from other writers (conformance feature "other writers")', () => {
  test("named_mca_devices.spec: spectra keyed by device name, #@<name> declarations", () => {
    const { bytes, file, extra } = load("named_mca_devices.spec");
    expectSameBytes(print(file), bytes);
    for (const [key, declarations] of Object.entries(extra.declarations)) {
      const s = scan(file, key);
      const wanted = declarations as ExpectedDeclaration[];
      expect(s.mca?.declarations.map((d) => [d.name, d.layout.trim()])).toEqual(
        wanted.map((d) => [d.name, d.layout]),
      );
      // The #@CHANN/#@CALIB/#@CTIME lines after a declaration are that device's.
      for (const device of s.mca?.devices ?? []) {
        const want = wanted.find((d) => d.name === device.name);
        expect(want, device.name).toBeDefined();
        expect(device.channels).toMatchObject({
          total: want?.chann.total,
          first: want?.chann.first,
          last: want?.chann.last,
          reduction: want?.chann.reduction,
          count: want?.chann.channels,
        });
        const calibration = device.calibration;
        expect(calibration && [calibration.a, calibration.b, calibration.c]).toEqual(want?.calib);
        expect(device.times).toEqual(want?.ctime);
      }
      const written = new Set(s.mca?.devices.map((d) => d.name));
      expect(wanted.map((d) => d.name).filter((name) => !written.has(name))).toEqual(
        extra.unwrittenDevices[key],
      );
      expect(spectraOf(s)).toEqual(extra.spectra[key]);
      expect(s.data.rowLines).toEqual(extra.rowLines[key]);
      expect(s.declaredColumns).toBe(extra.declaredColumns[key]);
      expect(Array.from(s.mca?.spectra[0]?.values.slice(0, 25) ?? [])).toEqual(
        extra.firstSpectrumHead[key],
      );
    }
  });

  test("at_A_tagged.spec: @AMCA is one key; its tag is not a value", () => {
    const { bytes, file, extra } = load("at_A_tagged.spec");
    expectSameBytes(print(file), bytes);
    for (const [key, chann] of Object.entries(extra.chann)) {
      const s = scan(file, key);
      const want = chann as ExpectedDeclaration["chann"];
      expect(s.mca?.devices.map((d) => d.name)).toEqual([extra.key]);
      expect(s.mca?.declarations).toEqual([]);
      expect(s.mca?.devices[0]?.channels).toMatchObject({
        total: want.total,
        first: want.first,
        last: want.last,
        count: want.channels,
      });
      const spectra = spectraOf(s).map(({ device, ...rest }) => rest);
      expect(spectra).toEqual(extra.spectra[key]);
      expect(s.mca?.spectra.every((sp) => sp.device === extra.key)).toBe(true);
    }
    const first = scan(file, "1.1").mca?.spectra[0]?.values;
    expect(Array.from(first?.slice(0, 16) ?? [])).toEqual(extra.firstSpectrumHead);
  });

  test("text_lines.spec: text among the rows is kept and not counted; literal rows stay rows", () => {
    const { bytes, file, extra } = load("text_lines.spec");
    expectSameBytes(print(file), bytes);
    const s = scan(file, "1.1");
    expect(s.textLines.map((t) => t.afterRow)).toEqual(extra.textLineRows["1.1"]);
    expect(s.data.rowLines).toEqual(extra.rowLines["1.1"]);
    expect(s.comments.find((c) => c.line === extra.abortComment.line)?.text).toBe(
      extra.abortComment.text,
    );
    const [commentLine, textLine] = extra.wrappedComment.lines;
    expect(s.comments.find((c) => c.line === commentLine)?.text).toBe(extra.wrappedComment.text[0]);
    expect(s.textLines.find((t) => t.line === textLine)?.text).toBe(extra.wrappedComment.text[1]);
    const bluesky = scan(file, "2.1");
    expect(bluesky.textLines).toEqual([]);
    expect(bluesky.data.rowLines).toEqual(extra.rowLines["2.1"]);
    expect(bluesky.data.rows).toBe(extra.numEventsPrimary["2.1"]);
    // The one-word literals are kept with their text (a list's representation is not fixed here).
    const raw = new Set(bluesky.data.special.map((v) => v.raw));
    const words = (extra.literalTokens["2.1"] as string[][]).flat().filter((t) => !t.includes(" "));
    for (const word of words) expect(raw).toContain(word);
  });

  test("fixed_width_O.spec: #O names read from SPEC's 8-character fields", () => {
    const { bytes, file, extra } = load("fixed_width_O.spec");
    expectSameBytes(print(file), bytes);
    const header = scan(file, "1.1").header;
    expect([...(header?.motorNames.values() ?? [])].flat()).toEqual(extra.motorNames.header);
    for (const key of ["1.1", "2.1"]) {
      const s = scan(file, key);
      expect(s.positioners.map((p) => p.name)).toEqual(extra.motorNames.header);
      expect(s.positioners.map((p) => p.mnemonic)).toEqual(extra.motorMnemonics);
    }
    const own = scan(file, "3.1");
    expect(own.positioners.map((p) => p.name)).toEqual(extra.motorNames["3.1"]);
    for (const [key, count] of Object.entries(extra.positionerCounts)) {
      expect(scan(file, key).positioners.length).toBe(count);
      expect(scan(file, key).unnamedPositions).toEqual([]);
    }
  });
});
