/**
 * Hand-written helpers for the inside of a line: splitting names and values, reading numbers.
 * The splitting rules are those of docs/spec-format.md §6.
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
  // One pass, no intermediate arrays: a run of spaces and TABs separates two names when it is at
  // least two spaces wide, a TAB counting as two; each piece is trimmed like String#trim.
  const names: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < text.length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
    if (c === 9 || end - i > 1) {
      pushTrimmed(names, text, start, i);
      start = end;
    }
    i = end;
  }
  pushTrimmed(names, text, start, text.length);
  return names;
}

/** Adds `text[start, end)` trimmed to `names` unless it is empty. */
function pushTrimmed(names: string[], text: string, start: number, end: number): void {
  if (start >= end) return;
  const name = text.slice(start, end).trim();
  if (name.length > 0) names.push(name);
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
  /** `splitNames(text)` when the caller has it already. */
  split?: string[],
): { names: string[]; fallback: boolean } {
  const names = split ?? splitNames(text);
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
 * Splits a UNICAT `#V` row (docs/spec-format.md §6): text starting with two spaces is split on
 * exactly two spaces, otherwise on exactly one; empty fields are kept, since they mean "no value".
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
  // Short lists without repeats, nearly all of them: found by comparing, without the sets.
  if (names.length <= 64 && !hasRepeat(names)) return { aliases: names.slice(), duplicates: [] };
  const taken = new Set(names);
  const seen = new Set<string>();
  /**
   * The suffix to try first for each repeated name: names only ever become taken, so the search
   * goes on where it stopped, and a name repeated n times costs n tries, not n² / 2.
   */
  const nextSuffix = new Map<string, number>();
  const duplicates: string[] = [];
  const aliases = names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    duplicates.push(name);
    let n = nextSuffix.get(name) ?? 1;
    while (taken.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
    nextSuffix.set(name, n + 1);
    const alias = `${name}_${n}`;
    seen.add(alias);
    return alias;
  });
  return { aliases, duplicates };
}

function hasRepeat(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) {
    const name = names[i];
    for (let j = 0; j < i; j++) if (names[j] === name) return true;
  }
  return false;
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
// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the two digit runs of the latter can split a long run of
// digits in every way, so a token of 100,000 digits and a letter took seconds to reject.
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const FORTRAN = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)[dD][-+]?\d+$/;

/**
 * Reads every blank-separated token of `text` into `values` from `at` on, and returns how many
 * it read. `values` needs room for `(text.length + 1) / 2` of them, the most `text` can hold.
 * `onOther` hears of each token that is not a number (its value is what {@link readValue}
 * gives). The fast path for long runs of values (MCA spectra): one pass over the characters,
 * integers of up to 15 digits read digit by digit with no token string; everything else goes
 * through readValue.
 */
export function readValuesInto(
  text: string,
  values: Float64Array,
  at: number,
  onOther: (token: string, kind: ValueKind) => void,
): number {
  const length = text.length;
  let index = at;
  let i = 0;
  while (i < length) {
    let c = text.charCodeAt(i);
    if (c <= 32 && isBlank(c)) {
      i++;
      continue;
    }
    const start = i;
    let negative = false;
    if (c === 45 || c === 43) {
      negative = c === 45;
      c = text.charCodeAt(++i);
    }
    const digitsStart = i;
    let value = 0;
    while (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      c = text.charCodeAt(++i);
    }
    const digits = i - digitsStart;
    if (digits > 0 && digits <= 15 && (i >= length || (c <= 32 && isBlank(c)))) {
      // -0 stays -0, as Number("-0") gives.
      values[index++] = negative ? -value : value;
      continue;
    }
    while (i < length && !isBlank(text.charCodeAt(i))) i++;
    const token = text.slice(start, i);
    const read = readValue(token);
    if (read.kind !== "integer" && read.kind !== "number") onOther(token, read.kind);
    values[index++] = read.value;
  }
  return index - at;
}

/**
 * {@link readValuesInto} on bytes: reads every blank-separated token of `bytes[start, end)` into
 * `values` from `at` on and returns how many it read, with the same values and the same calls of
 * `onOther`, as long as the bytes are ASCII; at the first byte that is not, it stops and returns
 * -1, and the caller reads the decoded text instead (the tokens it already reported are then
 * reported again). Integers of up to 15 digits and decimals as {@link readPlainValues} reads them
 * make no string; any other token is read by readValue.
 */
export function readValuesFromBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  values: Float64Array,
  at: number,
  onOther: (token: string, kind: ValueKind) => void,
): number {
  let index = at;
  let restTried = false;
  let i = start;
  while (i < end) {
    const c = bytes[i] as number;
    if (c === 32 || (c <= 13 && c >= 9)) {
      i++;
      continue;
    }
    // Nearly every MCA value: an unsigned integer of up to 15 digits before a blank or the end,
    // read by the tightest loop (the rest of the token's kinds are in their own function).
    let j = i;
    if (c >= 48 && c <= 57) {
      let integer = c - 48;
      for (j = i + 1; j < end; j++) {
        const digit = (bytes[j] as number) - 48;
        if (digit < 0 || digit > 9) break;
        integer = integer * 10 + digit;
      }
      const after = j < end ? (bytes[j] as number) : 32;
      if (j - i <= EXACT_DIGITS && (after === 32 || (after <= 13 && after >= 9))) {
        values[index++] = integer;
        i = j;
        continue;
      }
    }
    if (!restTried) {
      // The first token that is not such an integer: the rest of the part read as data rows are
      // (decimals, as often as not all of them), once; if it holds anything else, token by token.
      restTried = true;
      const room = (end - i + 1) >>> 1;
      const flags = room <= REST_INTEGERS.length ? REST_INTEGERS : new Uint8Array(room);
      const read = readPlainValues(bytes, i, end, values, index, 1, room, flags);
      if (read >= 0) return index + read - at;
    }
    // Any other token: up to the next blank, ASCII only.
    for (; j < end; j++) {
      const b = bytes[j] as number;
      if (b === 32 || (b <= 13 && b >= 9)) break;
      if (b >= 0x80) return -1;
    }
    values[index++] = readTokenBytes(bytes, i, j, onOther);
    i = j;
  }
  return index - at;
}

/** Integer flags for readPlainValues over the rest of a spectrum's line (unused), up to its size. */
const REST_INTEGERS = new Uint8Array(4096);

/** Room for one value and its integer flag, for {@link readTokenBytes}. */
const tokenValue = new Float64Array(1);
const tokenInteger = new Uint8Array(1);

/**
 * The value of the ASCII token `bytes[start, end)`: a plain decimal number as {@link readPlainValues}
 * reads it (the same routine: no string), anything else by readValue, with `onOther` told of what
 * is not a number. `bytes[end]` is a blank, a backslash, a line end or past the bytes, where
 * readPlainValues stops.
 */
function readTokenBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  onOther: (token: string, kind: ValueKind) => void,
): number {
  if (readPlainValues(bytes, start, end, tokenValue, 0, 1, 1, tokenInteger) === 1) {
    return tokenValue[0] as number;
  }
  const token = asciiText(bytes, start, end);
  const read = readValue(token);
  if (read.kind !== "integer" && read.kind !== "number") onOther(token, read.kind);
  return read.value;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** Exact powers of ten: a double holds 10^0 to 10^22 without rounding. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Most decimal digits whose integer is exact in a double (below 2^53). */
const EXACT_DIGITS = 15;

/**
 * The fast path for data rows: reads the blank-separated tokens of `bytes[start, end)`, row by
 * row into one column-major buffer (token `c` to `target[offset + c * stride]`), as long as each
 * is a plain decimal number (the `integer` and `number` kinds of {@link readValue}), and clears
 * `integers[c]` when token `c` is not an integer. Returns the number of tokens, or -1 when a
 * token is anything else or there are more than `width`: the caller then reads the line the
 * general way.
 *
 * A token of at most 15 digits and a power of ten up to 22 is one exact integer
 * times or divided by one exact power of ten, a single correctly rounded operation, so the value
 * is the one `Number()` gives (Clinger's fast path); any other token goes through `Number()`.
 */
export function readPlainValues(
  bytes: Uint8Array,
  start: number,
  end: number,
  target: Float64Array,
  offset: number,
  stride: number,
  width: number,
  integers: Uint8Array,
): number {
  let count = 0;
  let i = start;
  while (true) {
    let c = bytes[i] as number;
    while (i < end && (c === 32 || c === 9 || c === 11 || c === 12)) c = bytes[++i] as number;
    if (i >= end) return count;
    if (count === width) return -1;
    const tokenStart = i;
    let negative = false;
    if (c === 45 || c === 43) {
      negative = c === 45;
      c = bytes[++i] as number;
    }
    // Every digit goes into the mantissa; it is exact while there are at most 15 of them. Two
    // digits a step where there are two: half the steps, each a multiplication and an addition
    // that wait on the one before.
    let mantissa = 0;
    let integer = true;
    const wholeStart = i;
    while (c >= 48 && c <= 57) {
      const next = (bytes[i + 1] as number) - 48;
      if (next >= 0 && next <= 9) {
        mantissa = mantissa * 100 + ((c - 48) * 10 + next);
        i += 2;
      } else {
        mantissa = mantissa * 10 + (c - 48);
        i++;
      }
      c = bytes[i] as number;
    }
    let digits = i - wholeStart;
    let fractionDigits = 0;
    if (c === 46) {
      integer = false;
      const fractionStart = ++i;
      c = bytes[i] as number;
      // The whole part's loop again, written out: as a function it would hand back two values
      // (mantissa and position), and a shared routine was 20 to 45% slower (commit 40a8eb7).
      while (c >= 48 && c <= 57) {
        const next = (bytes[i + 1] as number) - 48;
        if (next >= 0 && next <= 9) {
          mantissa = mantissa * 100 + ((c - 48) * 10 + next);
          i += 2;
        } else {
          mantissa = mantissa * 10 + (c - 48);
          i++;
        }
        c = bytes[i] as number;
      }
      fractionDigits = i - fractionStart;
      digits += fractionDigits;
    }
    if (digits === 0) return -1; // a sign or a point alone, or not a number at all
    let exponent = 0;
    if (c === 101 || c === 69) {
      integer = false;
      c = bytes[++i] as number;
      let exponentNegative = false;
      if (c === 45 || c === 43) {
        exponentNegative = c === 45;
        c = bytes[++i] as number;
      }
      let exponentDigits = 0;
      while (c >= 48 && c <= 57) {
        // Capped: beyond this the value is 0 or Infinity either way, and Number() decides.
        if (exponent < 100000) exponent = exponent * 10 + (c - 48);
        exponentDigits++;
        c = bytes[++i] as number;
      }
      if (exponentDigits === 0) return -1;
      if (exponentNegative) exponent = -exponent;
    }
    // The token must end here: at a blank or at the end of the row.
    if (i > end || (i < end && c !== 32 && c !== 9 && c !== 11 && c !== 12)) return -1;
    const power = exponent - fractionDigits;
    let value: number;
    if (digits <= EXACT_DIGITS && power >= -22 && power <= 22) {
      value =
        power < 0
          ? mantissa / (EXACT_POWERS_OF_TEN[-power] as number)
          : mantissa * (EXACT_POWERS_OF_TEN[power] as number);
      if (negative) value = -value;
    } else {
      value = Number(asciiText(bytes, tokenStart, i));
    }
    target[offset + count * stride] = value;
    if (!integer) integers[count] = 0;
    count++;
  }
}

/** Bytes `[start, end)` that are known to be ASCII, as a string. */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

/** Number of blank-separated words in `bytes[start, end)`, as {@link splitWords} would find. */
export function countWordsInBytes(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const blank = isBlank(bytes[i] as number);
    if (!blank && !inWord) count++;
    inWord = !blank;
  }
  return count;
}

/** The value of one data token, as `readValue` gives it. */
export function readNumberValue(token: string): number {
  // Nearly every token is a decimal: its value without the object that `readValue` makes.
  return DECIMAL.test(token) ? Number(token) : readValue(token).value;
}

/** True when `readValue` reads `token` as an integer or a number (its value is `Number(token)`). */
export function isPlainDecimal(token: string): boolean {
  return DECIMAL.test(token);
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

/** Words a row may hold besides numbers, whatever their case (`nan`, `-inf`, `None`, `True`). */
const VALUE_WORDS = new Set(["nan", "inf", "infinity", "none", "true", "false"]);

/**
 * True when a line among a scan's data rows is text, not a row: more of its words are not values
 * a row can hold than are (issue 14: a wrapped `#C` comment, a note). Values are numbers and the
 * words of {@link readValue}; with `pythonLiterals` (bluesky-written scans, whose rows may hold
 * `'a string'` or `[1, 2, 3]`), also pieces of quoted strings and of lists, tuples and dicts. A
 * row with a stray word among its numbers stays a row (its word reads as NaN, with a finding).
 */
export function isTextLine(words: readonly string[], pythonLiterals: boolean): boolean {
  let values = 0;
  for (const word of words) if (isValueWord(word, pythonLiterals)) values++;
  return values * 2 <= words.length;
}

/** A cheap test of a word for {@link isTextLine}: a digit, sign or point opens every number. */
function isValueWord(word: string, pythonLiterals: boolean): boolean {
  const c = word.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) return true;
  if (VALUE_WORDS.has(word.toLowerCase())) return true;
  return pythonLiterals && /[[\](){}'",]/.test(word);
}

/** Reads a number from a control line field; null when it is not one. */
export function readNumber(token: string | undefined): number | null {
  if (token === undefined) return null;
  if (DECIMAL.test(token)) return Number(token);
  const { value, kind } = readValue(token);
  return kind === "text" || kind === "none" || kind === "boolean" ? null : value;
}

/** Reads every blank-separated number of a field list (unreadable fields become NaN). */
export function readNumbers(text: string): number[] {
  const words = splitWords(text);
  const numbers = new Array<number>(words.length);
  for (let i = 0; i < words.length; i++) numbers[i] = readNumberValue(words[i] as string);
  return numbers;
}
