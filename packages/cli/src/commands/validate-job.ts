/**
 * The per-file work of `specx validate`, in a module of its own so that `mapFiles` can run it on
 * worker threads. Its result is plain data: it crosses the thread boundary by structured clone.
 */
import { type Diagnostic, validateFile } from "@specx/spec-parser/node";
import { type InputFile, withSpecFile } from "../inputs.js";
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
  byPath: true,
  run: validateInput,
};

/** Parses one file and runs every check on it (a named file read scan by scan from disk). */
export function validateInput(
  input: InputFile,
  _options: unknown = {},
  step: StepReport = () => {},
): FileReport {
  return withSpecFile(input, (file) => {
    // `step` only counts: each scan's numbers may go into memory the scans after it reuse.
    const diagnostics = validateFile(file, { onScan: step, reuseNumbers: true });
    return { file: input.name, scans: file.scanCount, diagnostics };
  });
}
