/**
 * Everyday files through the CLI (issue 16, target 1): `specx info`, `specx stats --json` and
 * `specx validate` on every corpus file, each a whole process (start-up included), beside
 * `node -e 0` (the floor of any Node program) and silx reading every column of the same file in
 * a fresh Python (interpreter start and `import silx` included). Each file is measured best of
 * `repeat`, the runs of all four programs interleaved so that a noisy moment hits them alike.
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { corpusNames, corpusPath } from "@specx/test-support";
import { alignedTable } from "./table.js";

export const CLI_COMMANDS = [
  ["info"],
  ["stats", "--json"],
  ["validate"],
] as const satisfies readonly (readonly string[])[];

/** One corpus file: seconds of each program, best of the runs. */
export interface CliFileRow {
  file: string;
  megabytes: number;
  nodeEmpty: number;
  /** Keyed by the command as typed, e.g. `stats --json`. */
  specx: Record<string, number | null>;
  silx: number | null;
}

/** Per command, over the corpus. */
export interface CliSummary {
  command: string;
  /** Median over the corpus of (specx − `node -e 0`), milliseconds. */
  medianOverNodeMs: number;
  /** Files where this command finished before silx read every column. */
  fasterThanSilx: number;
  /** Files silx could read (the count above is out of these). */
  comparedWithSilx: number;
}

export interface CliStartupOptions {
  node: string;
  specxBin: string;
  python: string | null;
  silxScript: string;
  repeat: number;
}

/** Seconds for one whole process; null when it could not run (any exit status below 2 is fine). */
function timeProcess(command: string, argv: readonly string[]): number | null {
  const start = performance.now();
  const result = spawnSync(command, argv, { stdio: ["ignore", "ignore", "ignore"] });
  const seconds = (performance.now() - start) / 1000;
  // `validate` ends with 1 when a file has error diagnostics: that is a finished run.
  return result.status === 0 || result.status === 1 ? seconds : null;
}

function minOrNull(values: (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  return ok.length === values.length && ok.length > 0 ? Math.min(...ok) : null;
}

export function measureCliStartup(options: CliStartupOptions): {
  rows: CliFileRow[];
  summary: CliSummary[];
} {
  const rows: CliFileRow[] = [];
  for (const name of corpusNames()) {
    const path = corpusPath(name);
    const node: (number | null)[] = [];
    const silx: (number | null)[] = [];
    const specx = CLI_COMMANDS.map(() => [] as (number | null)[]);
    for (let i = 0; i < options.repeat; i++) {
      node.push(timeProcess(options.node, ["-e", "0"]));
      for (const [c, command] of CLI_COMMANDS.entries()) {
        specx[c]?.push(timeProcess(options.node, [options.specxBin, ...command, path]));
      }
      if (options.python) {
        silx.push(timeProcess(options.python, [options.silxScript, "data", path]));
      }
    }
    rows.push({
      file: name,
      megabytes: statSync(path).size / 1e6,
      nodeEmpty: minOrNull(node) ?? Number.NaN,
      specx: Object.fromEntries(
        CLI_COMMANDS.map((command, c) => [command.join(" "), minOrNull(specx[c] ?? [])]),
      ),
      silx: options.python ? minOrNull(silx) : null,
    });
  }
  const summary = CLI_COMMANDS.map((command): CliSummary => {
    const key = command.join(" ");
    const over = rows
      .map((r) => (r.specx[key] ?? Number.NaN) - r.nodeEmpty)
      .filter((v) => Number.isFinite(v));
    const compared = rows.filter((r) => r.silx !== null && r.specx[key] != null);
    return {
      command: key,
      medianOverNodeMs: median(over) * 1000,
      fasterThanSilx: compared.filter((r) => (r.specx[key] as number) < (r.silx as number)).length,
      comparedWithSilx: compared.length,
    };
  });
  return { rows, summary };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The per-file table of the bench's printout, seconds. */
export function formatCliTable(rows: CliFileRow[]): string {
  const fmt = (n: number | null | undefined) => (n == null ? "n/a" : n.toFixed(3));
  const header = ["file", "MB", "node -e 0", ...CLI_COMMANDS.map((c) => c.join(" ")), "silx data"];
  const table = rows.map((r) => [
    r.file,
    r.megabytes.toFixed(2),
    fmt(r.nodeEmpty),
    ...CLI_COMMANDS.map((c) => fmt(r.specx[c.join(" ")])),
    fmt(r.silx),
  ]);
  return alignedTable(header, table);
}

/** The per-command lines of the bench's printout. */
export function formatCliSummary(summary: CliSummary[], files: number): string {
  const lines = summary.map(
    (s) =>
      `  specx ${s.command.padEnd(12)} median over node -e 0: ${s.medianOverNodeMs.toFixed(0)} ms; ` +
      `faster than silx on ${s.fasterThanSilx}/${s.comparedWithSilx} files`,
  );
  return `CLI on every corpus file (${files} files, whole process, best of each):\n${lines.join("\n")}\n`;
}
