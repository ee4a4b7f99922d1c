/**
 * Numbers as apstools' SpecWriterCallback2 prints them (docs/writer.md §3.2, §3.3): Python's
 * `repr(float)` layout, apstools' `render` (13 significant digits, ties to even), `str(int)` and
 * Python's `round()`.
 */
import { PyFloat, pythonFloatRepr } from "@specx/documents";

/**
 * Python `str(int)` of an integral JS number: the exact digits of the double, never exponent
 * notation (beyond 2^53 JS `String` gives shortest digits padded with zeros, or `1e+21`).
 * Negative zero gives `0`, as Python ints have no sign of zero.
 */
export function intDigits(x: number): string {
  if (Number.isSafeInteger(x)) return String(x); // String(-0) is "0"
  return BigInt(x).toString();
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * The exact decimal expansion of a finite, non-zero |x|: the digits (no leading zeros) and the
 * decimal exponent of the first digit. A double is mant × 2^exp2, and 2^-k = 5^k / 10^k, so the
 * expansion is a BigInt product.
 */
function exactDecimal(x: number): { digits: string; exponent: number } {
  bits.setFloat64(0, Math.abs(x));
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2 = -1074; // subnormal
  if (biased !== 0) {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (exp2 >= 0) {
    const digits = (mant << BigInt(exp2)).toString();
    return { digits, exponent: digits.length - 1 };
  }
  const digits = (mant * 5n ** BigInt(-exp2)).toString();
  return { digits, exponent: digits.length - 1 + exp2 };
}

/**
 * `%.12e` of a finite, non-zero |x| computed exactly with ties to even, as C's printf does.
 * Only called for possible ties: JS toExponential rounds exact ties away from zero.
 */
function exactExponential12(x: number): string {
  const { digits, exponent } = exactDecimal(x);
  if (digits.length <= 13) {
    const head = digits.padEnd(13, "0");
    return `${head[0]}.${head.slice(1)}e${exponent}`;
  }
  let head = digits.slice(0, 13);
  const tail = digits.slice(13);
  const first = tail.charCodeAt(0) - 48;
  let up: boolean;
  if (first !== 5) up = first > 5;
  else if (/[1-9]/.test(tail.slice(1))) up = true;
  else up = (head.charCodeAt(12) - 48) % 2 === 1; // exact tie: to even
  let e = exponent;
  if (up) {
    head = (BigInt(head) + 1n).toString();
    if (head.length > 13) {
      head = head.slice(0, 13);
      e += 1;
    }
  }
  return `${head[0]}.${head.slice(1)}e${e}`;
}

/**
 * apstools `render` of a Python float: `%.12e` (13 significant digits, correctly rounded from the
 * exact binary value, ties to even), parsed back, then `0` for zero (also -0.0) or else the
 * Python repr of the parsed double. NaN and infinities give `nan`, `inf`, `-inf` (apstools
 * crashes on them; this is specx's fix #1, docs/writer.md §6).
 *
 * Most cells take the fast path: one `toPrecision(13)` with its trailing zeros cut. The exact
 * path {@link render13Exact} is the definition; tests hold the two equal on arbitrary doubles.
 */
export function render13(x: number): string {
  const ax = x < 0 ? -x : x;
  // Within [1e-4, 1e12) the 13-digit result is below 1e13: toPrecision and Python's repr both
  // write it in fixed notation. NaN fails both comparisons.
  if (ax >= 1e-4 && ax < 1e12) {
    if (Number.isInteger(ax)) return x < 0 ? `-${ax}.0` : `${ax}.0`;
    // toPrecision breaks exact ties away from zero, printf to even. An exact tie at 13 digits
    // has 14 significant digits, ending in 5, so |x| is a multiple of 2^-20 (5^21 > 10^14)
    // and its shortest repr has at most 14 digits: everything else rounds the same either way.
    const scaled = ax * 1048576;
    if (scaled === Math.floor(scaled)) {
      const shortest = String(ax);
      const digits = significantDigits(shortest);
      // Up to 13 digits, %.12e gives back the shortest digits, so the double itself.
      if (digits <= 13) return x < 0 ? `-${shortest}` : shortest;
      if (digits === 14) return render13Exact(x);
    }
    const fixed = trimFraction(ax.toPrecision(13));
    return x < 0 ? `-${fixed}` : fixed;
  }
  return render13Exact(x);
}

/**
 * Significant digits of JS `String(v)` for a non-integral v in [1e-4, 1e12): fixed notation,
 * one point, no trailing zeros, leading zeros only as `0.000…`.
 */
function significantDigits(text: string): number {
  if (text.charCodeAt(0) !== 48) return text.length - 1;
  let first = 2;
  while (text.charCodeAt(first) === 48) first++;
  return text.length - first;
}

/**
 * Python's repr of the double nearest a fixed-notation `toPrecision(13)` text: that double's
 * shortest digits are the text's digits without trailing zeros (two 13-digit decimals are
 * further apart than one double's rounding interval), and repr keeps at least one fraction digit.
 */
function trimFraction(text: string): string {
  const point = text.indexOf(".");
  if (point === -1) return `${text}.0`;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  return end === point + 1 ? text.slice(0, point + 2) : text.slice(0, end);
}

/**
 * {@link render13} by its definition, for every double: `%.12e` (exact with ties to even where
 * toExponential could be wrong), parsed back, Python repr. Slow; the reference of the fast path.
 */
export function render13Exact(x: number): string {
  if (!Number.isFinite(x)) return pythonFloatRepr(x);
  if (x === 0) return "0";
  const ax = Math.abs(x);
  // Fifteen digits ending in "50" flag a possible exact tie at 13 digits; only then is the
  // exact (slow) expansion needed. Everywhere else toExponential(12) is correctly rounded.
  const fifteen = ax.toExponential(14);
  const text = fifteen.slice(14, 16) === "50" ? exactExponential12(ax) : ax.toExponential(12);
  const parsed = Number(text);
  return pythonFloatRepr(x < 0 ? -parsed : parsed);
}

/**
 * The writer's cell rule (docs/writer.md §5): an int gives its digits (`str(int)`), a float
 * goes through {@link render13}, a boolean gives `True`/`False` (apstools' behaviour; booleans
 * are ints in Python, so they are numbers to the writer). Anything else (string, None,
 * undefined, list, dict) gives undefined: the caller writes the seq_num and a `#U` line.
 */
export function renderValue(value: unknown): string | undefined {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof PyFloat) return render13(value.value);
  if (typeof value === "number") {
    return Number.isInteger(value) ? intDigits(value) : render13(value);
  }
  return undefined;
}

/**
 * Python `round(x)` to an integer: ties go to the even neighbour (0.5 -> 0, 1.5 -> 2, 2.5 -> 2),
 * decided on the exact double, unlike JS Math.round. The result is never -0 (Python ints have
 * no negative zero: round(-0.5) is 0). NaN and infinities come back unchanged (Python raises).
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  // x - floor(x) is exact except for -0.5 < x < 0, where any rounding still gives frac >= 0.5
  // and so the right answer 0; the tie test below is therefore exact.
  const frac = x - floor;
  let result = floor;
  if (frac > 0.5 || (frac === 0.5 && floor % 2 !== 0)) result = floor + 1;
  return result + 0; // -0 + 0 is +0
}
