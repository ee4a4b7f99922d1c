/**
 * The `stats --json` document, written straight from its known shape: the same bytes as the
 * generic `toJson` (json.ts) gives it, without its per-value `Object.entries`, arrays of parts
 * and joins. On a 227 MB file that is some 20,000 columns, and the generic path cost about a
 * tenth of the whole command (docs/performance.md).
 */
import type { ColumnStats, PlotStats, ScanStats } from "@specx/scan-data";
import type { StatsResult } from "./stats.js";

/** `toJson(result)` and a line end, byte for byte. */
export function statsJson(result: StatsResult): string {
  const { files } = result;
  if (files.length === 0) return '{\n  "files": []\n}\n';
  let out = '{\n  "files": [\n';
  for (let f = 0; f < files.length; f++) {
    const { file, scans } = files[f] as StatsResult["files"][number];
    out += `${f === 0 ? "" : ",\n"}    {\n      "file": ${text(file)},\n      "scans": `;
    if (scans.length === 0) out += "[]";
    else {
      out += "[\n";
      for (let s = 0; s < scans.length; s++) {
        out += (s === 0 ? "" : ",\n") + scanJson(scans[s] as ScanStats);
      }
      out += "\n      ]";
    }
    out += "\n    }";
  }
  return `${out}\n  ]\n}\n`;
}

/** One scan, at the depth of `files[].scans[]`. */
function scanJson(scan: ScanStats): string {
  let out = `        {\n          "key": ${text(scan.key)},\n          "command": ${text(scan.command)},\n          "rows": ${num(scan.rows)},\n          "columns": `;
  const { columns } = scan;
  if (columns.length === 0) out += "[]";
  else {
    out += "[\n";
    for (let c = 0; c < columns.length; c++) {
      out += (c === 0 ? "" : ",\n") + columnJson(columns[c] as ColumnStats);
    }
    out += "\n          ]";
  }
  return `${out},\n          "plot": ${plotJson(scan.plot)}\n        }`;
}

function columnJson(column: ColumnStats): string {
  return `            {\n              "label": ${text(column.label)},\n              "count": ${num(column.count)},\n              "min": ${num(column.min)},\n              "max": ${num(column.max)},\n              "mean": ${num(column.mean)}\n            }`;
}

function plotJson(plot: PlotStats | null): string {
  if (plot === null) return "null";
  return `{\n            "x": ${text(plot.x)},\n            "y": ${text(plot.y)},\n            "peak": {\n              "x": ${num(plot.peak.x)},\n              "y": ${num(plot.peak.y)}\n            },\n            "fwhm": ${num(plot.fwhm)},\n            "cen": ${num(plot.cen)},\n            "com": ${num(plot.com)}\n          }`;
}

/** A number as `toJson` writes it: null for null, NaN and the infinities. */
function num(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : "null";
}

function text(value: string): string {
  return JSON.stringify(value);
}
