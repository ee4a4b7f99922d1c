/**
 * `specx show FILE SCAN`: one scan's header facts, positioners, metadata, diagnostics and its data
 * as a table. It reports what is in a file, not whether it is right (that is `specx validate`), so
 * it ends with status 0 whatever the diagnostics.
 */

import { scanCells } from "@specx/scan-data";
import type { Diagnostic, Scan } from "@specx/spec-parser/node";
import type { Command } from "commander";
import { formatTable } from "../aligned-table.js";
import type { CommandContext } from "../context.js";
import { checkSpecInput, withSpecFile } from "../inputs.js";
import { type CliIO, UserError } from "../io.js";
import { findScan } from "../scan-select.js";
import { type Colors, colorsFor } from "../style.js";

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

function runShow(io: CliIO, path: string, ref: string, options: { maxRows?: string }): void {
  const maxRows = options.maxRows === undefined ? null : rowLimit(options.maxRows);
  // A named file is read from disk, its scan alone: memory does not grow with the file.
  const text = withSpecFile(checkSpecInput(io, path), (file) =>
    showScan(findScan(file, ref, path), maxRows, colorsFor(io)),
  );
  io.stdout(text);
}

/** What `show` prints of a scan. */
function showScan(scan: Scan, maxRows: number | null, colors: Colors): string {
  const out: string[] = [];
  // One push per line: push(...lines) overflows the call stack for a scan of 200,000 findings.
  const append = (lines: readonly string[]) => {
    for (const line of lines) out.push(line);
  };

  append(formatTable(null, scanFacts(scan)));
  section(out, colors, "positioners", scan.positioners.length);
  append(nameValueLines(scan.positioners.map((p) => [p.name, p.raw])));
  if (scan.unnamedPositions.length > 0) {
    out.push(`  (without #O names) ${scan.unnamedPositions.join(" ")}`);
  }
  const metadata = Object.entries(scan.metadataText);
  if (metadata.length > 0) {
    section(out, colors, "metadata", metadata.length);
    append(nameValueLines(metadata));
  }
  section(out, colors, "diagnostics", scan.diagnostics.length);
  append(scan.diagnostics.map((d) => `  ${diagnosticLine(d, colors)}`));

  out.push("");
  append(dataTable(scan, maxRows, colors));
  return `${out.join("\n")}\n`;
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
