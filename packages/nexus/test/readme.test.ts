/**
 * The README's table of differences from spec2nexus is the list of relaxations the reference test
 * applies (test/reference.ts), so neither can change without the other.
 * `SPECX_UPDATE_README=1` rewrites the table from the list.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { type Relaxation, relaxations } from "./reference.js";

const readme = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "README.md");
const START = "<!-- relaxations:start -->\n";
const END = "<!-- relaxations:end -->";

function row(r: Relaxation): string {
  const files = r.files ? r.files.map((f) => `\`${f}\``).join(", ") : "every file";
  const style =
    r.mode === "compat" ? "`--compat spec2nexus`" : r.mode === "specx" ? "default" : "both";
  return `| ${r.fix} | ${r.why.replaceAll("|", "\\|")} | ${files} | ${style} |`;
}

function table(): string {
  const sorted = [...relaxations].sort((a, b) => a.fix - b.fix);
  return [
    "| fix | what specx writes differently | files | style |",
    "|---|---|---|---|",
    ...sorted.map(row),
  ].join("\n");
}

it("lists every relaxation of the reference test, as the test applies it", () => {
  const text = readFileSync(readme, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const expected = `${table()}\n`;
  if (process.env.SPECX_UPDATE_README === "1") {
    writeFileSync(readme, text.slice(0, start + START.length) + expected + text.slice(end));
    return;
  }
  expect(text.slice(start + START.length, end)).toBe(expected);
});
