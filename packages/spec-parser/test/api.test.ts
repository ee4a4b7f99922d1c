/** Public API details: column lookup, string input, and a core free of Node APIs. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse, printText } from "../src/index.js";

describe("columns", () => {
  test("duplicate labels are addressable by alias; a label finds its first column", () => {
    const scan = parse("#S 1 ct\n#L I0  det  I0\n1 2 3\n4 5 6\n").scanAt(0);
    expect(scan?.labels).toEqual(["I0", "det", "I0"]);
    expect(Array.from(scan?.column("I0") ?? [])).toEqual([1, 4]);
    expect(Array.from(scan?.column("I0_1") ?? [])).toEqual([3, 6]);
    expect(scan?.column("nothing")).toBeUndefined();
  });
});

describe("string input", () => {
  test("printText gives back the string, BOM and mixed line ends included", () => {
    const text = "\uFEFF#F x\r\n#E 1\n#C 25°C\r#S 1 a\n1 2";
    expect(printText(parse(text))).toBe(text);
  });
});

describe("the core runs outside Node", () => {
  test("no source file but src/node.ts imports a Node module or uses process/Buffer", () => {
    const root = fileURLToPath(new URL("../src/", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const offenders = files(root)
      .filter((path) => !path.endsWith(`${join("src", "node.ts")}`))
      .filter((path) =>
        /from "node:|require\(|\bprocess\.|\bBuffer\b/.test(readFileSync(path, "utf8")),
      );
    expect(offenders).toEqual([]);
  });
});
