/**
 * Statistics of a scan's numbers: per column count, min, max and mean, and for the plotted pair
 * (first column as x, last column as y, as SPEC plots a scan) the numbers SPEC prints after a
 * scan: peak, FWHM, centre of the FWHM and centre of mass.
 *
 * The peak numbers follow SPEC's definitions as CSS's splot (`DataStatistics.py`) computes them:
 * - peak: the first point with the largest y (`pl_MAX` at `pl_xMAX`);
 * - half maximum: half of the peak height, with no background taken off;
 * - each side: walking out from the peak, the first point with y ≤ half, interpolated linearly
 *   with the point before it; a side that never comes down to half ends at the last point;
 * - FWHM (`pl_FWHM`): |upper − lower|;
 * - CEN (`pl_CEN`): (lower + upper) / 2, or the other side's x when one side is the peak itself
 *   (a peak at the first or last point);
 * - COM (`pl_COM`): Σxy / Σy over all points (undefined when Σy is 0).
 *
 * Everything runs over the parser's Float64Arrays in single passes: a large file makes no
 * per-cell objects. Points whose x or y is not a finite number are left out of the peak numbers.
 */
import type { Scan } from "@specx/spec-parser";

/** count, min, max and mean of a column's finite values (null without any). */
export interface ColumnStats {
  label: string;
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

/** SPEC's numbers for the plotted pair. */
export interface PlotStats {
  /** Label of the x column (the first). */
  x: string;
  /** Label of the y column (the last). */
  y: string;
  /** The largest y and the x where it first occurs. */
  peak: { x: number; y: number };
  fwhm: number;
  /** Centre of the FWHM (SPEC's `pl_CEN`). */
  cen: number;
  /** Centre of mass Σxy / Σy, or null when Σy is 0. */
  com: number | null;
}

/** The statistics of one scan, as `stats --json` prints them. */
export interface ScanStats {
  key: string;
  command: string;
  rows: number;
  columns: ColumnStats[];
  /** Null when the scan has fewer than two columns or no row with a finite x and y. */
  plot: PlotStats | null;
}

/** Statistics of every column and of the plotted pair. */
export function scanStats(scan: Scan): ScanStats {
  const { names, columns, rows } = scan.data;
  const first = columns[0];
  const last = columns[columns.length - 1];
  const peak = columns.length >= 2 && first && last ? peakStats(first, last, rows) : null;
  // Built field by field, without spreads: a large file has some 20,000 columns.
  const columnList: ColumnStats[] = new Array(columns.length);
  for (let i = 0; i < columns.length; i++) {
    columnList[i] = columnStats(names[i] ?? `col${i + 1}`, columns[i] as Float64Array, rows);
  }
  return {
    key: scan.key,
    command: scan.command,
    rows,
    columns: columnList,
    plot: peak
      ? {
          x: names[0] ?? "col1",
          y: names[names.length - 1] ?? "",
          peak: peak.peak,
          fwhm: peak.fwhm,
          cen: peak.cen,
          com: peak.com,
        }
      : null,
  };
}

/** count, min, max and mean of the finite values among the first `rows` of `values`. */
export function columnStats(label: string, values: Float64Array, rows: number): ColumnStats {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const end = Math.min(rows, values.length);
  for (let i = 0; i < end; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) continue;
    count++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (count === 0) return { label, count, min: null, max: null, mean: null };
  return { label, count, min, max, mean: sum / count };
}

/** SPEC's peak numbers, with where they come from: the half maximum and its crossings. */
export interface PeakNumbers extends Omit<PlotStats, "x" | "y"> {
  /** Half of the peak height. */
  halfMaximum: number;
  /** The x where y comes down to the half maximum on each side of the peak (see above). */
  lower: number;
  upper: number;
}

/** SPEC's peak numbers of y against x, or null when no point has a finite x and y. */
export function peakStats(
  xs: Float64Array,
  ys: Float64Array,
  rows = Math.min(xs.length, ys.length),
): PeakNumbers | null {
  const [x, y] = finitePairs(xs, ys, rows);
  const n = x.length;
  if (n === 0) return null;

  let top = 0;
  let sumY = 0;
  let sumXY = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i] as number;
    if (yi > (y[top] as number)) top = i;
    sumY += yi;
    sumXY += (x[i] as number) * yi;
  }
  const peakX = x[top] as number;
  const peakY = y[top] as number;
  const half = peakY / 2;
  const lower = halfMaximumX(x, y, top, half, -1);
  const upper = halfMaximumX(x, y, top, half, +1);
  const cen =
    lower !== peakX && upper !== peakX ? (lower + upper) / 2 : upper === peakX ? lower : upper;
  return {
    peak: { x: peakX, y: peakY },
    fwhm: Math.abs(upper - lower),
    cen,
    com: sumY !== 0 ? sumXY / sumY : null,
    halfMaximum: half,
    lower,
    upper,
  };
}

/**
 * The x where y comes down to `half`, walking from the peak in `direction`: interpolated
 * linearly between the last point above half and the first at or below it; the end point's x
 * when y never comes down to half on that side.
 */
function halfMaximumX(
  x: Float64Array,
  y: Float64Array,
  top: number,
  half: number,
  direction: 1 | -1,
): number {
  for (let i = top + direction; i >= 0 && i < x.length; i += direction) {
    const yi = y[i] as number;
    if (yi > half) continue;
    const xAbove = x[i - direction] as number;
    const yAbove = y[i - direction] as number;
    const xi = x[i] as number;
    return yAbove === yi ? xi : xAbove + ((xi - xAbove) * (yAbove - half)) / (yAbove - yi);
  }
  return (direction < 0 ? x[0] : x[x.length - 1]) as number;
}

/** The points where both x and y are finite; the arrays themselves when all are. */
function finitePairs(
  xs: Float64Array,
  ys: Float64Array,
  rows: number,
): [Float64Array, Float64Array] {
  const n = Math.min(rows, xs.length, ys.length);
  let finite = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) finite++;
  }
  if (finite === n) return [xs.subarray(0, n), ys.subarray(0, n)];
  const x = new Float64Array(finite);
  const y = new Float64Array(finite);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const xi = xs[i] as number;
    const yi = ys[i] as number;
    if (Number.isFinite(xi) && Number.isFinite(yi)) {
      x[j] = xi;
      y[j] = yi;
      j++;
    }
  }
  return [x, y];
}
