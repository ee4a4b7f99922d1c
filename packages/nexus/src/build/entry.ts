/**
 * One scan as one NXentry (`/S<key>`, spec2nexus's keys: `S1`, `S1.1` for the second `#S 1`).
 * The entry is built part by part, one part per family of control lines. A part that fails
 * leaves the others standing and is recorded in the entry's `errors` (docs/nexus.md, fix #12:
 * spec2nexus loses the whole file to one bad line).
 */
import type { Scan } from "@specx/spec-parser";
import { add, dataset, type Group, group, texts, utf8 } from "../tree/nodes.js";
import { writeCounting } from "./counting.js";
import { writeCrossReferences } from "./cross-references.js";
import { writeData } from "./data.js";
import { isoDate } from "./dates.js";
import { writeGeometry } from "./geometry.js";
import { writeMcaMetadata } from "./mca.js";
import { writeNotes } from "./notes.js";
import { writePositioners } from "./positioners.js";
import type { Style } from "./style.js";

/** What a part of an entry is given. */
export interface EntryContext {
  style: Style;
  /** The entry's absolute path, `/S1`: links name their targets by it. */
  path: string;
}

/** Adds one family's groups and datasets to the entry. */
export type EntryPart = (entry: Group, scan: Scan, context: EntryContext) => void;

/** The parts in the order spec2nexus's writers run (header writers first, then the scan's). */
const parts: [name: string, part: EntryPart][] = [
  ["basics", writeBasics],
  ["counting", writeCounting],
  ["positioners", writePositioners],
  ["cross-references", writeCrossReferences],
  ["geometry", writeGeometry],
  ["data", writeData],
  ["mca", writeMcaMetadata],
  ["notes", writeNotes],
];

export interface BuiltEntry {
  name: string;
  group: Group;
  /** Parts that failed, as `part: message`. */
  errors: string[];
}

export function entryName(scan: Pick<Scan, "spec2nexusKey">): string {
  return `S${scan.spec2nexusKey}`;
}

export function buildEntry(scan: Scan, style: Style): BuiltEntry {
  const name = entryName(scan);
  const entry = group("NXentry");
  entry.attrs.set("default", utf8("data"));
  const context: EntryContext = { style, path: `/${name}` };
  const errors: string[] = [];
  for (const [partName, part] of parts) {
    try {
      part(entry, scan, context);
    } catch (error) {
      errors.push(`${partName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!entry.children.has("data")) writeNoData(entry);
  recordProblems(entry, scan, errors);
  return { name, group: entry, errors };
}

/** `#S`, `#D` and `#C`: title, scan number, command, date and comments (spec_common.py). */
function writeBasics(entry: Group, scan: Scan, { style }: EntryContext): void {
  add(
    entry,
    "experiment_description",
    dataset(style.text("SPEC scan"), { description: utf8("SPEC data file scan") }),
  );
  const sLine = scan.lines.find((line) => line.kind === "scan")?.text ?? `#S ${scan.command}`;
  add(entry, "title", dataset(style.text(sLine.replace(/^#S ?/, "").trimEnd())));
  const repeat = /\.(\d+)$/.exec(scan.spec2nexusKey);
  const scanNumber = dataset(style.int(scan.number ?? 0), { spec_name: utf8("SCAN_N") });
  if (repeat)
    scanNumber.attrs.set("repeat", { type: "int64", data: [Number(repeat[1])], shape: [] });
  add(entry, "scan_number", scanNumber);
  add(entry, "command", dataset(style.text(scan.command)));
  const date = scan.date ? isoDate(scan.date) : null;
  if (date !== null) add(entry, "date", dataset(style.text(date)));
  if (scan.comments.length > 0) {
    add(entry, "comments", dataset(style.text(scan.comments.map((c) => c.text).join("\n"))));
  }
}

/** A scan without data lines still gets a plottable NXdata, as spec2nexus's writer.py gives it. */
function writeNoData(entry: Group): void {
  const data = group("NXdata");
  data.attrs.set("signal", utf8("no_y_data"));
  data.attrs.set("axes", utf8("no_x_data"));
  data.attrs.set("no_x_data_indices", { type: "int64", data: [0], shape: [1] });
  for (const name of ["no_x_data", "no_y_data"]) {
    add(
      data,
      name,
      dataset(
        { type: "int64", data: [0, 1], shape: [2] },
        { units: utf8("none"), long_name: utf8("no data points in this scan") },
      ),
    );
  }
  add(entry, "data", data);
}

/**
 * The scan's findings (what the parser reported, with lines) and the parts that failed, so that a
 * reader of the HDF5 file sees what a reader of the SPEC file would be told.
 */
function recordProblems(entry: Group, scan: Scan, errors: string[]): void {
  const findings = scan.diagnostics.map(
    (d) => `line ${d.line ?? "?"}: ${d.severity} ${d.code}: ${d.message}`,
  );
  if (findings.length > 0) add(entry, "diagnostics", dataset(texts(findings)));
  if (errors.length > 0) add(entry, "errors", dataset(texts(errors)));
}
