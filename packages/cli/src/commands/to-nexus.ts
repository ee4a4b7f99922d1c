/**
 * `specx to-nexus FILE|DIR... [-o OUT.h5 | -o DIR] [--scan KEY...] [--compat spec2nexus]`: each
 * SPEC file becomes one NeXus HDF5 file (`@specx/nexus`, docs/nexus.md), beside it or in `-o
 * DIR`, written under a temporary name and renamed at the end. Prints one line per file written
 * and a summary; `--json` prints one JSON document instead. Many files or folders run on all
 * cores; `--shard` and `--manifest` split and resume the conversion of an archive (batch.ts).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { toJson } from "@specx/scan-data";
import type { Command } from "commander";
import { type BatchOptions, manifestOption, runBatch, shardOption } from "../batch.js";
import type { CommandContext } from "../context.js";
import { isFolder } from "../inputs.js";
import { type CliIO, UserError } from "../io.js";
import { mapFilesWithProgress } from "../parallel.js";
import {
  type NexusFileResult,
  namesHdf5File,
  outputPathOf,
  type ToNexusJobOptions,
  toNexusJob,
} from "./to-nexus-job.js";

/** Options of the command. */
export interface ToNexusOptions extends BatchOptions {
  output?: string;
  scan?: string[];
  overwrite?: boolean;
  compat?: string;
  json?: boolean;
}

/**
 * Runs `to-nexus`; returns the exit status: 1 when a part of some entry could not be converted
 * (the rest of the file is written), 2 for bad usage or an I/O error (thrown as a UserError).
 */
export async function runToNexus(
  io: CliIO,
  inputs: readonly string[],
  options: ToNexusOptions,
): Promise<number> {
  if (options.compat !== undefined && options.compat !== "spec2nexus") {
    throw new UserError(`--compat must be spec2nexus, not '${options.compat}'`);
  }
  const folders = inputs.filter(isFolder);
  const several = options.shard !== undefined || inputs.length > 1 || folders.length > 0;
  const toFile = options.output !== undefined && namesHdf5File(options.output);
  if (toFile && several) {
    throw new UserError(
      `-o ${options.output} names one file, for one input; give a folder for several`,
    );
  }
  if (!toFile && inputs.includes("-")) {
    throw new UserError("standard input needs -o OUT.h5");
  }
  const output =
    options.output === undefined
      ? undefined
      : toFile
        ? { file: options.output }
        : { folder: options.output };
  const jobOptions: ToNexusJobOptions = {
    ...(output ? { output } : {}),
    folders,
    ...(options.scan ? { scans: options.scan } : {}),
    ...(options.compat === "spec2nexus" ? { compat: "spec2nexus" as const } : {}),
    overwrite: options.overwrite === true,
    skipMissingScans: several,
  };
  // What shapes a file's result; --overwrite does not.
  const { overwrite: _, ...recorded } = jobOptions;
  const results = await runBatch<NexusFileResult>(io, inputs, options, {
    command: "to-nexus",
    options: recorded,
    run: (files, onResult) => {
      refuseBeforeWriting(files, jobOptions);
      return mapFilesWithProgress(io, files, toNexusJob, jobOptions, onResult);
    },
  });
  const unknown = (options.scan ?? []).filter((key) =>
    results.every((file) => file.missing.includes(key)),
  );
  if (options.shard === undefined && unknown.length > 0) {
    throw new UserError(
      `no scan ${unknown.join(", ")} in any of the files (keys look like 3.1; see specx inspect)`,
    );
  }
  const summary = {
    files: results.filter((r) => r.output !== null).length,
    entries: results.reduce((n, r) => n + r.entries, 0),
    errors: results.reduce((n, r) => n + r.errors.length, 0),
  };
  if (options.json) {
    io.stdout(`${toJson({ files: results, summary })}\n`);
  } else {
    for (const result of results) {
      if (result.output === null) continue;
      io.stdout(
        `${result.output}  ${counted(result.entries, "entry", "entries")}, ${counted(result.errors.length, "error")}\n`,
      );
      for (const error of result.errors) io.stderr(`${result.output}: ${error}\n`);
    }
    io.stderr(
      `${counted(summary.files, "file")} written, ${counted(summary.entries, "entry", "entries")}, ${counted(summary.errors, "error")}\n`,
    );
  }
  return summary.errors > 0 ? 1 : 0;
}

/**
 * Refuses, before anything is written, two inputs that would write the same file, an input that
 * would be replaced by its own output, and (without --overwrite) outputs that exist.
 */
function refuseBeforeWriting(files: readonly string[], options: ToNexusJobOptions): void {
  const writers = new Map<string, string>();
  for (const file of files) {
    const output = outputPathOf(file, options);
    const key = resolve(output);
    const other = writers.get(key);
    if (other !== undefined) {
      throw new UserError(`${other} and ${file} would both be written to ${output}`);
    }
    if (file !== "-" && key === resolve(file)) {
      throw new UserError(`${file} would be replaced by its own conversion; give -o`);
    }
    writers.set(key, file);
    if (!options.overwrite && exists(output)) {
      throw new UserError(`${output} exists (use --overwrite to replace it)`);
    }
  }
}

/** True when something is at `path`; a parent that is not a folder is for the writer to report. */
function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function counted(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}

/** `specx to-nexus FILE|DIR... [-o OUT.h5 | -o DIR]`. */
export function registerToNexus(program: Command, context: CommandContext): void {
  program
    .command("to-nexus")
    .description("write each SPEC file as a NeXus HDF5 file (spec2nexus's tree, its defects fixed)")
    .argument(
      "<files...>",
      "SPEC files or folders (walked for SPEC files), or - for standard input (with -o OUT.h5)",
    )
    .option(
      "-o, --output <path>",
      "OUT.h5 for one input, or a folder (created if missing); default: NAME.h5 beside each input",
    )
    .option("--scan <key...>", "only these scans (keys such as 3.1)")
    .option("--overwrite", "replace HDF5 files that already exist")
    .option(
      "--compat <writer>",
      "spec2nexus: its encodings (1-element ASCII arrays, NXnote containers) for its readers",
    )
    .option("--json", "print one JSON object: each file's output, entries and errors")
    .addOption(shardOption())
    .addOption(manifestOption())
    .addHelpText(
      "after",
      "\nExamples:\n  specx to-nexus scans.spec                   writes scans.h5 beside it\n  specx to-nexus scans.spec --scan 3 12 -o s.h5\n  specx to-nexus archive/ -o nexus/ --compat spec2nexus\n  specx to-nexus archive/ -o nexus/ --shard auto --manifest done-$SLURM_ARRAY_TASK_ID.ndjson\n",
    )
    .action(async (files: string[], options: ToNexusOptions) => {
      context.setStatus(await runToNexus(context.io, files, options));
    });
}
