/**
 * Python `str()` and `repr()` of document values (docs/writer.md §3.5), as apstools writes them
 * in `#MD`, `#U` and `#U externals:` lines, and Python's `unicode_escape` codec (§3.4).
 */
import { type DocValue, PyFloat, PyTuple, pythonFloatRepr } from "@specx/documents";
import { intDigits } from "./numbers.js";

// Python's str.isprintable() is false for the "Other" and "Separator" categories, except the
// ASCII space. (Unicode versions of Python and the JS engine may differ on new characters.)
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

// Strings that need no escaping at all: printable ASCII without quotes or backslash.
const PLAIN_ASCII = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/** `\xhh`, `\uhhhh` or `\Uhhhhhhhh` for a code point, lower-case hex as Python writes it. */
function hexEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}

/** Python `repr(str)`: CPython's unicode_repr quoting and escaping rules. */
export function pythonStringRepr(s: string): string {
  // ' unless the text has ' and no "; the chosen quote is escaped (only when both occur).
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (PLAIN_ASCII.test(s)) return `${quote}${s}${quote}`;
  let out = quote;
  // for...of walks code points; a lone surrogate comes out alone (category Cs, so escaped).
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += hexEscape(code);
    else if (code < 0x7f) out += ch;
    else if (NON_PRINTABLE.test(ch)) out += hexEscape(code);
    else out += ch;
  }
  return out + quote;
}

/**
 * Python `repr()` of a document value: strings quoted and escaped, floats in full shortest
 * precision (not rounded to 13 digits; `5.0` for a PyFloat), ints as digits, `None`, `True`,
 * `False`, lists `[a, b]`, dicts `{'k': v}` in key order.
 */
export function pythonRepr(value: DocValue): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return pythonStringRepr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    return Number.isInteger(value) ? intDigits(value) : pythonFloatRepr(value);
  }
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (value instanceof PyTuple)
    return value.length === 1
      ? `(${pythonRepr(value[0] as DocValue)},)`
      : `(${value.map(pythonRepr).join(", ")})`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object") {
    const items = Object.entries(value).map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`);
    return `{${items.join(", ")}}`;
  }
  return String(value); // not a DocValue; never reached for well-typed input
}

/** Python `str()` of a document value: a top-level string raw, everything else as {@link pythonRepr}. */
export function pythonStr(value: DocValue): string {
  return typeof value === "string" ? value : pythonRepr(value);
}

/**
 * Python `s.encode('unicode_escape').decode()`: `\\` doubled, `\t` `\n` `\r` as escapes, other
 * code points below 0x20 and 0x7f-0xff as `\xhh`, 0x100-0xffff as `\uhhhh`, astral ones as
 * `\Uhhhhhhhh`. Printable ASCII, quotes included, is unchanged.
 */
export function unicodeEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) out += ch === "\\" ? "\\\\" : ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else out += hexEscape(code);
  }
  return out;
}
