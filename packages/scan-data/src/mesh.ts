/**
 * The grid of a two-motor mesh scan, read from its command: the NeXus writer lays its columns out
 * as images (packages/nexus/src/build/data.ts) and the viewer draws them (packages/viewer).
 */
import type { DataTable } from "@specx/spec-parser";

/** A mesh scan's grid: which columns are its motors and how many points each way. */
export interface Mesh {
  /** Columns of the fast (first, inner) and slow (second, outer) motors. */
  fastColumn: number;
  slowColumn: number;
  fastCount: number;
  slowCount: number;
  /** hklmesh: the column of the index held fixed, or -1. */
  fixedColumn: number;
}

/**
 * `mesh m1 s1 e1 n1 m2 s2 e2 n2 t` (hklmesh alike): m1 moves fastest, n1+1 points per line. A motor
 * that is not a column stands for the first or second column (spec2nexus: a mnemonic, not a
 * name). A mesh stopped before its first line is complete is plotted as a line (as spec2nexus).
 */
export function meshOf(words: string[], table: DataTable): Mesh | null {
  if (words.length < 9 || table.columns.length < 2) return null;
  const n1 = Number(words[4]);
  const n2 = Number(words[8]);
  if (!Number.isInteger(n1) || !Number.isInteger(n2) || n1 < 0 || n2 < 0) return null;
  if (table.rows < n1) return null;
  const columnOf = (motor: string, fallback: number) => {
    const found = table.aliases.indexOf(motor);
    return found >= 0 ? found : fallback;
  };
  const fastColumn = columnOf(words[1] as string, 0);
  const slowColumn = columnOf(words[5] as string, 1);
  if (fastColumn === slowColumn) return null;
  const fastCount = n1 + 1;
  // Every row is kept: the lines measured, the last one NaN-padded when the mesh was stopped.
  const slowCount = Math.max(1, Math.ceil(table.rows / fastCount));
  let fixedColumn = -1;
  if (words[0] === "hklmesh") {
    const fixed = ["H", "K", "L"].find((index) => index !== words[1] && index !== words[5]);
    fixedColumn = fixed === undefined ? -1 : table.aliases.indexOf(fixed);
    if (fixedColumn === fastColumn || fixedColumn === slowColumn) fixedColumn = -1;
  }
  return { fastColumn, slowColumn, fastCount, slowCount, fixedColumn };
}
