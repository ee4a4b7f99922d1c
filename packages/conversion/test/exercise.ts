/**
 * `exercise`, the heart of the fuzzing campaign of issue 7: it walks everything the public API
 * offers on one input, parsing to documents, and checks what must hold for any input at all.
 * The bounds it checks, and why they hold, are next to their constants below. The mutations are
 * @specx/test-support/fuzz.
 */
import { stringifyJson } from "@specx/documents";
import type { DocumentValidator } from "@specx/documents/validate";
import {
  checkFile,
  type Diagnostic,
  type DiagnosticCode,
  diagnosticRules,
  memorySource,
  parse,
  print,
  printText,
  type ReadOptions,
  type Scan,
  SpecFile,
  scanWriter,
} from "@specx/spec-parser";
import { parse as parseOnNode } from "@specx/spec-parser/node";
import { lineStarts } from "@specx/test-support/fuzz";
import { expect } from "vitest";
import { fileToRuns } from "../src/file-to-runs.js";
import { planFromCommand, unquotedCommand } from "../src/plan-command.js";
import { headerSettings, v1UserComments } from "../src/writer-settings.js";

// ---------------------------------------------------------------------------------------------
// The bounds
// ---------------------------------------------------------------------------------------------

/**
 * Bytes of numbers (data columns and MCA spectra, 8 bytes a value) per byte of input. A data
 * table never has more cells than half its scan's bytes (a value takes a digit and a blank; a
 * padded table is cut there, `buildTable`), so columns hold at most 4 bytes per byte of the
 * scan; spectra hold at most one value per two bytes of their lines (`buildMca`), 4 more.
 */
export const NUMBER_BYTES_PER_BYTE = 8;

/**
 * Codes reported once per value rather than once per line: there are at most as many as
 * blank-separated tokens, one per two bytes. Any other code is reported at most once per line
 * of a scan (or of the file), which `exercise` checks directly.
 */
const PER_VALUE_CODES = new Set<DiagnosticCode>([
  "NON_NUMERIC_TOKEN",
  "FORTRAN_EXPONENT",
  "MCA_BAD_VALUE",
]);
const CODE_COUNT = Object.keys(diagnosticRules).length;

/**
 * JSON bytes of the documents per byte of input. What a byte makes most of is a column that has
 * a name and no value to speak of: its data key (~140 bytes), object_keys, configuration and
 * hints (~130) name it again and again. Measured on 200 kB inputs: `#N 200000` believed for a
 * scan of as many bytes (of comments) without rows or `#L`, 278 per byte (synthetic names, all
 * from one count); a row of 100,000 `x` values, 188 (each `x ` a column of its own, with its
 * event data, timestamps and NON_NUMERIC_TOKEN message); 100,000 one-value rows, 101 to 130 (an
 * event per 2 bytes). The ratio grows by about 6 per digit of the column count, so 320 holds up
 * to 10 million columns.
 */
export const JSON_BYTES_PER_BYTE = 320;
/**
 * JSON bytes of a run whatever its scan holds: uids, times, the start with its provenance, a
 * descriptor and a stop, and the messages of the findings every scan may have (MISSING_DATE, …).
 * Measured: 0.4 to 1.2 kB.
 */
export const JSON_BYTES_PER_RUN = 8192;
/**
 * JSON bytes of a run per byte of the headers before it. Each run repeats what its header says:
 * the file name, the header comments, the owner, motor names and mnemonics (each of those in up
 * to 12 places of the label_start_motor stream). A character takes at most 6 bytes of JSON
 * (`\u00e9`), so 16 places × 6.
 */
export const JSON_BYTES_PER_HEADER_BYTE = 96;

// ---------------------------------------------------------------------------------------------
// Exercise everything
// ---------------------------------------------------------------------------------------------

export interface ExerciseOptions {
  /** Convert every scan to documents (default true). */
  documents?: boolean;
  /** Also validate the documents against the event-model schemas. */
  validator?: DocumentValidator;
  /**
   * Also read the bytes with these options and with Node's `parse`, and require the same
   * model: chunk sizes, the fast number path and the byte decoders must not change a thing.
   */
  compareWith?: ReadOptions;
}

/** What one input made, for the bounds and for the campaign's report. */
export interface Exercised {
  file: SpecFile;
  lines: number;
  diagnostics: number;
  numberBytes: number;
  jsonBytes: number;
  runs: number;
  headerBytes: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses `bytes` and walks everything the public API offers: blocks, headers, every scan and
 * its table, positioners, MCA data, metadata and diagnostics, the semantic checks, printing, and
 * the conversion to documents. Nothing may throw, and what holds for any input is checked: the
 * same bytes back, well-formed diagnostics, a consistent model, and bounded output.
 */
export function exercise(bytes: Uint8Array, options: ExerciseOptions = {}): Exercised {
  const problems: string[] = [];
  const check = (ok: boolean, what: () => string) => {
    if (!ok && problems.length < 20) problems.push(what());
  };

  const file = parse(bytes);
  const bom = file.bom ? 3 : 0;
  const starts = lineStarts(bytes, bom);
  const lineCount = starts.length - 1;
  check(file.byteLength === bytes.length, () => `byteLength ${file.byteLength}`);
  check(file.lineCount === lineCount, () => `lineCount ${file.lineCount}, expected ${lineCount}`);

  // Printing gives the bytes back; as text, the decoded bytes when they are valid UTF-8.
  const printed = print(file);
  check(printed.length === bytes.length && firstDifference(printed, bytes) < 0, () => {
    return `print differs at byte ${firstDifference(printed, bytes)} (lengths ${printed.length}, ${bytes.length})`;
  });
  const text = printText(file);
  const utf8 = validUtf8(bytes);
  check(utf8 === null || text === utf8, () => "printText differs from the UTF-8 text");

  // Blocks tile the lines: the preamble (first, if any), then headers and scans.
  const blocks = file.blocks;
  let next = 0;
  blocks.forEach((block, i) => {
    check(block.firstLine === next && block.endLine > block.firstLine, () => {
      return `block ${i} is lines [${block.firstLine}, ${block.endLine}) after ${next}`;
    });
    check(block.kind !== "preamble" || i === 0, () => `preamble at block ${i}`);
    next = block.endLine;
  });
  check(next === lineCount, () => `blocks end at line ${next} of ${lineCount}`);
  const scanBlocks = blocks.filter((block) => block.kind === "scan");
  const headerBlocks = blocks.filter((block) => block.kind === "header");
  const blockBytes = (block: { firstLine: number; endLine: number }) =>
    (starts[block.endLine] as number) - (starts[block.firstLine] as number);
  const headerBytes = headerBlocks.reduce((sum, block) => sum + blockBytes(block), 0);

  // The index: one entry per scan block, unique keys that find their scan.
  const entries = file.scanEntries;
  check(entries.length === scanBlocks.length, () => `${entries.length} entries`);
  check(new Set(entries.map((e) => e.key)).size === entries.length, () => "repeated scan keys");
  entries.forEach((entry, i) => {
    check(entry.index === i && entry.line === (scanBlocks[i]?.firstLine ?? -1) + 1, () => {
      return `entry ${i} at line ${entry.line}`;
    });
    check(entry.offset === starts[entry.line - 1], () => `entry ${i} at byte ${entry.offset}`);
  });
  for (const entry of entries.slice(0, 50)) {
    check(file.scan(entry.key)?.index === entry.index, () => `scan(${entry.key})`);
    check(file.scanBySpec2nexusKey(entry.spec2nexusKey) !== undefined, () => entry.spec2nexusKey);
  }

  // Headers and the preamble.
  const headers = file.headers;
  headers.forEach((header, i) => {
    const block = headerBlocks[i];
    check(header.lines.length === (block ? block.endLine - block.firstLine : -1), () => {
      return `header ${i} has ${header.lines.length} lines`;
    });
    check(header.line === (block?.firstLine ?? -1) + 1, () => `header ${i} at ${header.line}`);
  });
  const preamble = file.preamble;
  check(preamble.length === (blocks[0]?.kind === "preamble" ? blocks[0].endLine : 0), () => {
    return `preamble of ${preamble.length} lines`;
  });

  // Every scan: its table, positioners, MCA data, metadata and findings.
  const buffers = new Set<ArrayBufferLike>();
  let scanFindings = 0;
  let perValueFindings = 0;
  for (let i = 0; i < entries.length; i++) {
    const scan = file.scanAt(i);
    if (!scan) {
      check(false, () => `no scan at ${i}`);
      continue;
    }
    const block = scanBlocks[i] ?? { firstLine: 0, endLine: 0 };
    checkScan(scan, i, block, lineCount, check);
    for (const column of scan.data.columns) buffers.add(column.buffer);
    for (const spectrum of scan.mca?.spectra ?? []) buffers.add(spectrum.values.buffer);
    scanFindings += scan.diagnostics.length;
    for (const finding of scan.diagnostics)
      if (PER_VALUE_CODES.has(finding.code)) perValueFindings++;
    // The helpers the documents conversion and the writer use, on every scan.
    scanWriter(scan);
    headerSettings(scan);
    v1UserComments(scan);
    planFromCommand(scan.command, { quotedStrings: !unquotedCommand(scan.command) });
  }
  const numberBytes = [...buffers].reduce((sum, buffer) => sum + buffer.byteLength, 0);

  // The file's findings: its own, then every scan's.
  const fileFindings = file.fileDiagnostics;
  for (const finding of fileFindings) {
    checkDiagnostic(finding, null, lineCount, check);
    if (finding.line === null) check(false, () => `${finding.code} without a line`);
  }
  checkOncePerLine(fileFindings, check);
  const all = file.diagnostics;
  check(all.length === fileFindings.length + scanFindings, () => `${all.length} findings`);
  // The lexer and the grammar accept any input: an INTERNAL finding is a bug of specx.
  for (const finding of all) check(finding.code !== "INTERNAL", () => finding.message);
  for (const finding of checkFile(file)) {
    checkDiagnostic(finding, finding.scan, lineCount, check);
  }

  // Documents.
  let jsonBytes = 0;
  let runCount = 0;
  if (options.documents !== false) {
    const runs = fileToRuns(file);
    runCount = runs.length;
    const scanKeys = new Set(entries.map((entry) => entry.key));
    const scanRuns = runs.filter((run) => scanKeys.has(run.key));
    check(scanRuns.length === entries.length, () => `${scanRuns.length} runs of scans`);
    for (const run of runs) {
      for (const document of run.documents) jsonBytes += stringifyJson(document).length + 1;
      if (options.validator) {
        // Resource and datum documents are the file's own (`#U externals`), passed on as written.
        // A column whose cells are lists in some rows and other values in others (an apstools
        // v1 row, or a cell a mutation damaged) keeps each cell's value: no DataKey shape fits
        // it, as none fit the stream it was written from; its shape finding is the only one
        // allowed (documents-roundtrip.test.ts: syn-values' `arr`).
        const mixed = mixedColumns(run.documents);
        const invalid = options.validator
          .validateRun(run.documents)
          .filter((problem) => problem.name !== "resource" && problem.name !== "datum")
          .filter((problem) => !mixed.has(/^data\["(.*?)"\] /.exec(problem.message)?.[1] ?? ""));
        check(invalid.length === 0, () => {
          return `run ${run.key}: ${invalid
            .slice(0, 2)
            .map((p) => `${p.name}: ${p.message}`)
            .join("; ")}`;
        });
      }
    }
  }

  // The bounds (see their constants).
  check(numberBytes <= NUMBER_BYTES_PER_BYTE * bytes.length, () => {
    return `${numberBytes} bytes of numbers for ${bytes.length} bytes`;
  });
  check(perValueFindings <= (bytes.length + 1) / 2, () => `${perValueFindings} value findings`);
  check(all.length <= CODE_COUNT * (lineCount + 1) + (bytes.length + 1) / 2, () => {
    return `${all.length} findings for ${lineCount} lines`;
  });
  const jsonBound =
    JSON_BYTES_PER_BYTE * bytes.length +
    runCount * (JSON_BYTES_PER_RUN + JSON_BYTES_PER_HEADER_BYTE * headerBytes);
  check(jsonBytes <= jsonBound, () => `${jsonBytes} bytes of JSON, bound ${jsonBound}`);

  if (options.compareWith) {
    const expected = modelView(file);
    const other = new SpecFile(memorySource(bytes), options.compareWith);
    check(
      sameView(modelView(other), expected),
      () => `${JSON.stringify(options.compareWith)} differs`,
    );
    check(sameView(modelView(parseOnNode(bytes)), expected), () => "Node's parse differs");
  }

  expect(problems).toEqual([]);
  return {
    file,
    lines: lineCount,
    diagnostics: all.length,
    numberBytes,
    jsonBytes,
    runs: runCount,
    headerBytes,
  };
}

/** Data keys whose event values are lists in some events and other non-null values in others. */
function mixedColumns(documents: readonly (readonly [string, unknown])[]): Set<string> {
  const lists = new Set<string>();
  const others = new Set<string>();
  for (const [name, document] of documents) {
    if (name !== "event") continue;
    const data = (document as { data?: Record<string, unknown> }).data ?? {};
    for (const [key, value] of Object.entries(data)) {
      if (Array.isArray(value)) lists.add(key);
      else if (value !== null) others.add(key);
    }
  }
  return new Set([...lists].filter((key) => others.has(key)));
}

type Check = (ok: boolean, what: () => string) => void;

/** What must hold for every scan, whatever the file. */
function checkScan(
  scan: Scan,
  index: number,
  block: { firstLine: number; endLine: number },
  lineCount: number,
  check: Check,
): void {
  const { data } = scan;
  const where = `scan ${scan.key}`;
  check(
    scan.index === index && scan.line === block.firstLine + 1,
    () => `${where} at ${scan.line}`,
  );
  const width = data.columns.length;
  check(
    data.names.length === width &&
      data.aliases.length === width &&
      data.synthetic.length === width &&
      data.integer.length === width,
    () => `${where}: ${width} columns, ${data.names.length} names`,
  );
  check(
    data.columns.every((column) => column.length === data.rows) &&
      data.rowLines.length === data.rows,
    () => `${where}: columns of other lengths than ${data.rows} rows`,
  );
  check(new Set(data.aliases).size === width, () => `${where}: repeated aliases`);
  check(
    data.names.every((name, c) =>
      c < scan.labels.length ? name === scan.labels[c] : data.synthetic[c],
    ),
    () => `${where}: names are not the labels`,
  );
  check(
    data.rowLines.every((line) => line > block.firstLine + 1 && line <= block.endLine),
    () => `${where}: a row outside the scan`,
  );
  // A few lookups (a lookup searches the names, so not one per column of a wide scan).
  for (const name of [data.aliases[0], data.aliases[width - 1], scan.labels[0]]) {
    if (name !== undefined)
      check(scan.column(name) !== undefined, () => `${where}: column(${name})`);
  }
  scan.control("O");
  const lines = scan.lines;
  check(lines.length === block.endLine - block.firstLine && lines[0]?.line === scan.line, () => {
    return `${where}: ${lines.length} lines`;
  });
  for (const p of scan.positioners) check(typeof p.value === "number", () => `${where}: ${p.name}`);
  check(
    Object.keys(scan.metadata).every((key) => key in scan.metadataText),
    () => `${where}: metadata without its text`,
  );
  const mca = scan.mca;
  if (mca) {
    const held = mca.devices.reduce((sum, device) => sum + device.spectra.length, 0);
    check(held === mca.spectra.length, () => `${where}: devices hold ${held} spectra`);
  }
  for (const finding of scan.diagnostics) checkDiagnostic(finding, scan.key, lineCount, check);
  checkOncePerLine(scan.diagnostics, check);
}

/** A finding is well formed: a known code, its severity, a line of the file and a message. */
function checkDiagnostic(
  finding: Diagnostic,
  scan: string | null,
  lineCount: number,
  check: Check,
): void {
  const rule = diagnosticRules[finding.code];
  check(rule !== undefined && finding.severity === rule.severity, () => `code ${finding.code}`);
  check(finding.scan === scan, () => `${finding.code} of scan ${finding.scan}, not ${scan}`);
  // Null only for a finding about the whole file (the contract of Diagnostic.line).
  const lineOk =
    finding.line === null
      ? scan === null && finding.code === "NO_SCANS"
      : Number.isInteger(finding.line) && finding.line >= 1 && finding.line <= lineCount;
  check(lineOk, () => `${finding.code} at line ${finding.line} of ${lineCount}`);
  check(typeof finding.message === "string" && finding.message.length > 0, () => "no message");
}

/** No line has two findings of one code, except codes reported once per value. */
function checkOncePerLine(findings: readonly Diagnostic[], check: Check): void {
  const seen = new Set<string>();
  for (const finding of findings) {
    if (PER_VALUE_CODES.has(finding.code)) continue;
    const key = `${finding.scan} ${finding.line} ${finding.code}`;
    check(!seen.has(key), () => `twice: ${key}`);
    seen.add(key);
  }
}

/** Everything a reader decides, in a form two reads can be compared by. */
function modelView(file: SpecFile): unknown {
  return {
    lines: file.lineCount,
    blocks: file.blocks,
    entries: file.scanEntries,
    diagnostics: file.diagnostics,
    scans: file.scans.map((scan) => ({
      key: scan.key,
      labels: scan.labels,
      data: { ...scan.data, columns: scan.data.columns.map((column) => Array.from(column)) },
      comments: scan.comments,
      metadataText: scan.metadataText,
      positioners: scan.positioners,
      mca: scan.mca?.spectra.map((spectrum) => Array.from(spectrum.values)),
    })),
  };
}

/** Deep equality where NaN equals NaN (and -0 is not 0), for model views. */
function sameView(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, numberText) === JSON.stringify(b, numberText);
}

function numberText(_: string, value: unknown): unknown {
  if (typeof value !== "number") return value;
  return Number.isFinite(value) && !Object.is(value, -0)
    ? value
    : String(Object.is(value, -0) ? "-0" : value);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

function validUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
