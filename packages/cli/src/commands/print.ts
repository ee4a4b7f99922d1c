/** `specx print FILE`: the file rebuilt from the parsed model, byte for byte. */
import { parse, print } from "@specx/spec-parser/node";
import { type CliIO, readInputFile } from "../io.js";

/** Runs `print`; returns the exit status (1 when the file has error diagnostics). */
export function runPrint(io: CliIO, path: string): number {
  const file = parse(readInputFile(io, path));
  io.stdout(print(file));
  return file.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
