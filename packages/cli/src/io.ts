/** Where the CLI reads and writes, so tests can run commands in-process. */
import { readFileSync } from "node:fs";

/** The CLI's streams and file reader. */
export interface CliIO {
  /** Writes to standard output. */
  stdout(chunk: string | Uint8Array): void;
  /** Writes to standard error. */
  stderr(chunk: string): void;
  /** Reads a whole file, or standard input for "-". Throws on I/O errors. */
  readInput(path: string): Uint8Array;
  /** True when standard output is a terminal (colour, aligned tables); default false. */
  stdoutIsTTY?: boolean;
  /** True when standard error is a terminal (progress bars); default false. */
  stderrIsTTY?: boolean;
  /** Environment variables (NO_COLOR); default none. */
  env?: Record<string, string | undefined>;
}

/** The real process streams. */
export const processIO: CliIO = {
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  stdout: (chunk) => {
    process.stdout.write(chunk);
  },
  stderr: (chunk) => {
    process.stderr.write(chunk);
  },
  readInput: (path) => {
    // A view of the bytes read, not a copy (`new Uint8Array(buffer)` would copy them).
    const read = readFileSync(path === "-" ? 0 : path);
    return new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  },
};

/** A failure the user can act on: printed as one line, with the exit status it carries. */
export class UserError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Reads an input file, turning I/O errors into a one-line UserError. */
export function readInputFile(io: CliIO, path: string): Uint8Array {
  try {
    return io.readInput(path);
  } catch (error) {
    throw new UserError(
      `cannot read ${path === "-" ? "standard input" : path}: ${ioReason(error, "no such file")}`,
    );
  }
}

/** An I/O error in a few words (`missing` names what ENOENT means here). */
export function ioReason(error: unknown, missing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return missing;
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  if (code === "ENOSPC") return "no space left on the device";
  return (error as Error).message;
}
