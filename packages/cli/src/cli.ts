/**
 * The `specx` command line. `main(argv, io)` returns the exit status instead of exiting, so every
 * command runs in-process in tests; `bin/specx.js` calls it for the real binary.
 *
 * Exit status: 0 success, 1 the file has error diagnostics, 2 bad usage or I/O error.
 */
import { Command, CommanderError } from "commander";
import { registerExport } from "./commands/export.js";
import { registerFromDocs } from "./commands/from-docs.js";
import { registerInfo } from "./commands/info.js";
import { registerInspect } from "./commands/inspect.js";
import { registerPlot } from "./commands/plot.js";
import { registerPrint } from "./commands/print.js";
import { registerRules } from "./commands/rules.js";
import { registerShow } from "./commands/show.js";
import { registerStats } from "./commands/stats.js";
import { registerToDocs } from "./commands/to-docs.js";
import { registerValidate } from "./commands/validate.js";
import { registerWatch } from "./commands/watch.js";
import type { CommandContext } from "./context.js";
import { type CliIO, processIO, UserError } from "./io.js";

export type { InspectResult, InspectScan } from "./commands/inspect.js";
export { inspectBytes } from "./commands/inspect.js";
export type { CliIO } from "./io.js";

/** Runs specx with `argv` as in `process.argv` (node, script, arguments…). */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let status = 0;
  const program = new Command()
    .name("specx")
    .description("Read, check and convert SPEC data files.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text),
    })
    .showSuggestionAfterError()
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  specx validate beamtime/            check every SPEC file in a folder",
        "  specx info scans.spec               one line per scan",
        "  specx show scans.spec 12            scan 12: header facts and data",
        "  specx export scans.spec --scan 12.1 --format csv -o s12.csv",
        "  specx stats scans.spec --json       column statistics, peak, FWHM, COM",
        "  specx plot scans.spec 12 -o s12.png",
        "  specx to-docs scans.spec --format jsonl -o runs/",
        "  specx watch scans.spec               print each new scan and point as SPEC writes them",
        "",
        "Run `specx <command> --help` for a command's options and examples.",
        "",
      ].join("\n"),
    );

  const context: CommandContext = {
    io,
    setStatus: (value) => {
      status = value;
    },
  };
  registerValidate(program, context);
  registerRules(program, context);
  registerInfo(program, context);
  registerShow(program, context);
  registerExport(program, context);
  registerStats(program, context);
  registerPlot(program, context);
  registerWatch(program, context);
  registerInspect(program, context);
  registerPrint(program, context);
  registerToDocs(program, context);
  registerFromDocs(program, context);

  try {
    await program.parseAsync([...argv], { from: "node" });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UserError) {
      io.stderr(`specx: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`specx: ${(error as Error).message ?? String(error)}\n`);
    return 2;
  }
}
