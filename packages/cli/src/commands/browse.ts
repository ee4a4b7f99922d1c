/**
 * Looking at data from the terminal:
 * - `specx info FILE…`: one line per scan (key, command, date, points, columns);
 * - `specx show FILE SCAN`: one scan's header facts and its data as a table;
 * - `specx export FILE --format csv|tsv|json|ndjson`: the data for other programs.
 * These report what is in a file, not whether it is right (that is `specx validate`), so they
 * end with status 0 whatever the diagnostics.
 */

import { type Diagnostic, parse, type Scan, type SpecFile } from "@specx/spec-parser/node";
import type { Command } from "commander";
import { formatTable } from "../aligned-table.js";
import type { CommandContext } from "../context.js";
import {
  type ExportFormat,
  exportFormats,
  formatOfPath,
  formatScans,
  isExportFormat,
} from "../export-formats.js";
import { type FileSummary, summarizeJob } from "../file-summary.js";
import { expandInputs, readSpecInput } from "../inputs.js";
import { type CliIO, UserError } from "../io.js";
import { toJson } from "../json.js";
import { writeOutputFile } from "../output-file.js";
import { mapFiles } from "../parallel.js";
import { scanCells } from "../scan-cells.js";
import { scanByRef } from "../scan-select.js";
import { type Colors, colorsFor, progressFor } from "../style.js";

/** `specx info FILE…`. */
export function registerInfo(program: Command, context: CommandContext): void {
  program
    .command("info")
    .description("list the scans of SPEC files: key, command, date, points, columns")
    .argument("<file...>", "SPEC files or folders (walked for SPEC files), or - for standard input")
    .option("--json", "print a JSON array of {file, scans: [{key, number, command, …}]}")
    .addHelpText(
      "after",
      "\nExamples:\n  specx info scans.spec\n  specx info data/ --json | jq '.[].scans | length'\n",
    )
    .action(async (inputs: string[], options: { json?: boolean }) => {
      await runInfo(context.io, inputs, options);
      context.setStatus(0);
    });
}

/** `specx show FILE SCAN`. */
export function registerShow(program: Command, context: CommandContext): void {
  program
    .command("show")
    .description("show one scan: its header facts, positioners, metadata, diagnostics and data")
    .argument("<file>", "SPEC file, or - for standard input")
    .argument("<scan>", "scan key such as 3.1, or a scan number (3 means 3.1, its first #S 3)")
    .option("--max-rows <n>", "show at most the first N data rows (default: all)")
    .addHelpText(
      "after",
      "\nExamples:\n  specx show scans.spec 3.1\n  specx show scans.spec 12 --max-rows 5\n",
    )
    .action((file: string, ref: string, options: { maxRows?: string }) => {
      runShow(context.io, file, ref, options);
      context.setStatus(0);
    });
}

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

async function runInfo(io: CliIO, inputs: string[], options: { json?: boolean }): Promise<void> {
  const files = expandInputs(inputs);
  const progress = progressFor(io, files.length);
  let summaries: FileSummary[];
  try {
    summaries = await mapFiles<FileSummary>(io, files, summarizeJob, {}, (name) =>
      progress.tick(name),
    );
  } finally {
    progress.done();
  }
  if (options.json) {
    io.stdout(`${toJson(summaries)}\n`);
    return;
  }
  const colors = colorsFor(io);
  const blocks = summaries.map((summary) => {
    const heading = summaries.length > 1 ? `==> ${summary.file} <==\n` : "";
    return heading + scanTable(summary, colors);
  });
  io.stdout(blocks.join("\n"));
}

function scanTable(summary: FileSummary, colors: Colors): string {
  if (summary.scans.length === 0) return `${colors.dim("no scans")}\n`;
  const rows = summary.scans.map((scan) => [
    scan.key,
    scan.command,
    scan.date ?? "-",
    String(scan.points),
    String(scan.columns),
  ]);
  const lines = formatTable(["key", "command", "date", "points", "columns"], rows, {
    align: ["left", "left", "left", "right", "right"],
    styleHeader: colors.bold,
  });
  return `${lines.join("\n")}\n`;
}

function runShow(io: CliIO, path: string, ref: string, options: { maxRows?: string }): void {
  const maxRows = options.maxRows === undefined ? null : rowLimit(options.maxRows);
  const file = parse(readSpecInput(io, path).bytes);
  const scan = findScan(file, ref, path);
  const colors = colorsFor(io);
  const out: string[] = [];

  out.push(...formatTable(null, scanFacts(scan)));
  section(out, colors, "positioners", scan.positioners.length);
  out.push(...nameValueLines(scan.positioners.map((p) => [p.name, p.raw])));
  if (scan.unnamedPositions.length > 0) {
    out.push(`  (without #O names) ${scan.unnamedPositions.join(" ")}`);
  }
  const metadata = Object.entries(scan.metadataText);
  if (metadata.length > 0) {
    section(out, colors, "metadata", metadata.length);
    out.push(...nameValueLines(metadata));
  }
  section(out, colors, "diagnostics", scan.diagnostics.length);
  out.push(...scan.diagnostics.map((d) => `  ${diagnosticLine(d, colors)}`));

  out.push("");
  out.push(...dataTable(scan, maxRows, colors));
  io.stdout(`${out.join("\n")}\n`);
}

/** The scan's header facts as name/value rows; facts the scan lacks are left out. */
function scanFacts(scan: Scan): string[][] {
  const facts: string[][] = [
    ["scan", `${scan.key}  (line ${scan.line})`],
    ["command", scan.command],
    ["date", scan.date?.raw ?? "-"],
  ];
  if (scan.preset) {
    const value = scan.preset.value === null ? "-" : String(scan.preset.value);
    const counter = scan.preset.counter ? ` (${scan.preset.counter})` : "";
    facts.push([scan.preset.kind === "time" ? "count time" : "monitor", value + counter]);
  }
  if (scan.hkl && scan.hkl.length > 0) facts.push(["hkl", scan.hkl.join(" ")]);
  facts.push(["points", String(scan.data.rows)]);
  facts.push(["columns", String(scan.data.names.length)]);
  facts.push(["comments", String(scan.comments.length)]);
  if (scan.textLines.length > 0) facts.push(["text lines", String(scan.textLines.length)]);
  if (scan.aborted) {
    facts.push([
      "aborted",
      scan.abortedAfter === null ? "yes" : `after ${scan.abortedAfter} points`,
    ]);
  }
  const spectra = scan.mca?.spectra ?? [];
  const devices = scan.mca?.devices ?? [];
  if (devices.length > 1) {
    const each = devices.map((d) => `${d.name} ${d.spectra.length} × ${d.spectra[0]?.length ?? 0}`);
    facts.push(["mca", `${spectra.length} spectra: ${each.join(", ")}`]);
  } else if (spectra.length > 0) {
    facts.push(["mca", `${spectra.length} spectra of ${spectra[0]?.values.length ?? 0} channels`]);
  }
  return facts;
}

/** `  name = value` lines, the `=` signs aligned; a multi-line value stays under its first line. */
function nameValueLines(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...pairs.map(([name]) => [...name].length));
  return pairs.map(([name, value]) => {
    const padded = name + " ".repeat(width - [...name].length);
    return `  ${padded} = ${value.replaceAll("\n", `\n  ${" ".repeat(width + 3)}`)}`;
  });
}

function section(out: string[], colors: Colors, title: string, count: number): void {
  out.push(`${colors.bold(title)} (${count})`);
}

function diagnosticLine(d: Diagnostic, colors: Colors): string {
  const paint =
    d.severity === "error" ? colors.red : d.severity === "warning" ? colors.yellow : colors.dim;
  return `line ${d.line ?? "-"}: ${paint(d.severity)} ${d.code} ${d.message}`;
}

/** The data under its labels, numbers right-aligned; NaN as `nan`, words as written. */
function dataTable(scan: Scan, maxRows: number | null, colors: Colors): string[] {
  const { data } = scan;
  if (data.names.length === 0) return [colors.dim("no data columns")];
  const shown = maxRows === null ? data.rows : Math.min(maxRows, data.rows);
  const cells = scanCells(scan);
  const rows = Array.from({ length: shown }, (_, row) =>
    data.names.map((_, column) => cells.text(row, column, "nan")),
  );
  const lines = formatTable(data.names, rows, {
    align: data.names.map(() => "right"),
    styleHeader: colors.bold,
  });
  if (shown < data.rows) {
    lines.push(colors.dim(`… ${data.rows - shown} more rows (of ${data.rows}; see --max-rows)`));
  }
  return lines;
}

function rowLimit(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new UserError(`--max-rows wants a whole number of rows, not '${text}'`);
  }
  return Number(text);
}

/** Options of `export`. */
interface ExportOptions {
  scan?: string[];
  format?: string;
  output?: string;
}

function runExport(io: CliIO, path: string, options: ExportOptions): void {
  const format = exportFormat(options);
  const file = parse(readSpecInput(io, path).bytes);
  const scans = options.scan
    ? unique(options.scan.map((ref) => findScan(file, ref, path)))
    : file.scans;
  if (scans.length === 0) throw new UserError(`no scans in ${shownName(path)}`);
  const text = formatScans(scans, format);
  if (options.output === undefined || options.output === "-") {
    io.stdout(text);
    return;
  }
  writeOutputFile(options.output, text);
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

/**
 * A scan by key (`3.1`) or by number (`3`: the first `#S 3`, as SPEC users say it). An
 * unknown one is a UserError that says where the keys are listed.
 */
function findScan(file: SpecFile, ref: string, path: string): Scan {
  const scan = scanByRef(file, ref);
  if (!scan) {
    throw new UserError(
      `no scan ${ref} in ${shownName(path)} (keys look like 3.1; specx info ${path} lists them)`,
    );
  }
  return scan;
}

function shownName(path: string): string {
  return path === "-" ? "standard input" : path;
}
