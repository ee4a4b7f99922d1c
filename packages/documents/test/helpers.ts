/**
 * Shared test helpers: reference data, Python as the oracle, and a tagged view of values that
 * makes int/float/bigint differences visible. (fast-check lives in arbitraries.ts: it is slow
 * to import, so only the property tests load it.)
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { type DocValue, PyFloat } from "../src/index.js";

/** shared/writer-reference/, relative to this file. */
export const referenceDir = new URL("../../../../shared/writer-reference/", import.meta.url);

/** Every document stream under writer-reference, as paths relative to it. */
export const referenceStreams: string[] = [
  "apstools/streams",
  "synthetic/streams",
  "suitcase/documents",
]
  .flatMap((dir) => readdirSync(new URL(`${dir}/`, referenceDir)).map((name) => `${dir}/${name}`))
  .filter((path) => /\.(json|json\.gz|jsonl|msgpack)$/.test(path))
  .sort();

/** Absolute path of a reference file. */
export function referencePath(relative: string): string {
  return fileURLToPath(new URL(relative, referenceDir));
}

/** The bytes of a reference file, gunzipped if it ends in `.gz`. */
export function referenceBytes(relative: string): Uint8Array {
  const bytes = readFileSync(new URL(relative, referenceDir));
  return new Uint8Array(relative.endsWith(".gz") ? gunzipSync(bytes) : bytes);
}

/** The text of a reference file, gunzipped if needed. */
export function referenceText(relative: string): string {
  return new TextDecoder().decode(referenceBytes(relative));
}

/** Runs a Python snippet with the given stdin and returns its stdout. */
export function python(code: string, args: string[] = [], input = ""): string {
  return execFileSync("/usr/bin/env", ["python3", "-c", code, ...args], {
    input,
    maxBuffer: 1 << 28,
    encoding: "utf8",
  });
}

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

/** A small seeded PRNG (xorshift32), for reproducible samples without fast-check. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
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
