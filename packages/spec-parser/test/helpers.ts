/** The parser tests' own helpers (the corpus, fixtures and the rest are @specx/test-support's). */
import { expect } from "vitest";

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
