/**
 * Converting files on disk: a SPEC file in, an HDF5 file out, written under a temporary name in
 * the output's folder and renamed at the end, so that an interrupted or failed conversion never
 * leaves a half file under the final name.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SpecFile } from "@specx/spec-parser";
import { openSpec } from "@specx/spec-parser/node";
import { type ConvertOptions, type ConvertReport, writeNexus } from "./convert.js";
import { loadH5wasm } from "./write/hdf5.js";

export interface ConvertFileOptions extends ConvertOptions {
  /** Replace an existing output; without it, an existing output is refused. */
  overwrite?: boolean;
}

/**
 * Converts the SPEC file at `input` (or an open {@link SpecFile}) to NeXus at `output`. Throws on
 * I/O errors (an unwritable folder, a full disk, an existing output without `overwrite`), with
 * nothing left under `output`.
 */
export async function convertFile(
  input: string | SpecFile,
  output: string,
  options: ConvertFileOptions = {},
): Promise<ConvertReport> {
  if (!options.overwrite && existsSync(output)) {
    throw new Error(`${output} exists (use --overwrite to replace it)`);
  }
  const h5 = await loadH5wasm();
  const file = typeof input === "string" ? openSpec(input) : input;
  const path = options.path ?? (typeof input === "string" ? input : "");
  const temporary = join(dirname(output), `.${basename(output)}.${process.pid}.partial`);
  // Fails here, with a clear error, when the folder cannot be written.
  closeSync(openSync(temporary, "w"));
  try {
    const report = writeNexus(h5, file, temporary, { ...options, path });
    renameSync(temporary, output);
    return report;
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export { loadH5wasm };
