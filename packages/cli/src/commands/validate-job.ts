/**
 * The per-file work of `specx validate`, in a module of its own so that `mapFiles` can run it on
 * worker threads. Its result is plain data: it crosses the thread boundary by structured clone.
 */
import { type Diagnostic, parse, validateFile } from "@specx/spec-parser/node";
import type { InputFile } from "../inputs.js";
import type { FileJob, StepReport } from "../parallel.js";

/** What validation found in one file. */
export interface FileReport {
  /** The file's name as the user gave it (or as found in a folder); `-` for standard input. */
  file: string;
  scans: number;
  /** The parser's findings and the semantic checks', in line order (file-wide ones first). */
  diagnostics: Diagnostic[];
}

/** {@link validateInput}, addressed for `mapFiles`. */
export const validateJob: FileJob = {
  name: "validateInput",
  run: validateInput,
};

/** Parses one file and runs every check on it. */
export function validateInput(
  input: InputFile,
  _options: unknown = {},
  step: StepReport = () => {},
): FileReport {
  const file = parse(input.bytes);
  // `step` only counts: each scan's numbers may go into memory the scans after it reuse.
  const diagnostics = validateFile(file, { onScan: step, reuseNumbers: true });
  return { file: input.name, scans: file.scanCount, diagnostics };
}
