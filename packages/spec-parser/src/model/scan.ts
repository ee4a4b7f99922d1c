/** Interpretation of one scan block: everything from its `#S` line to the next block. */
import { type Diagnostic, type DiagnosticCode, diagnostic } from "../diagnostics.js";
import { detach } from "../parse/bytes.js";
import { buildTable, type DataLineTokens, type PlainRows } from "./data.js";
import { isReadableDate, readDate } from "./dates.js";
import { addRow, collectControls, commentText, rowsOf } from "./header.js";
import { type DataRowRefs, dataRowText, type SpectrumRefs } from "./lines.js";
import { buildMca, type McaControl, readSpectra, type SpectraRead } from "./mca.js";
import { pairPositioners, type Rows } from "./positioners.js";
import { type LiteralValue, parsePythonLiteral } from "./python-literal.js";
import {
  countWordsInBytes,
  isPlainDecimal,
  isTextLine,
  readNumber,
  readNumbers,
  readPlainValues,
  readValue,
  splitNames,
  splitUnicatValues,
  splitWords,
} from "./text.js";
import type {
  Comment,
  ControlLine,
  CountPreset,
  FileHeader,
  Scan,
  SourceLine,
  TextLine,
} from "./types.js";
import { uxmlProblem } from "./uxml.js";
import { writtenByBluesky } from "./writers.js";

/** Number and command of a `#S` line. */
export interface ScanLineParts {
  /** The first token after `#S`, or "" when there is none. */
  numberToken: string;
  number: number | null;
  command: string;
}

/** Reads `#S <number> <command>`; the number follows any run of blanks, or none (`#S1`). */
export function readScanLine(text: string): ScanLineParts {
  const match = /^#S[\t ]*([^\t ]*)[\t ]*/.exec(text);
  const numberToken = match?.[1] ?? "";
  const number = /^\d+$/.test(numberToken) ? Number(numberToken) : null;
  // Trailing blanks are cut by a loop: a lazy command before `[\t ]*$` retried the blanks at
  // every character, so a long run of blanks inside a command cost its length squared.
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  const command = match ? text.slice(match[0].length, Math.max(end, match[0].length)) : "";
  return { numberToken, number, command };
}

/** Everything a scan's interpretation needs from the file. */
export interface ScanContext {
  index: number;
  key: string;
  spec2nexusKey: string;
  /** The block's lines other than data rows, in order. */
  lines: SourceLine[];
  /** The block's data rows, as ranges of its text. */
  rows: DataRowRefs;
  /** The block's MCA spectra, as ranges of its text. */
  spectra: SpectrumRefs;
  /** Try the fast number paths for the rows and spectra (see `ReadOptions.plainRows`). */
  plainRows: boolean;
  /**
   * Read the MCA spectra and `#@` lines (see `ScanReadOptions.spectra`); when false, `mca` is
   * null and no MCA finding is made.
   */
  withSpectra: boolean;
  /** Every line of the block, decoded: read again only when someone asks for `scan.lines`. */
  allLines: () => SourceLine[];
  /** Line numbers that were not valid UTF-8. */
  latin1Lines: number[];
  /** The governing header, or null before any header. */
  header: FileHeader | null;
  /**
   * Headers before the governing one, nearest first, for the `#O` fallback: iterated only when
   * neither the scan nor its header names its `#P` positions, so given lazily.
   */
  earlierHeaders: Iterable<FileHeader>;
}

const ABORT = /Scan aborted after (\d+) points?\./;

/** What a scan read without its spectra holds of them: nothing (never added to). */
const SPECTRA_UNREAD: SpectraRead = {
  records: [],
  values: new Float64Array(0),
  latin1Lines: [],
  badValues: [],
};

/** Interprets a scan. Never throws on content; findings are in `scan.diagnostics`. */
export function interpretScan(context: ScanContext): Scan {
  const { key, lines } = context;
  const diagnostics: Diagnostic[] = [];
  const report = (code: DiagnosticCode, line: number | null, message: string) =>
    diagnostics.push(diagnostic(code, line, key, message));
  const reportLatin1 = (line: number) =>
    report("DECODE_FALLBACK", line, "line is not valid UTF-8; read as Latin-1");
  // Spectra are read first: their lines' decoding findings come in line order with the others'.
  const spectra = context.withSpectra
    ? readSpectra(context.spectra, context.plainRows)
    : SPECTRA_UNREAD;
  const latin1Lines = mergeAscending(context.latin1Lines, spectra.latin1Lines);
  for (let i = 0; i < latin1Lines.length; i++) reportLatin1(latin1Lines[i] as number);

  const scanLine = readScanLine(lines[0]?.text ?? "#S");
  const firstLine = lines[0]?.line ?? 0;
  if (scanLine.number === null) {
    report("BAD_SCAN_NUMBER", firstLine, `'#S ${scanLine.numberToken}' has no scan number`);
  }

  // Control lines first (their row positions are filled in once the rows are known).
  const { controls, comments } = collectControls(lines, () => null, diagnostics, key);
  // One pass over the controls for every line read below, instead of a filter or a map a key.
  const found = findControls(controls);
  const labelLine = found.label;
  // Rows of bluesky-written scans may hold Python literals, which are values, not text.
  // Split once: the table reads them again.
  const labelNames = labelLine ? splitNames(labelLine.text) : [];
  const pythonLiterals = writtenByBluesky({
    controls,
    comments,
    labels: labelNames,
    header: context.header,
  });
  const textLines: TextLine[] = [];
  // The comment each text line may continue, by line: text lines come in file order, so a line
  // below another takes its answer (a scan may hold a hundred thousand text lines in a row).
  // Made at the first text line: most scans have none.
  let continuing: Map<number, number | null> | undefined;
  let commentLines: Set<number> | undefined;
  const keepText = (line: number, text: string) => {
    textLines.push({ text: detach(text), line, afterRow: null });
    continuing ??= new Map();
    commentLines ??= new Set(comments.map((comment) => comment.line));
    const above = continuing.get(line - 1);
    const continued = above !== undefined ? above : commentLines.has(line - 1) ? line - 1 : null;
    continuing.set(line, continued);
    report(
      "TEXT_LINE",
      line,
      `text among the data, not a row: '${text}'${continued ? ` (it may continue the #C comment on line ${continued})` : ""}`,
    );
  };

  // Walk the lines for data rows, MCA spectra and multi-line #MD values.
  const { rows } = context;
  /**
   * The first of the rows after #L (an index into `rows`): rows come in line order, so every row
   * from it on is after #L too, and they make the table. `rows.count` while there is none.
   */
  let firstTableRow = rows.count;
  const spectrumRecords = spectra.records;
  // Continuation text of each #MD line; made at the first one.
  let mdExtra: Map<ControlLine, string[]> | undefined;
  let mdTarget: ControlLine | null = null;
  let nextRow = 0;
  /** Takes the data rows above line `limit`, which lie between the lines walked. */
  const takeRowsBefore = (limit: number) => {
    for (; nextRow < rows.count && (rows.lines[nextRow] as number) < limit; nextRow++) {
      const lineNumber = rows.lines[nextRow] as number;
      if (labelLine === null || lineNumber > labelLine.line) {
        if (firstTableRow === rows.count) firstTableRow = nextRow;
        continue;
      }
      const decoded = dataRowText(rows, nextRow);
      if (decoded.latin1Fallback) reportLatin1(lineNumber);
      if (mdTarget) {
        mdExtra ??= new Map();
        const extra = mdExtra.get(mdTarget) ?? [];
        extra.push(decoded.text);
        mdExtra.set(mdTarget, extra);
      } else if (isTextLine(splitWords(decoded.text), pythonLiterals)) {
        keepText(lineNumber, decoded.text);
      } else {
        report("STRAY_LINE", lineNumber, "data line before #L");
      }
    }
  };
  let nextSpectrum = 0;
  /** Takes the spectra and data rows above line `limit`, in line order. */
  const takeBefore = (limit: number) => {
    for (; nextSpectrum < spectrumRecords.length; nextSpectrum++) {
      const record = spectrumRecords[nextSpectrum] as (typeof spectrumRecords)[number];
      if (record.line >= limit) break;
      takeRowsBefore(record.line);
      if (record.unterminated) {
        report(
          "MCA_UNTERMINATED",
          record.endLine,
          `spectrum ${record.device} ends in a backslash, but no continuation line follows`,
        );
      }
    }
    takeRowsBefore(limit);
  };
  // Controls come in line order, as the lines do: the control of a line is found by walking both.
  let nextControl = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = (lines[i] as SourceLine).line;
    takeBefore(lineNumber);
    while (
      nextControl < controls.length &&
      (controls[nextControl] as ControlLine).line < lineNumber
    ) {
      nextControl++;
    }
    const control = controls[nextControl];
    if (control?.line === lineNumber) mdTarget = control.key === "MD" ? control : null;
  }
  takeBefore(Number.POSITIVE_INFINITY);

  // The rows: read straight from the bytes as numbers when every one is plain, else as tokens.
  const plain = context.plainRows ? readPlainRows(rows, firstTableRow) : null;
  const dataLines: DataLineTokens[] = plain
    ? []
    : tokenRows(rows, firstTableRow, reportLatin1).filter((row) => {
        if (!isTextLine(row.tokens, pythonLiterals)) return true;
        keepText(row.line, row.text);
        return false;
      });
  for (let i = 0; i < dataLines.length; i++) {
    const row = dataLines[i] as DataLineTokens;
    if (row.gluedText === undefined) continue;
    // A comment glued to the end of a data fragment: an interrupted write
    // (docs/spec-format.md §2.2).
    comments.push({
      text: commentText(row.gluedText),
      line: row.line,
      afterRow: null,
      glued: true,
    });
    report("GLUED_COMMENT", row.line, `comment recovered from a data line: ${row.gluedText}`);
  }

  // #N, #L and the table.
  const nLine = found.n;
  const nValues = nLine ? splitWords(nLine.text).map((token) => readNumber(token)) : [];
  const declared = nValues[0] ?? null;
  const perLine = nValues[1] ?? null;
  const built = buildTable(
    {
      dataLines,
      plain,
      labelText: labelLine?.text ?? null,
      labelNames,
      // Without #L, the table's findings go to #N or #S: a scan's finding always has a line.
      labelLine: labelLine?.line ?? nLine?.line ?? firstLine,
      declared,
      perLine,
      maxColumns: rows.bytes.length,
    },
    report,
  );

  // Row positions of everything in the data part.
  // The first row from `rows`, not `dataLines`: the fast path leaves `dataLines` empty.
  const firstRow = firstTableRow < rows.count ? firstTableRow : undefined;
  const dataStart =
    labelLine?.line ??
    (firstRow === undefined ? Number.POSITIVE_INFINITY : (rows.lines[firstRow] as number));
  const rowsBefore = (line: number): number | null =>
    line > dataStart ? countBelow(built.rowEndLines, line) : null;
  // Index loops: this function is too large for V8 to optimize, and `for of` then makes an
  // iterator each time.
  for (let i = 0; i < controls.length; i++) {
    const control = controls[i] as ControlLine;
    control.afterRow = rowsBefore(control.line);
  }
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i] as Comment;
    comment.afterRow = rowsBefore(comment.line);
  }
  for (let i = 0; i < textLines.length; i++) {
    const text = textLines[i] as TextLine;
    text.afterRow = rowsBefore(text.line);
  }
  sortByLine(textLines);
  for (let i = 0; i < spectrumRecords.length; i++) {
    const record = spectrumRecords[i] as (typeof spectrumRecords)[number];
    record.afterRow = rowsBefore(record.line) ?? 0;
  }
  sortByLine(comments);

  // Abort comment.
  let abortedAfter: number | null = null;
  for (let i = 0; i < comments.length; i++) {
    const match = ABORT.exec((comments[i] as Comment).text);
    if (match) {
      abortedAfter = Number(match[1]);
      break;
    }
  }

  // Date, preset, geometry, hkl.
  const dateLine = found.date;
  const date = dateLine ? readDate(dateLine.text) : null;
  if (!dateLine) report("MISSING_DATE", firstLine, "scan has no #D line");
  else if (date && !isReadableDate(date)) {
    report("BAD_DATE", dateLine.line, `'${date.raw}' is not a date`);
  }
  const presetLine = found.time ?? found.monitor;
  const preset: CountPreset | null = presetLine
    ? {
        kind: presetLine.key === "T" ? "time" : "monitor",
        value: readNumber(splitWords(presetLine.text)[0]),
        counter: /\(([^)]*)\)/.exec(presetLine.text)?.[1]?.trim() ?? null,
      }
    : null;
  const geometry = new Map<number, number[]>();
  found.geometry?.forEach(({ text }, row) => {
    geometry.set(row, readNumbers(text));
  });
  const qLine = found.q;

  // Positioners: the scan's own #O lines, else the header's, else an earlier header's. Names are
  // looked up only for `#P` positions: a scan without them names none.
  const positions = found.positions ?? NO_ROWS;
  let nameSource: Rows = found.names ?? NO_ROWS;
  let mnemonicSource: Rows = found.mnemonics ?? NO_ROWS;
  if (nameSource.size === 0 && positions.size > 0) {
    let withNames: FileHeader | null = null;
    if (context.header !== null && headerRows(context.header).names.size > 0) {
      withNames = context.header;
    } else {
      for (const header of context.earlierHeaders) {
        if (header !== null && headerRows(header).names.size > 0) {
          withNames = header;
          break;
        }
      }
    }
    if (withNames) {
      ({ names: nameSource, mnemonics: mnemonicSource } = headerRows(withNames));
      if (withNames !== context.header) {
        report(
          "O_FROM_EARLIER_HEADER",
          firstLine,
          `motor names taken from the header at line ${withNames.line}`,
        );
      }
    }
  }
  const { positioners, unnamed } = pairPositioners(
    nameSource,
    mnemonicSource,
    positions,
    (code, line, message) => report(code, line ?? firstLine, message),
  );

  // #MD metadata.
  const metadata: Record<string, LiteralValue> = {};
  const metadataText: Record<string, string> = {};
  for (const control of found.metadata) {
    const extra = mdExtra?.get(control);
    const text = extra ? [control.text, ...extra].join("\n") : control.text;
    const separator = text.indexOf(" = ");
    let name: string;
    let value: string;
    if (separator >= 0) {
      name = text.slice(0, separator).trim();
      value = text.slice(separator + 3);
    } else if (text.endsWith(" =")) {
      name = text.slice(0, -2).trim();
      value = "";
    } else {
      report("BAD_MD_LINE", control.line, `'#MD${control.text}' has no ' = '`);
      continue;
    }
    const literal = parsePythonLiteral(value);
    metadata[name] = literal === undefined ? value : literal;
    metadataText[name] = value;
  }

  // UNICAT #H (header) / #V (scan).
  const unicat: Record<string, string | number | null> = {};
  const headerNames = context.header?.unicatNames;
  for (const { row, text, line } of found.unicat) {
    const names = headerNames?.get(row);
    const values = splitUnicatValues(text);
    if (!names) {
      report("V_H_MISMATCH", line, `#V${row} has no #H${row} row in the header`);
      continue;
    }
    if (names.length !== values.length) {
      report(
        "V_H_MISMATCH",
        line,
        `#V${row} has ${values.length} values for ${names.length} names`,
      );
    }
    // A loop, not `forEach`: files of UNICAT rows hold some twenty values a scan.
    for (let i = 0; i < names.length; i++) {
      const raw = values[i]?.trim() ?? "";
      unicat[names[i] as string] = raw === "" ? null : unicatValue(raw);
    }
  }

  // #UXML: all lines of the scan form one document.
  const uxmlLines = found.uxml;
  let uxml: Scan["uxml"] = null;
  if (uxmlLines.length > 0) {
    const text = uxmlLines.map((control) => control.text.replace(/^[\t ]/, "")).join("\n");
    const problem = uxmlProblem(text);
    uxml = { text, wellFormed: problem === null, problem };
    if (problem) report("INVALID_UXML", uxmlLines[0]?.line ?? firstLine, `#UXML: ${problem}`);
  }

  // MCA.
  const mcaControls: McaControl[] = found.mca;
  const mca = context.withSpectra
    ? buildMca(spectra, mcaControls, (code, line, message) => report(code, line, message))
    : null;
  if (mca && mca.spectra.length > 0) {
    const expected = built.table.rows * mca.devices.length;
    if (mca.spectra.length !== expected) {
      report(
        "MCA_ROW_MISMATCH",
        mca.spectra[0]?.line ?? firstLine,
        `${mca.spectra.length} spectra for ${built.table.rows} rows and ${mca.devices.length} device(s)`,
      );
    }
  }

  const fields = {
    key,
    spec2nexusKey: context.spec2nexusKey,
    index: context.index,
    number: scanLine.number,
    // Detached: a slice would keep the whole scan's text alive for as long as the command is.
    command: detach(scanLine.command),
    line: firstLine,
    header: context.header,
    date,
    preset,
    declaredColumns: declared,
    valuesPerLine: perLine,
    labels: built.labels,
    data: built.table,
    positioners,
    unnamedPositions: unnamed,
    metadata,
    metadataText,
    comments: comments as Comment[],
    textLines,
    aborted: abortedAfter !== null,
    abortedAfter,
    possiblyTruncated: false,
    mca,
    hkl: qLine ? readNumbers(qLine.text) : null,
    geometry,
    unicat,
    uxml,
    controls,
    diagnostics,
  };
  return withAccessors(fields, context.allLines);
}

/** A `#V` value: a number, or the text as written when it is a word (`None`, `True`, a name). */
function unicatValue(raw: string): string | number {
  // Nearly every value is a plain number: its value without the object readValue makes.
  if (isPlainDecimal(raw)) return Number(raw);
  const { value, kind } = readValue(raw);
  return kind === "text" || kind === "none" || kind === "boolean" ? raw : value;
}

/** Shared empty rows; never added to. */
const NO_ROWS: Rows = new Map();

/** The controls of a scan that its interpretation reads, found in one pass. */
interface FoundControls {
  label: ControlLine | null;
  n: ControlLine | undefined;
  date: ControlLine | undefined;
  time: ControlLine | undefined;
  monitor: ControlLine | undefined;
  q: ControlLine | undefined;
  metadata: ControlLine[];
  uxml: ControlLine[];
  mca: McaControl[];
  /** Rows of `#O`, `#o`, `#P` and `#G`, the first of each row number, as `rowsOf` gives them. */
  names: Rows | undefined;
  mnemonics: Rows | undefined;
  positions: Rows | undefined;
  geometry: Rows | undefined;
  /** `#V` rows, the first of each row number, in order. */
  unicat: { row: number; text: string; line: number }[];
}

function findControls(controls: ControlLine[]): FoundControls {
  const found: FoundControls = {
    label: null,
    n: undefined,
    date: undefined,
    time: undefined,
    monitor: undefined,
    q: undefined,
    metadata: [],
    uxml: [],
    mca: [],
    names: undefined,
    mnemonics: undefined,
    positions: undefined,
    geometry: undefined,
    unicat: [],
  };
  let unicatRows: Set<number> | undefined;
  for (let i = 0; i < controls.length; i++) {
    const control = controls[i] as ControlLine;
    const { key, row } = control;
    if (key === "L") found.label ??= control;
    else if (key === "N") found.n ??= control;
    else if (key === "D") found.date ??= control;
    else if (key === "T") found.time ??= control;
    else if (key === "M") found.monitor ??= control;
    else if (key === "Q") found.q ??= control;
    else if (key === "MD") found.metadata.push(control);
    else if (key === "UXML") found.uxml.push(control);
    if (key.startsWith("@")) {
      found.mca.push({
        key: key.toUpperCase(),
        name: key,
        text: control.text,
        line: control.line,
      });
    }
    if (row === null) continue;
    switch (control.family) {
      case "O":
        found.names = addRow(found.names, control, row);
        break;
      case "o":
        found.mnemonics = addRow(found.mnemonics, control, row);
        break;
      case "P":
        found.positions = addRow(found.positions, control, row);
        break;
      case "G":
        found.geometry = addRow(found.geometry, control, row);
        break;
      case "V":
        unicatRows ??= new Set();
        if (!unicatRows.has(row)) {
          unicatRows.add(row);
          found.unicat.push({ row, text: control.text, line: control.line });
        }
        break;
    }
  }
  return found;
}

/** The `#O` and `#o` rows of each header, read once: every scan under it may ask for them. */
const rowsOfHeader = new WeakMap<FileHeader, { names: Rows; mnemonics: Rows }>();

function headerRows(header: FileHeader): { names: Rows; mnemonics: Rows } {
  let rows = rowsOfHeader.get(header);
  if (rows === undefined) {
    rows = { names: rowsOf(header.controls, "O"), mnemonics: rowsOf(header.controls, "o") };
    rowsOfHeader.set(header, rows);
  }
  return rows;
}

/** Where a scan keeps how to read its lines, and them once read (see {@link linesOfScan}). */
const LINES = Symbol("lines");

interface LazyLines {
  read: () => SourceLine[];
  lines?: SourceLine[];
}

// A scan's methods and its `lines` getter are the same functions for every scan, reading the
// scan through `this`. A function made per scan and stored on it kept the whole scan alive through
// every young collection until the next full one (even `() => 1` did: V8 11.3, Node 20): a third
// of what reading a file allocated survived and was promoted, and reading every column of the
// 227 MB bench file grew to 100 MB and more (docs/performance.md, "Fresh memory").

/** `scan.lines`, read on first use. */
function linesOfScan(this: Scan & { [LINES]: LazyLines }): SourceLine[] {
  const lazy = this[LINES];
  lazy.lines ??= lazy.read();
  return lazy.lines;
}

/** `scan.control(wanted)`: the control lines of a key (`"P"`) or a family (`"UXML"`). */
function controlsOfScan(this: Scan, wanted: string): ControlLine[] {
  return this.controls.filter((control) => control.key === wanted || control.family === wanted);
}

/** `scan.column(name)`: a column by its unique alias, else by its name as written. */
function columnOfScan(this: Scan, name: string): Float64Array | undefined {
  const { aliases, names, columns } = this.data;
  const index = aliases.includes(name) ? aliases.indexOf(name) : names.indexOf(name);
  return columns[index];
}

/** The scan with its methods and its lazily read lines. */
function withAccessors(
  fields: Omit<Scan, "control" | "column" | "lines">,
  readAllLines: () => SourceLine[],
): Scan {
  // Added to `fields` itself: copying its thirty fields into a new object cost more.
  const scan = fields as Scan;
  scan.control = controlsOfScan;
  scan.column = columnOfScan;
  Object.defineProperty(scan, LINES, { value: { read: readAllLines } satisfies LazyLines });
  Object.defineProperty(scan, "lines", { enumerable: true, get: linesOfScan });
  return scan;
}

/**
 * The table rows read by the fast path (readPlainValues of text.ts), or null when any row holds
 * something else (a special value, a glued comment, a different number of values, non-ASCII
 * bytes): the scan is then read token by token, which handles every case.
 */
function readPlainRows(rows: DataRowRefs, first: number): PlainRows | null {
  if (first >= rows.count) return null;
  const { bytes, starts, ends } = rows;
  // The first row sets the width every other row must have.
  const width = countWordsInBytes(bytes, starts[first] as number, ends[first] as number);
  if (width === 0) return null;
  // Each row needs at least two bytes a value: check that before allocating the table, so that a
  // long first row over many short ones never asks for more memory than the file could fill.
  for (let row = first; row < rows.count; row++) {
    if ((ends[row] as number) - (starts[row] as number) < 2 * width - 1) return null;
  }
  // One buffer for the whole table, one allocation instead of one per column.
  const rowCount = rows.count - first;
  // Not cleared: every cell is written below, or the buffer is dropped with the fast path.
  const buffer = rows.allocateNumbers(width * rowCount);
  const columns = new Array<Float64Array>(width);
  for (let c = 0; c < width; c++) columns[c] = buffer.subarray(c * rowCount, (c + 1) * rowCount);
  const integers = new Uint8Array(width).fill(1);
  for (let r = 0; r < rowCount; r++) {
    const row = first + r;
    const start = starts[row] as number;
    const end = ends[row] as number;
    if (readPlainValues(bytes, start, end, buffer, r, rowCount, width, integers) !== width) {
      return null;
    }
  }
  return {
    lines: numbersOf(rows.lines, first, rows.count),
    columns,
    integers,
    // Plain rows are ASCII: decoding finds nothing to report.
    tokenLines: () => tokenRows(rows, first, () => {}),
  };
}

/**
 * The table rows decoded and split into tokens, with any comment glued to a row's end cut off.
 * `onLatin1` hears of each row that is not valid UTF-8.
 */
function tokenRows(
  rows: DataRowRefs,
  first: number,
  onLatin1: (line: number) => void,
): DataLineTokens[] {
  const lines: DataLineTokens[] = [];
  for (let row = first; row < rows.count; row++) {
    const line = rows.lines[row] as number;
    const { text, latin1Fallback } = dataRowText(rows, row);
    if (latin1Fallback) onLatin1(line);
    const hash = text.indexOf("#");
    if (hash < 0) {
      lines.push({ line, text, tokens: splitWords(text), glued: false });
      continue;
    }
    lines.push({
      line,
      text,
      tokens: splitWords(text.slice(0, hash)),
      glued: true,
      gluedText: text.slice(hash),
    });
  }
  return lines;
}

/** `values[from, to)` as an array, made at its size (`Array.from` would go through an iterator). */
function numbersOf(values: Int32Array, from: number, to: number): number[] {
  const numbers = new Array<number>(to - from);
  for (let i = from; i < to; i++) numbers[i - from] = values[i] as number;
  return numbers;
}

/** The values of two ascending arrays, in one ascending array. */
function mergeAscending(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) {
      merged.push(a[i++] as number);
    } else merged.push(b[j++] as number);
  }
  return merged;
}

/**
 * Sorts by line, stably, when not in order already: `sort` copies the array even then, and the
 * lists nearly always are in order.
 */
function sortByLine(list: { line: number }[]): void {
  for (let i = 1; i < list.length; i++) {
    if ((list[i - 1] as { line: number }).line > (list[i] as { line: number }).line) {
      list.sort((a, b) => a.line - b.line);
      return;
    }
  }
}

/** How many values of the ascending array are below `limit`. */
function countBelow(sorted: number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}
