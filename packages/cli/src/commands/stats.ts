/**
 * `specx stats FILE... [--scan KEY...] [--json] [-o OUT]`: count, min, max and mean of every
 * column of every scan, and SPEC's peak, FWHM, CEN and COM of the plotted pair (first column
 * against the last). Many files or folders run on all cores, with a progress bar on a terminal.
 * The `--json` shape is a contract other tools rely on; keep it stable.
 */

import type { ScanStats } from "@specx/scan-data";
import type { Command } from "commander";
import { type BatchOptions, manifestOption, runBatch, shardOption } from "../batch.js";
import type { CommandContext } from "../context.js";
import { type CliIO, UserError } from "../io.js";
import { writeOutputFile } from "../output-file.js";
import { mapFilesWithProgress } from "../parallel.js";
import { type Colors, colorsFor } from "../style.js";
import { type FileStatsResult, type StatsJobOptions, statsJob } from "./stats-job.js";
import { statsJson } from "./stats-json.js";

/** Options of the command. */
export interface StatsOptions extends BatchOptions {
  scan?: string[];
  json?: boolean;
  output?: string;
}

/** The whole `stats --json` document. */
export interface StatsResult {
  files: { file: string; scans: ScanStats[] }[];
}

export function registerStats(program: Command, context: CommandContext): void {
  program
    .command("stats")
    .description(
      "count, min, max and mean of every column; SPEC's peak, FWHM, CEN and COM of each scan",
    )
    .argument(
      "<files...>",
      "SPEC files or folders (walked for SPEC files), or - for standard input",
    )
    .option("--scan <key...>", "only these scans (keys such as 3.1, or 3 for the first #S 3)")
    .option("--json", "print one JSON object (a stable contract)")
    .option("-o, --output <file>", "write to this file instead of standard output")
    .addOption(shardOption())
    .addOption(manifestOption())
    .addHelpText(
      "after",
      "\nExamples:\n  specx stats scans.spec\n  specx stats scans.spec --scan 3.1 12.1\n  specx stats data/ --json | jq '.files[].scans[].plot.fwhm'\n",
    )
    .action(async (files: string[], options: StatsOptions) => {
      context.setStatus(await runStats(context.io, files, options));
    });
}

/** Runs `stats`; returns the exit status. */
export async function runStats(io: CliIO, args: string[], options: StatsOptions): Promise<number> {
  const jobOptions: StatsJobOptions = options.scan ? { scans: options.scan } : {};
  const results = await runBatch<FileStatsResult>(io, args, options, {
    command: "stats",
    options: jobOptions,
    run: (files, onResult) => mapFilesWithProgress(io, files, statsJob, jobOptions, onResult),
  });
  // Within one shard a key may be missing that another shard's files have (docs/clusters.md).
  if (options.shard === undefined) refuseUnknownScans(results, options.scan ?? []);

  const result: StatsResult = { files: results.map(({ file, scans }) => ({ file, scans })) };
  const toStdout = options.output === undefined || options.output === "-";
  const text = options.json ? statsJson(result) : tables(result, toStdout ? colorsFor(io) : plain);
  if (toStdout) io.stdout(text);
  else writeOutputFile(options.output as string, text);
  return 0;
}

/** A requested scan that no file has is a mistake worth stopping for. */
function refuseUnknownScans(results: FileStatsResult[], requested: string[]): void {
  const unknown = requested.filter((ref) => results.every((r) => r.missing.includes(ref)));
  if (unknown.length === 0) return;
  const where = results.length === 1 ? (results[0]?.file ?? "") : "any of the files";
  const name = where === "-" ? "standard input" : where;
  throw new UserError(
    `no scan ${unknown.join(", ")} in ${name} (keys look like 3.1; see specx inspect)`,
  );
}

const same = (text: string) => text;
const plain: Colors = { red: same, yellow: same, cyan: same, dim: same, bold: same };

/** One aligned table per scan, then SPEC's line of peak numbers. */
function tables(result: StatsResult, colors: Colors): string {
  const blocks: string[] = [];
  for (const { file, scans } of result.files) {
    const name = file === "-" ? "standard input" : file;
    for (const scan of scans) blocks.push(scanTable(name, scan, colors));
    if (scans.length === 0) blocks.push(`${colors.bold(name)}: no scans\n`);
  }
  return blocks.join("\n");
}

function scanTable(file: string, scan: ScanStats, colors: Colors): string {
  const heading = `${colors.bold(`${file}  #S ${scan.key}`)}  ${scan.command}  ${colors.dim(`(${scan.rows} rows)`)}`;
  const header = ["column", "count", "min", "max", "mean"];
  const rows = scan.columns.map((c) => [
    c.label,
    String(c.count),
    formatNumber(c.min),
    formatNumber(c.max),
    formatNumber(c.mean),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] as string).length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join("  ")}`.trimEnd();
  const lines = [heading, colors.dim(line(header)), ...rows.map(line)];
  const plot = scan.plot;
  if (plot) {
    lines.push(
      `  ${colors.cyan(`${plot.y} vs ${plot.x}`)}: peak at ${formatNumber(plot.peak.x)} is ${formatNumber(plot.peak.y)}, COM at ${formatNumber(plot.com)}, FWHM is ${formatNumber(plot.fwhm)} at ${formatNumber(plot.cen)}`,
    );
  } else {
    lines.push(`  ${colors.dim("no points to analyse")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Seven significant digits, like C's %.7g (motor positions often have seven); "-" for none. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "-";
  const [mantissa, power] = value.toExponential(6).split("e") as [string, string];
  const exponent = Number(power);
  if (exponent < -4 || exponent >= 7) {
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${trimZeros(mantissa)}e${exponent < 0 ? "-" : "+"}${digits}`;
  }
  return trimZeros(value.toFixed(Math.max(0, 6 - exponent)));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
