/** What the lines of a scan tell about the program that wrote it. */
import type { Comment, ControlLine, FileHeader } from "./types.js";

/** The parts of a scan that show its writer. */
export interface WriterEvidence {
  controls: readonly ControlLine[];
  comments: readonly Comment[];
  labels: readonly string[];
  header: FileHeader | null;
}

/**
 * True when bluesky wrote the scan (apstools' SpecWriterCallback or SpecWriterCallback2): it has
 * `#MD` lines, the `Epoch_float  Epoch` columns, a `#C … uid =` line, or a header comment
 * `#C Bluesky  user = …` (notes/writer.md). Such rows may hold Python literals.
 */
export function writtenByBluesky(scan: WriterEvidence): boolean {
  if (scan.controls.some((control) => control.key === "MD")) return true;
  if (scan.labels.includes("Epoch") && scan.labels.includes("Epoch_float")) return true;
  if (scan.comments.some((c) => /\. {2}uid = [0-9a-f-]{36}/.test(c.text))) return true;
  return /^Blue[sS]ky\s+user\s*=/.test(scan.header?.comments[0]?.text ?? "");
}
