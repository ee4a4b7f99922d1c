/** Writing a command's output file, with a one-line reason when that fails. */
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { ioReason, UserError } from "./io.js";

/** Writes `content` to `path`; an I/O failure becomes a UserError (exit 2), not a stack trace. */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  try {
    writeFileSync(path, content);
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${ioReason(error, "no such folder")}`);
  }
}

/**
 * Writes `pieces` to `path` one after another, so that the whole text is never in memory; an I/O
 * failure becomes a UserError as in {@link writeOutputFile}.
 */
export function writeOutputPieces(path: string, pieces: Iterable<string>): void {
  const failed = (error: unknown) =>
    new UserError(`cannot write ${path}: ${ioReason(error, "no such folder")}`);
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (error) {
    throw failed(error);
  }
  try {
    for (const piece of pieces) {
      const bytes = Buffer.from(piece, "utf8");
      try {
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      } catch (error) {
        throw failed(error);
      }
    }
  } finally {
    closeSync(fd);
  }
}
