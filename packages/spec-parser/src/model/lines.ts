/** Turning a range of the line table back into decoded lines, and reading control keys. */
import { decodeByteString } from "../parse/bytes.js";
import { type ByteSource, byteStringFrom } from "../parse/indexer.js";
import { type LineTable, lineKindNames } from "../parse/line-table.js";
import type { SourceLine } from "./types.js";

/** Decoded lines `[first, end)` of the table, and the line numbers that needed Latin-1. */
export function readLines(
  source: ByteSource,
  table: LineTable,
  first: number,
  end: number,
): { lines: SourceLine[]; latin1Lines: number[] } {
  const base = table.start(first);
  const text = byteStringFrom(source, source.read(base, table.start(end)));
  const lines: SourceLine[] = [];
  const latin1Lines: number[] = [];
  for (let index = first; index < end; index++) {
    const from = table.start(index) - base;
    const to = table.stop(index) - base;
    let body = to;
    while (body > from && (text.charCodeAt(body - 1) === 10 || text.charCodeAt(body - 1) === 13)) {
      body--;
    }
    const decoded = decodeByteString(text.slice(from, body));
    if (decoded.latin1Fallback) latin1Lines.push(index + 1);
    lines.push({
      kind: lineKindNames[table.kind(index)] ?? "other",
      line: index + 1,
      offset: base + from,
      text: decoded.text,
      eol: text.slice(body, to),
    });
  }
  return { lines, latin1Lines };
}

/** The parts of a control line `#KEY text`. */
export interface ControlKey {
  key: string;
  family: string;
  row: number | null;
  /** Text after the key, leading blanks kept. */
  text: string;
  /** True when blanks precede the `#`. */
  indented: boolean;
}

const CONTROL = /^([\t ]*)#([^\s]*)([\s\S]*)$/;

/** Splits a control line into key, family, row number and text; null if it is not one. */
export function readControlKey(line: string): ControlKey | null {
  const match = CONTROL.exec(line);
  if (!match) return null;
  const key = match[2] ?? "";
  const rowMatch = /^(.*?[^\d])(\d+)$/.exec(key);
  return {
    key,
    family: rowMatch ? (rowMatch[1] ?? key) : key,
    row: rowMatch ? Number(rowMatch[2]) : null,
    text: match[3] ?? "",
    indented: (match[1] ?? "").length > 0,
  };
}

/**
 * Replaces a record's trailing backslash (and blanks after it) by `joiner` before the next
 * continuation line is appended; text without one is returned as it is. A character scan from
 * the end, not a regular expression, which would search the whole record each time.
 */
export function withoutContinuation(text: string, joiner = ""): string {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return end > 0 && text.charCodeAt(end - 1) === 92 ? text.slice(0, end - 1) + joiner : text;
}
