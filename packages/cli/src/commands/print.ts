/** `specx print FILE`: the file rebuilt from the parsed model, byte for byte. */
import { parse, print } from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type CliIO, readInputFile } from "../io.js";

/** Runs `print`; returns the exit status (1 when the file has error diagnostics). */
export function runPrint(io: CliIO, path: string): number {
  const file = parse(readInputFile(io, path));
  io.stdout(print(file));
  return file.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/** `specx print FILE`. */
export function registerPrint(program: Command, context: CommandContext): void {
  program
    .command("print")
    .description("write the file rebuilt from the parsed model (identical bytes)")
    .argument("<file>", "SPEC file, or - for standard input")
    .addHelpText("after", "\nExample:\n  specx print scan.spec | cmp - scan.spec\n")
    .action((file: string) => {
      context.setStatus(runPrint(context.io, file));
    });
}
