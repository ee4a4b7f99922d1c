/**
 * The scan's data as the entry's NXdata (`data`), as spec2nexus's writer.py writes it (save_data,
 * oneD, mesh): one float64 column per `#L` label, named by its cleaned unique name with
 * `@spec_name`, and the plot's `@signal`/`@axes`/`@<axis>_indices`. The correctness fixes of
 * docs/nexus.md hold in both styles:
 * - every row as the model holds it, NaN where a value is missing (#19: spec2nexus drops rows);
 * - `@signal` names the last column itself, also when its label repeats (#18);
 * - hkl scans: the varying indices by number, the first column when none varies (#5);
 * - meshes as `[slow, fast]` images with cleaned axes and each axis's own dimension (#1, #2, #4).
 */

import { type Mesh, meshOf } from "@specx/scan-data";
import type { DataTable, Scan } from "@specx/spec-parser";
import {
  add,
  dataset,
  float64,
  type Group,
  group,
  int64Scalar,
  type TextValue,
  texts,
  utf8,
} from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";
import { writeSpectra } from "./mca.js";
import { cleanName } from "./names.js";
import type { Style } from "./style.js";

/** Where the scan's points lie: along one axis, or on a mesh of `slow × fast` points. */
export type Layout =
  | { kind: "line"; axis: string }
  | { kind: "mesh"; slow: string; fast: string; slowCount: number; fastCount: number };

export function writeData(entry: Group, scan: Scan, context: EntryContext): void {
  const table = scan.data;
  if (table.rows === 0 || table.columns.length === 0) return;
  const { style } = context;
  const data = group("NXdata");
  data.attrs.set("description", utf8("SPEC scan data"));
  const words = scan.command.trim().split(/\s+/);
  const mesh = words[0] === "mesh" || words[0] === "hklmesh" ? meshOf(words, table) : null;
  const names = mesh ? writeMeshColumns(data, table, mesh, style) : writeColumns(data, table);
  const signal = names[names.length - 1] as string;
  data.attrs.set("signal", utf8(signal));
  let layout: Layout;
  if (mesh) {
    const slow = names[mesh.slowColumn] as string;
    const fast = names[mesh.fastColumn] as string;
    // Fixes #1, #2, #4: the slow motor first, cleaned names, each axis's own dimension.
    data.attrs.set("axes", axesList([slow, fast], style));
    data.attrs.set(`${slow}_indices`, int64Scalar(0));
    data.attrs.set(`${fast}_indices`, int64Scalar(1));
    layout = {
      kind: "mesh",
      slow,
      fast,
      slowCount: mesh.slowCount,
      fastCount: mesh.fastCount,
    };
  } else {
    const axes = isHklScan(words[0]) ? hklAxes(words, table, names) : [];
    const first = names[0] as string;
    const chosen = axes.length > 0 ? axes : [first];
    data.attrs.set(
      "axes",
      chosen.length === 1 ? utf8(chosen[0] as string) : axesList(chosen, style),
    );
    for (const axis of chosen) data.attrs.set(`${axis}_indices`, style.int(0));
    layout = { kind: "line", axis: chosen[0] as string };
  }
  add(entry, "data", data);
  writeSpectra(entry, data, scan, layout, context);
}

/** A 1-D plot's several axes (hklscan): a string array, vlen ASCII as h5py writes spec2nexus's. */
function axesList(names: string[], style: Style): TextValue {
  return texts(names, style.compat ? "ascii" : "utf-8");
}

/** One float64 dataset per column, every row kept; returns the names used (fix #16 suffixes). */
function writeColumns(data: Group, table: DataTable): string[] {
  return table.columns.map((column, i) => {
    const alias = table.aliases[i] as string;
    return add(data, cleanName(alias), dataset(float64(column), { spec_name: utf8(alias) }));
  });
}

function isHklScan(word: string | undefined): boolean {
  return word === "hklscan" || word === "hscan" || word === "kscan" || word === "lscan";
}

/**
 * The indices an hkl scan moves (fix #5): `hklscan h0 h1 k0 k1 l0 l1 n t` moves those whose start
 * and end differ as numbers; `hscan/kscan/lscan start end n t` move their own. Only indices that
 * are columns count; none leaves the first column as the axis.
 */
function hklAxes(words: string[], table: DataTable, names: string[]): string[] {
  const moving: string[] = [];
  if (words[0] === "hklscan") {
    ["H", "K", "L"].forEach((index, i) => {
      const start = Number(words[1 + 2 * i]);
      const end = Number(words[2 + 2 * i]);
      if (Number.isFinite(start) && Number.isFinite(end) && start !== end) moving.push(index);
    });
  } else {
    moving.push((words[0] as string).charAt(0).toUpperCase());
  }
  return moving.flatMap((index) => {
    const column = table.aliases.indexOf(index);
    return column >= 0 ? [names[column] as string] : [];
  });
}

/**
 * A mesh's columns: the fast motor's first line and the slow motor's value at the start of each
 * line as 1-D axes, hklmesh's fixed index as its first value (spec2nexus's `[1]`), every other
 * column as a `[slow, fast]` image: value (i, j) is row i·(n1+1) + j.
 */
function writeMeshColumns(data: Group, table: DataTable, mesh: Mesh, style: Style): string[] {
  const { fastCount, slowCount } = mesh;
  const names: string[] = new Array(table.columns.length);
  const write = (i: number, value: Parameters<typeof dataset>[0]) => {
    const alias = table.aliases[i] as string;
    names[i] = add(data, cleanName(alias), dataset(value, { spec_name: utf8(alias) }));
  };
  if (mesh.fixedColumn >= 0) {
    write(
      mesh.fixedColumn,
      style.float((table.columns[mesh.fixedColumn] as Float64Array)[0] ?? Number.NaN),
    );
  }
  write(
    mesh.fastColumn,
    float64(padded(table.columns[mesh.fastColumn] as Float64Array, fastCount)),
  );
  const slowColumn = table.columns[mesh.slowColumn] as Float64Array;
  const slowAxis = new Float64Array(slowCount);
  for (let i = 0; i < slowCount; i++) slowAxis[i] = slowColumn[i * fastCount] as number;
  write(mesh.slowColumn, float64(slowAxis));
  table.columns.forEach((column, i) => {
    if (i === mesh.fastColumn || i === mesh.slowColumn || i === mesh.fixedColumn) return;
    write(i, float64(padded(column, slowCount * fastCount), [slowCount, fastCount]));
  });
  return names;
}

/** `values` as exactly `length` values: the same array when it fits, else cut or NaN-padded. */
export function padded(values: Float64Array, length: number): Float64Array {
  if (values.length === length) return values;
  if (values.length > length) return values.subarray(0, length);
  const out = new Float64Array(length).fill(Number.NaN);
  out.set(values);
  return out;
}
