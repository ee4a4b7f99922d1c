/**
 * What the page and its parsing worker say to each other. The worker holds every open file (a
 * `SpecFile` over a byte source that reads slices on demand) and answers one request at a time;
 * the page holds only what it shows. Results are plain data (structured clone); columns and
 * spectra travel as Float64Arrays, transferred, not copied.
 */
import type { ScanSummary } from "@specx/scan-data";
import type { Diagnostic } from "@specx/spec-parser";

/** Where a file's bytes come from: a file the user chose or dropped, or one `specx view` serves. */
export type FileSource =
  | { kind: "blob"; name: string; blob: Blob }
  | {
      kind: "url";
      name: string;
      url: string;
      size: number;
      /**
       * The file's absolute path where it is served: `specx view` gives it, so that a run's
       * documents name it as `specx to-docs FILE` does (`spec.source_path`). A dropped or
       * chosen file has none: the browser never tells a page where a file lives.
       */
      path?: string;
    };

/**
 * One line of the scan list: what `specx info --json` gives (the same `ScanSummary`), and what
 * the filters need.
 */
export interface ScanRow extends ScanSummary {
  /** 0-based position among the file's scans (the handle every request uses). */
  index: number;
  /** The scan macro (first word of the command): `ascan`, `mesh`, `count`, … */
  macro: string;
  /** Motors the command names (words of the command that are `#O` names or `#L` labels). */
  motors: string[];
  /** Diagnostics of this scan by severity. */
  errors: number;
  warnings: number;
  hasMca: boolean;
  /** A two-motor mesh that can be shown as an image. */
  isMesh: boolean;
}

/** A file once indexed: its scans and every diagnostic, collected in one pass. */
export interface FileOverview {
  fileId: number;
  name: string;
  size: number;
  lineCount: number;
  scans: ScanRow[];
  /** The file's own diagnostics and every scan's, in line order. */
  diagnostics: Diagnostic[];
}

/** Everything the detail panel shows of one scan (no data columns: those come on demand). */
export interface ScanDetail {
  index: number;
  key: string;
  number: number | null;
  command: string;
  /** 1-based line of `#S`. */
  line: number;
  date: string | null;
  /** `#T`/`#M` preset, as text (`1 (seconds)`), or null. */
  preset: string | null;
  labels: string[];
  /** Unique names per column (`I0`, `I0_1`), as the plot's choices. */
  aliases: string[];
  points: number;
  positioners: { name: string; mnemonic: string | null; value: number | null }[];
  /** `#MD` entries as written. */
  metadata: { key: string; value: string }[];
  comments: { line: number; text: string }[];
  /** Header facts: file `#F`, `#E` epoch, `#U`/other header lines worth showing, as label/value pairs. */
  facts: { label: string; value: string }[];
  aborted: boolean;
  /** Default plot: x is the first column, y the last (as SPEC plots a scan); -1 without data. */
  defaultX: number;
  defaultY: number;
  mca: { spectra: number; channels: number; devices: string[] } | null;
  mesh: { fastColumn: number; slowColumn: number; fastCount: number; slowCount: number } | null;
  diagnostics: Diagnostic[];
}

/** SPEC's numbers for a plotted pair, as `specx stats` computes them (@specx/scan-data). */
export interface PeakStats {
  peak: { x: number; y: number };
  fwhm: number;
  cen: number;
  com: number | null;
  /** Where the half maximum is crossed on each side. */
  lower: number;
  upper: number;
  halfMaximum: number;
}

/** A request: what the page asks, with the answer's type in {@link Answers}. */
export type Request =
  | { type: "open"; fileId: number; source: FileSource }
  | { type: "close"; fileId: number }
  | { type: "scan"; fileId: number; index: number }
  | { type: "columns"; fileId: number; index: number; columns: number[] }
  | { type: "stats"; fileId: number; index: number; x: number; y: number }
  | { type: "mca"; fileId: number; index: number; row: number; device?: number }
  | { type: "lines"; fileId: number; from: number; to: number }
  | { type: "csv"; fileId: number; index: number }
  | { type: "jsonl"; fileId: number; index: number };

/** The answer to each request type. */
export interface Answers {
  open: FileOverview;
  close: null;
  scan: ScanDetail;
  /** One array per asked column, in order; non-numbers (NaN, None, words) are NaN. */
  columns: Float64Array[];
  /** Null when the pair has no finite point. */
  stats: PeakStats | null;
  /** One spectrum: channel numbers (x) and counts, for the asked data row (0-based). */
  mca: { row: number; rows: number; channels: Float64Array; counts: Float64Array } | null;
  /** Raw text lines `from`..`to` (1-based, inclusive), each as decoded text. */
  lines: { from: number; lines: string[] };
  /** The scan as `specx export --format csv` writes it. */
  csv: string;
  /** The scan's run as `specx to-docs` writes it: suitcase-jsonl file name and text. */
  jsonl: { fileName: string; text: string };
}

/** A message to the worker. */
export type RequestMessage = { id: number } & Request;

/** A message from the worker: progress while indexing, then one answer. */
export type ResponseMessage =
  | { id: number; progress: { bytes: number; total: number } }
  | { id: number; ok: true; value: Answers[keyof Answers] }
  | { id: number; ok: false; error: string };
