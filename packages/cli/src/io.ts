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
}

/** The real process streams. */
export const processIO: CliIO = {
  stdout: (chunk) => {
    process.stdout.write(chunk);
  },
  stderr: (chunk) => {
    process.stderr.write(chunk);
  },
  readInput: (path) => new Uint8Array(readFileSync(path === "-" ? 0 : path)),
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
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    throw new UserError(`cannot read ${path === "-" ? "standard input" : path}: ${reason}`);
  }
}
