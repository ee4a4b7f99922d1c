/** `#MD` values: Python literals as apstools prints them, or raw text when they are not one. */
import { describe, expect, test } from "vitest";
import { parsePythonLiteral } from "../src/index.js";

describe("parsePythonLiteral", () => {
  test.each([
    ["1", 1],
    ["-2.5e-3", -0.0025],
    ["0x1F", 31],
    ["1_000", 1000],
    ["None", null],
    ["True", true],
    ["False", false],
    ["'it''s'", "its"],
    ["'a\\'b'", "a'b"],
    ['"tab\\there"', "tab\there"],
    ["r'C:\\data'", "C:\\data"],
    ["'\\u00b0C'", "°C"],
    ["[1, 'two', [3.0]]", [1, "two", [3]]],
    ["(1,)", [1]],
    ["()", []],
    ["(5)", 5],
    ["{'a': 1, 2: 'b', None: [], (1, 2): 3}", { a: 1, "2": "b", None: [], "[1,2]": 3 }],
    ["{1, 2}", [1, 2]],
    ["{}", {}],
    [
      "{'versions': {'ophyd': '1.11.0', 'bluesky': '1.14.6'}}",
      { versions: { ophyd: "1.11.0", bluesky: "1.14.6" } },
    ],
    ["[nan, inf, -inf]", [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
  ])("%s", (text, value) => {
    expect(parsePythonLiteral(text)).toEqual(value);
  });

  test.each([
    "generator",
    "bluesky.plan_patterns",
    "[1. 2. 3.]",
    "'unterminated",
    "{'a' 1}",
    "1d3",
    "EpicsMotor(prefix='x')",
    "",
    "[1, 2",
    "1 2",
  ])("%j is not a literal", (text) => {
    expect(parsePythonLiteral(text)).toBeUndefined();
  });

  test("deep nesting is refused, not a stack overflow", () => {
    expect(parsePythonLiteral(`${"[".repeat(100000)}${"]".repeat(100000)}`)).toBeUndefined();
    expect(parsePythonLiteral(`${"[".repeat(50)}${"]".repeat(50)}`)).toBeDefined();
  });
});
