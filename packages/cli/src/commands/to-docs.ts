/**
 * `specx to-docs FILE [--scan KEY...] --format jsonl|msgpack -o DIR`: each scan becomes one run,
 * written as `<start uid>.jsonl` (suitcase-jsonl) or `<start uid>.msgpack` (suitcase-msgpack),
 * the files Python's databroker loads. Prints the path of each file written.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileToRuns } from "@specx/conversion";
import { suitcaseJsonl, suitcaseMsgpack } from "@specx/documents";
import { parse } from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { type CliIO, readInputFile, UserError } from "../io.js";

/** Options of the command. */
export interface ToDocsOptions {
  format: string;
  output: string;
  scan?: string[];
  overwrite?: boolean;
  provenance?: boolean;
}

/** Runs `to-docs`; returns the exit status (1 when the file has error diagnostics). */
export function runToDocs(io: CliIO, input: string, options: ToDocsOptions): number {
  if (options.format !== "jsonl" && options.format !== "msgpack") {
    throw new UserError(`--format must be jsonl or msgpack, not '${options.format}'`);
  }
  const file = parse(readInputFile(io, input));
  const unknown = (options.scan ?? []).filter((key) => !file.scan(key));
  if (unknown.length > 0) {
    throw new UserError(
      `no scan ${unknown.join(", ")} in ${input} (keys look like 3.1; see specx inspect)`,
    );
  }
  const runs = fileToRuns(file, {
    ...(options.scan ? { scans: options.scan } : {}),
    ...(input !== "-" ? { sourcePath: resolve(input) } : {}),
    provenance: options.provenance !== false,
  });
  const folder = resolve(options.output);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create ${options.output}: ${(error as Error).message}`);
  }
  // Every file is named first, so nothing is written when one of them would be refused.
  const outputs = runs.map(({ documents }) => {
    const written =
      options.format === "jsonl" ? suitcaseJsonl(documents) : suitcaseMsgpack(documents);
    const name = written.fileName;
    // The name comes from a uid read from the file: it must stay a plain name inside the folder.
    if (basename(name) !== name || name.startsWith(".")) {
      throw new UserError(`refusing the file name '${name}' taken from ${input}`);
    }
    const path = join(folder, name);
    if (existsSync(path) && !options.overwrite) {
      throw new UserError(`${path} exists (use --overwrite to replace it)`);
    }
    return {
      path,
      shown: join(options.output, name),
      content: "text" in written ? written.text : written.bytes,
    };
  });
  for (const { path, shown, content } of outputs) {
    writeFileSync(path, content);
    io.stdout(`${shown}\n`);
  }
  return file.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/** `specx to-docs FILE --format jsonl|msgpack -o DIR`. */
export function registerToDocs(program: Command, context: CommandContext): void {
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
      context.setStatus(runToDocs(context.io, file, options));
    });
}
