/**
 * The data table of a scan: labels, row width, row assembly (wrapped and broken rows) and the
 * numbers as columns. Rules from docs/spec-format.md §5 and §6.
 */
import { detach } from "../parse/bytes.js";
import { readValue, splitNamesWithFallback, uniqueAliases } from "./text.js";
import type { BrokenRow, DataTable, SpecialValue } from "./types.js";

/** One physical data line, split into tokens. */
export interface DataLineTokens {
  line: number;
  /** The line as decoded, without its terminator. */
  text: string;
  tokens: string[];
  /** True when a comment was glued to the end of the line (the tokens stop before it). */
  glued: boolean;
  /** The glued comment, from its `#`. */
  gluedText?: string;
}

/**
 * Rows read by the fast number path: every row has one plain decimal value per column. Cheaper
 * than tokens by far; used when the rows fill the table as they are (no wrapping, no missing
 * columns), else turned into tokens with `tokenLines`.
 */
export interface PlainRows {
  /** 1-based line of each row. */
  lines: number[];
  /** The values, column by column. */
  columns: Float64Array[];
  /** 1 for each column whose every value was written as an integer. */
  integers: Uint8Array;
  /** The same rows as tokens, for the general path. */
  tokenLines: () => DataLineTokens[];
}

/** What the table builder needs from the scan header. */
export interface TableInput {
  /** The rows as tokens; unused when `plain` is given. */
  dataLines: DataLineTokens[];
  /** The rows as values, when the fast path could read them all. */
  plain: PlainRows | null;
  /** Text of the `#L` line after the key, or null without `#L`. */
  labelText: string | null;
  /** `splitNames(labelText)`, when the caller has it already. */
  labelNames?: string[];
  /** Where findings about the labels and the table go: the `#L` line, else `#N` or `#S`. */
  labelLine: number | null;
  /** `#N` first value. */
  declared: number | null;
  /** `#N` second value. */
  perLine: number | null;
  /**
   * Most columns (and most table cells) the scan could hold: its size in bytes. A larger `#N` is
   * not believed, so that a count read from a file never makes the table larger than the file.
   */
  maxColumns: number;
}

/** Receives findings as (code, line, message). */
export type Report = (
  code:
    | "LABEL_FALLBACK"
    | "SYNTHETIC_LABEL"
    | "MISSING_COLUMNS"
    | "DUPLICATE_LABEL"
    | "N_L_MISMATCH"
    | "ROW_TOO_SHORT"
    | "ROW_TOO_LONG"
    | "BROKEN_ROW"
    | "NON_NUMERIC_TOKEN"
    | "FORTRAN_EXPONENT",
  line: number | null,
  message: string,
) => void;

/** The table, the labels as written, and the last physical line of each row. */
export interface BuiltTable {
  labels: string[];
  table: DataTable;
  /** 1-based line on which each row ends, ascending: used to place comments between rows. */
  rowEndLines: number[];
}

interface AssembledRow {
  lines: number[];
  tokens: string[];
}

/** Builds the data table of a scan. Never throws. */
export function buildTable(input: TableInput, report: Report): BuiltTable {
  const { declared, plain } = input;
  const lineCount = plain ? plain.lines.length : input.dataLines.length;
  const typicalWidth = plain ? plain.columns.length : mostCommonWidth(input.dataLines);

  let labels: string[] = [];
  if (input.labelText !== null) {
    const expected = lineCount > 0 ? typicalWidth : declared;
    const split = splitNamesWithFallback(input.labelText, expected, false, input.labelNames);
    // Detached from the scan's text, which names often outlive (tables, statistics, exports).
    labels = split.names.map(detach);
    if (split.fallback) {
      report(
        "LABEL_FALLBACK",
        input.labelLine,
        `#L names are separated by single spaces; read as ${labels.length} labels`,
      );
    }
  }
  if (declared !== null && declared !== labels.length) {
    report(
      "N_L_MISMATCH",
      input.labelLine,
      `#N declares ${declared} columns but #L names ${labels.length}`,
    );
  }

  const believed = declared !== null && declared <= input.maxColumns ? declared : null;
  const wrapped =
    input.perLine !== null && believed !== null && input.perLine > 0 && input.perLine < believed;
  let rowWidth: number;
  if (wrapped && believed !== null) rowWidth = believed;
  else if (labels.length > 0 && believed === labels.length) rowWidth = labels.length;
  else if (lineCount > 0) rowWidth = typicalWidth;
  else rowWidth = labels.length || believed || 0;
  const fullWidth = Math.max(labels.length, rowWidth);

  // The fast path holds when the rows fill the table exactly as they are.
  const fast = plain && !wrapped && plain.columns.length === fullWidth ? plain : null;
  const broken: BrokenRow[] = [];
  let rows: AssembledRow[] = [];
  if (!fast) {
    const dataLines = plain ? plain.tokenLines() : input.dataLines;
    rows = wrapped
      ? joinWrapped(dataLines, rowWidth, report, broken)
      : joinBroken(dataLines, rowWidth, report, broken);
  }
  const rowCount = fast ? fast.lines.length : rows.length;
  // A padded table has no more cells than half its scan's bytes, as many as values fit in them
  // (a digit and a blank each; the fast path's rows hold them all). Labels, `#N` or one long row
  // over many short rows would otherwise pad rows × width cells with NaN, quadratic in the size
  // of the file: 100,000 labels over 100,000 one-value rows asked for 80 GB. Columns past the
  // bound are not made.
  const width =
    fast || rowCount === 0
      ? fullWidth
      : Math.min(fullWidth, Math.floor(input.maxColumns / 2 / rowCount));

  const names = labels.slice(0, width);
  const synthetic = names.map(() => false);
  for (let column = labels.length; column < width; column++) {
    names.push(`col${column + 1}`);
    synthetic.push(true);
  }
  if (width > labels.length && rowCount > 0) {
    report(
      "SYNTHETIC_LABEL",
      input.labelLine,
      `rows hold ${width} values but #L names ${labels.length}; added ${names.slice(labels.length).join(", ")}`,
    );
  }
  const filled = Math.min(rowWidth, width);
  if (labels.length > filled && rowCount > 0) {
    const empty = labels.slice(filled, width);
    const unmade = labels.length - width;
    report(
      "MISSING_COLUMNS",
      input.labelLine,
      `#L names ${labels.length} columns but rows hold ${filled} values; ${[
        ...(empty.length > 0 ? [`${empty.join(", ")} stay empty`] : []),
        ...(unmade > 0
          ? [`the last ${unmade} get no column (the table would be larger than the scan)`]
          : []),
      ].join("; ")}`,
    );
  }
  const { aliases, duplicates } = uniqueAliases(names);
  if (duplicates.length > 0) {
    report(
      "DUPLICATE_LABEL",
      input.labelLine,
      `repeated labels ${[...new Set(duplicates)].join(", ")}`,
    );
  }

  if (fast) {
    const table = columnsOfPlainRows(fast, names, aliases, synthetic);
    return { labels, table, rowEndLines: fast.lines };
  }
  const table = fillColumns(rows, width, names, aliases, synthetic, report);
  table.broken = broken;
  return { labels, table, rowEndLines: rows.map((row) => row.lines[row.lines.length - 1] ?? 0) };
}

/** The table of rows that each hold exactly one plain value per column. */
function columnsOfPlainRows(
  plain: PlainRows,
  names: string[],
  aliases: string[],
  synthetic: boolean[],
): DataTable {
  const rowCount = plain.lines.length;
  return {
    rows: rowCount,
    names,
    aliases,
    synthetic,
    integer: Array.from(plain.integers, (flag) => flag === 1 && rowCount > 0),
    columns: plain.columns,
    rowLines: plain.lines,
    special: [],
    extras: [],
    short: [],
    broken: [],
  };
}

/** The most frequent token count of the data lines (the larger one on a tie); 0 without lines. */
function mostCommonWidth(lines: DataLineTokens[]): number {
  const counts = new Map<number, number>();
  for (const line of lines) {
    if (line.tokens.length > 0)
      counts.set(line.tokens.length, (counts.get(line.tokens.length) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [width, count] of counts) {
    if (count > bestCount || (count === bestCount && width > best)) {
      best = width;
      bestCount = count;
    }
  }
  return best;
}

/** `#N N M`: join physical lines until a row has N values. */
function joinWrapped(
  lines: DataLineTokens[],
  width: number,
  report: Report,
  broken: BrokenRow[],
): AssembledRow[] {
  const rows: AssembledRow[] = [];
  let pending: AssembledRow | null = null;
  for (const line of lines) {
    pending ??= { lines: [], tokens: [] };
    pending.lines.push(line.line);
    // A loop, not push(...tokens): spreading a row of 200,000 values overflows the call stack.
    for (const token of line.tokens) pending.tokens.push(token);
    if (pending.tokens.length >= width) {
      rows.push(pending);
      pending = null;
    } else if (line.glued) {
      reportBroken(pending, width, report, broken);
      pending = null;
    }
  }
  if (pending) reportBroken(pending, width, report, broken);
  return rows;
}

/**
 * Unwrapped rows: a line with fewer values than the width is joined with the lines right after it
 * while their values still fit; the pieces make a row when they fill it exactly (a row broken over
 * lines), and a broken row otherwise. A lone short line stays a short row.
 */
function joinBroken(
  lines: DataLineTokens[],
  width: number,
  report: Report,
  broken: BrokenRow[],
): AssembledRow[] {
  const rows: AssembledRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as DataLineTokens;
    if (line.tokens.length >= width || width === 0) {
      rows.push({ lines: [line.line], tokens: line.tokens });
      continue;
    }
    const pieces: AssembledRow = { lines: [line.line], tokens: line.tokens.slice() };
    let last = line;
    while (!last.glued) {
      const next = lines[i + 1];
      if (!next || next.line !== last.line + 1) break;
      if (pieces.tokens.length + next.tokens.length > width) break;
      pieces.lines.push(next.line);
      for (const token of next.tokens) pieces.tokens.push(token);
      last = next;
      i++;
    }
    if (pieces.lines.length > 1 && pieces.tokens.length === width) {
      report(
        "BROKEN_ROW",
        line.line,
        `a row was split over lines ${pieces.lines.join(", ")}; joined into one row`,
      );
      rows.push(pieces);
    } else if (pieces.lines.length > 1 || last.glued) {
      reportBroken(pieces, width, report, broken);
    } else {
      report(
        "ROW_TOO_SHORT",
        line.line,
        `row has ${line.tokens.length} values, the scan has ${width} columns; the rest read as NaN`,
      );
      rows.push(pieces);
    }
  }
  return rows;
}

function reportBroken(
  pieces: AssembledRow,
  width: number,
  report: Report,
  broken: BrokenRow[],
): void {
  report(
    "BROKEN_ROW",
    pieces.lines[0] ?? null,
    `incomplete row of ${pieces.tokens.length} of ${width} values on line(s) ${pieces.lines.join(", ")} is not counted: ${pieces.tokens.join(" ")}`,
  );
  broken.push({ lines: pieces.lines, tokens: pieces.tokens });
}

function fillColumns(
  rows: AssembledRow[],
  width: number,
  names: string[],
  aliases: string[],
  synthetic: boolean[],
  report: Report,
): DataTable {
  const columns = Array.from({ length: width }, () => new Float64Array(rows.length));
  const integer = Array.from({ length: width }, () => rows.length > 0);
  const special: SpecialValue[] = [];
  const extras: DataTable["extras"] = [];
  const short: DataTable["short"] = [];
  rows.forEach((row, r) => {
    const tokens = row.tokens;
    const count = Math.min(tokens.length, width);
    for (let c = 0; c < count; c++) {
      const token = tokens[c] as string;
      const { value, kind } = readValue(token);
      (columns[c] as Float64Array)[r] = value;
      if (kind !== "integer") integer[c] = false;
      if (kind === "integer" || kind === "number") continue;
      special.push({ row: r, column: c, raw: token, kind });
      if (kind === "none" || kind === "text") {
        report(
          "NON_NUMERIC_TOKEN",
          row.lines[0] ?? null,
          `'${token}' in column ${names[c]} reads as NaN`,
        );
      } else if (kind === "fortran") {
        report("FORTRAN_EXPONENT", row.lines[0] ?? null, `'${token}' read as ${value}`);
      }
    }
    if (count < width) short.push({ row: r, count });
    for (let c = count; c < width; c++) {
      (columns[c] as Float64Array)[r] = Number.NaN;
      integer[c] = false;
    }
    if (tokens.length > width && width > 0) {
      const raw = tokens.slice(width);
      extras.push({ row: r, raw, values: raw.map((token) => readValue(token).value) });
      report(
        "ROW_TOO_LONG",
        row.lines[0] ?? null,
        `row has ${tokens.length} values, the scan has ${width} columns; extra values kept`,
      );
    }
  });
  return {
    rows: rows.length,
    names,
    aliases,
    synthetic,
    integer,
    columns,
    rowLines: rows.map((row) => row.lines[0] ?? 0),
    special,
    extras,
    short,
    broken: [],
  };
}
