/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same digits as JS), laid
 * out as Python does. Fixed notation when the decimal exponent e of d.ddd×10^e is in
 * −4 ≤ e < 16, with `.0` added to integral values; otherwise `d.ddde±XX` with a signed,
 * at least two-digit exponent. NaN and ±Infinity give repr's `nan`, `inf`, `-inf` (JSON
 * writes them differently; see `stringifyJson`).
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  // Where both write fixed notation (JS from 1e-7 up to 1e21), String() gives repr's digits and
  // layout but for the `.0` of an integral value: one call instead of the layout below, which
  // took a fifth of `specx to-docs --format jsonl` (docs/performance.md, "to-docs").
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return Number.isInteger(value) ? `${text}.0` : text;
  }
  // toExponential() without an argument gives the shortest round-trip digits; the sign of -0
  // is lost there, so it is taken separately.
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const [mantissa = "0", exponentText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const exponentDigits = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) {
    return `${sign}${digits}${"0".repeat(integerDigits - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}
