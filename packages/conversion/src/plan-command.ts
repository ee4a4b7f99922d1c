/**
 * The `#S` command of a bluesky-written file back to `plan_name` and `plan_args`: the inverse of
 * apstools' `_rebuild_scan_command` (spec-writer `buildCommand`, docs/writer.md §3.4), which
 * writes `plan_name(k=fmt(v), …)` with lists as `[a, b]`, dicts as `{k=v, …}` (raw keys), strings
 * as `'` + unicode_escape(s) + `'` (an embedded `'` not escaped) and anything else as `str()`.
 *
 * The format is not escaped, so it is ambiguous: a quoted string ends at the first `'` that is
 * followed by what may come after a value in its place (`, key=` or the final `)` at the top,
 * `, ` or `]` in a list, `, key=` or `}` in a dict). Strings that contain such a sequence come
 * back split differently; everything apstools writes in practice comes back exactly.
 */
import type { DocValue } from "@specx/documents";
import { literal } from "./literal.js";

/** Options of {@link planFromCommand}. */
export interface PlanCommandOptions {
  /**
   * Whether strings were written quoted (default true). apstools 1.1 wrote `str(v)` for every
   * top-level value instead: strings raw (`scan_title=blank`), lists and dicts as Python repr.
   */
  quotedStrings?: boolean;
}

/** The plan of a `#S` command. `plan_args` is absent for `plan_name()`. */
export interface PlanFromCommand {
  plan_name: string;
  plan_args?: Record<string, DocValue>;
}

/**
 * Reads `plan_name(k=v, …)` (the `#S` text after the scan number) back into the plan name and
 * arguments, or null when the text is not such a command or cannot be split consistently.
 * Never throws.
 *
 * Values: quoted strings unescaped, `[…]` lists, `{k=v}` dicts, `None`/`True`/`False`, ints (bigint
 * beyond 2^53) and floats (`2.0` a PyFloat), other unquoted text as a Python literal or the text
 * itself. `args` is the list apstools rebuilt from device names: an item `'m1'` becomes the string
 * `Device(name='m1')`, whose name apstools' `get_name` takes back out as `'m1'`.
 */
export function planFromCommand(
  command: string,
  options: PlanCommandOptions = {},
): PlanFromCommand | null {
  const open = command.indexOf("(");
  if (open < 0 || !command.endsWith(")")) return null;
  const plan_name = command.slice(0, open);
  // `name()`: apstools writes it both for absent and for empty plan_args.
  if (open === command.length - 2) return { plan_name };
  const reader = new CommandReader(command, options.quotedStrings ?? true);
  const plan_args = reader.readArguments(open + 1);
  return plan_args === null ? null : { plan_name, plan_args };
}

/** Where a value stands, which decides what may follow it. */
type Place = "top" | "list" | "dict";

interface Read {
  value: DocValue;
  /** Index just after the value's text. */
  end: number;
}

/** A plan argument name at the top level: a Python identifier, then `=`. */
const TOP_KEY = /([A-Za-z_][A-Za-z0-9_]*)=/y;
/** A raw dict key (any document key; no separators, brackets or quotes), then `=`. */
const DICT_KEY = /([^=,'"[\]{}\s][^=,'"[\]{}]*)=/y;

/** Containers nested deeper than this are read as plain text rather than risk the call stack. */
const MAX_DEPTH = 200;

class CommandReader {
  private readonly text: string;
  private readonly quotedStrings: boolean;
  /** Results by start and place: a container that fails is re-read as text, so reads repeat. */
  private readonly memo = new Map<string, Read | null>();
  private depth = 0;

  constructor(text: string, quotedStrings: boolean) {
    this.text = text;
    this.quotedStrings = quotedStrings;
  }

  /** `k=v, …)` from `start` to the end of the text, or null. */
  readArguments(start: number): Record<string, DocValue> | null {
    const args: Record<string, DocValue> = {};
    let position = start;
    for (;;) {
      const key = matchAt(TOP_KEY, this.text, position);
      if (key === null) return null;
      position += key.length + 1;
      const read = this.readValue(position, "top");
      if (read === null) return null;
      const value = key === "args" ? this.argsValue(position, read) : read.value;
      setEntry(args, key, value);
      if (read.end === this.text.length - 1) return args; // the final ")"
      position = read.end + 2; // ", ", which the terminator check guaranteed
    }
  }

  private readValue(start: number, place: Place): Read | null {
    const memoKey = `${start}:${place}`;
    if (this.memo.has(memoKey)) return this.memo.get(memoKey) ?? null;
    const read = this.readValueUncached(start, place);
    this.memo.set(memoKey, read);
    return read;
  }

  private readValueUncached(start: number, place: Place): Read | null {
    const first = this.text[start];
    if (first === "'") {
      const quoted = this.readQuoted(start, place);
      if (quoted !== null) return quoted;
    }
    // apstools 1.1 wrote top-level lists and dicts as Python repr, never as `[a, b]`/`{k=v}`.
    const structured = this.quotedStrings || place !== "top";
    if (structured && (first === "[" || first === "{") && this.depth < MAX_DEPTH) {
      this.depth++;
      const container = first === "[" ? this.readList(start) : this.readDict(start);
      this.depth--;
      if (container !== null && this.endsValue(container.end, place)) return container;
    }
    return this.readUnquoted(start, place);
  }

  /** `'…'` up to the first `'` that a value may end with here. */
  private readQuoted(start: number, place: Place): Read | null {
    for (let quote = this.text.indexOf("'", start + 1); quote >= 0; ) {
      if (this.endsValue(quote + 1, place)) {
        return { value: decodeUnicodeEscape(this.text.slice(start + 1, quote)), end: quote + 1 };
      }
      quote = this.text.indexOf("'", quote + 1);
    }
    return null;
  }

  private readList(start: number): Read | null {
    const items: DocValue[] = [];
    let position = start + 1;
    if (this.text[position] === "]") return { value: items, end: position + 1 };
    for (;;) {
      const item = this.readValue(position, "list");
      if (item === null) return null;
      items.push(item.value);
      if (this.text[item.end] === "]") return { value: items, end: item.end + 1 };
      position = item.end + 2; // ", "
    }
  }

  private readDict(start: number): Read | null {
    const entries: Record<string, DocValue> = {};
    let position = start + 1;
    if (this.text[position] === "}") return { value: entries, end: position + 1 };
    for (;;) {
      const key = matchAt(DICT_KEY, this.text, position);
      if (key === null) return null;
      const item = this.readValue(position + key.length + 1, "dict");
      if (item === null) return null;
      setEntry(entries, key, item.value);
      if (this.text[item.end] === "}") return { value: entries, end: item.end + 1 };
      position = item.end + 2; // ", "
    }
  }

  /** Text up to the first place a value may end: `None`, a number, a Python literal, or a string. */
  private readUnquoted(start: number, place: Place): Read | null {
    for (let end = start; end < this.text.length; end++) {
      if (this.endsValue(end, place)) {
        return { value: literal(this.text.slice(start, end)), end };
      }
    }
    return null;
  }

  /** True when a value in `place` may end just before `position`. */
  private endsValue(position: number, place: Place): boolean {
    const text = this.text;
    const next = text[position];
    const separator = text.startsWith(", ", position);
    if (place === "list") return next === "]" || separator;
    if (place === "dict")
      return next === "}" || (separator && matchAt(DICT_KEY, text, position + 2) !== null);
    if (position === text.length - 1) return next === ")";
    return separator && matchAt(TOP_KEY, text, position + 2) !== null;
  }

  /**
   * apstools writes `args` as the string `[name, …]` of its items' names; its list text, quoted
   * (as apstools ≥ 1.2 writes it) or not, becomes the list again (see {@link argsItem}).
   */
  private argsValue(start: number, read: Read): DocValue {
    const quoted = this.text[start] === "'" && typeof read.value === "string";
    const listText = quoted ? (read.value as string) : this.text.slice(start, read.end);
    if (!listText.startsWith("[") || !listText.endsWith("]")) return read.value;
    const inner = listText.slice(1, -1);
    return inner === "" ? [] : splitTopLevel(inner).map(argsItem);
  }
}

/**
 * One item of the `args` list text. A quoted name (`'m1'`, what `get_name` takes from a device's
 * repr) becomes `Device(name='m1')`, so `get_name` finds the same text again. Numbers and other
 * literals become values; anything else stays text, which `get_name` gives back unchanged.
 */
function argsItem(text: string): DocValue {
  // get_name splits the repr at every ",", so a name with a comma cannot be wrapped.
  if (/^(['"])[^,]*\1$/s.test(text)) return `Device(name=${text})`;
  const value = literal(text);
  return typeof value === "string" ? text : value;
}

/** Splits at `, ` outside brackets and quotes; naively at every `, ` when they do not balance. */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let itemStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    else if (depth === 0 && c === "," && text[i + 1] === " ") {
      items.push(text.slice(itemStart, i));
      itemStart = i + 2;
      i++;
    }
    if (depth < 0) return text.split(", ");
  }
  if (depth !== 0 || quote !== null) return text.split(", ");
  items.push(text.slice(itemStart));
  return items;
}

const SIMPLE_ESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Reverses Python's `unicode_escape` encoding as apstools applies it: `\\`, `\t`, `\n`, `\r`,
 * `\xhh`, `\uhhhh`, `\Uhhhhhhhh`. Any other backslash is kept as written.
 */
function decodeUnicodeEscape(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1] ?? "";
    if (c !== "\\" || next === "") {
      out += c;
      i++;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    const digits = HEX_DIGITS[next] ?? 0;
    const hex = text.slice(i + 2, i + 2 + digits);
    const code = Number.parseInt(hex, 16);
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (
      digits > 0 &&
      /^[0-9a-fA-F]+$/.test(hex) &&
      hex.length === digits &&
      code <= 0x10ffff
    ) {
      out += String.fromCodePoint(code);
      i += 2 + digits;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The text of a sticky regex's first group at `position`, or null. */
function matchAt(pattern: RegExp, text: string, position: number): string | null {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[1] ?? null;
}

/** Sets a key as an own property, even `__proto__`. */
function setEntry(target: Record<string, DocValue>, key: string, value: DocValue): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * True when the `#S` command has a bare-word argument (`scan_title=blank`) or an unquoted `args`
 * list: apstools 1.1 wrote strings as `str(value)`, without quotes.
 */
export function unquotedCommand(command: string): boolean {
  return (
    /[(,] [A-Za-z_]\w*=(?!None\b|True\b|False\b|nan\b|inf\b)[A-Za-z_]/.test(command) ||
    /[(,] args=\[/.test(command)
  );
}
