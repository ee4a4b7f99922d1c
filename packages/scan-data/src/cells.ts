/**
 * The cells of a scan's data table, written as the file wrote them. The parser keeps numbers as
 * doubles (`2.0` and `2` are the same double) and the text of values that are not plain numbers
 * (`nan`, `None`, `True`, words). To give back `2.0` where the file says `2.0`, a cell's token
 * is read again from the row's first line and used only when it reads as the very same double;
 * otherwise (a row wrapped or broken over lines, say) the cell is the shortest text that reads
 * back as that double.
 */
import { readValue, type Scan, type SpecialValue, splitWords } from "@specx/spec-parser";

/** Reads the cells of one scan. */
export interface ScanCells {
  /** The cell as text: the file's own token when possible; `missing` when the row lacks it. */
  text(row: number, column: number, missing: string): string;
  /**
   * The cell as JSON text: a number (as written when that is JSON number syntax), a word as a
   * string, True/False as booleans, null for NaN, infinities, None and cells the row lacks.
   */
  json(row: number, column: number): string;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** Cell readers over `scan`'s data. */
export function scanCells(scan: Scan): ScanCells {
  const table = scan.data;
  const width = table.columns.length;
  const special = new Map<number, SpecialValue>();
  for (const cell of table.special) special.set(cell.row * width + cell.column, cell);
  const shortRows = new Map<number, number>();
  for (const { row, count } of table.short) shortRows.set(row, count);
  const lineText = new Map<number, string>();
  for (const line of scan.lines) if (line.kind === "data") lineText.set(line.line, line.text);

  let tokensRow = -1;
  let tokens: string[] = [];
  const isMissing = (row: number, column: number) => column >= (shortRows.get(row) ?? width);
  const number = (row: number, column: number) => table.columns[column]?.[row] ?? Number.NaN;
  /** The file's token for a plain-number cell, when it reads as the stored double. */
  const token = (row: number, column: number): string | null => {
    if (row !== tokensRow) {
      tokensRow = row;
      tokens = splitWords(lineText.get(table.rowLines[row] ?? -1) ?? "");
    }
    const candidate = tokens[column];
    if (candidate === undefined) return null;
    const read = readValue(candidate);
    const plain = read.kind === "integer" || read.kind === "number";
    return plain && Object.is(read.value, number(row, column)) ? candidate : null;
  };

  return {
    text(row, column, missing) {
      if (isMissing(row, column)) return missing;
      const odd = special.get(row * width + column);
      // A Fortran exponent (1d3) is a number most readers cannot parse: give its value.
      if (odd && odd.kind !== "fortran") return odd.raw;
      return token(row, column) ?? numberText(number(row, column));
    },
    json(row, column) {
      if (isMissing(row, column)) return "null";
      const odd = special.get(row * width + column);
      if (odd?.kind === "text") return JSON.stringify(odd.raw);
      if (odd?.kind === "boolean") return odd.raw === "True" ? "true" : "false";
      const value = number(row, column);
      if (!Number.isFinite(value)) return "null";
      const written = token(row, column);
      return written !== null && JSON_NUMBER.test(written) ? written : numberText(value);
    },
  };
}

/**
 * The shortest text that reads back as the same double (JavaScript's `String`, which matches
 * Python's `repr` except that integral values have no `.0`); keeps the sign of -0.
 */
export function numberText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return Object.is(value, -0) ? "-0" : String(value);
}
