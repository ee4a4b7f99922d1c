/** What the lines of a scan tell about the program that wrote it. */
import type { Comment, ControlLine, CountPreset, FileHeader } from "./types.js";

/**
 * The program that wrote a scan, in one vocabulary for the checks, the conversion to documents
 * and the rewriting:
 * - `"suitcase"`: bluesky's suitcase-specfile (`<x>  Epoch  Seconds …` columns, `#T`, and the
 *   header comment `<owner>  User = <owner>`);
 * - `"apstools-v1"`: apstools' deprecated SpecWriterCallback (bluesky evidence, and a
 *   `plan_type` comment or `Epoch_float` before `Epoch` in `#L`);
 * - `"apstools-v2"`: apstools' SpecWriterCallback2 (bluesky evidence otherwise);
 * - `"spec"`: SPEC itself, or any other program (no evidence of the above).
 *
 * suitcase-specfile is recognised first: a scan in its layout is read as its run even if a line
 * also looks like apstools' evidence.
 */
export type WriterKind = "spec" | "apstools-v1" | "apstools-v2" | "suitcase";

/** The parts of a scan that show its writer. */
export interface WriterEvidence {
  controls: readonly ControlLine[];
  comments: readonly Comment[];
  labels: readonly string[];
  header: FileHeader | null;
}

/** Which program wrote the scan (see {@link WriterKind}). */
export function scanWriter(scan: WriterEvidence & { preset: CountPreset | null }): WriterKind {
  if (suitcaseLayout(scan)) return "suitcase";
  if (!writtenByBluesky(scan)) return "spec";
  return apstoolsV1Layout(scan) ? "apstools-v1" : "apstools-v2";
}

/** True for the apstools writers, v1 or v2 (see {@link WriterKind}). */
export function isApstools(writer: WriterKind): boolean {
  return writer === "apstools-v1" || writer === "apstools-v2";
}

/**
 * True when bluesky (apstools' SpecWriterCallback or SpecWriterCallback2) wrote the scan: it has
 * `#MD` lines, the `Epoch_float  Epoch` columns, a `#C … uid =` line, or a header comment
 * `#C Bluesky  user = …` (docs/spec-format.md §9). Such rows may hold Python literals. The scan
 * reader asks this before the scan exists; everyone else asks {@link scanWriter}.
 */
export function writtenByBluesky(scan: WriterEvidence): boolean {
  if (scan.controls.some((control) => control.key === "MD")) return true;
  if (scan.labels.includes("Epoch") && scan.labels.includes("Epoch_float")) return true;
  if (scan.comments.some((c) => /\. {2}uid = [0-9a-f-]{36}/.test(c.text))) return true;
  return /^Blue[sS]ky\s+user\s*=/.test(scan.header?.comments[0]?.text ?? "");
}

// `s`: with `.` stopping at U+2028, a comment holding one after many ".  plan_type = " was
// searched to its end from each of them, quadratic in its length.
const PLAN_TYPE = /^.*?\. {2}plan_type = (.*)$/s;

/** apstools v1: a `plan_type` comment, or `Epoch_float` before `Epoch` in `#L`. */
function apstoolsV1Layout(scan: WriterEvidence): boolean {
  if (scan.comments.some((c) => PLAN_TYPE.test(c.text))) return true;
  const epochFloat = scan.labels.indexOf("Epoch_float");
  const epoch = scan.labels.indexOf("Epoch");
  return epochFloat >= 0 && epoch > epochFloat;
}

/** suitcase-specfile's layout: `<x>  Epoch  Seconds …`, `#T`, `#C o  User = o`. */
function suitcaseLayout(scan: WriterEvidence & { preset: CountPreset | null }): boolean {
  const labels = scan.labels;
  return (
    labels[1] === "Epoch" &&
    labels[2] === "Seconds" &&
    scan.preset?.kind === "time" &&
    isOwnerLine(scan.header?.comments[0]?.text ?? "")
  );
}

/**
 * True for `<owner>  User = <owner>`, what `/^(.*) {2}User = \1$/` matches. The two halves have
 * one possible length, so they are compared once: the expression retried its back-reference at
 * every "  User = ", and a long comment repeating one took time quadratic in its length.
 */
function isOwnerLine(text: string): boolean {
  const separator = "  User = ";
  const half = (text.length - separator.length) / 2;
  if (!Number.isInteger(half) || half < 0) return false;
  const owner = text.slice(0, half);
  return (
    text.startsWith(separator, half) &&
    text.endsWith(owner) &&
    // `.` of the expression stops at line terminators.
    !/[\n\r\u2028\u2029]/.test(owner)
  );
}
