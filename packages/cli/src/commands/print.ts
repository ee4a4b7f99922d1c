/** `specx print FILE`: the file rebuilt from the parsed model, byte for byte. */
import { validateFile } from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { checkSpecInput, withSpecFile } from "../inputs.js";
import type { CliIO } from "../io.js";

/**
 * Runs `print`; returns the exit status (1 when the file has error diagnostics). A named file is
 * written block by block as it is read from disk, and its scans read into reused memory for the
 * diagnostics: memory stays flat for any file size.
 */
export function runPrint(io: CliIO, path: string): number {
  return withSpecFile(checkSpecInput(io, path, false), (file) => {
    for (const part of file.printParts()) io.stdout(part);
    // file.diagnostics, from scans read into reused memory.
    const diagnostics = validateFile(file, { checks: false, reuseNumbers: true });
    return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
  });
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
