/**
 * Converting files on disk: a SPEC file in, an HDF5 file out, written under a temporary name in
 * the output's folder and renamed at the end, so that an interrupted or failed conversion never
 * leaves a half file under the final name.
 */
import { closeSync, openSync, renameSync, rmSync, type Stats, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import type { SpecFile } from "@specx/spec-parser";
import { openSpec } from "@specx/spec-parser/node";
import { type ConvertOptions, type ConvertReport, writeNexus } from "./convert.js";
import { loadH5wasm } from "./write/hdf5.js";

export interface ConvertFileOptions extends ConvertOptions {
  /** Replace an existing output; without it, an existing output is refused. */
  overwrite?: boolean;
}

/** The suffix of the temporary files of {@link convertFile}: never `.h5`, never taken for one. */
export const PARTIAL_SUFFIX = ".partial";

/**
 * Converts the SPEC file at `input` (or an open {@link SpecFile}) to NeXus at `output`. Throws
 * one-line errors on I/O failures (an unwritable folder, a full disk, an existing output without
 * `overwrite`), with nothing left under `output`. A killed process may leave its temporary
 * `.NAME.PID-THREAD.partial`: hidden, and not named like an HDF5 file.
 */
export async function convertFile(
  input: string | SpecFile,
  output: string,
  options: ConvertFileOptions = {},
): Promise<ConvertReport> {
  const existing = statOrNothing(output);
  // Renaming over a device or a folder (/dev/full as root) would replace it: never.
  if (existing && !existing.isFile()) throw new Error(`${output} exists and is not a file`);
  if (existing && !options.overwrite) {
    throw new Error(`${output} exists (use --overwrite to replace it)`);
  }
  const h5 = await loadH5wasm();
  const file = typeof input === "string" ? openSpec(input) : input;
  const path = options.path ?? (typeof input === "string" ? input : "");
  const temporary = join(
    dirname(output),
    `.${basename(output)}.${process.pid}-${threadId}${PARTIAL_SUFFIX}`,
  );
  try {
    // Fails here, with a clear error, when the folder cannot be written.
    closeSync(openSync(temporary, "w"));
  } catch (error) {
    throw new Error(`cannot write ${output}: ${reasonOf(error)}`);
  }
  try {
    const report = await withThrowingErrors(() =>
      writeNexus(h5, file, temporary, { ...options, path }),
    );
    renameSync(temporary, output);
    return report;
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(`cannot write ${output}: ${reasonOf(error)}`);
  }
}

/** What is at `path`, if anything (a parent that is not a folder means nothing). */
function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

interface ErrorHandlers {
  activate_throwing_error_handler?: () => void;
  deactivate_throwing_error_handler?: () => void;
}

/**
 * Runs `write` with HDF5's errors thrown, not printed: by default a failed write (a full disk)
 * prints some forty lines per dataset on stderr and the file still "succeeds", truncated.
 */
async function withThrowingErrors<T>(write: () => T): Promise<T> {
  // The emscripten module is a named export of h5wasm's build, not part of its default export.
  const handlers = (await import("h5wasm/node")).Module as unknown as ErrorHandlers | undefined;
  handlers?.activate_throwing_error_handler?.();
  try {
    return write();
  } finally {
    handlers?.deactivate_throwing_error_handler?.();
  }
}

/** A failure in one line: the system's reason for an HDF5 error stack, else the message. */
function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such folder";
  if (code === "ENOTDIR") return "a parent of it is not a folder";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "permission denied";
  if (code === "ENOSPC") return "no space left on the device";
  const message = error instanceof Error ? error.message : String(error);
  const system = /error message = '([^']+)'/.exec(message)?.[1];
  if (system) return system;
  return message.split("\n").find((line) => line.trim() !== "") ?? "unknown error";
}

export { loadH5wasm };
