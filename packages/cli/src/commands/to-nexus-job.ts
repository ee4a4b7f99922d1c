/**
 * The per-file work of `specx to-nexus`, in a module of its own so that `mapFiles` can run it on
 * worker threads: one SPEC file written as one NeXus HDF5 file by `convertFile` of
 * `@specx/nexus/node` (a temporary name in the output's folder, renamed at the end). Its result
 * is plain data (structured-cloneable, and recorded as is in a `--manifest`).
 */
import { mkdirSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from "node:path";
import type { SpecFile } from "@specx/spec-parser";
import { openSpec, parse } from "@specx/spec-parser/node";
import type { InputFile } from "../inputs.js";
import { ioReason, UserError } from "../io.js";
import type { FileJob, StepReport } from "../parallel.js";

/** What the job needs to know. */
export interface ToNexusJobOptions {
  /** `-o`: one output file (a single input), a folder, or absent (beside each input). */
  output?: { file: string } | { folder: string };
  /** The folder arguments: a file found under one keeps its place below `-o DIR`. */
  folders: string[];
  scans?: string[];
  compat?: "spec2nexus";
  overwrite: boolean;
  /**
   * Set for several files or a shard: a file without some of `scans` converts those it has
   * (the command checks that each key is in some file); else such a file is refused.
   */
  skipMissingScans: boolean;
}

/** One SPEC file converted: where, how many entries, which parts could not be converted. */
export interface NexusFileResult {
  file: string;
  /** The HDF5 file written; null when the file has none of the scans asked for. */
  output: string | null;
  entries: number;
  /** `S3: reason` for each part of an entry that could not be converted (the rest was). */
  errors: string[];
  /** Scans asked for that the file does not have. */
  missing: string[];
}

/** {@link convertToNexus}, addressed for `mapFiles`; it reads the file itself, scan by scan. */
export const toNexusJob: FileJob = {
  name: "convertToNexus",
  run: convertToNexus,
  byPath: true,
};

/** Extensions that name an HDF5 file, for telling `-o OUT.h5` from `-o DIR`. */
const HDF5_EXTENSIONS = new Set([".h5", ".hdf5", ".hdf", ".nxs", ".nx5", ".he5"]);

/** True when `-o path` names an HDF5 file rather than a folder. */
export function namesHdf5File(path: string): boolean {
  return HDF5_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * The output of one input: `-o OUT.h5` itself, else `NAME.h5` beside the input or in `-o DIR`
 * (below the folder argument's own layout for files found in a folder). NAME drops the input's
 * extension unless it is a number (`scan.001`, `scan.002` stay apart).
 */
export function outputPathOf(input: string, options: ToNexusJobOptions): string {
  const { output } = options;
  if (output && "file" in output) return output.file;
  const extension = extname(input);
  const stem =
    extension === "" || /^\.\d+$/.test(extension)
      ? basename(input)
      : basename(input, extension) || basename(input);
  const name = `${stem}.h5`;
  if (!output) return join(dirname(input), name);
  return join(output.folder, placeBelow(input, options.folders), name);
}

/** The folder of `input` relative to the folder argument it was found in; "" for a file argument. */
function placeBelow(input: string, folders: readonly string[]): string {
  for (const folder of folders) {
    const inside = relative(resolve(folder), resolve(input));
    if (inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)) return dirname(inside);
  }
  return "";
}

/** Writes one SPEC file as NeXus; refuses (before writing) a file without the scans asked for. */
export async function convertToNexus(
  input: InputFile,
  options: ToNexusJobOptions,
  step: StepReport = () => {},
): Promise<NexusFileResult> {
  const file: SpecFile = input.path === undefined ? parse(input.bytes) : openSpec(input.path);
  const requested = options.scans ?? [];
  const has = (key: string) => (file.scan(key) ?? file.scanBySpec2nexusKey(key)) !== undefined;
  const missing = requested.filter((key) => !has(key));
  if (missing.length > 0 && !options.skipMissingScans) {
    throw new UserError(
      `no scan ${missing.join(", ")} in ${shownName(input.name)} (keys look like 3.1; see specx inspect)`,
    );
  }
  const scans = requested.filter((key) => !missing.includes(key));
  if (requested.length > 0 && scans.length === 0) {
    return { file: input.name, output: null, entries: 0, errors: [], missing };
  }
  const output = outputPathOf(input.name, options);
  // `-o DIR` is created, with the folders a folder argument's layout needs below it.
  if (options.output && "folder" in options.output) {
    try {
      mkdirSync(dirname(resolve(output)), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === "EEXIST" || code === "ENOTDIR"
          ? "a file is in the way"
          : ioReason(error, "no such folder");
      throw new UserError(`cannot create the folder of ${output}: ${reason}`);
    }
  }
  const total = scans.length > 0 ? scans.length : file.scanCount;
  let done = 0;
  const convertFile = await loadConverter();
  try {
    const report = await convertFile(file, output, {
      ...(scans.length > 0 ? { scans } : {}),
      ...(options.compat ? { compat: options.compat } : {}),
      overwrite: options.overwrite,
      path: input.name === "-" ? "" : input.name,
      onScan: () => step(++done, total),
    });
    return {
      file: input.name,
      output,
      entries: report.entries.length,
      errors: report.entries.flatMap(({ entry, errors }) =>
        errors.map((error) => `${entry}: ${error}`),
      ),
      missing,
    };
  } catch (error) {
    // convertFile's failures are one line each (an existing output, an unwritable folder).
    throw new UserError((error as Error).message ?? String(error));
  }
}

/**
 * `convertFile` of `@specx/nexus/node`, imported when first needed: h5wasm is an ES module with
 * top-level await and a .wasm, so it stays out of the bundle (scripts/bundle.mjs) and
 * bin/specx.cjs runs `to-nexus` from the ES modules of dist/.
 */
async function loadConverter(): Promise<typeof import("@specx/nexus/node").convertFile> {
  try {
    return (await import("@specx/nexus/node")).convertFile;
  } catch (error) {
    throw new UserError(`cannot load the NeXus writer: ${(error as Error).message}`);
  }
}

function shownName(name: string): string {
  return name === "-" ? "standard input" : name;
}
