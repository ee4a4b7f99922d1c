/** Runs specx in-process, as the tests do: `main(argv, io)` with captured output. */
import { readFileSync } from "node:fs";
import { type CliIO, main } from "../src/cli.js";

/** Exit status, output as text and bytes, and standard error of one specx run. */
export interface SpecxRun {
  status: number;
  stdout: string;
  bytes: Buffer;
  stderr: string;
}

/** Runs `specx ...args`; `-` reads `stdin`. */
export async function runSpecx(args: string[], stdin?: Uint8Array): Promise<SpecxRun> {
  const out: Uint8Array[] = [];
  let stderr = "";
  const io: CliIO = {
    stdout: (chunk) =>
      out.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk),
    stderr: (chunk) => {
      stderr += chunk;
    },
    readInput: (path) =>
      path === "-" ? (stdin ?? new Uint8Array()) : new Uint8Array(readFileSync(path)),
  };
  const status = await main(["node", "specx", ...args], io);
  const bytes = Buffer.concat(out);
  return { status, stdout: bytes.toString("utf8"), bytes, stderr };
}
