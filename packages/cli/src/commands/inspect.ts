/**
 * `specx inspect FILE [--json] [--data] [--mca]`: what the parser sees in a file.
 * The `--json` shape is a contract other tools rely on; keep it stable.
 */

import { toJson } from "@specx/scan-data";
import {
  type Diagnostic,
  parse,
  type Scan,
  type SpecFile,
  validateFile,
} from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { checkSpecInput, withSpecFile } from "../inputs.js";
import type { CliIO } from "../io.js";

/** One scan in `inspect --json`. */
export interface InspectScan {
  key: string;
  number: number | null;
  command: string;
  /** `#L` labels exactly as written. */
  labels: string[];
  rows: number;
  /** Motor name → `#P` value (a repeated name appears under its alias `name_1`). */
  positioners: Record<string, number | null>;
  mca: { spectra: number; channels: number } | null;
  metadata: Record<string, unknown>;
  /** Only with `--data`: the rows, null for NaN or non-numeric cells. */
  data?: (number | null)[][];
  /** Only with `--mca`: every spectrum in file order, null for NaN or non-numeric channels. */
  spectra?: { device: string; line: number; values: (number | null)[] }[];
}

/** What `inspect --json` includes beyond its summary. */
export interface InspectDetail {
  /** Every row (`--data`). */
  data?: boolean;
  /** Every MCA spectrum's values (`--mca`). */
  mca?: boolean;
}

/** The whole `inspect --json` document. */
export interface InspectResult {
  scans: InspectScan[];
  diagnostics: Diagnostic[];
}

/** Builds the `inspect --json` document for a file's bytes. */
export function inspectBytes(bytes: Uint8Array, detail: InspectDetail = {}): InspectResult {
  return inspectFile(parse(bytes), detail);
}

/** Builds the `inspect --json` document for a parsed file. */
export function inspectFile(file: SpecFile, detail: InspectDetail = {}): InspectResult {
  const scans: InspectScan[] = [];
  // One pass: `file.scans`, then `file.diagnostics`, read every scan of a large file twice.
  // inspectScan copies the numbers it shows, so each scan's may go into reused memory.
  const diagnostics = validateFile(file, {
    checks: false,
    reuseNumbers: true,
    onScan: (_done, _total, scan) => scans.push(inspectScan(scan, detail)),
  });
  return { scans, diagnostics };
}

function inspectScan(scan: Scan, detail: InspectDetail): InspectScan {
  const spectra = scan.mca?.spectra ?? [];
  const result: InspectScan = {
    key: scan.key,
    number: scan.number,
    command: scan.command,
    labels: scan.labels,
    rows: scan.data.rows,
    positioners: Object.fromEntries(
      scan.positioners.map((p) => [p.alias, Number.isFinite(p.value) ? p.value : null]),
    ),
    mca:
      spectra.length > 0
        ? { spectra: spectra.length, channels: spectra[0]?.values.length ?? 0 }
        : null,
    metadata: scan.metadata,
  };
  if (detail.data) {
    const { columns, rows } = scan.data;
    result.data = Array.from({ length: rows }, (_, r) =>
      columns.map((column) => finiteOrNull(column[r] as number)),
    );
  }
  if (detail.mca && spectra.length > 0) {
    result.spectra = spectra.map((spectrum) => ({
      device: spectrum.device,
      line: spectrum.line,
      values: Array.from(spectrum.values, finiteOrNull),
    }));
  }
  return result;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Runs `inspect`; returns the exit status (1 when the file has error diagnostics). */
export function runInspect(
  io: CliIO,
  path: string,
  options: { json?: boolean; data?: boolean; mca?: boolean },
): number {
  // A named file is read scan by scan from disk: only the document shown is in memory.
  const result = withSpecFile(checkSpecInput(io, path, false), (file) =>
    inspectFile(file, { data: options.data === true, mca: options.mca === true }),
  );
  if (options.json) {
    io.stdout(`${toJson(result)}\n`);
  } else {
    io.stdout(summary(path, result));
  }
  return result.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

function summary(path: string, result: InspectResult): string {
  const lines = [`${path}: ${result.scans.length} scans, ${result.diagnostics.length} diagnostics`];
  for (const scan of result.scans) {
    const mca = scan.mca ? `, ${scan.mca.spectra} spectra` : "";
    lines.push(
      `  ${scan.key.padEnd(8)} ${String(scan.rows).padStart(6)} rows  ${String(scan.labels.length).padStart(3)} columns${mca}  ${scan.command}`,
    );
  }
  for (const d of result.diagnostics) {
    lines.push(`  line ${d.line ?? "-"}: ${d.severity} ${d.code} ${d.message}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `specx inspect FILE [--json] [--data] [--mca]`. */
export function registerInspect(program: Command, context: CommandContext): void {
  program
    .command("inspect")
    .description(
      "show what the parser reads in a SPEC file (scans, labels, positioners, diagnostics)",
    )
    .argument("<file>", "SPEC file, or - for standard input")
    .option("--json", "print one JSON object (a stable contract)")
    .option("--data", "with --json: include every row (null for NaN or non-numeric cells)")
    .option("--mca", "with --json: include every MCA spectrum's values (null for NaN)")
    .addHelpText(
      "after",
      "\nExamples:\n  specx inspect scan.spec\n  specx inspect scan.spec --json --data | jq '.scans[0].labels'\n",
    )
    .action((file: string, options: { json?: boolean; data?: boolean; mca?: boolean }) => {
      context.setStatus(runInspect(context.io, file, options));
    });
}
