/**
 * JSON as Python's `json` module reads and writes it: RFC 8259 plus the bare tokens `NaN`,
 * `Infinity` and `-Infinity`, with the int/float kind of every number kept (see values.ts).
 * Both directions are iterative, so deep nesting gives a clear error, never a stack overflow.
 */

import { DocumentFormatError } from "./errors.js";
import { grownBytes } from "./grown-bytes.js";
import { setOwn } from "./own-keys.js";
import { pythonFloatRepr } from "./python-float.js";
import { type DocValue, floatValue, PyFloat } from "./values.js";

export { DocumentFormatError } from "./errors.js";

/** Deepest nesting of arrays and objects accepted by the readers and writers. */
export const MAX_NESTING_DEPTH = 10_000;

/** Python refuses to convert integer lexemes longer than this (`sys.int_info.default_max_str_digits`). */
const MAX_INT_DIGITS = 4300;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LEFT_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RIGHT_BRACKET = 0x5d;
const LOWER_E = 0x65;
const LEFT_BRACE = 0x7b;
const RIGHT_BRACE = 0x7d;

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

type Frame =
  | { kind: "array"; items: DocValue[] }
  | { kind: "object"; entries: { [key: string]: DocValue }; key: string };

/**
 * Parses JSON text the way Python's `json.loads` does, keeping Python's number kinds:
 * an integer lexeme gives a number (or a bigint beyond ±2^53), a float lexeme gives a number
 * (or a {@link PyFloat} when integral), and `NaN`/`Infinity`/`-Infinity` give those numbers.
 * Duplicate keys keep the first position and the last value, as a Python dict does.
 *
 * @throws DocumentFormatError with the line and column of the first fault.
 */
export function parseJson(text: string): DocValue {
  return new JsonParser(text, 0).parseDocument();
}

/** parseJson for one line of a larger file: errors give the file's line number. */
export function parseJsonLine(text: string, lineNumber: number): DocValue {
  return new JsonParser(text, lineNumber - 1).parseDocument();
}

class JsonParser {
  private readonly text: string;
  /** Lines before `text` in its file, for error messages. */
  private readonly lineOffset: number;
  private pos = 0;

  constructor(text: string, lineOffset: number) {
    this.text = text;
    this.lineOffset = lineOffset;
  }

  parseDocument(): DocValue {
    const stack: Frame[] = [];
    for (;;) {
      let value: DocValue;
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === LEFT_BRACKET || c === LEFT_BRACE) {
        this.pos++;
        this.skipWhitespace();
        const close = c === LEFT_BRACKET ? RIGHT_BRACKET : RIGHT_BRACE;
        if (this.text.charCodeAt(this.pos) === close) {
          this.pos++;
          value = c === LEFT_BRACKET ? [] : {};
        } else {
          if (stack.length >= MAX_NESTING_DEPTH) {
            this.fail(`Nesting deeper than ${MAX_NESTING_DEPTH} levels`, this.pos - 1);
          }
          stack.push(
            c === LEFT_BRACKET
              ? { kind: "array", items: [] }
              : { kind: "object", entries: {}, key: this.parseKey() },
          );
          continue;
        }
      } else {
        value = this.parseScalar();
      }
      // Hand the finished value to its container; closing a container finishes another value.
      for (;;) {
        const top = stack.at(-1);
        this.skipWhitespace();
        if (top === undefined) {
          if (this.pos < this.text.length) this.fail("Extra data");
          return value;
        }
        const next = this.text.charCodeAt(this.pos);
        if (top.kind === "array") {
          top.items.push(value);
          if (next === COMMA) {
            this.pos++;
            break;
          }
          if (next !== RIGHT_BRACKET) this.fail("Expecting ',' delimiter");
          this.pos++;
          stack.pop();
          value = top.items;
        } else {
          setOwn(top.entries, top.key, value);
          if (next === COMMA) {
            this.pos++;
            this.skipWhitespace();
            top.key = this.parseKey();
            break;
          }
          if (next !== RIGHT_BRACE) this.fail("Expecting ',' delimiter");
          this.pos++;
          stack.pop();
          value = top.entries;
        }
      }
    }
  }

  /** A property name and its colon; the value follows. */
  private parseKey(): string {
    if (this.text.charCodeAt(this.pos) !== QUOTE) {
      this.fail("Expecting property name enclosed in double quotes");
    }
    const key = this.parseString();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== COLON) this.fail("Expecting ':' delimiter");
    this.pos++;
    return key;
  }

  private parseScalar(): DocValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) return this.parseString();
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      if (this.text.startsWith("-Infinity", this.pos)) return this.literal("-Infinity", -Infinity);
      return this.parseNumber();
    }
    if (this.text.startsWith("true", this.pos)) return this.literal("true", true);
    if (this.text.startsWith("false", this.pos)) return this.literal("false", false);
    if (this.text.startsWith("null", this.pos)) return this.literal("null", null);
    if (this.text.startsWith("NaN", this.pos)) return this.literal("NaN", Number.NaN);
    if (this.text.startsWith("Infinity", this.pos)) return this.literal("Infinity", Infinity);
    return this.fail("Expecting value");
  }

  private literal(token: string, value: DocValue): DocValue {
    this.pos += token.length;
    return value;
  }

  /** RFC 8259 number grammar; the lexeme decides int or float, as in Python. */
  private parseNumber(): DocValue {
    const start = this.pos;
    if (this.text.charCodeAt(this.pos) === MINUS) this.pos++;
    const first = this.text.charCodeAt(this.pos);
    if (first === DIGIT_0) this.pos++;
    else if (first >= DIGIT_1 && first <= DIGIT_9) this.skipDigits();
    else this.fail("Expecting value", start);
    let isFloat = false;
    if (this.text.charCodeAt(this.pos) === DOT) {
      this.pos++;
      if (this.skipDigits() === 0) this.fail("Invalid number: digits expected after '.'", start);
      isFloat = true;
    }
    const e = this.text.charCodeAt(this.pos);
    if (e === LOWER_E || e === UPPER_E) {
      this.pos++;
      const sign = this.text.charCodeAt(this.pos);
      if (sign === PLUS || sign === MINUS) this.pos++;
      if (this.skipDigits() === 0) this.fail("Invalid number: digits expected in exponent", start);
      isFloat = true;
    }
    const lexeme = this.text.slice(start, this.pos);
    if (isFloat) return floatValue(Number(lexeme));
    const value = Number(lexeme);
    // A Python int has no -0.
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;
    const digits = lexeme.length - (lexeme.startsWith("-") ? 1 : 0);
    if (digits > MAX_INT_DIGITS) {
      this.fail(`Integer longer than ${MAX_INT_DIGITS} digits (Python refuses it too)`, start);
    }
    return BigInt(lexeme);
  }

  /** Skips ASCII digits and returns how many. */
  private skipDigits(): number {
    const start = this.pos;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c < DIGIT_0 || c > DIGIT_9 || Number.isNaN(c)) return this.pos - start;
      this.pos++;
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    let result = "";
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail("Unterminated string starting at", start);
      const c = this.text.charCodeAt(this.pos);
      if (c === QUOTE) {
        result += this.text.slice(chunkStart, this.pos);
        this.pos++;
        return result;
      }
      if (c === BACKSLASH) {
        result += this.text.slice(chunkStart, this.pos) + this.parseEscape();
        chunkStart = this.pos;
      } else if (c < SPACE) {
        this.fail("Invalid control character at");
      } else {
        this.pos++;
      }
    }
  }

  /** One escape sequence, `pos` at its backslash. Lone surrogates are kept, as in Python. */
  private parseEscape(): string {
    const at = this.pos;
    const kind = this.text[this.pos + 1];
    if (kind === "u") {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\uXXXX escape", at);
      this.pos += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const simple = kind === undefined ? undefined : SIMPLE_ESCAPES[kind];
    if (simple === undefined) {
      if (kind === undefined) this.fail("Unterminated string starting at", at);
      this.fail("Invalid \\escape", at);
    }
    this.pos += 2;
    return simple;
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return;
      this.pos++;
    }
  }

  private fail(message: string, at = this.pos): never {
    const position = lineAndColumn(this.text, at);
    const line = position.line + this.lineOffset;
    const column = position.column;
    // Python's message format; the char offset only means something for a whole text.
    const char = this.lineOffset === 0 ? ` (char ${at})` : "";
    throw new DocumentFormatError(`${message}: line ${line} column ${column}${char}`, {
      line,
      column,
    });
  }
}

/** 1-based line and column of a string offset (columns in UTF-16 code units, as Python's chars). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

type WriteFrame =
  | { kind: "array"; items: readonly DocValue[]; index: number }
  | {
      kind: "object";
      entries: { readonly [key: string]: DocValue };
      keys: string[];
      index: number;
    };

/**
 * Serialises like Python's `json.dumps(value)` with its defaults: separators `", "` and
 * `": "`, `ensure_ascii` (every non-ASCII UTF-16 unit as `\uXXXX`, so astral characters become
 * surrogate pairs), floats in Python repr (`5.0`, `-0.0`, `1e-05`, `1e+16`), ints and bigints
 * as digits, `NaN`/`Infinity`/`-Infinity` as bare tokens. Object keys keep their order; keys
 * whose value is `undefined` are left out (an absent optional field).
 *
 * @throws TypeError for a value that is not a {@link DocValue}; RangeError for nesting deeper
 * than {@link MAX_NESTING_DEPTH} (which also catches cycles).
 */
export function stringifyJson(value: DocValue): string {
  let out = "";
  writeJson(value, (piece) => {
    out += piece;
  });
  return out;
}

/**
 * JSON lines as bytes: each value as {@link stringifyJson} writes it, then `\n`, into one
 * growing buffer. A run file of 100,000 events is written with no string of the whole, which
 * V8 built as a tree of pieces that encoding then had to walk (docs/performance.md, "to-docs").
 */
export class JsonLinesWriter {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;

  /** Appends `value` and a line end; throws as {@link stringifyJson} throws. */
  write(value: DocValue): void {
    writeJson(value, this.append);
    this.append("\n");
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Every piece is ASCII: `ensure_ascii` escapes every other character. */
  private readonly append = (piece: string): void => {
    if (this.length + piece.length > this.bytes.length) {
      this.bytes = grownBytes(this.bytes, this.length, this.length + piece.length);
    }
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (c > 0x7f) throw new Error(`internal: JSON output not ASCII (U+${c.toString(16)})`);
      bytes[at++] = c;
    }
    this.length = at;
  };
}

/** The JSON of `value` in Python's layout, given to `output` piece by piece. */
function writeJson(value: DocValue, output: (piece: string) => void): void {
  const stack: WriteFrame[] = [];
  const open = (item: DocValue): void => {
    if (Array.isArray(item)) {
      if (item.length === 0) {
        output("[]");
        return;
      }
      output("[");
      stack.push({ kind: "array", items: item, index: 0 });
    } else if (typeof item === "object" && item !== null && !(item instanceof PyFloat)) {
      const keys = Object.keys(item).filter((key) => item[key] !== undefined);
      if (keys.length === 0) {
        output("{}");
        return;
      }
      output("{");
      stack.push({ kind: "object", entries: item, keys, index: 0 });
    } else {
      output(scalarJson(item));
      return;
    }
    if (stack.length > MAX_NESTING_DEPTH) {
      throw new RangeError(`stringifyJson: nesting deeper than ${MAX_NESTING_DEPTH} levels`);
    }
  };
  open(value);
  for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
    if (top.kind === "array") {
      if (top.index === top.items.length) {
        output("]");
        stack.pop();
        continue;
      }
      if (top.index > 0) output(", ");
      const item = top.items[top.index++];
      if (item === undefined) throw new TypeError("stringifyJson: undefined array element");
      open(item);
    } else {
      if (top.index === top.keys.length) {
        output("}");
        stack.pop();
        continue;
      }
      if (top.index > 0) output(", ");
      const key = top.keys[top.index++] as string;
      output(quoteJsonString(key));
      output(": ");
      open(top.entries[key] as DocValue);
    }
  }
}

function scalarJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quoteJsonString(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isInteger(value)) return jsonFloat(value);
      // An integral number is an int; beyond 2^53 String() would switch to exponent form.
      return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
    default:
      if (value === null) return "null";
      if (value instanceof PyFloat) return jsonFloat(value.value);
      throw new TypeError(`stringifyJson: cannot serialise a value of type ${typeof value}`);
  }
}

/** A float as Python's json writes it: repr, with `NaN`, `Infinity`, `-Infinity` bare. */
function jsonFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  return pythonFloatRepr(value);
}

/** Characters that json.dumps writes unchanged: printable ASCII except `"` and `\`. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const SHORT_ESCAPES: Record<number, string> = {
  8: "\\b",
  9: "\\t",
  10: "\\n",
  12: "\\f",
  13: "\\r",
  34: '\\"',
  92: "\\\\",
};

/** A JSON string literal with Python's `ensure_ascii=True` escaping (lowercase hex). */
export function quoteJsonString(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += text[i];
  }
  return `${out}"`;
}
