/** Finding what the user named on the command line: a scan by key or number, a column by label. */
import type { Scan, SpecFile } from "@specx/spec-parser/node";
import { UserError } from "./io.js";

/**
 * The scan `ref` names: a key such as `3.1` (the first `#S 3`) or `3.2` (the second), or a
 * bare number `3`, which means its first occurrence. Undefined when there is none.
 */
export function scanByRef(file: SpecFile, ref: string): Scan | undefined {
  const text = ref.trim();
  if (/^\d+$/.test(text)) return file.scan(Number(text));
  return file.scan(text);
}

/** A short list of a file's scan keys for error messages (the first 12, then a count). */
export function scanKeyList(file: SpecFile): string {
  const keys = file.scanEntries.map((entry) => entry.key);
  if (keys.length === 0) return "the file has no scans";
  const shown = keys.slice(0, 12).join(", ");
  return keys.length > 12 ? `scans: ${shown}, … (${keys.length} in all)` : `scans: ${shown}`;
}

/**
 * The index of the column `label` names: a `#L` label as written (its first occurrence), or a
 * unique alias such as `I0_1` for the second `I0`. A UserError listing the labels when none does.
 */
export function columnByLabel(scan: Scan, label: string, where: string): number {
  const { names, aliases } = scan.data;
  let index = names.indexOf(label);
  if (index < 0) index = aliases.indexOf(label);
  if (index < 0) {
    throw new UserError(
      `no column '${label}' in scan ${scan.key} of ${where} (columns: ${names.join(", ")})`,
    );
  }
  return index;
}

/**
 * A scan by key (`3.1`) or by number (`3`: the first `#S 3`, as SPEC users say it). An
 * unknown one is a UserError that says where the keys are listed.
 */
export function findScan(file: SpecFile, ref: string, path: string): Scan {
  const scan = scanByRef(file, ref);
  if (!scan) {
    throw new UserError(
      `no scan ${ref} in ${shownName(path)} (keys look like 3.1; specx info ${path} lists them)`,
    );
  }
  return scan;
}

/** The name of an input for messages: `-` is standard input. */
export function shownName(path: string): string {
  return path === "-" ? "standard input" : path;
}
