/** Runs specx in-process, as the tests do: `main(argv, io)` with captured output. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { type CliIO, main } from "../src/cli.js";

/** Exit status, output as text and bytes, and standard error of one specx run. */
export interface SpecxRun {
  status: number;
  stdout: string;
  bytes: Buffer;
  stderr: string;
}

/** What a run may say of its terminal: which streams are one, and the environment. */
export type Terminal = Pick<CliIO, "stdoutIsTTY" | "stderrIsTTY" | "env">;

/** Runs `specx ...args`; `-` reads `stdin`. `terminal` makes stdout or stderr a terminal. */
export function runSpecx(
  args: string[],
  stdin?: Uint8Array,
  terminal: Terminal = {},
): Promise<SpecxRun> {
  return runMain(main, args, stdin, terminal);
}

/** Runs `specx ...args` through `entry`: `main` of the sources, or of the bundle (bundle.test.ts). */
export async function runMain(
  entry: typeof main,
  args: string[],
  stdin?: Uint8Array,
  terminal: Terminal = {},
): Promise<SpecxRun> {
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
    ...terminal,
  };
  const status = await entry(["node", "specx", ...args], io);
  const bytes = Buffer.concat(out);
  return { status, stdout: bytes.toString("utf8"), bytes, stderr };
}

/** Asserts a usage failure: exit status 2 and a one-line reason that matches `message`. */
export function expectUsageError(result: SpecxRun, message: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
}
