/**
 * Maps between data values and pixels, and the domain arithmetic behind zoom and pan: pure
 * functions, no DOM (test/plot-ticks.test.ts).
 */
import type { AxisScale } from "./types.js";

/** A value → pixel map over `domain` onto `range` (either may be reversed). */
export interface Scale {
  kind: AxisScale;
  domain: [number, number];
  range: [number, number];
  /** Pixel of a value; NaN for values the scale cannot show (≤ 0 on a log scale, NaN). */
  map(value: number): number;
  invert(pixel: number): number;
}

/** The value on which a scale is linear: log10 on a log scale. */
export function forward(kind: AxisScale, value: number): number {
  if (kind === "log") return value > 0 ? Math.log10(value) : Number.NaN;
  return value;
}

export function backward(kind: AxisScale, value: number): number {
  return kind === "log" ? 10 ** value : value;
}

export function createScale(
  kind: AxisScale,
  domain: [number, number],
  range: [number, number],
): Scale {
  const d0 = forward(kind, domain[0]);
  const d1 = forward(kind, domain[1]);
  const [r0, r1] = range;
  const span = d1 - d0;
  const factor = span !== 0 ? (r1 - r0) / span : 0;
  return {
    kind,
    domain,
    range,
    map: (value) => r0 + (forward(kind, value) - d0) * factor,
    invert: (pixel) => backward(kind, factor !== 0 ? d0 + (pixel - r0) / factor : d0),
  };
}

/** Whether a value can be drawn on a scale of this kind. */
export function drawable(kind: AxisScale, value: number): boolean {
  return kind === "log" ? value > 0 && value < Number.POSITIVE_INFINITY : Number.isFinite(value);
}

/** Smallest and largest drawable values over several arrays, or null when there are none. */
export function extentOf(
  arrays: readonly Float64Array[],
  kind: AxisScale,
): [number, number] | null {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const values of arrays) {
    for (let index = 0; index < values.length; index++) {
      const value = values[index] as number;
      if (!drawable(kind, value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  return low <= high ? [low, high] : null;
}

/**
 * A domain around [low, high] with `margin` of its span on each side (in log10 on a log
 * scale); a single value gets a unit (or a decade) around it; no value gives [0, 1] ([1, 10]).
 */
export function paddedDomain(
  extent: [number, number] | null,
  kind: AxisScale,
  margin = 0.05,
): [number, number] {
  if (extent === null) return kind === "log" ? [1, 10] : [0, 1];
  const low = forward(kind, extent[0]);
  const high = forward(kind, extent[1]);
  if (low === high) {
    const half = kind === "log" ? 0.5 : Math.abs(low) > 0 ? Math.abs(low) * 0.1 : 0.5;
    return [backward(kind, low - half), backward(kind, high + half)];
  }
  const pad = (high - low) * margin;
  return [backward(kind, low - pad), backward(kind, high + pad)];
}

/** The domain zoomed by `factor` (< 1 zooms in) around `center` (a data value). */
export function zoomDomain(
  domain: [number, number],
  kind: AxisScale,
  center: number,
  factor: number,
): [number, number] {
  const d0 = forward(kind, domain[0]);
  const d1 = forward(kind, domain[1]);
  const c = drawable(kind, center) ? forward(kind, center) : (d0 + d1) / 2;
  return [backward(kind, c + (d0 - c) * factor), backward(kind, c + (d1 - c) * factor)];
}

/** The domain moved by `fraction` of its span (positive: towards higher values). */
export function panDomain(
  domain: [number, number],
  kind: AxisScale,
  fraction: number,
): [number, number] {
  const d0 = forward(kind, domain[0]);
  const d1 = forward(kind, domain[1]);
  const shift = (d1 - d0) * fraction;
  return [backward(kind, d0 + shift), backward(kind, d1 + shift)];
}

/** Whether a domain can be shown: finite, not empty, and positive on a log scale. */
export function usableDomain(domain: [number, number], kind: AxisScale): boolean {
  const [a, b] = domain;
  if (!drawable(kind, a) || !drawable(kind, b)) return false;
  const span = Math.abs(forward(kind, b) - forward(kind, a));
  // Below ~1e-12 of the values, float steps show: the zoom stops there.
  const scale = Math.max(Math.abs(forward(kind, a)), Math.abs(forward(kind, b)), 1e-300);
  return span > scale * 1e-12 && Number.isFinite(span);
}
