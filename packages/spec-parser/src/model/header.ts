/** Interpretation of a file header block (`#F`/`#E` … up to the next block). */
import { type Diagnostic, diagnostic } from "../diagnostics.js";
import { readDate } from "./dates.js";
import { readControlKey, withoutContinuation } from "./lines.js";
import { readMotorNames } from "./motor-names.js";
import type { Rows } from "./positioners.js";
import { readNumber, splitNames, splitNamesWithFallback, splitWords } from "./text.js";
import type { Comment, ControlLine, FileHeader, SourceLine } from "./types.js";

/** Joins backslash continuations onto their control line and returns control lines in order. */
export function collectControls(
  lines: SourceLine[],
  afterRow: (line: number) => number | null,
  diagnostics: Diagnostic[],
  scanKey: string | null,
): { controls: ControlLine[]; comments: Comment[] } {
  const controls: ControlLine[] = [];
  const comments: Comment[] = [];
  let open: ControlLine | null = null;
  // A record's lines are collected and joined once it ends: joining line by line re-read the
  // growing text for every line, which made a long run of continuations quadratic. Made at the
  // first continuation line: most records have none.
  let pieces: string[] | null = null;
  const close = () => {
    if (open && pieces) open.text = pieces.join("");
    open = null;
    pieces = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as SourceLine;
    if (line.kind === "continuation") {
      if (open) {
        pieces ??= [open.text];
        const last = pieces.length - 1;
        pieces[last] = withoutContinuation(pieces[last] as string);
        pieces.push(line.text);
      }
      continue;
    }
    close();
    if (line.kind === "comment") {
      comments.push({
        text: commentText(line.text),
        line: line.line,
        afterRow: afterRow(line.line),
        glued: false,
      });
    }
    if (
      line.kind !== "control" &&
      line.kind !== "comment" &&
      line.kind !== "file" &&
      line.kind !== "epoch" &&
      line.kind !== "scan"
    ) {
      continue;
    }
    const parts = readControlKey(line.text);
    if (!parts) continue;
    if (parts.indented) {
      diagnostics.push(
        diagnostic("INDENTED_CONTROL_LINE", line.line, scanKey, `blanks before #${parts.key}`),
      );
    }
    const control: ControlLine = {
      key: parts.key,
      family: parts.family,
      row: parts.row,
      text: parts.text,
      line: line.line,
      afterRow: afterRow(line.line),
    };
    controls.push(control);
    if (line.kind === "control") open = control;
  }
  close();
  return { controls, comments };
}

/** The text of a `#C` line after its key and one blank, as `replace(/^#C[\t ]?/, "")` gives. */
export function commentText(line: string): string {
  if (line.charCodeAt(0) !== 35 || line.charCodeAt(1) !== 67) return line;
  const blank = line.charCodeAt(2) === 32 || line.charCodeAt(2) === 9;
  return line.slice(blank ? 3 : 2);
}

/** Rows of a numbered family (`O` → `#O0`, `#O1`, …) as raw text with line numbers. */
export function rowsOf(controls: ControlLine[], family: string): Rows {
  const rows: Rows = new Map();
  for (const control of controls) {
    if (control.family === family && control.row !== null) addRow(rows, control, control.row);
  }
  return rows;
}

/**
 * `rows` with the control's row added unless it has that row already: the first line of a row
 * number counts. Made when `rows` is undefined.
 */
export function addRow(rows: Rows | undefined, control: ControlLine, row: number): Rows {
  const map: Rows = rows ?? new Map();
  if (!map.has(row)) map.set(row, { text: control.text, line: control.line });
  return map;
}

/** Interprets a header block. Findings go to `diagnostics`. */
export function interpretHeader(
  index: number,
  lines: SourceLine[],
  diagnostics: Diagnostic[],
): FileHeader {
  const { controls, comments } = collectControls(lines, () => null, diagnostics, null);
  const first = controls[0];
  const fileLine = controls.find((control) => control.key === "F");
  const epochLine = controls.find((control) => control.key === "E");
  const dateLine = controls.find((control) => control.key === "D");
  const nameRows = (family: string, single: boolean) => {
    const result = new Map<number, string[]>();
    for (const [row, { text }] of rowsOf(controls, family)) {
      // Without the scan's #P counts, the single-space fallback applies to any multi-word row.
      result.set(row, single ? splitWords(text) : splitNamesWithFallback(text, 0, false).names);
    }
    return result;
  };
  const mnemonicRows = rowsOf(controls, "o");
  const motorNames = new Map<number, string[]>();
  for (const [row, { text }] of rowsOf(controls, "O")) {
    // The header has no #P counts; the #o mnemonics, one per motor, count the names instead.
    const mnemonics = splitWords(mnemonicRows.get(row)?.text ?? "").length;
    motorNames.set(row, readMotorNames(text, mnemonics > 0 ? mnemonics : null).names);
  }
  return {
    index,
    line: lines[0]?.line ?? 0,
    startsWith: first?.key === "E" ? "#E" : "#F",
    fileName: fileLine ? fileLine.text.trim() : null,
    epoch: epochLine ? readNumber(epochLine.text.trim()) : null,
    date: dateLine ? readDate(dateLine.text) : null,
    comments,
    motorNames,
    motorMnemonics: nameRows("o", true),
    counterNames: nameRows("J", false),
    counterMnemonics: nameRows("j", true),
    unicatNames: new Map(
      [...rowsOf(controls, "H")].map(([row, { text }]) => [row, splitNames(text)]),
    ),
    controls,
    lines,
  };
}
