/**
 * `specx to-docs FILE|DIR... [--scan KEY...] --format jsonl|msgpack -o DIR`: each scan becomes one
 * run, written as `<start uid>.jsonl` (suitcase-jsonl) or `<start uid>.msgpack`
 * (suitcase-msgpack), the files Python's databroker loads. Prints the path of each file written.
 * Many files or folders run on all cores; `--shard` and `--manifest` split and resume the
 * conversion of an archive (batch.ts, docs/clusters.md).
 */

import type { Command } from "commander";
import { type BatchOptions, manifestOption, runBatch, shardOption } from "../batch.js";
import type { CommandContext } from "../context.js";
import { isFolder } from "../inputs.js";
import { type CliIO, UserError } from "../io.js";
import { mapFilesWithProgress } from "../parallel.js";
import { type ConvertedFile, type ToDocsJobOptions, toDocsJob } from "./to-docs-job.js";

/** Options of the command. */
export interface ToDocsOptions extends BatchOptions {
  format: string;
  output: string;
  scan?: string[];
  overwrite?: boolean;
  provenance?: boolean;
}

/**
 * Runs `to-docs`; returns the exit status (1 when a file has error diagnostics: its runs are
 * still written).
 */
export async function runToDocs(
  io: CliIO,
  inputs: readonly string[],
  options: ToDocsOptions,
): Promise<number> {
  if (options.format !== "jsonl" && options.format !== "msgpack") {
    throw new UserError(`--format must be jsonl or msgpack, not '${options.format}'`);
  }
  // Of several files, each converts the scans it has; a key no file has is still an error
  // (but not within one shard: another shard may hold it).
  const several = options.shard !== undefined || inputs.length > 1 || inputs.some(isFolder);
  const jobOptions: ToDocsJobOptions = {
    format: options.format,
    output: options.output,
    ...(options.scan ? { scans: options.scan } : {}),
    overwrite: options.overwrite === true,
    provenance: options.provenance !== false,
    skipMissingScans: several,
    resumable: options.manifest !== undefined,
  };
  // What shapes a file's result; --overwrite does not.
  const { overwrite: _, ...recorded } = jobOptions;
  const converted = await runBatch<ConvertedFile>(io, inputs, options, {
    command: "to-docs",
    options: recorded,
    run: (files, onResult) => mapFilesWithProgress(io, files, toDocsJob, jobOptions, onResult),
  });
  for (const { outputs } of converted) {
    for (const shown of outputs) io.stdout(`${shown}\n`);
  }
  const unknown = (options.scan ?? []).filter((key) =>
    converted.every((file) => file.missing.includes(key)),
  );
  if (options.shard === undefined && unknown.length > 0) {
    throw new UserError(
      `no scan ${unknown.join(", ")} in any of the files (keys look like 3.1; see specx inspect)`,
    );
  }
  return converted.some((file) => file.errors) ? 1 : 0;
}

/** `specx to-docs FILE|DIR... --format jsonl|msgpack -o DIR`. */
export function registerToDocs(program: Command, context: CommandContext): void {
  program
    .command("to-docs")
    .description(
      "write each scan as a bluesky run: <uid>.jsonl or <uid>.msgpack files databroker loads",
    )
    .argument(
      "<files...>",
      "SPEC files or folders (walked for SPEC files), or - for standard input",
    )
    .requiredOption("--format <format>", "jsonl (suitcase-jsonl) or msgpack (suitcase-msgpack)")
    .requiredOption("-o, --output <dir>", "folder for the run files (created if missing)")
    .option("--scan <key...>", "only these scans (keys such as 3.1)")
    .option("--overwrite", "replace run files that already exist")
    .option(
      "--no-provenance",
      "leave out the 'spec' key (SPEC-only details) of each start document",
    )
    .addOption(shardOption())
    .addOption(manifestOption())
    .addHelpText(
      "after",
      "\nExamples:\n  specx to-docs scans.spec --format jsonl -o runs/\n  specx to-docs scans.spec --scan 3.1 12.1 --format msgpack -o runs/\n  specx to-docs archive/ --format jsonl -o runs/ --shard auto --manifest done-$SLURM_ARRAY_TASK_ID.ndjson\n",
    )
    .action(async (files: string[], options: ToDocsOptions) => {
      context.setStatus(await runToDocs(context.io, files, options));
    });
}
