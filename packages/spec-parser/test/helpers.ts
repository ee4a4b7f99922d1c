/** The parser tests' own helpers (the corpus, fixtures and the rest are @specx/test-support's). */
import { corpusNames, corpusPath, fixtureNames, fixturePath } from "@specx/test-support";
import { expect } from "vitest";

/** Every corpus file and fixture, as `[file name, path]` rows for `test.each`. */
export function everySpecFile(): [name: string, path: string][] {
  return [...corpusNames().map(corpusPath), ...fixtureNames().map(fixturePath)].map((path) => [
    path.split("/").pop() as string,
    path,
  ]);
}

/** `value` as plain data, as JSON holds it, with typed arrays (a scan's numbers) as arrays. */
export function plainData(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_, item) =>
      ArrayBuffer.isView(item) ? Array.from(item as Float64Array) : item,
    ),
  );
}

/**
 * Asserts two byte arrays are identical. Faster than `toEqual` on large arrays, and a failure
 * names the first differing offset instead of dumping every byte.
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  const length = Math.min(actual.length, expected.length);
  let first = -1;
  for (let i = 0; i < length; i++) {
    if (actual[i] !== expected[i]) {
      first = i;
      break;
    }
  }
  if (first < 0 && actual.length !== expected.length) first = length;
  expect(
    first < 0
      ? "identical"
      : `first difference at byte ${first} (lengths ${actual.length}, ${expected.length})`,
  ).toBe("identical");
}
