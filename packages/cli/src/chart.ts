/**
 * A small SVG line-chart renderer for scans: axes with nice tick values, grid, axis labels, a
 * title, a legend, and one `<path class="series">` per y column. No browser and no library: the
 * output is plain SVG text, which `png.ts` can rasterise.
 */

/** One line of the chart. Points whose x or y is not finite break the line. */
export interface ChartSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** What to draw. */
export interface ChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Pixels; default 800 × 500. */
  width?: number;
  height?: number;
}

/** An axis from `start` to `stop`, with tick `values` every `step`. */
export interface AxisTicks {
  start: number;
  stop: number;
  step: number;
  values: number[];
}

/** Okabe–Ito colours: told apart by colour-blind readers too. */
const palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const fontFamily = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
/** Rough advance of one character at 12 px, to make room for labels without measuring text. */
const charWidth = 7;
/** Series with at most this many points also get a marker per point. */
const markerLimit = 100;

/**
 * An axis over [min, max] with a small margin on each side, and ticks inside it every 1, 2,
 * 2.5 or 5 × 10^k, the step that gives closest to `target` ticks. An empty or single-valued
 * range is widened so the axis still has a length.
 */
export function niceTicks(min: number, max: number, target = 6, margin = 0.03): AxisTicks {
  let low = min;
  let high = max;
  if (!Number.isFinite(low) || !Number.isFinite(high)) [low, high] = [0, 1];
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const pad = (high - low) * margin;
  const start = low - pad;
  const stop = high + pad;
  const span = stop - start;
  const base = 10 ** Math.floor(Math.log10(span / target));
  let step = base;
  for (const multiple of [1, 2, 2.5, 5, 10]) {
    const candidate = multiple * base;
    if (Math.abs(span / candidate - target) <= Math.abs(span / step - target)) step = candidate;
  }
  const first = Math.ceil(start / step);
  const last = Math.floor(stop / step);
  const decimals = decimalsOf(step);
  const values = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) =>
    Number(((first + i) * step).toFixed(decimals)),
  );
  return { start, stop, step, values };
}

/** Decimals needed to write `step` exactly (0.025 needs 3). */
function decimalsOf(step: number): number {
  for (let d = 0; d < 20; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 20;
}

/** A tick label: just enough decimals for the step; powers of ten for very large or small. */
export function tickLabel(value: number, step: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1e6 || step < 1e-4) {
    const magnitude = 10 ** Math.floor(Math.log10(Math.abs(value)));
    const digits = Math.min(15, decimalsOf(step / magnitude));
    return value.toExponential(digits).replace(/\.?0+e/, "e");
  }
  return value.toFixed(decimalsOf(step));
}

/** The chart as an SVG document. */
export function renderSvg(spec: ChartSpec): string {
  const width = spec.width ?? 800;
  const height = spec.height ?? 500;
  const xTicks = niceTicks(...extent(spec.series.map((s) => s.x)));
  const yTicks = niceTicks(...extent(spec.series.map((s) => s.y)));
  const yTickLabels = yTicks.values.map((v) => tickLabel(v, yTicks.step));
  const yLabelWidth = Math.max(...yTickLabels.map((t) => t.length)) * charWidth;

  const top = spec.subtitle ? 62 : 44;
  const left = 28 + yLabelWidth + 16;
  const right = 24;
  const bottom = 58;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const sx = (x: number) => left + ((x - xTicks.start) / (xTicks.stop - xTicks.start)) * plotWidth;
  const sy = (y: number) =>
    top + plotHeight - ((y - yTicks.start) / (yTicks.stop - yTicks.start)) * plotHeight;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${fontFamily}" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<defs><clipPath id="plot-area"><rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>`,
  );

  // Title and subtitle, cut to fit the width.
  const fit = (text: string, size: number) =>
    ellipsis(text, Math.floor((width - 32) / (size * 0.6)));
  out.push(
    `<text class="title" x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${xml(fit(spec.title, 15))}</text>`,
  );
  if (spec.subtitle) {
    out.push(
      `<text class="subtitle" x="${width / 2}" y="44" text-anchor="middle" font-size="12" fill="#444444">${xml(fit(spec.subtitle, 12))}</text>`,
    );
  }

  // Grid, ticks and tick labels.
  out.push('<g class="grid" stroke="#e3e3e3" stroke-width="1">');
  for (const v of xTicks.values) out.push(line(sx(v), top, sx(v), top + plotHeight));
  for (const v of yTicks.values) out.push(line(left, sy(v), left + plotWidth, sy(v)));
  out.push("</g>");
  out.push('<g class="x-ticks" fill="#222222" text-anchor="middle">');
  for (const v of xTicks.values) {
    out.push(line(sx(v), top + plotHeight, sx(v), top + plotHeight + 5, "#222222"));
    out.push(
      `<text x="${num(sx(v))}" y="${num(top + plotHeight + 19)}">${xml(tickLabel(v, xTicks.step))}</text>`,
    );
  }
  out.push("</g>");
  out.push('<g class="y-ticks" fill="#222222" text-anchor="end">');
  yTicks.values.forEach((v, i) => {
    out.push(line(left - 5, sy(v), left, sy(v), "#222222"));
    out.push(
      `<text x="${num(left - 8)}" y="${num(sy(v) + 4)}">${xml(yTickLabels[i] ?? "")}</text>`,
    );
  });
  out.push("</g>");
  out.push(
    `<rect class="frame" x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#222222"/>`,
  );

  // Axis labels.
  out.push(
    `<text class="x-label" x="${num(left + plotWidth / 2)}" y="${height - 14}" text-anchor="middle" font-size="13">${xml(ellipsis(spec.xLabel, Math.floor(plotWidth / 8)))}</text>`,
  );
  const yMiddle = top + plotHeight / 2;
  out.push(
    `<text class="y-label" x="18" y="${num(yMiddle)}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${num(yMiddle)})">${xml(ellipsis(spec.yLabel, Math.floor(plotHeight / 8)))}</text>`,
  );

  // The data.
  out.push('<g class="data" clip-path="url(#plot-area)" fill="none" stroke-width="1.6">');
  spec.series.forEach((series, i) => {
    const color = palette[i % palette.length] as string;
    out.push(
      `<path class="series" data-label="${xml(series.label)}" stroke="${color}"${dashes(i)} stroke-linejoin="round" d="${pathData(series, sx, sy)}"/>`,
    );
    const points = Math.min(series.x.length, series.y.length);
    if (points <= markerLimit) {
      const marks: string[] = [];
      for (let p = 0; p < points; p++) {
        const x = series.x[p] as number;
        const y = series.y[p] as number;
        if (Number.isFinite(x) && Number.isFinite(y)) {
          marks.push(`<circle cx="${num(sx(x))}" cy="${num(sy(y))}" r="2.2"/>`);
        }
      }
      out.push(`<g class="markers" fill="${color}" stroke="none">${marks.join("")}</g>`);
    }
  });
  out.push("</g>");

  // Legend, top right inside the plot area.
  const labels = spec.series.map((s) => ellipsis(s.label, 40));
  const legendWidth = 44 + Math.max(0, ...labels.map((l) => l.length)) * charWidth;
  const legendX = left + plotWidth - legendWidth - 8;
  const legendY = top + 8;
  out.push('<g class="legend">');
  out.push(
    `<rect x="${num(legendX)}" y="${legendY}" width="${num(legendWidth)}" height="${8 + labels.length * 18}" fill="#ffffff" fill-opacity="0.85" stroke="#bbbbbb"/>`,
  );
  labels.forEach((label, i) => {
    const y = legendY + 17 + i * 18;
    const color = palette[i % palette.length] as string;
    out.push(
      line(legendX + 8, y - 4, legendX + 30, y - 4, color, 2).replace("/>", `${dashes(i)}/>`),
    );
    out.push(`<text x="${num(legendX + 36)}" y="${y}" fill="#222222">${xml(label)}</text>`);
  });
  out.push("</g>");
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** Smallest and largest finite value over several arrays. */
function extent(arrays: ArrayLike<number>[]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return [min, max];
}

/** `M x y L x y …`, starting a new piece after each point that is not finite. */
function pathData(
  series: ChartSeries,
  sx: (x: number) => number,
  sy: (y: number) => number,
): string {
  const parts: string[] = [];
  let pen = "M";
  const points = Math.min(series.x.length, series.y.length);
  for (let i = 0; i < points; i++) {
    const x = series.x[i] as number;
    const y = series.y[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = "M";
      continue;
    }
    parts.push(`${pen}${num(sx(x))} ${num(sy(y))}`);
    pen = "L";
  }
  return parts.join(" ");
}

/** Once the palette's colours are used up, lines are dashed, then dotted, to stay distinct. */
function dashes(index: number): string {
  const round = Math.floor(index / palette.length) % 3;
  return round === 1 ? ' stroke-dasharray="7 3"' : round === 2 ? ' stroke-dasharray="2 2"' : "";
}

function line(x1: number, y1: number, x2: number, y2: number, stroke?: string, width?: number) {
  const extra = `${stroke ? ` stroke="${stroke}"` : ""}${width ? ` stroke-width="${width}"` : ""}`;
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}"${extra}/>`;
}

/** Coordinates with two decimals, no trailing zeros. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function ellipsis(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, Math.max(1, limit - 1))}…`;
}

/** Text for XML content and attributes: markup escaped, characters XML 1.0 forbids dropped. */
function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the ones to remove
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}
