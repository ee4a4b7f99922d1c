/**
 * @specx/scan-data: a SPEC scan's numbers as people and other programs see them, shared by the
 * `specx` command (info, show, stats, export, watch), the NeXus writer and the browser viewer, so
 * that every one of them shows the same numbers. It uses no Node API.
 *
 * - {@link summarizeScan}: a scan's line in `specx info` and in the viewer's scan list.
 * - {@link scanStats}, {@link peakStats}, {@link columnStats}: per column count/min/max/mean, and
 *   SPEC's peak, FWHM, CEN and COM for a plotted pair, as `specx stats` prints them.
 * - {@link scanCells}: a scan's cells as the file wrote them; {@link formatScans}: CSV, TSV, JSON
 *   and NDJSON tables (`specx export`), or {@link formatPieces} a scan at a time after
 *   {@link exportLayout}; {@link toJson}: the JSON layout of the CLI's output.
 * - {@link meshOf}: the grid of a two-motor mesh scan.
 */

export { type ScanCells, scanCells } from "./cells.js";
export { toJson } from "./json.js";
export { type Mesh, meshOf } from "./mesh.js";
export {
  type ColumnStats,
  columnStats,
  type PeakNumbers,
  type PlotStats,
  peakStats,
  type ScanStats,
  scanStats,
} from "./stats.js";
export { type ScanSummary, summarizeScan } from "./summary.js";
export {
  type ExportFormat,
  type ExportLayout,
  exportFormats,
  exportLayout,
  formatOfPath,
  formatPieces,
  formatScans,
  isExportFormat,
  MixedLabelsError,
} from "./tables.js";
