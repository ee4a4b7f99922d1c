/** The README documents every diagnostic code with its severity. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { diagnosticRules } from "../src/index.js";

test("every diagnostic code is in the README's table with its severity", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const missing = Object.entries(diagnosticRules)
    .filter(([code, rule]) => !readme.includes(`| \`${code}\` | ${rule.severity} |`))
    .map(([code]) => code);
  expect(missing).toEqual([]);
});
