/**
 * What the worker answers, as plain functions over a parsed file: the scan list and every
 * diagnostic, one scan's details, its columns, statistics, spectra, raw lines and exports. The
 * numbers and texts come from the packages the CLI uses (@specx/scan-data for `info`, `stats`
 * and `export`, @specx/conversion and @specx/documents for `to-docs`), so the page shows what
 * the commands print.
 */
import { fileToRuns } from "@specx/conversion";
import { suitcaseJsonl } from "@specx/documents";
import { formatScans, meshOf, peakStats, summarizeScan } from "@specx/scan-data";
import {
  type Diagnostic,
  type McaDevice,
  type Scan,
  type SpecFile,
  scanWriter,
  splitWords,
} from "@specx/spec-parser";
import type { Answers, FileOverview, PeakStats, ScanDetail, ScanRow } from "../protocol.js";

/** Called while the scan list is built: how far into the file the scans read so far reach. */
export type ScanProgress = (reached: number) => void;

/**
 * The scan list and every diagnostic, in one pass over the scans: `file.diagnostics` would
 * interpret again every scan the parser's small cache no longer holds.
 */
export function overview(
  file: SpecFile,
  fileId: number,
  name: string,
  onScan?: ScanProgress,
): FileOverview {
  const scans: ScanRow[] = [];
  const diagnostics: Diagnostic[] = file.fileDiagnostics;
  const entries = file.scanEntries;
  for (let i = 0; i < entries.length; i++) {
    const scan = file.scanAt(i);
    if (!scan) continue;
    scans.push(scanRow(scan));
    // One push per finding: a spread of 200,000 findings overflows the stack.
    for (const finding of scan.diagnostics) diagnostics.push(finding);
    onScan?.(entries[i + 1]?.offset ?? file.byteLength);
  }
  // A stable sort, as `file.diagnostics` sorts: the file's own findings first on a line.
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    fileId,
    name,
    size: file.byteLength,
    lineCount: file.lineCount,
    scans,
    diagnostics,
  };
}

/** One line of the scan list: `specx info`'s facts (the same function), and what filters need. */
export function scanRow(scan: Scan): ScanRow {
  const words = splitWords(scan.command);
  let errors = 0;
  let warnings = 0;
  for (const finding of scan.diagnostics) {
    if (finding.severity === "error") errors++;
    else if (finding.severity === "warning") warnings++;
  }
  return {
    index: scan.index,
    ...summarizeScan(scan),
    macro: words[0] ?? "",
    motors: motorsOf(scan, words),
    errors,
    warnings,
    hasMca: (scan.mca?.spectra.length ?? 0) > 0,
    isMesh: meshOfScan(scan, words) !== null,
  };
}

/**
 * The command's words that name a motor: an `#O` name, an `#o` mnemonic or a `#L` label (a
 * command names motors by mnemonic; `#L` holds the moved motors' names).
 */
function motorsOf(scan: Scan, words: string[]): string[] {
  const known = new Set<string>(scan.labels);
  for (const positioner of scan.positioners) {
    known.add(positioner.name);
    if (positioner.mnemonic !== null) known.add(positioner.mnemonic);
  }
  const motors: string[] = [];
  for (const word of words.slice(1)) {
    if (known.has(word) && !motors.includes(word)) motors.push(word);
  }
  return motors;
}

/** The mesh grid of a `mesh` or `hklmesh` scan, or null. */
function meshOfScan(scan: Scan, words: string[] = splitWords(scan.command)) {
  const macro = words[0];
  return macro === "mesh" || macro === "hklmesh" ? meshOf(words, scan.data) : null;
}

/** Everything the detail panel shows of one scan. */
export function scanDetail(scan: Scan): ScanDetail {
  const { data } = scan;
  const width = data.columns.length;
  const mesh = meshOfScan(scan);
  const devices = spectraDevices(scan);
  let channels = 0;
  for (const device of devices) {
    for (const spectrum of device.spectra) channels = Math.max(channels, spectrum.length);
  }
  const spectra = devices.reduce((sum, device) => sum + device.spectra.length, 0);
  return {
    index: scan.index,
    key: scan.key,
    number: scan.number,
    command: scan.command,
    line: scan.line,
    date: scan.date?.raw ?? null,
    preset: scan.preset
      ? `${scan.preset.value ?? "?"}${scan.preset.counter ? ` (${scan.preset.counter})` : ""}`
      : null,
    labels: data.names,
    aliases: data.aliases,
    points: data.rows,
    positioners: scan.positioners.map((p) => ({
      name: p.name,
      mnemonic: p.mnemonic,
      value: Number.isFinite(p.value) ? p.value : null,
    })),
    metadata: Object.entries(scan.metadataText).map(([key, value]) => ({ key, value })),
    comments: scan.comments.map((c) => ({ line: c.line, text: c.text })),
    facts: factsOf(scan),
    aborted: scan.aborted,
    defaultX: width > 0 ? 0 : -1,
    defaultY: width > 0 ? width - 1 : -1,
    mca: spectra > 0 ? { spectra, channels, devices: devices.map((device) => device.name) } : null,
    mesh: mesh
      ? {
          fastColumn: mesh.fastColumn,
          slowColumn: mesh.slowColumn,
          fastCount: mesh.fastCount,
          slowCount: mesh.slowCount,
        }
      : null,
    diagnostics: scan.diagnostics,
  };
}

/** Header facts worth a line each in the detail panel. */
function factsOf(scan: Scan): { label: string; value: string }[] {
  const facts: { label: string; value: string }[] = [];
  const add = (label: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== "")
      facts.push({ label, value: String(value) });
  };
  const header = scan.header;
  add("File (#F)", header?.fileName);
  if (header?.epoch !== null && header?.epoch !== undefined) {
    const when = new Date(header.epoch * 1000);
    add(
      "Epoch (#E)",
      `${header.epoch}${Number.isNaN(when.getTime()) ? "" : ` (${when.toISOString()})`}`,
    );
  }
  add("Header date", header?.date?.raw);
  add("Written by", scanWriter(scan));
  if (scan.preset)
    add(scan.preset.kind === "time" ? "Count time (#T)" : "Monitor (#M)", scan.preset.value);
  add("Columns (#N)", scan.declaredColumns);
  if (scan.hkl) add("HKL (#Q)", scan.hkl.join(" "));
  for (const line of scan.control("U")) add(`#${line.key}`, line.text.trim());
  if (scan.aborted)
    add("Aborted", scan.abortedAfter !== null ? `after ${scan.abortedAfter} points` : "yes");
  if (scan.possiblyTruncated) add("Possibly truncated", "a later scan repeats it with more rows");
  if (scan.textLines.length > 0) add("Text lines among the data", scan.textLines.length);
  return facts;
}

/** The devices that hold spectra, in the scan's order. */
function spectraDevices(scan: Scan): McaDevice[] {
  return (scan.mca?.devices ?? []).filter((device) => device.spectra.length > 0);
}

/**
 * The asked columns, each a copy of its first `rows` values (the parser's columns share one
 * buffer per scan, which must not be transferred away).
 */
export function columns(scan: Scan, asked: readonly number[]): Float64Array[] {
  const { rows } = scan.data;
  return asked.map((column) => {
    const values = scan.data.columns[column];
    if (!values) throw new Error(`scan ${scan.key} has no column ${column}`);
    return values.slice(0, rows);
  });
}

/** SPEC's peak, FWHM, CEN and COM of column `y` against column `x`, as `specx stats` computes them. */
export function stats(scan: Scan, x: number, y: number): PeakStats | null {
  const [xs, ys] = columnPair(scan, x, y);
  const found = peakStats(xs, ys, scan.data.rows);
  if (!found) return null;
  return {
    peak: found.peak,
    fwhm: found.fwhm,
    cen: found.cen,
    com: found.com,
    lower: found.lower,
    upper: found.upper,
    halfMaximum: found.halfMaximum,
  };
}

function columnPair(scan: Scan, x: number, y: number): [Float64Array, Float64Array] {
  const xs = scan.data.columns[x];
  const ys = scan.data.columns[y];
  if (!xs || !ys) throw new Error(`scan ${scan.key} has no column ${xs ? y : x}`);
  return [xs, ys];
}

/**
 * The spectrum of data row `row` of one device (the first that has spectra by default): channel
 * numbers from `#@CHANN` (first channel, reduction) when it matches, else 0, 1, 2, ….
 */
export function mca(scan: Scan, row: number, deviceIndex = 0): Answers["mca"] {
  const device = spectraDevices(scan)[deviceIndex];
  if (!device) return null;
  const rows = device.spectra.length;
  const spectrum = device.spectra[row];
  if (!spectrum) throw new Error(`scan ${scan.key} has no spectrum ${row} (of ${rows})`);
  const counts = spectrum.slice();
  const channels = new Float64Array(counts.length);
  const declared = device.channels;
  const fitsDeclared = declared !== null && declared.count === counts.length;
  const first = fitsDeclared ? declared.first : 0;
  const step = fitsDeclared && declared.reduction > 0 ? declared.reduction : 1;
  for (let k = 0; k < channels.length; k++) channels[k] = first + k * step;
  return { row, rows, channels, counts };
}

/** The scan as `specx export FILE --scan KEY --format csv` writes it. */
export function csv(scan: Scan): string {
  return formatScans([scan], "csv");
}

/**
 * The scan's run as `specx to-docs FILE --scan KEY --format jsonl` writes it. The CLI records
 * the file's absolute path as `spec.source_path` in the start document: given `sourcePath` (a
 * file `specx view` serves), so does this; without it (a file the user dropped, whose path a
 * page never knows) the run is the one the CLI writes from standard input, which has none.
 */
export function jsonl(file: SpecFile, scan: Scan, sourcePath?: string): Answers["jsonl"] {
  const [run] = fileToRuns(file, {
    scans: [scan.key],
    provenance: true,
    ...(sourcePath !== undefined ? { sourcePath } : {}),
  });
  if (!run) throw new Error(`scan ${scan.key} gave no run`);
  return suitcaseJsonl(run.documents);
}

/**
 * Lines `from`..`to` (1-based, inclusive) as decoded text, without terminators, as the parser
 * splits and decodes them; only the blocks that hold them are read (`SpecFile.sourceLines`).
 */
export function lines(file: SpecFile, from: number, to: number): Answers["lines"] {
  const first = Math.max(1, Math.floor(from));
  return { from: first, lines: file.sourceLines(first, to).map((line) => line.text) };
}
