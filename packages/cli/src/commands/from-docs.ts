/**
 * `specx from-docs INPUT... -o OUT.spec [--flavor apstools|suitcase]`: bluesky document streams
 * (JSON `[[name, doc], …]`, `.json.gz`, suitcase-jsonl, suitcase-msgpack) written as SPEC scans.
 * OUT is created, or continued after its last scan; `#F` holds OUT as given.
 */
import { NotASpecFileError } from "@specx/spec-writer";
import { type FileWriterOptions, writeDocumentFiles } from "@specx/spec-writer/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type CliIO, UserError } from "../io.js";

/** Options of the command. */
export interface FromDocsOptions {
  output: string;
  flavor?: string;
  timeZone?: string;
  strictApstools?: boolean;
}

/**
 * The writer's options for `--flavor`, `--time-zone` and `--strict-apstools`; `specx record`
 * takes the same, so that it writes what `from-docs` writes from the same documents.
 */
export function fileWriterOptions(
  options: Omit<FromDocsOptions, "output">,
): Pick<FileWriterOptions, "flavor" | "timeZone" | "strictApstools"> {
  const flavor = options.flavor ?? "apstools";
  if (flavor !== "apstools" && flavor !== "apstools-v1" && flavor !== "suitcase") {
    throw new UserError(`--flavor must be apstools, apstools-v1 or suitcase, not '${flavor}'`);
  }
  if (options.timeZone !== undefined && !isTimeZone(options.timeZone)) {
    throw new UserError(`unknown time zone '${options.timeZone}'`);
  }
  return {
    flavor,
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.strictApstools ? { strictApstools: true } : {}),
  };
}

/** Runs `from-docs`; returns the exit status. */
export function runFromDocs(io: CliIO, inputs: string[], options: FromDocsOptions): number {
  const writerOptions = fileWriterOptions(options);
  let result: { warnings: readonly string[] };
  try {
    result = writeDocumentFiles(inputs, options.output, writerOptions);
  } catch (error) {
    if (error instanceof NotASpecFileError) {
      throw new UserError(`will not append to ${options.output}: ${error.message}`);
    }
    throw new UserError((error as Error).message);
  }
  for (const warning of new Set(result.warnings)) io.stderr(`specx: warning: ${warning}\n`);
  return 0;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The output file and the writer's options, which `from-docs` and `record` share (read by
 * {@link fileWriterOptions}): a live run must be written as from-docs writes it.
 */
export function withWriterOptions(command: Command): Command {
  return command
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
    );
}

/** `specx from-docs INPUT... -o OUT.spec`. */
export function registerFromDocs(program: Command, context: CommandContext): void {
  const command = program
    .command("from-docs")
    .description("write bluesky document streams as SPEC scans (creates OUT, or continues it)")
    .argument(
      "<input...>",
      "document streams: .json ([[name, doc], …]), .json.gz, .jsonl, .msgpack",
    );
  withWriterOptions(command)
    .addHelpText(
      "after",
      "\nExamples:\n  specx from-docs run.jsonl -o scans.spec\n  TZ=UTC specx from-docs a.json b.msgpack -o beamtime.spec\n  specx from-docs run.jsonl -o run.spec --flavor suitcase\n",
    )
    .action(
      (
        inputs: string[],
        options: { output: string; flavor?: string; timeZone?: string; strictApstools?: boolean },
      ) => {
        context.setStatus(runFromDocs(context.io, inputs, options));
      },
    );
}
