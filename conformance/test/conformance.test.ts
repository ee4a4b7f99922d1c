/**
 * The conformance suite under vitest: every corpus file and fixture against its expectations,
 * one test per file and feature, so a failure names the file and the kind of handling that broke.
 */
import { describe, expect, test } from "vitest";
import { features } from "../src/checks.js";
import { corpusCases, corpusDir, fixtureCases, runCase } from "../src/suite.js";
import { referenceDir, runWriterCase, writerCases } from "../src/writer-checks.js";

const cases = [...corpusCases(corpusDir()), ...fixtureCases()];

test("the corpus and fixtures are all there", () => {
  expect(cases.filter((c) => c.kind === "corpus").length).toBeGreaterThanOrEqual(26);
  expect(cases.filter((c) => c.kind === "fixture").length).toBe(29);
  expect(cases.filter((c) => c.expected === null).map((c) => c.name)).toEqual([]);
});

describe.each(cases)("$kind $name", (testCase) => {
  const results = runCase(testCase);
  const present = features.filter((feature) => results.some((r) => r.feature === feature));
  test.each(present)("%s", (feature) => {
    const failures = results
      .filter((result) => result.feature === feature && !result.ok)
      .map((result) => `${result.scan ?? "file"}: ${result.check}: ${result.detail}`);
    expect(failures).toEqual([]);
  });
});

describe.each(writerCases(referenceDir()))("writer $name", (writerCase) => {
  test("matches its reference (apstools v2 or v1, suitcase, or apstools with the documented fix)", () => {
    const failures = runWriterCase(referenceDir(), writerCase)
      .filter((result) => !result.ok)
      .map((result) => `${result.feature}: ${result.check}: ${result.detail}`);
    expect(failures).toEqual([]);
  });
});
