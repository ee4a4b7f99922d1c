/**
 * The `#S` command of apstools' SpecWriterCallback2 (`_rebuild_scan_command`, docs/writer.md
 * §3.4): a lossy, Python-call-like rebuild of the plan from `start.plan_name` and
 * `start.plan_args`.
 */
import { type DocValue, isDocObject } from "@specx/documents";
import { pythonStr, unicodeEscape } from "./python.js";

/**
 * apstools' `struct_to_str`: lists `[a, b]` and dicts `{k=v, …}` (raw keys) recursively, strings
 * as `'` + unicode_escape(s) + `'` (an embedded `'` is NOT escaped), anything else `str()`.
 */
export function formatCommandValue(v: DocValue): string {
  if (Array.isArray(v)) return `[${v.map(formatCommandValue).join(", ")}]`;
  if (isDocObject(v)) {
    const items = Object.entries(v).map(([k, x]) => `${k}=${formatCommandValue(x)}`);
    return `{${items.join(", ")}}`;
  }
  // Python escapes the quoted text as a whole; the quotes themselves are printable ASCII.
  if (typeof v === "string") return `'${unicodeEscape(v)}'`;
  return pythonStr(v);
}

// Python's str.strip() whitespace (str.isspace), which differs from JS trim() (\x1c-\x1f, \ufeff).
const PY_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "gu");

/**
 * apstools' `get_name`: `str(x)`, and when that has a `(` after its first character, the value
 * of its `name=` item, quotes included (`SoftPositioner(name='m1', …)` gives `'m1'`).
 */
function getName(src: DocValue): string {
  let s = pythonStr(src);
  const open = s.indexOf("(");
  if (open > 0) {
    const parts = s
      .slice(open + 1)
      .replace(/\)+$/, "")
      .split(",");
    for (const part of parts) {
      const item = part.replace(PY_STRIP, "");
      const eq = item.indexOf("=");
      // Python item[:p] with p == -1 drops the last code point.
      const key = eq >= 0 ? item.slice(0, eq) : Array.from(item).slice(0, -1).join("");
      if (key === "name") {
        s = item.slice(eq + 1);
        break;
      }
    }
  }
  return s;
}

/** The items Python's `map()` iterates over: list items, dict keys, string characters. */
function iterate(v: DocValue): DocValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (isDocObject(v)) return Object.keys(v);
  if (typeof v === "string") return Array.from(v);
  return undefined; // Python raises TypeError
}

/**
 * The `#S` command (without the scan number): `plan_name(k=fmt(v), …)` over `start.plan_args` in
 * document order, or `plan_name()` without plan_args. Substitutions as apstools makes them:
 * `detectors` -> `start.detectors`, keys starting with `motor` -> `start.motors`, `args` -> the
 * string `[name, …]` of {@link getName} of each item (then quoted like any string).
 *
 * specx fixes (apstools raises instead): a missing `start.detectors` / `start.motors` keeps the
 * raw plan_args value (fix #14 of docs/writer.md §6); `args` that cannot be iterated is
 * formatted raw; plan_args that is not a dict counts as absent. A missing plan_name gives an
 * empty name, as in apstools.
 */
export function buildCommand(
  start: Record<string, DocValue>,
  options: { quoteStrings?: boolean } = {},
): string {
  const name = "plan_name" in start ? pythonStr(start.plan_name ?? null) : "";
  const planArgs = start.plan_args;
  const items: string[] = [];
  if (isDocObject(planArgs)) {
    for (const [key, raw] of Object.entries(planArgs)) {
      let value: DocValue = raw;
      if (key === "detectors") {
        if ("detectors" in start) value = start.detectors ?? null;
      } else if (key.startsWith("motor")) {
        if ("motors" in start) value = start.motors ?? null;
      } else if (key === "args") {
        const list = iterate(raw);
        if (list !== undefined) value = `[${list.map(getName).join(", ")}]`;
      }
      // apstools 1.1 and older wrote a string argument as str(value), without quotes.
      const formatted =
        options.quoteStrings === false && typeof value === "string"
          ? value
          : formatCommandValue(value);
      items.push(`${key}=${formatted}`);
    }
  }
  return `${name}(${items.join(", ")})`;
}
