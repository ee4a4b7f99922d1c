/**
 * Scan data in the formats other tools read: CSV (RFC 4180), TSV, JSON and NDJSON.
 *
 * - CSV and TSV are one table. One scan gives its labels as the header (duplicates kept as
 *   written). Several scans get a `scan` column first, and must share their labels, since a
 *   table has one header; scans with different labels belong in JSON or NDJSON.
 * - JSON is an array of scans `{key, number, command, date, labels, aliases, rows}`.
 * - NDJSON is one object per row, `{"scan": key, <alias>: value, …}`; the aliases make repeated
 *   labels distinct keys (`I0`, `I0_1`).
 *
 * Numbers are written as the file has them (`2.0` stays `2.0`), else as the shortest text that
 * reads back as the same double. Values that are not plain numbers keep the file's text in
 * CSV/TSV (`nan`, `None`, words), and a cell a short row lacks is empty; in JSON, NaN,
 * infinities, None and missing cells are null, words stay strings, True/False are booleans.
 */
import { type Scan, uniqueAliases } from "@specx/spec-parser";
import { scanCells } from "./cells.js";
import { toJson } from "./json.js";

/**
 * Scans that cannot share one table (their labels differ): CSV and TSV have one header. The
 * message says what to do instead; the CLI prints it as its one-line reason.
 */
export class MixedLabelsError extends Error {
  override name = "MixedLabelsError";
}

/** The formats `specx export` writes. */
export const exportFormats = ["csv", "tsv", "json", "ndjson"] as const;

export type ExportFormat = (typeof exportFormats)[number];

/** True when `name` is one of {@link exportFormats}. */
export function isExportFormat(name: string): name is ExportFormat {
  return (exportFormats as readonly string[]).includes(name);
}

/** The format a file name's extension implies (`.jsonl` is NDJSON), or null. */
export function formatOfPath(path: string): ExportFormat | null {
  const extension = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  if (extension === "jsonl") return "ndjson";
  return extension !== undefined && isExportFormat(extension) ? extension : null;
}

/** The scans' data in `format`, ending with a line end. */
export function formatScans(scans: readonly Scan[], format: ExportFormat): string {
  return Array.from(formatPieces(scans, exportLayout(scans, format))).join("");
}

/**
 * What the output needs to know of all the scans before its first row: a table's header, and
 * whether a `scan` column tells several scans apart.
 */
export interface ExportLayout {
  format: ExportFormat;
  /** The header of CSV and TSV: the labels of the first scan with rows (else of the first). */
  names: readonly string[];
  several: boolean;
}

/**
 * The layout of `scans` in `format`: one pass over them for CSV and TSV, none for JSON and NDJSON.
 * @throws MixedLabelsError for CSV and TSV of scans with rows whose labels differ.
 */
export function exportLayout(scans: Iterable<Scan>, format: ExportFormat): ExportLayout {
  // JSON and NDJSON need nothing of the scans ahead: no pass over them.
  if (format !== "csv" && format !== "tsv") return { format, names: [], several: false };
  let count = 0;
  let names: readonly string[] | undefined;
  /** The key of the first scan with rows, whose labels are the header. */
  let firstKey: string | undefined;
  for (const scan of scans) {
    count++;
    names ??= scan.data.names;
    if (scan.data.rows === 0) continue;
    if (firstKey === undefined) {
      firstKey = scan.key;
      names = scan.data.names;
    } else if (!sameNames(scan.data.names, names)) {
      throw new MixedLabelsError(
        `scans ${firstKey} and ${scan.key} have different labels, and a table has one header: export one scan (--scan KEY) or use --format json or ndjson`,
      );
    }
  }
  return { format, names: names ?? [], several: count > 1 };
}

/**
 * The output of `scans` in `layout` (from {@link exportLayout} of the same scans), a scan at a
 * time: joined, they are {@link formatScans}. Each scan is done with before the next is asked
 * for, so the scans may be read one by one into one NumberArena, and a large file is written
 * without its whole text in memory.
 */
export function* formatPieces(scans: Iterable<Scan>, layout: ExportLayout): Generator<string> {
  const { format, names, several } = layout;
  if (format === "csv" || format === "tsv") {
    const [separator, eol, field] =
      format === "csv" ? [",", "\r\n", csvField] : ["\t", "\n", tsvField];
    const line = (cells: string[]) => cells.map(field).join(separator) + eol;
    yield line(several ? ["scan", ...names] : [...names]);
    for (const scan of scans) {
      if (scan.data.rows > 0) yield delimitedRows(scan, several, line);
    }
    return;
  }
  if (format === "json") {
    let first = true;
    for (const scan of scans) {
      yield `${first ? "[\n" : ",\n"}${jsonScan(scan)}`;
      first = false;
    }
    yield first ? "[\n\n]\n" : "\n]\n";
    return;
  }
  for (const scan of scans) yield ndjsonRows(scan);
}

/** A scan's rows as lines of a table. */
function delimitedRows(scan: Scan, several: boolean, line: (cells: string[]) => string): string {
  const cells = scanCells(scan);
  const width = scan.data.columns.length;
  const out: string[] = [];
  for (let row = 0; row < scan.data.rows; row++) {
    const texts = Array.from({ length: width }, (_, column) => cells.text(row, column, ""));
    out.push(line(several ? [scan.key, ...texts] : texts));
  }
  return out.join("");
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** RFC 4180: quote a field holding a comma, a quote or a line break; double inner quotes. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** TSV fields cannot hold TABs or line breaks (SPEC tokens never do); they become spaces. */
function tsvField(text: string): string {
  return text.replace(/[\t\r\n]/g, " ");
}

/** One scan as indented JSON, a row per line; cells are written as the file has them. */
function jsonScan(scan: Scan): string {
  const cells = scanCells(scan);
  const width = scan.data.columns.length;
  const facts = {
    key: scan.key,
    number: scan.number,
    command: scan.command,
    date: scan.date?.raw ?? null,
    labels: scan.data.names,
    aliases: scan.data.aliases,
  };
  const head = Object.entries(facts).map(([name, value]) => `    "${name}": ${toJson(value)},`);
  const rows = Array.from({ length: scan.data.rows }, (_, row) => {
    const values = Array.from({ length: width }, (_, column) => cells.json(row, column));
    return `      [${values.join(", ")}]`;
  });
  const body = rows.length > 0 ? `[\n${rows.join(",\n")}\n    ]` : "[]";
  return `  {\n${head.join("\n")}\n    "rows": ${body}\n  }`;
}

function ndjsonRows(scan: Scan): string {
  // `scan` names the key; a column of that name gets an alias (`scan_1`) so neither is lost.
  const keys = uniqueAliases(["scan", ...scan.data.aliases]).aliases.slice(1);
  const cells = scanCells(scan);
  // Written by hand: an object would move labels such as "2" first and drop "__proto__".
  const prefixes = keys.map((key) => `,${JSON.stringify(key)}:`);
  let out = "";
  for (let row = 0; row < scan.data.rows; row++) {
    let line = `{"scan":${JSON.stringify(scan.key)}`;
    prefixes.forEach((prefix, column) => {
      line += prefix + cells.json(row, column);
    });
    out += `${line}}\n`;
  }
  return out;
}
