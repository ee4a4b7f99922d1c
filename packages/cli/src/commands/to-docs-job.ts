/**
 * The per-file work of `specx to-docs`, in a module of its own so that `mapFiles` can run it on
 * worker threads: one SPEC file's scans written as run files in the output folder. Its result
 * is plain data (structured-cloneable, and recorded as is in a `--manifest`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { threadId } from "node:worker_threads";
import { runsOf } from "@specx/conversion";
import { suitcaseJsonlBytes, suitcaseMsgpack } from "@specx/documents";
import type { SpecFile } from "@specx/spec-parser/node";
import { type InputFile, withSpecFile } from "../inputs.js";
import { UserError } from "../io.js";
import type { FileJob } from "../parallel.js";

/** What the job needs to know. */
export interface ToDocsJobOptions {
  format: "jsonl" | "msgpack";
  /** The output folder as the user wrote it (the printed paths start with it). */
  output: string;
  scans?: string[];
  overwrite: boolean;
  provenance: boolean;
  /**
   * Set for several files or a shard: a file without some of `scans` converts those it has
   * (the command checks that each key is in some file); else such a file is refused.
   */
  skipMissingScans: boolean;
  /**
   * Set under `--manifest`: a run file that exists with exactly the bytes to be written is
   * accepted (a killed run may have written it). Run files are always written whole.
   */
  resumable: boolean;
}

/**
 * The run files written for one SPEC file, as printed, whether it has error diagnostics, and
 * the scans asked for that it does not have.
 */
export interface ConvertedFile {
  file: string;
  outputs: string[];
  errors: boolean;
  missing: string[];
}

/** {@link convertInput}, addressed for `mapFiles`. */
export const toDocsJob: FileJob = {
  name: "convertInput",
  byPath: true,
  run: convertInput,
};

/**
 * Writes each scan of one SPEC file as a run file, run by run; when one is refused, none is
 * left. Each run goes to a hidden temporary file as soon as it is made and lets go of its
 * documents (a 227 MB file's runs took 2.6 GB when all were made first); the temporary files
 * take their names at the end, so a refused name or a failed write removes them all, and a
 * killed process leaves only them, which folder walks skip.
 */
export function convertInput(input: InputFile, options: ToDocsJobOptions): ConvertedFile {
  return withSpecFile(input, (file) => convertFile(file, input.name, options));
}

function convertFile(file: SpecFile, inputName: string, options: ToDocsJobOptions): ConvertedFile {
  const missing = (options.scans ?? []).filter((key) => !file.scan(key));
  if (missing.length > 0 && !options.skipMissingScans) {
    throw new UserError(
      `no scan ${missing.join(", ")} in ${inputName} (keys look like 3.1; see specx inspect)`,
    );
  }
  const scans = options.scans?.filter((key) => !missing.includes(key));
  const runs = runsOf(file, {
    ...(scans ? { scans } : {}),
    ...(inputName !== "-" ? { sourcePath: resolve(inputName) } : {}),
    provenance: options.provenance,
  });
  const folder = resolve(options.output);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create ${options.output}: ${(error as Error).message}`);
  }
  /** Each run file: where it goes, how it is shown, and its temporary file (none if done). */
  const outputs: { path: string; shown: string; partial: string | null }[] = [];
  try {
    for (const { documents } of runs) {
      const written =
        options.format === "jsonl" ? suitcaseJsonlBytes(documents) : suitcaseMsgpack(documents);
      const name = written.fileName;
      // The name comes from a uid read from the file: it must stay a plain name inside the folder.
      if (basename(name) !== name || name.startsWith(".")) {
        throw new UserError(`refusing the file name '${name}' taken from ${inputName}`);
      }
      const path = join(folder, name);
      const content = written.bytes;
      const done = options.resumable && existsSync(path) && sameBytes(path, content);
      if (!done && existsSync(path) && !options.overwrite) {
        throw new UserError(`${path} exists (use --overwrite to replace it)`);
      }
      // Numbered: two runs of one file may share a uid, and the later one wins, as it did when
      // each was written in turn.
      const partial = done
        ? null
        : join(folder, `.${name}.${process.pid}-${threadId}-${outputs.length}.partial`);
      if (partial) writeFileSync(partial, content);
      outputs.push({ path, shown: join(options.output, name), partial });
    }
  } catch (error) {
    for (const { partial } of outputs) if (partial) rmSync(partial, { force: true });
    throw error;
  }
  for (const { path, partial } of outputs) if (partial) renameSync(partial, path);
  return {
    file: inputName,
    outputs: outputs.map(({ shown }) => shown),
    errors: file.diagnostics.some((d) => d.severity === "error"),
    missing,
  };
}

function sameBytes(path: string, content: Uint8Array): boolean {
  try {
    return Buffer.from(content).equals(readFileSync(path));
  } catch {
    return false;
  }
}
