/** Writing a command's output file, with a one-line reason when that fails. */
import { writeFileSync } from "node:fs";
import { ioReason, UserError } from "./io.js";

/** Writes `content` to `path`; an I/O failure becomes a UserError (exit 2), not a stack trace. */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  try {
    writeFileSync(path, content);
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${ioReason(error, "no such folder")}`);
  }
}
