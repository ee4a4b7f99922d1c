/**
 * The `specx` command line. `main(argv, io)` returns the exit status instead of exiting, so every
 * command runs in-process in tests; `bin/specx.js` calls it for the real binary.
 *
 * Exit status: 0 success, 1 the file has error diagnostics, 2 bad usage or I/O error.
 */
import { Command, CommanderError } from "commander";
import { registerExport, registerInfo, registerShow } from "./commands/browse.js";
import { runFromDocs } from "./commands/from-docs.js";
import { runInspect } from "./commands/inspect.js";
import { registerPlot } from "./commands/plot.js";
import { runPrint } from "./commands/print.js";
import { registerStats } from "./commands/stats.js";
import { runToDocs, type ToDocsOptions } from "./commands/to-docs.js";
import { registerRules, registerValidate } from "./commands/validate.js";
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

  program
    .command("inspect")
    .description(
      "show what the parser reads in a SPEC file (scans, labels, positioners, diagnostics)",
    )
    .argument("<file>", "SPEC file, or - for standard input")
    .option("--json", "print one JSON object (a stable contract)")
    .option("--data", "with --json: include every row (null for NaN or non-numeric cells)")
    .addHelpText(
      "after",
      "\nExamples:\n  specx inspect scan.spec\n  specx inspect scan.spec --json --data | jq '.scans[0].labels'\n",
    )
    .action((file: string, options: { json?: boolean; data?: boolean }) => {
      status = runInspect(io, file, options);
    });

  program
    .command("print")
    .description("write the file rebuilt from the parsed model (identical bytes)")
    .argument("<file>", "SPEC file, or - for standard input")
    .addHelpText("after", "\nExample:\n  specx print scan.spec | cmp - scan.spec\n")
    .action((file: string) => {
      status = runPrint(io, file);
    });

  program
    .command("to-docs")
    .description(
      "write each scan as a bluesky run: <uid>.jsonl or <uid>.msgpack files databroker loads",
    )
    .argument("<file>", "SPEC file, or - for standard input")
    .requiredOption("--format <format>", "jsonl (suitcase-jsonl) or msgpack (suitcase-msgpack)")
    .requiredOption("-o, --output <dir>", "folder for the run files (created if missing)")
    .option("--scan <key...>", "only these scans (keys such as 3.1)")
    .option("--overwrite", "replace run files that already exist")
    .option(
      "--no-provenance",
      "leave out the 'spec' key (SPEC-only details) of each start document",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  specx to-docs scans.spec --format jsonl -o runs/\n  specx to-docs scans.spec --scan 3.1 12.1 --format msgpack -o runs/\n",
    )
    .action((file: string, options: ToDocsOptions) => {
      status = runToDocs(io, file, options);
    });

  program
    .command("from-docs")
    .description("write bluesky document streams as SPEC scans (creates OUT, or continues it)")
    .argument(
      "<input...>",
      "document streams: .json ([[name, doc], …]), .json.gz, .jsonl, .msgpack",
    )
    .requiredOption(
      "-o, --output <file>",
      "the SPEC file to write or continue (#F holds it as given)",
    )
    .option(
      "--flavor <flavor>",
      "apstools (SpecWriterCallback2 layout), apstools-v1 (SpecWriterCallback) or suitcase",
      "apstools",
    )
    .option("--time-zone <zone>", "IANA time zone for dates (default: the TZ variable, else local)")
    .option(
      "--strict-apstools",
      "reproduce apstools' output even where it is wrong (drops event pages, raw multi-line #MD)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  specx from-docs run.jsonl -o scans.spec\n  TZ=UTC specx from-docs a.json b.msgpack -o beamtime.spec\n  specx from-docs run.jsonl -o run.spec --flavor suitcase\n",
    )
    .action(
      (
        inputs: string[],
        options: { output: string; flavor?: string; timeZone?: string; strictApstools?: boolean },
      ) => {
        status = runFromDocs(io, inputs, options);
      },
    );

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
