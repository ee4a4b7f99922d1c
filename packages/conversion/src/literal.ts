/** Text from a SPEC file read as document values, with Python's int/float distinction kept. */
import { type DocValue, PyFloat, pyTuple } from "@specx/documents";
import { parsePythonLiteral, readValue, type Scan, splitWords } from "@specx/spec-parser";

/** A Python literal with the int/float distinction and tuples kept, or the text itself. */
export function literal(text: string): DocValue {
  const value = parsePythonLiteral(text, {
    makeNumber: (token, isFloat) => {
      const n = Number(token);
      if (!isFloat) return (Number.isSafeInteger(n) ? n : BigInt(token)) as never;
      return (Number.isInteger(n) ? new PyFloat(n) : n) as never;
    },
    makeTuple: (items) => pyTuple(items as DocValue[]) as never,
  });
  return value === undefined ? text : (value as unknown as DocValue);
}

/** A number token as a document value: ints stay ints, floats stay floats (PyFloat when integral). */
export function numberFromToken(raw: string, value: number): DocValue {
  const { kind } = readValue(raw);
  if (kind === "integer") return Number.isSafeInteger(value) ? value : BigInt(raw);
  if (kind === "boolean") return raw === "True";
  if (kind === "text" || kind === "none") return kind === "none" ? null : raw;
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/**
 * Reads cells as document values: special tokens as booleans, strings or null; integer columns as
 * ints; other columns as floats, except cells written as an integer literal, which stay ints
 * (a bluesky writer printed a Python int there, `-1` rather than `-1.0`).
 */
export function cellReader(scan: Scan): (row: number, column: number) => DocValue {
  const { data } = scan;
  const special = new Map(data.special.map((s) => [`${s.row}:${s.column}`, s]));
  const short = new Map(data.short.map((s) => [s.row, s.count]));
  const lineText = new Map(scan.lines.map((l) => [l.line, l.text]));
  const tokens = new Map<number, string[]>();
  const tokenAt = (row: number, column: number): string | undefined => {
    let rowTokens = tokens.get(row);
    if (!rowTokens) {
      rowTokens = splitWords((lineText.get(data.rowLines[row] ?? -1) ?? "").split("#")[0] ?? "");
      tokens.set(row, rowTokens);
    }
    // Only rows on one line can be re-read token by token; others keep the column's kind.
    return rowTokens.length >= data.columns.length ? rowTokens[column] : undefined;
  };
  return (row, column) => {
    const value = data.columns[column]?.[row] ?? Number.NaN;
    const found = special.get(`${row}:${column}`);
    if (found) {
      if (found.kind === "boolean") return found.raw === "True";
      if (found.kind === "text") return found.raw;
      if (found.kind === "none") return null;
      return value;
    }
    if ((short.get(row) ?? Number.POSITIVE_INFINITY) <= column) return Number.NaN;
    if (data.integer[column]) return value;
    if (Number.isInteger(value) && value !== 0 && /^[-+]?\d+$/.test(tokenAt(row, column) ?? ""))
      return value;
    return Number.isInteger(value) ? new PyFloat(value) : value;
  };
}
