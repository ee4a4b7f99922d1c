/**
 * Axis ticks and number formatting: pure functions, no DOM (unit-tested in Node,
 * test/plot-ticks.test.ts).
 */

/** A tick step of 1, 2 or 5 × 10^k close to `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  return nice * power;
}

/** Decimals that multiples of `step` need to be written exactly (0.25: 2; 0 for integers). */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let decimals = 0; decimals < 20; decimals++) {
    const scaled = step * 10 ** decimals;
    // The tolerance absorbs float noise (0.1 + 0.2 as a step).
    if (Math.abs(scaled - Math.round(scaled)) <= scaled * 1e-6) return decimals;
  }
  return 20;
}

/** Removes the float noise of `index × step` (0.30000000000000004 → 0.3). */
function cleanMultiple(index: number, step: number): number {
  const value = index * step;
  const decimals = stepDecimals(step);
  return decimals > 0 && decimals <= 20 ? Number(value.toFixed(decimals)) : value;
}

/**
 * Round values (multiples of a 1-2-5 step) inside [min, max], about `count` of them, ascending.
 * A reversed domain gives the same ticks; an empty one (min = max) gives that value alone.
 */
export function linearTicks(min: number, max: number, count = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const low = Math.min(min, max);
  const high = Math.max(min, max);
  if (low === high) return [low];
  const step = niceStep((high - low) / Math.max(1, count));
  const first = Math.ceil(low / step - 1e-9);
  const last = Math.floor(high / step + 1e-9);
  const ticks: number[] = [];
  for (let index = first; index <= last; index++) ticks.push(cleanMultiple(index, step));
  return ticks;
}

/** The step between the ticks `linearTicks` gives for this domain (for their formatting). */
export function linearTickStep(min: number, max: number, count = 6): number {
  const span = Math.abs(max - min);
  return span > 0 && Number.isFinite(span) ? niceStep(span / Math.max(1, count)) : 0;
}

/**
 * Ticks of a log axis over [min, max] (both > 0): powers of ten, every k-th decade when there
 * are many, with 2 and 5 between them when there are few. Less than two of those (a domain
 * inside one decade) falls back to linear ticks.
 */
export function logTicks(min: number, max: number, count = 6): number[] {
  const low = Math.min(min, max);
  const high = Math.max(min, max);
  if (!(low > 0) || !Number.isFinite(high)) return [];
  const lowDecade = Math.floor(Math.log10(low) + 1e-9);
  const highDecade = Math.ceil(Math.log10(high) - 1e-9);
  const decades = Math.max(1, highDecade - lowDecade);
  // Every 1, 2, 5, 10… decades, on multiples of that step (1e-10, 1e-5, 1, 1e5).
  const every = Math.max(1, Math.round(niceStep(decades / Math.max(1, count))));
  const multipliers = decades * 3 <= count ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let decade = lowDecade; decade <= highDecade; decade++) {
    if (decade % every !== 0) continue;
    for (const multiplier of multipliers) {
      const value = Number((multiplier * 10 ** decade).toPrecision(12));
      if (value >= low * (1 - 1e-12) && value <= high * (1 + 1e-12)) ticks.push(value);
    }
  }
  return ticks.length >= 2 ? ticks : linearTicks(low, high, Math.min(count, 4));
}

/** `1e+6` → `1e6`, `1.50e-7` → `1.5e-7`: the short exponent form. */
function shortExponent(text: string): string {
  const [mantissa = text, exponent] = text.split("e");
  if (exponent === undefined) return text;
  const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${trimmed}e${exponent.replace("+", "")}`;
}

/** Writes "-0" as "0". */
function noNegativeZero(text: string): string {
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * A tick label: exactly as many decimals as the step needs (0.25, 0.5, 0.75 rather than 0.3,
 * 0.5, 0.8), the exponent form for very large or very small magnitudes.
 */
export function formatTick(value: number, step: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) {
    const digits = step > 0 ? Math.floor(Math.log10(magnitude)) - Math.floor(Math.log10(step)) : 0;
    return shortExponent(value.toExponential(Math.min(15, Math.max(0, digits))));
  }
  return noNegativeZero(value.toFixed(Math.min(20, stepDecimals(step))));
}

/**
 * A value with `significant` significant digits at most, trailing zeros removed (12.5, 0.000125
 * → 1.25e-4, 1234567 → 1.23457e6 at 6 digits). For readouts and log tick labels.
 */
export function formatNumber(value: number, significant = 6): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const digits = Math.min(21, Math.max(1, Math.round(significant)));
  const magnitude = Math.abs(value);
  if (magnitude >= 10 ** Math.max(digits, 6) || magnitude < 1e-4) {
    return shortExponent(value.toExponential(digits - 1));
  }
  const text = value.toPrecision(digits);
  if (text.includes("e")) return shortExponent(text);
  return noNegativeZero(text.includes(".") ? text.replace(/\.?0+$/, "") : text);
}

/** Labels for a list of ticks on a scale: linear ticks share their step's decimals. */
export function formatTicks(ticks: readonly number[], log: boolean): string[] {
  if (log) return ticks.map((tick) => formatNumber(tick, 4));
  let step = Number.POSITIVE_INFINITY;
  for (let index = 1; index < ticks.length; index++) {
    const gap = Math.abs((ticks[index] as number) - (ticks[index - 1] as number));
    if (gap > 0) step = Math.min(step, gap);
  }
  if (!Number.isFinite(step)) return ticks.map((tick) => formatNumber(tick));
  return ticks.map((tick) => formatTick(tick, step));
}
