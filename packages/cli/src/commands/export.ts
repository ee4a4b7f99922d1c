/**
 * `specx export FILE --format csv|tsv|json|ndjson`: scan data for other programs, with the labels.
 * It ends with status 0 whatever the diagnostics (that is `specx validate`'s job).
 */

import {
  type ExportFormat,
  type ExportLayout,
  exportFormats,
  exportLayout,
  formatOfPath,
  formatPieces,
  isExportFormat,
  MixedLabelsError,
} from "@specx/scan-data";
import type { Scan } from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { checkSpecInput, scansOneByOne, withSpecFile } from "../inputs.js";
import { type CliIO, UserError } from "../io.js";
import { writeOutputPieces } from "../output-file.js";
import { findScan, shownName } from "../scan-select.js";

/** `specx export FILE --format …`. */
export function registerExport(program: Command, context: CommandContext): void {
  program
    .command("export")
    .description("write scan data as CSV, TSV, JSON or NDJSON, with the labels")
    .argument("<file>", "SPEC file, or - for standard input")
    .option("--scan <key...>", "only these scans (keys such as 3.1, or scan numbers); default all")
    .option("-f, --format <format>", "csv, tsv, json or ndjson (default: from the -o extension)")
    .option("-o, --output <file>", "write here instead of standard output (- is standard output)")
    .addHelpText(
      "after",
      [
        "",
        "CSV and TSV are one table: one scan gives its labels as the header; several scans",
        "get a 'scan' column first and must share their labels (else use json or ndjson).",
        "",
        "Examples:",
        "  specx export scans.spec --scan 3.1 --format csv -o scan3.csv",
        "  specx export scans.spec --format ndjson | jq -c 'select(.scan == \"2.1\")'",
        "  specx export scans.spec --scan 1 2 -o scans.json",
        "",
      ].join("\n"),
    )
    .action((file: string, options: ExportOptions) => {
      runExport(context.io, file, options);
      context.setStatus(0);
    });
}

/** Options of `export`. */
interface ExportOptions {
  scan?: string[];
  format?: string;
  output?: string;
}

/** The layout of the scans in `format`, with a table's refusal (labels that differ) as the one-line reason. */
function layoutOf(scans: Iterable<Scan>, format: ExportFormat): ExportLayout {
  try {
    return exportLayout(scans, format);
  } catch (error) {
    if (error instanceof MixedLabelsError) throw new UserError(error.message);
    throw error;
  }
}

function runExport(io: CliIO, path: string, options: ExportOptions): void {
  const format = exportFormat(options);
  // A named file is read scan by scan from disk, each scan into the memory of the one before,
  // and written as it is read: memory stays flat for any file size (docs/performance.md).
  withSpecFile(checkSpecInput(io, path), (file) => {
    const scans = options.scan
      ? unique(options.scan.map((ref) => findScan(file, ref, path)))
      : scansOneByOne(file, { spectra: false });
    if (file.scanCount === 0) throw new UserError(`no scans in ${shownName(path)}`);
    const pieces = formatPieces(scans, layoutOf(scans, format));
    if (options.output === undefined || options.output === "-") {
      for (const piece of pieces) io.stdout(piece);
    } else {
      writeOutputPieces(options.output, pieces);
    }
  });
}

function exportFormat(options: ExportOptions): ExportFormat {
  const choices = exportFormats.join(", ");
  if (options.format !== undefined) {
    if (!isExportFormat(options.format)) {
      throw new UserError(`unknown format '${options.format}': use one of ${choices}`);
    }
    return options.format;
  }
  const implied = options.output ? formatOfPath(options.output) : null;
  if (implied === null) throw new UserError(`--format is required: one of ${choices}`);
  return implied;
}

function unique(scans: Scan[]): Scan[] {
  return scans.filter((scan, i) => scans.findIndex((other) => other.key === scan.key) === i);
}
