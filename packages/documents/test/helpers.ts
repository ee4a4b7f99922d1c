/**
 * The documents tests' own helpers: Python's json output for the reference streams, and a tagged
 * view of values that makes int/float/bigint differences visible. (The reference data, Python
 * and seeded random numbers are @specx/test-support's; fast-check lives in arbitraries.ts: it is
 * slow to import, so only the property tests load it.)
 */
import { python, referencePath } from "@specx/test-support";
import { type DocValue, PyFloat } from "../src/index.js";

/**
 * What Python's `json.dumps(json.load(file))` writes for each reference JSON file, in one
 * Python run (starting Python takes a while). NUL separates the outputs: ensure_ascii output
 * never contains one.
 */
export function pythonJsonDumps(relatives: string[]): Map<string, string> {
  const code = `import gzip, json, sys
for path in sys.argv[1:]:
    opener = gzip.open if path.endswith(".gz") else open
    sys.stdout.write(json.dumps(json.load(opener(path, "rt"))) + "\\0")`;
  const outputs = python(code, relatives.map(referencePath)).split("\0");
  return new Map(relatives.map((relative, i) => [relative, outputs[i] as string]));
}

/**
 * A view of a value that tells apart what `toEqual` would blur: int vs float vs PyFloat vs
 * bigint, 0 vs -0, and object key order (objects become lists of entries).
 */
export type Tagged = string | boolean | null | Tagged[] | { entries: [string, Tagged][] };

export function tagged(value: DocValue): Tagged {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return `str:${value}`;
  if (typeof value === "bigint") return `bigint:${value}`;
  if (typeof value === "number") {
    const text = Object.is(value, -0) ? "-0" : String(value);
    return Number.isInteger(value) ? `int:${text}` : `float:${text}`;
  }
  if (value instanceof PyFloat) return `pyfloat:${Object.is(value.value, -0) ? "-0" : value.value}`;
  if (Array.isArray(value)) return value.map(tagged);
  return { entries: Object.keys(value).map((key) => [key, tagged(value[key] as DocValue)]) };
}

/** An object from entries, storing `__proto__` as a key rather than a prototype. */
export function objectFrom(entries: [string, DocValue][]): { [key: string]: DocValue } {
  const object: { [key: string]: DocValue } = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}
