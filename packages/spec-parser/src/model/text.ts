/**
 * Hand-written helpers for the inside of a line: splitting names and values, reading numbers.
 * The splitting rules are those of notes §6.
 */

/** Splits on runs of blanks (spaces and TABs); no empty tokens. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const blank = c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
    if (blank) {
      if (start >= 0) {
        words.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}

/**
 * Splits `#O`, `#J`, `#H` and `#L` names: a TAB counts as two spaces, names are separated by two
 * or more spaces, and trailing blanks never make an empty name.
 */
export function splitNames(text: string): string[] {
  return text
    .replaceAll("\t", "  ")
    .split(/ {2,}/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * Applies the single-space fallback: when two-space splitting found one name that contains single
 * spaces and the expected count is not 1, the names were written with single spaces.
 * Returns the names and whether the fallback was used.
 */
export function splitNamesWithFallback(
  text: string,
  expectedCount: number | null,
  requireExactCount: boolean,
): { names: string[]; fallback: boolean } {
  const names = splitNames(text);
  const only = names[0];
  if (names.length !== 1 || only === undefined || !only.includes(" ")) {
    return { names, fallback: false };
  }
  if (expectedCount === null || expectedCount === 1) return { names, fallback: false };
  const single = splitWords(only);
  if (requireExactCount && single.length !== expectedCount) return { names, fallback: false };
  return { names: single, fallback: true };
}

/**
 * Splits a UNICAT `#V` row (notes §6): text starting with two spaces is split on exactly two
 * spaces, otherwise on exactly one; empty fields are kept, since they mean "no value".
 */
export function splitUnicatValues(text: string): string[] {
  // Trailing blanks are significant here: `#V13 1 2 3 ` has an empty fourth field.
  if (text.startsWith("  ")) return text.slice(2).split("  ");
  if (text.startsWith(" ")) return text.slice(1).split(" ");
  return text.length > 0 ? text.split(" ") : [];
}

/** Makes unique aliases for names that repeat: `I0`, `I0_1`, `I0_2`, skipping taken names. */
export function uniqueAliases(names: readonly string[]): {
  aliases: string[];
  duplicates: string[];
} {
  const taken = new Set(names);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const aliases = names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    duplicates.push(name);
    let n = 1;
    while (taken.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
    const alias = `${name}_${n}`;
    seen.add(alias);
    return alias;
  });
  return { aliases, duplicates };
}

/** How a data token was read. */
export type ValueKind =
  | "integer"
  | "number"
  | "nan"
  | "infinity"
  | "boolean"
  | "none"
  | "fortran"
  | "text";

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const FORTRAN = /^[-+]?(?:\d+\.?\d*|\.\d+)[dD][-+]?\d+$/;

/**
 * Reads every blank-separated token of `text` into a Float64Array, calling `onOther` for each
 * token that is not a number (its value is what {@link readValue} gives). The fast path for long
 * runs of values (MCA spectra): integers of up to 15 digits are read digit by digit, with no
 * token string and no result object; everything else goes through readValue.
 */
export function readValuesInto(
  text: string,
  onOther: (token: string, kind: ValueKind) => void,
): Float64Array {
  let count = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const blank = isBlank(text.charCodeAt(i));
    if (!blank && !inToken) count++;
    inToken = !blank;
  }
  const values = new Float64Array(count);
  let index = 0;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !isBlank(text.charCodeAt(i))) i++;
    values[index++] = tokenValue(text, start, i, onOther);
  }
  return values;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** The value of `text[start, end)`: plain short integers inline, the rest by readValue. */
function tokenValue(
  text: string,
  start: number,
  end: number,
  onOther: (token: string, kind: ValueKind) => void,
): number {
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  if (i < end && end - i <= 15) {
    let value = 0;
    let j = i;
    for (; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
    }
    // -0 stays -0, as Number("-0") gives.
    if (j === end) return negative ? -value : value;
  }
  const token = text.slice(start, end);
  const { value, kind } = readValue(token);
  if (kind !== "integer" && kind !== "number") onOther(token, kind);
  return value;
}

/** Reads one data token. Never throws; unreadable tokens are NaN of kind "text". */
export function readValue(token: string): { value: number; kind: ValueKind } {
  if (DECIMAL.test(token)) {
    return { value: Number(token), kind: INTEGER.test(token) ? "integer" : "number" };
  }
  switch (token.toLowerCase()) {
    case "nan":
    case "+nan":
    case "-nan":
      return { value: Number.NaN, kind: "nan" };
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return { value: Number.POSITIVE_INFINITY, kind: "infinity" };
    case "-inf":
    case "-infinity":
      return { value: Number.NEGATIVE_INFINITY, kind: "infinity" };
  }
  if (token === "True") return { value: 1, kind: "boolean" };
  if (token === "False") return { value: 0, kind: "boolean" };
  if (token === "None") return { value: Number.NaN, kind: "none" };
  if (FORTRAN.test(token)) return { value: Number(token.replace(/[dD]/, "e")), kind: "fortran" };
  return { value: Number.NaN, kind: "text" };
}

/** Reads a number from a control line field; null when it is not one. */
export function readNumber(token: string | undefined): number | null {
  if (token === undefined) return null;
  const { value, kind } = readValue(token);
  return kind === "text" || kind === "none" || kind === "boolean" ? null : value;
}

/** Reads every blank-separated number of a field list (unreadable fields become NaN). */
export function readNumbers(text: string): number[] {
  return splitWords(text).map((token) => readValue(token).value);
}
