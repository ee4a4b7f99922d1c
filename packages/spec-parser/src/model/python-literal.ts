/**
 * Python literals, as bluesky writers print metadata values in `#MD key = value` lines.
 *
 * Accepts what `ast.literal_eval` accepts for `repr()`/`str()` output: strings in either quote
 * style (with escapes and `r`/`b`/`u` prefixes, adjacent strings concatenated), int, float (also
 * `nan`/`inf`, which Python prints bare), complex is not supported, `True`, `False`, `None`, and
 * lists, tuples, sets and dicts, nested. Tuples and sets become arrays; dict keys become strings.
 */

/** A JSON-like value; numbers may be NaN or infinite, as Python floats may. */
export type LiteralValue =
  | null
  | boolean
  | number
  | string
  | LiteralValue[]
  | { [key: string]: LiteralValue };

/** Options of {@link parsePythonLiteral}. */
export interface LiteralOptions {
  /**
   * Makes the value of a number token (default: `Number(token)`). Converters that must keep
   * Python's int/float distinction (`5` vs `5.0`) or exact big ints pass their own.
   */
  makeNumber?: (token: string, isFloat: boolean) => LiteralValue;
  /** Makes the value of a tuple (default: the items as an array). */
  makeTuple?: (items: LiteralValue[]) => LiteralValue;
}

/** Parsed literal, or `undefined` when the text is not one Python literal. */
export function parsePythonLiteral(
  text: string,
  options: LiteralOptions = {},
): LiteralValue | undefined {
  const reader = new LiteralReader(text, options.makeNumber, options.makeTuple);
  try {
    reader.skipBlanks();
    const value = reader.value(0);
    reader.skipBlanks();
    return reader.atEnd() ? value : undefined;
  } catch (error) {
    if (error === NOT_A_LITERAL) return undefined;
    throw error;
  }
}

/**
 * Thrown to leave the reader when the text is not a literal: one object made once, because an
 * Error made at each throw records a stack trace, and a bluesky file's #MD lines often are not
 * literals (20220311-161530.dat: 780 of them).
 */
const NOT_A_LITERAL = new Error("not a Python literal");

/** Nesting beyond this is refused (as not a literal) rather than risking the call stack. */
const MAX_DEPTH = 200;

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};

const NUMBER = /[-+]?(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?)/y;
const HEX_OCT_BIN = /[-+]?0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

class LiteralReader {
  private position = 0;
  private readonly text: string;
  private readonly makeNumber: (token: string, isFloat: boolean) => LiteralValue;
  private readonly makeTuple: (items: LiteralValue[]) => LiteralValue;

  constructor(
    text: string,
    makeNumber?: (token: string, isFloat: boolean) => LiteralValue,
    makeTuple?: (items: LiteralValue[]) => LiteralValue,
  ) {
    this.text = text;
    this.makeNumber = makeNumber ?? ((token) => Number(token));
    this.makeTuple = makeTuple ?? ((items) => items);
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipBlanks(): void {
    while (this.position < this.text.length) {
      const c = this.text[this.position];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.position++;
      else break;
    }
  }

  value(depth: number): LiteralValue {
    if (depth > MAX_DEPTH) throw NOT_A_LITERAL;
    const c = this.text[this.position];
    if (c === undefined) throw NOT_A_LITERAL;
    if (c === "[") return this.sequence("]", depth);
    if (c === "(") return this.tuple(depth);
    if (c === "{") return this.braces(depth);
    if (c === "'" || c === '"') return this.strings();
    if (/[rRbBuU]/.test(c) && this.stringPrefixLength() > 0) return this.strings();
    return this.scalar();
  }

  private sequence(close: string, depth: number): LiteralValue[] {
    this.position++; // opening bracket
    this.skipBlanks();
    return this.itemsUntil(close, depth, []);
  }

  /** Items up to `close` (consumed), after `items` already read and the separator after them. */
  private itemsUntil(close: string, depth: number, items: LiteralValue[]): LiteralValue[] {
    while (this.text[this.position] !== close) {
      items.push(this.value(depth + 1));
      this.skipBlanks();
      if (this.text[this.position] === ",") {
        this.position++;
        this.skipBlanks();
      } else if (this.text[this.position] !== close) {
        throw NOT_A_LITERAL;
      }
    }
    this.position++;
    return items;
  }

  private tuple(depth: number): LiteralValue {
    // `(x)` is just x in Python; `(x,)` and `()` are tuples.
    this.position++;
    this.skipBlanks();
    if (this.text[this.position] === ")") {
      this.position++;
      return this.makeTuple([]);
    }
    const first = this.value(depth + 1);
    this.skipBlanks();
    if (this.text[this.position] === ")") {
      this.position++;
      return first;
    }
    // The first item is kept, not read again: reading it twice doubled the work at each level
    // of nested tuples, and `((((…1,),),)` of 30 levels took minutes.
    if (this.text[this.position] !== ",") throw NOT_A_LITERAL;
    this.position++;
    this.skipBlanks();
    return this.makeTuple(this.itemsUntil(")", depth, [first]));
  }

  private braces(depth: number): LiteralValue {
    this.position++;
    this.skipBlanks();
    if (this.text[this.position] === "}") {
      this.position++;
      return {};
    }
    const firstKey = this.value(depth + 1);
    this.skipBlanks();
    if (this.text[this.position] !== ":") {
      // A set: continue as a sequence that already holds its first item.
      const items = [firstKey];
      while (this.text[this.position] === ",") {
        this.position++;
        this.skipBlanks();
        if (this.text[this.position] === "}") break;
        items.push(this.value(depth + 1));
        this.skipBlanks();
      }
      if (this.text[this.position] !== "}") throw NOT_A_LITERAL;
      this.position++;
      return items;
    }
    const result: { [key: string]: LiteralValue } = {};
    let key = firstKey;
    for (;;) {
      this.position++; // the colon
      this.skipBlanks();
      result[keyText(key)] = this.value(depth + 1);
      this.skipBlanks();
      const c = this.text[this.position];
      if (c === "}") {
        this.position++;
        return result;
      }
      if (c !== ",") throw NOT_A_LITERAL;
      this.position++;
      this.skipBlanks();
      if (this.text[this.position] === "}") {
        this.position++;
        return result;
      }
      key = this.value(depth + 1);
      this.skipBlanks();
      if (this.text[this.position] !== ":") throw NOT_A_LITERAL;
    }
  }

  private stringPrefixLength(): number {
    const match = /[rRbBuU]{1,2}(?=['"])/y;
    match.lastIndex = this.position;
    const found = match.exec(this.text);
    return found ? found[0].length : 0;
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  private strings(): string {
    let result = this.string();
    for (;;) {
      const save = this.position;
      this.skipBlanks();
      const c = this.text[this.position];
      if (c === "'" || c === '"' || (c !== undefined && this.stringPrefixLength() > 0)) {
        result += this.string();
      } else {
        this.position = save;
        return result;
      }
    }
  }

  private string(): string {
    const prefix = this.text.slice(this.position, this.position + this.stringPrefixLength());
    this.position += prefix.length;
    const raw = /[rR]/.test(prefix);
    const quote = this.text[this.position] ?? "";
    const triple = this.text.startsWith(quote.repeat(3), this.position);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.position += delimiter.length;
    let out = "";
    while (this.position < this.text.length) {
      if (this.text.startsWith(delimiter, this.position)) {
        this.position += delimiter.length;
        return out;
      }
      const c = this.text[this.position] as string;
      if (c === "\n" && !triple) throw NOT_A_LITERAL;
      if (c === "\\") {
        const next = this.text[this.position + 1];
        if (next === undefined) throw NOT_A_LITERAL;
        if (raw) {
          out += c + next;
          this.position += 2;
          continue;
        }
        out += this.escape(next);
        continue;
      }
      out += c;
      this.position++;
    }
    throw NOT_A_LITERAL;
  }

  private escape(next: string): string {
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      this.position += 2;
      return simple;
    }
    const hexLength = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.text.slice(this.position + 2, this.position + 2 + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) throw NOT_A_LITERAL;
      this.position += 2 + hexLength;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) throw NOT_A_LITERAL;
      return String.fromCodePoint(code);
    }
    const octal = /[0-7]{1,3}/y;
    octal.lastIndex = this.position + 1;
    const digits = octal.exec(this.text);
    if (digits) {
      this.position += 1 + digits[0].length;
      return String.fromCharCode(Number.parseInt(digits[0], 8));
    }
    // Unknown escapes are kept as written, as Python does.
    this.position += 2;
    return `\\${next}`;
  }

  private scalar(): LiteralValue {
    WORD.lastIndex = this.position;
    const word = WORD.exec(this.text);
    if (word) {
      this.position += word[0].length;
      switch (word[0]) {
        case "None":
          return null;
        case "True":
          return true;
        case "False":
          return false;
        // repr() of special floats; literal_eval rejects them, but they are what writers print.
        case "nan":
          return Number.NaN;
        case "inf":
          return Number.POSITIVE_INFINITY;
        default:
          throw NOT_A_LITERAL;
      }
    }
    if (this.text.startsWith("-inf", this.position)) {
      this.position += 4;
      return Number.NEGATIVE_INFINITY;
    }
    HEX_OCT_BIN.lastIndex = this.position;
    const based = HEX_OCT_BIN.exec(this.text);
    if (based) {
      this.position += based[0].length;
      return Number(based[0].replaceAll("_", "").replace(/^\+/, ""));
    }
    NUMBER.lastIndex = this.position;
    const number = NUMBER.exec(this.text);
    if (!number) throw NOT_A_LITERAL;
    const token = number[0];
    if (token.includes("__") || /_$|_\.|\._/.test(token)) throw NOT_A_LITERAL;
    this.position += token.length;
    // A number glued to letters (`1d3`, `12abc`) is not a literal.
    if (/[A-Za-z_]/.test(this.text[this.position] ?? "")) throw NOT_A_LITERAL;
    return this.makeNumber(token.replaceAll("_", ""), /[.eE]/.test(token));
  }
}

function keyText(key: LiteralValue): string {
  if (typeof key === "string") return key;
  if (key === null) return "None";
  if (typeof key === "boolean") return key ? "True" : "False";
  if (typeof key === "number") return pythonNumberText(key);
  return JSON.stringify(key);
}

function pythonNumberText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return String(value);
}
