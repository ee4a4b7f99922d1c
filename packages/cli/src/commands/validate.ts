/**
 * `specx validate FILE|DIR...`: every finding of the parser and of the semantic checks, one per
 * line (`file:line: severity CODE message`), as JSON, or as SARIF for code hosts (the codes it can
 * report are `specx rules`, in rules.ts).
 *
 * Standard output carries only the findings, so it can be piped or saved; the text format's
 * one-line summary goes to standard error. Exit status: 0 clean, 1 an error (or, with
 * `--strict`, a warning), 2 bad usage or a file that cannot be read.
 */

import { toJson } from "@specx/scan-data";
import type { Diagnostic } from "@specx/spec-parser/node";
import { type Command, Option } from "commander";
import { type BatchOptions, manifestOption, runBatch, shardOption } from "../batch.js";
import type { CommandContext } from "../context.js";
import type { CliIO } from "../io.js";
import { writeOutputFile } from "../output-file.js";
import { mapFilesWithProgress } from "../parallel.js";
import { toSarif } from "../sarif.js";
import { type Colors, colorsFor, paintSeverity } from "../style.js";
import { allRules } from "./rules.js";
import { type FileReport, validateJob } from "./validate-job.js";

/** Options of `specx validate`. */
export interface ValidateOptions extends BatchOptions {
  format: "text" | "json" | "sarif";
  strict?: boolean;
  all?: boolean;
  output?: string;
}

export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command("validate")
    .description("check SPEC files and list every finding: file:line: severity CODE message")
    .argument(
      "<paths...>",
      "SPEC files or folders (walked for SPEC files), or - for standard input",
    )
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json", "sarif"])
        .default("text"),
    )
    .option("--strict", "fail (exit 1) on warnings too, not only on errors")
    .option("--all", "text format: list info findings too (json and sarif always carry them)")
    .option("-o, --output <file>", "write the report to FILE instead of standard output (- for it)")
    .addOption(shardOption())
    .addOption(manifestOption())
    .addHelpText(
      "after",
      [
        "",
        "Exit status: 0 no error, 1 an error (or a warning with --strict), 2 bad usage or I/O.",
        "Text format: findings on standard output, a summary line on standard error.",
        "`specx rules` lists every code with its severity.",
        "",
        "Examples:",
        "  specx validate scans.spec",
        "  specx validate data/ --strict",
        "  specx validate data/ --format sarif -o specx.sarif",
        "  specx validate scans.spec --format json | jq '.files[0].diagnostics'",
        "",
      ].join("\n"),
    )
    .action(async (paths: string[], options: ValidateOptions) => {
      context.setStatus(await runValidate(context.io, paths, options, program.version() ?? ""));
    });
}

/** Runs `validate`; returns the exit status. */
export async function runValidate(
  io: CliIO,
  paths: readonly string[],
  options: ValidateOptions,
  toolVersion: string,
): Promise<number> {
  const reports = await runBatch<FileReport>(io, paths, options, {
    command: "validate",
    options: {},
    run: (files, onResult) => mapFilesWithProgress(io, files, validateJob, {}, onResult),
  });

  const toFile = options.output !== undefined && options.output !== "-";
  const counts = countSeverities(reports);
  let report: string;
  if (options.format === "json") {
    report = `${toJson({ files: reports.map(shown), summary: { files: reports.length, ...counts } })}\n`;
  } else if (options.format === "sarif") {
    report = `${JSON.stringify(toSarif(reports, allRules(), toolVersion), null, 2)}\n`;
  } else {
    const colors = toFile ? colorsFor({ ...io, stdoutIsTTY: false }) : colorsFor(io);
    report = reports.map((r) => textLines(r, options.all === true, colors)).join("");
  }
  if (toFile) {
    writeOutputFile(options.output as string, report);
  } else {
    io.stdout(report);
  }
  if (options.format === "text") io.stderr(`${summaryLine(reports.length, counts, options)}\n`);

  const failed = counts.errors > 0 || (options.strict === true && counts.warnings > 0);
  return failed ? 1 : 0;
}

/** The name to show for a report's file. */
function displayName(file: string): string {
  return file === "-" ? "<stdin>" : file;
}

function shown(report: FileReport): FileReport {
  return { ...report, file: displayName(report.file) };
}

/** `file:line: severity CODE message [scan n.m]`, one per finding; info only with `all`. */
function textLines(report: FileReport, all: boolean, colors: Colors): string {
  const name = displayName(report.file);
  return report.diagnostics
    .filter((d) => all || d.severity !== "info")
    .map(
      (d) => `${name}:${lineOf(d)} ${paintSeverity(colors, d.severity, d.severity)} ${textOf(d)}\n`,
    )
    .join("");
}

function lineOf(d: Diagnostic): string {
  return d.line === null ? "" : `${d.line}:`;
}

function textOf(d: Diagnostic): string {
  return `${d.code} ${d.message}${d.scan !== null ? ` [scan ${d.scan}]` : ""}`;
}

interface Counts {
  errors: number;
  warnings: number;
  info: number;
}

function countSeverities(reports: readonly FileReport[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, info: 0 };
  for (const { diagnostics } of reports) {
    for (const d of diagnostics) {
      if (d.severity === "error") counts.errors++;
      else if (d.severity === "warning") counts.warnings++;
      else counts.info++;
    }
  }
  return counts;
}

/** `3 files, 2 errors, 5 warnings, 12 info (not shown; --all shows them)`. */
function summaryLine(files: number, counts: Counts, options: ValidateOptions): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const hidden = counts.info > 0 && options.all !== true ? " (not shown; --all shows them)" : "";
  return `${plural(files, "file")}, ${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}, ${counts.info} info${hidden}`;
}
