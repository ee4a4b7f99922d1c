/** Shared test helpers. */
import { readdirSync, readFileSync } from "node:fs";
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

const corpusDir = new URL("../../../../shared/spec-corpus/", import.meta.url);
const fixturesDir = new URL("../../../conformance/fixtures/", import.meta.url);

/** A SPEC file for tests: its name and bytes. */
export interface SpecFileBytes {
  name: string;
  bytes: Uint8Array;
}

/** Every real SPEC file of the shared corpus (CC-BY-4.0), in name order. */
export function corpusFiles(): SpecFileBytes[] {
  return readSpecFiles(corpusDir, (name) => name !== "README.md");
}

/** Every conformance fixture (the hand-made edge cases), without their expectations. */
export function fixtureFiles(): SpecFileBytes[] {
  return readSpecFiles(fixturesDir, (name) => !name.endsWith(".json"));
}

function readSpecFiles(dir: URL, keep: (name: string) => boolean): SpecFileBytes[] {
  return readdirSync(dir)
    .filter(keep)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) }));
}
