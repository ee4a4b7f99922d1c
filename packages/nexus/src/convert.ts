/**
 * A parsed SPEC file to a NeXus HDF5 file: the root's attributes, then one NXentry per scan, each
 * built (../build/entry.ts), written and dropped before the next, so memory follows the largest
 * scan, not the file.
 */
import type { Scan, ScanEntry, SpecFile } from "@specx/spec-parser";
import { buildEntry, entryName } from "./build/entry.js";
import { rootAttributes } from "./build/root.js";
import { spec2nexusStyle, specxStyle } from "./build/style.js";
import { utf8 } from "./tree/nodes.js";
import { type H5Module, H5WASM_VERSION, HDF5_VERSION, Hdf5Writer } from "./write/hdf5.js";

export interface ConvertOptions {
  /** Scans to convert, by key (`3`, `3.2`, or spec2nexus's `3.1`); all when absent. */
  scans?: string[];
  /** `spec2nexus`: spec2nexus's encodings (1-element arrays, ASCII, NXnote containers). */
  compat?: "spec2nexus";
  /** The input's path as the user gave it, for `@SPEC_file` (without `#F`) and `@file_name`. */
  path?: string;
  /** `@creator` of the root; `specx` by default. */
  creator?: string;
  /** Called after each scan is written. */
  onScan?: (scan: Scan, report: EntryReport) => void;
}

export interface EntryReport {
  entry: string;
  /** Parts of the entry that could not be converted (the rest was). */
  errors: string[];
}

export interface ConvertReport {
  entries: EntryReport[];
  /** Requested scan keys that the file does not have. */
  missing: string[];
}

/** Writes `file` as NeXus to `path` (created or truncated) with a loaded h5wasm. */
export function writeNexus(
  h5: H5Module,
  file: SpecFile,
  path: string,
  options: ConvertOptions = {},
): ConvertReport {
  const style = options.compat === "spec2nexus" ? spec2nexusStyle : specxStyle;
  const { chosen, missing } = chooseScans(file, options.scans);
  const writer = new Hdf5Writer(h5, path);
  const entries: EntryReport[] = [];
  try {
    const root = rootAttributes(file, {
      path: options.path ?? "",
      creator: options.creator ?? "specx",
      fileTime: new Date().toISOString(),
      hdf5Version: HDF5_VERSION,
      h5wasmVersion: H5WASM_VERSION,
    });
    const first = firstInScanOrder(chosen);
    if (first) root.set("default", utf8(entryName(first)));
    writer.writeRootAttributes(root);
    for (const { index } of chosen) {
      const scan = file.scanAt(index);
      if (!scan) continue;
      const built = buildEntry(scan, style);
      writer.writeGroup(built.name, built.group);
      const report = { entry: built.name, errors: built.errors };
      entries.push(report);
      options.onScan?.(scan, report);
    }
  } finally {
    writer.close();
  }
  return { entries, missing };
}

/**
 * The scan spec2nexus makes the root's default: the first by number, a repeat after the first
 * of its number (it converts scans sorted so), which is not always the first in the file.
 */
function firstInScanOrder(chosen: readonly ScanEntry[]): ScanEntry | undefined {
  let first: ScanEntry | undefined;
  for (const entry of chosen) {
    const number = entry.number ?? Number.POSITIVE_INFINITY;
    if (first === undefined || number < (first.number ?? Number.POSITIVE_INFINITY)) first = entry;
  }
  return first;
}

/**
 * The scans to convert, as index entries: each is read when its turn comes and dropped after, so
 * that memory follows the largest scan, not the file.
 */
function chooseScans(file: SpecFile, keys?: string[]): { chosen: ScanEntry[]; missing: string[] } {
  const all = file.scanEntries;
  if (!keys || keys.length === 0) return { chosen: [...all], missing: [] };
  const chosen: ScanEntry[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const index = (file.scan(key) ?? file.scanBySpec2nexusKey(key))?.index;
    const entry = index === undefined ? undefined : all[index];
    if (entry) chosen.push(entry);
    else missing.push(key);
  }
  return { chosen, missing };
}
