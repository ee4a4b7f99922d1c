/**
 * The interpreted model: what a file header and a scan say. Every object keeps the line numbers
 * it came from; the raw lines themselves stay in the file's line table for lossless printing.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { LiteralValue } from "./python-literal.js";

/** One physical line of the file as the parser saw it. */
export interface SourceLine {
  /** Line kind: blank, file, epoch, scan, comment, control, mca, continuation, data, other. */
  kind: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Decoded text without the line terminator. */
  text: string;
  /** The line terminator as written: "\n", "\r\n", "\r", or "" for a last line without one. */
  eol: string;
}

/** A control line `#KEY text`, e.g. `#O3 …`, `#UXML …`, `#@CALIB …`. */
export interface ControlLine {
  /** The full key after `#`, e.g. `O3`, `UIMR1`, `@CALIB`, `MD`. */
  key: string;
  /** The key without trailing row digits, e.g. `O`, `UIMR`, `@CALIB`. */
  family: string;
  /** The row number from trailing digits (`#O3` → 3), or null. */
  row: number | null;
  /**
   * Text after the key as written, leading blanks included (`#V` rows depend on them), with
   * backslash-continued lines joined.
   */
  text: string;
  /** 1-based line number. */
  line: number;
  /** In a scan's data part: number of data rows before this line; null in headers and before `#L`. */
  afterRow: number | null;
}

/** A `#C` comment (or one recovered from the end of a data line). */
export interface Comment {
  text: string;
  line: number;
  /** Number of data rows before the comment when it is in the data part, else null. */
  afterRow: number | null;
  /** True when the comment was glued to the end of a data line. */
  glued: boolean;
}

/** A `#D` date. It has no time zone: `fields` are the writer's local time. */
export interface SpecDate {
  /** The text after `#D`, trimmed. */
  raw: string;
  /** Calendar fields of an asctime date (month 1-12), or null when `raw` is not one. */
  fields: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
  } | null;
  /** Seconds since 1970 when the line holds an epoch number (spock writes those), else null. */
  epoch: number | null;
}

/** `#T` (count time) or `#M` (monitor preset). */
export interface CountPreset {
  kind: "time" | "monitor";
  value: number | null;
  /** The counter name in parentheses, e.g. `seconds`, `I0`, or null. */
  counter: string | null;
}

/** A motor position from `#O`/`#P` (with `#o` mnemonics when present). */
export interface Positioner {
  name: string;
  /** Unique name when `name` repeats (`m`, `m_1`). */
  alias: string;
  mnemonic: string | null;
  value: number;
  /** The `#P` token as written. */
  raw: string;
  /** The `#O`/`#P` row number. */
  row: number;
}

/** A data value that is not a plain number, kept with its position and text. */
export interface SpecialValue {
  row: number;
  column: number;
  raw: string;
  kind: "nan" | "infinity" | "boolean" | "none" | "fortran" | "text";
}

/** A row with more values than the scan has columns. */
export interface ExtraValues {
  row: number;
  values: number[];
  raw: string[];
}

/** Fragments of a data row that was never completed (e.g. cut by an abort). */
export interface BrokenRow {
  /** 1-based line numbers of the fragments. */
  lines: number[];
  /** The fragments' tokens, in order. */
  tokens: string[];
}

/** The numbers of a scan, column by column. */
export interface DataTable {
  /** Number of data rows (points). */
  rows: number;
  /** Column names: the `#L` labels, then synthetic names (`col7`) for unnamed columns. */
  names: string[];
  /** Unique names, in column order (`I0`, `I0_1` for a repeated `I0`). */
  aliases: string[];
  /** True for columns whose name was made up because `#L` had too few labels. */
  synthetic: boolean[];
  /** True for columns in which every value was written as an integer literal (`12`, not `12.0`). */
  integer: boolean[];
  /** One Float64Array per column; NaN where a value is missing or not a number. */
  columns: Float64Array[];
  /** 1-based line number of each row (the first line when a row spans several). */
  rowLines: number[];
  /** Values that are not plain numbers (nan, inf, None, True, …), with their text. */
  special: SpecialValue[];
  /** Values beyond the last column. */
  extras: ExtraValues[];
  /** Rows with fewer values than columns: how many they hold (the rest of the row is NaN). */
  short: { row: number; count: number }[];
  /** Row fragments that do not make a complete row. */
  broken: BrokenRow[];
}

/** `#@CHANN total first last reduction`. */
export interface McaChannels {
  total: number;
  first: number;
  last: number;
  reduction: number;
  /** Channels saved per spectrum: (last − first) / reduction + 1. */
  count: number;
}

/** `#@ROI name first last [detector]`. */
export interface McaRoi {
  name: string;
  first: number;
  last: number;
  detector: number | null;
  line: number;
}

/** One MCA spectrum, from an `@…` line and its continuation lines. */
export interface McaSpectrum {
  /** Device name as written, `@` included: `@A`, `@A1`, `@AMCA`, `@ketek`, …. */
  device: string;
  values: Float64Array;
  line: number;
  /** Number of data rows before this spectrum. */
  afterRow: number;
}

/** The spectra of one device and its calibration. */
export interface McaDevice {
  /** As written at the start of its spectra, `@` included: `@A1`, `@ketek`. */
  name: string;
  spectra: Float64Array[];
  calibration: { a: number; b: number; c: number; extra: string } | null;
  channels: McaChannels | null;
  times: number[] | null;
}

/** All MCA content of a scan. */
export interface McaData {
  devices: McaDevice[];
  /** Every spectrum in file order, all devices together. */
  spectra: McaSpectrum[];
  rois: McaRoi[];
  /** The `#@MCA` layout declaration, e.g. `16C`. */
  layout: string | null;
  /**
   * Devices declared by name in `#@<name> <layout>` lines (`#@ketek %25C`), in order, whether or
   * not the scan holds a spectrum of theirs. The `#@CHANN`, `#@CALIB` and `#@CTIME` lines after a
   * declaration are that device's.
   */
  declarations: McaDeclaration[];
}

/** `#@<name> <layout>`: a named MCA device (not one of SPEC's own `#@` keys). */
export interface McaDeclaration {
  /** The device's key as its spectra start, `@` included: `@ketek`. */
  name: string;
  /** The text after the name, e.g. `%25C`. */
  layout: string;
  line: number;
}

/** A line inside a scan's data that is text, not a row (a wrapped comment, a note). */
export interface TextLine {
  /** The line as decoded, without its terminator. */
  text: string;
  line: number;
  /** Number of data rows before it; null before the data starts. */
  afterRow: number | null;
}

/** A file header block: from `#F` (or a header-starting `#E`) up to the next block. */
export interface FileHeader {
  /** 0-based position among the file's headers. */
  index: number;
  /** 1-based line of the block's first line. */
  line: number;
  /** `#F` or `#E`: how the block starts. */
  startsWith: "#F" | "#E";
  /** `#F` text, or null. */
  fileName: string | null;
  /** `#E` value (seconds since 1970, fraction kept), or null. */
  epoch: number | null;
  date: SpecDate | null;
  comments: Comment[];
  /** `#O` rows: motor names per row. */
  motorNames: Map<number, string[]>;
  /** `#o` rows: motor mnemonics per row. */
  motorMnemonics: Map<number, string[]>;
  /** `#J` rows: counter names per row. */
  counterNames: Map<number, string[]>;
  /** `#j` rows: counter mnemonics per row. */
  counterMnemonics: Map<number, string[]>;
  /** `#H` rows: UNICAT metadata names per row. */
  unicatNames: Map<number, string[]>;
  /** Every control line of the block in order (including the ones interpreted above). */
  controls: ControlLine[];
  /** The block's lines. */
  lines: SourceLine[];
}

/** The interpreted content of one scan. */
export interface Scan {
  /** Canonical key `n.m`: number n, m-th occurrence of n in the file (1-based). */
  key: string;
  /** spec2nexus-style key: `n` for the first occurrence, then `n.1`, `n.2`, …. */
  spec2nexusKey: string;
  /** 0-based position among the file's scans. */
  index: number;
  /** Scan number, or null when `#S` has none. */
  number: number | null;
  /** The `#S` command as written after the number (internal blanks kept, trailing ones removed). */
  command: string;
  /** 1-based line of `#S`. */
  line: number;
  /** The governing header, or null for a scan before any header. */
  header: FileHeader | null;
  date: SpecDate | null;
  preset: CountPreset | null;
  /** `#N` first value, or null. */
  declaredColumns: number | null;
  /** `#N` second value (values per physical line for wrapped rows), or null. */
  valuesPerLine: number | null;
  /** `#L` labels exactly as written: split and trimmed, duplicates kept, never renamed. */
  labels: string[];
  data: DataTable;
  positioners: Positioner[];
  /** `#P` values without an `#O` name. */
  unnamedPositions: number[];
  /** `#MD` values parsed as Python literals (raw text when not a literal). */
  metadata: Record<string, LiteralValue>;
  /** `#MD` values as written (multi-line values joined with `\n`), for exact re-parsing. */
  metadataText: Record<string, string>;
  comments: Comment[];
  /** Lines among the data that are text, not rows: kept here, not counted as rows. */
  textLines: TextLine[];
  aborted: boolean;
  /** N of "Scan aborted after N points.", or null. */
  abortedAfter: number | null;
  /** True when a later scan repeats this one's `#S` line and date with more rows. */
  possiblyTruncated: boolean;
  mca: McaData | null;
  /** `#Q` values (0, 2 or 3 numbers), or null without `#Q`. */
  hkl: number[] | null;
  /** `#G<n>` rows as numbers. */
  geometry: Map<number, number[]>;
  /** UNICAT metadata: `#H` names of the header paired with the scan's `#V` values. */
  unicat: Record<string, string | number | null>;
  /** The scan's `#UXML` lines joined, with a well-formedness verdict; null without `#UXML`. */
  uxml: { text: string; wellFormed: boolean; problem: string | null } | null;
  /** Every control line of the scan in order. */
  controls: ControlLine[];
  /** Control lines with the given key (`O0`, `UXML`, `@CALIB`, …) or family (`O`, `UIMR`). */
  control(key: string): ControlLine[];
  /**
   * A data column by unique alias (`I0_1` is the second `I0`) or, failing that, by label (the
   * first column of that name); undefined when there is none.
   */
  column(name: string): Float64Array | undefined;
  /** Findings about this scan. */
  diagnostics: Diagnostic[];
  /** The scan's lines. */
  lines: SourceLine[];
}
