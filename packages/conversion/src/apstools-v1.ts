/**
 * Reading scans written by apstools' deprecated SpecWriterCallback ("v1", docs/writer.md §7.1;
 * docs/documents.md §5.3). Its layout differs from SpecWriterCallback2's in ways that matter
 * for documents: plan_name, plan_args and plan_type are not in `#MD` (the `#S` command and a
 * `#C … plan_type =` comment carry them), cells are full Python repr with lists and None written
 * into the row as they are, and a string cell holds its row index with the value on a
 * `#U <row> <label> <value>` line.
 */
import type { DocRecord, DocValue } from "@specx/documents";
import type { Scan } from "@specx/spec-parser";
import { literal } from "./literal.js";

// `s`: with `.` stopping at U+2028, a comment holding one after many ".  plan_type = " was
// searched to its end from each of them, quadratic in its length.
const PLAN_TYPE = /^.*?\. {2}plan_type = (.*)$/s;

/** The start's plan_type from `#C <date>.  plan_type = X`, or undefined. */
export function v1PlanType(scan: Scan): string | undefined {
  for (const comment of scan.comments) {
    const match = PLAN_TYPE.exec(comment.text);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The cells of every row, split with brackets and quotes kept together (a list cell like
 * `[1, 2, 3]` is one value) and read as Python literals, with `#U <row> <label> <value>` string
 * cells restored. Null when some row does not split into the scan's columns.
 */
export function v1Cells(scan: Scan): DocValue[][] | null {
  const { data } = scan;
  const labels = data.names;
  const lineText = new Map(scan.lines.map((l) => [l.line, l.text]));
  const rows: DocValue[][] = [];
  for (let row = 0; row < data.rows; row++) {
    const tokens = splitCells(lineText.get(data.rowLines[row] ?? -1) ?? "");
    if (tokens.length !== labels.length) return null;
    rows.push(tokens.map(cellValue));
  }
  // Longest labels first, so `Ion Ch 1` wins over `Ion`.
  const byLength = [...labels].sort((a, b) => b.length - a.length);
  for (const line of scan.control("U")) {
    const match = /^ (\d+) (.*)$/s.exec(line.text);
    if (!match) continue;
    const row = rows[Number(match[1])];
    const rest = match[2] as string;
    const label = byLength.find((l) => rest === l || rest.startsWith(`${l} `));
    if (!row || label === undefined) continue;
    row[labels.indexOf(label)] = rest.slice(label.length + 1);
  }
  return rows;
}

/**
 * Descriptor hints that make the v1 writer's column choice (motors, `Epoch_float  Epoch`, the
 * other keys, then the hinted detectors in start order) give back the `#L` order: the detectors
 * that end the row, in the start's order, are the hinted ones.
 */
export function v1Hints(start: DocRecord, keysAfterEpoch: string[]): DocRecord {
  const detectors = Array.isArray(start.detectors)
    ? start.detectors.filter((d): d is string => typeof d === "string")
    : [];
  // The tail grows from the end while its next key is a detector named once, and named before
  // the tail's other keys. (Filtering the detectors for every length of tail was cubic.)
  const named = new Map<string, number>();
  detectors.forEach((d, i) => {
    named.set(d, named.has(d) ? -1 : i);
  });
  let tailStart = keysAfterEpoch.length;
  let before = Number.POSITIVE_INFINITY;
  while (tailStart > 0) {
    const at = named.get(keysAfterEpoch[tailStart - 1] as string) ?? -1;
    if (at < 0 || at >= before) break;
    before = at;
    tailStart--;
  }
  const tail = keysAfterEpoch.slice(tailStart);
  return Object.fromEntries(tail.map((d) => [d, { fields: [d] }]));
}

/** One cell: a Python literal, `nan`/`inf` as floats, anything else as its text. */
function cellValue(token: string): DocValue {
  if (token === "nan") return Number.NaN;
  if (token === "inf") return Number.POSITIVE_INFINITY;
  if (token === "-inf") return Number.NEGATIVE_INFINITY;
  return literal(token);
}

/** Splits a row at blanks outside brackets and quotes. */
function splitCells(text: string): string[] {
  const cells: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === " " || c === "\t") {
      if (depth === 0 && start >= 0) {
        cells.push(text.slice(start, i));
        start = -1;
      }
      continue;
    }
    if (start < 0) start = i;
    if (depth > 0 && (c === "'" || c === '"')) quote = c;
    else if (c === "[" || c === "(" || c === "{") depth++;
    else if ((c === "]" || c === ")" || c === "}") && depth > 0) depth--;
  }
  if (start >= 0) cells.push(text.slice(start));
  return cells;
}
