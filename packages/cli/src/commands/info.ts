/**
 * `specx info FILE…`: one line per scan (key, command, date, points, columns). It reports what is
 * in a file, not whether it is right (that is `specx validate`), so it ends with status 0 whatever
 * the diagnostics.
 */

import { toJson } from "@specx/scan-data";
import type { Command } from "commander";
import { formatTable } from "../aligned-table.js";
import type { CommandContext } from "../context.js";
import { type FileSummary, summarizeJob } from "../file-summary.js";
import { expandInputs } from "../inputs.js";
import type { CliIO } from "../io.js";
import { mapFilesWithProgress } from "../parallel.js";
import { type Colors, colorsFor } from "../style.js";

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

async function runInfo(io: CliIO, inputs: string[], options: { json?: boolean }): Promise<void> {
  const files = expandInputs(inputs);
  const summaries = await mapFilesWithProgress<FileSummary>(io, files, summarizeJob, {}, () => {});
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
