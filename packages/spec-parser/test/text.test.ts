/** Splitting rules of docs/spec-format.md §6 and value tokens of §5.2. */
import { fc, test as propertyTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { readValue, splitNames, uniqueAliases } from "../src/index.js";
import {
  readValuesFromBytes,
  readValuesInto,
  splitNamesWithFallback,
  splitUnicatValues,
  splitWords,
} from "../src/model/text.js";

describe("names", () => {
  test("two or more spaces separate names; TAB counts as two; trailing blanks add nothing", () => {
    expect(splitNames(" Two Theta  theta\tchi   phi  ")).toEqual([
      "Two Theta",
      "theta",
      "chi",
      "phi",
    ]);
    expect(splitNames("")).toEqual([]);
  });

  test("single-space fallback only for one multi-word token and an expected count other than 1", () => {
    expect(splitNamesWithFallback("a b c", 3, true)).toEqual({
      names: ["a", "b", "c"],
      fallback: true,
    });
    expect(splitNamesWithFallback("Motor 169", 1, true)).toEqual({
      names: ["Motor 169"],
      fallback: false,
    });
    expect(splitNamesWithFallback("a b c", 2, true)).toEqual({ names: ["a b c"], fallback: false });
    expect(splitNamesWithFallback("a b c", 7, false)).toEqual({
      names: ["a", "b", "c"],
      fallback: true,
    });
  });

  test("#V rows: two-space or one-space split, empty fields kept", () => {
    expect(splitUnicatValues("  102.107  8  1    989.685")).toEqual([
      "102.107",
      "8",
      "1",
      "",
      "989.685",
    ]);
    expect(splitUnicatValues(" 67.5337 18.4757 1 ")).toEqual(["67.5337", "18.4757", "1", ""]);
    expect(splitUnicatValues("  0  1000000  10 us  0")).toEqual(["0", "1000000", "10 us", "0"]);
  });

  test("duplicate names get unique aliases, skipping taken ones", () => {
    expect(uniqueAliases(["I0", "I0", "I0_1", "I0"]).aliases).toEqual([
      "I0",
      "I0_2",
      "I0_1",
      "I0_3",
    ]);
  });
});

describe("value tokens", () => {
  test.each([
    ["12", 12, "integer"],
    ["-.5", -0.5, "number"],
    ["5.", 5, "number"],
    ["+1e3", 1000, "number"],
    ["8.478100E+01", 84.781, "number"],
    ["NaN", Number.NaN, "nan"],
    ["-inf", Number.NEGATIVE_INFINITY, "infinity"],
    ["None", Number.NaN, "none"],
    ["1d3", 1000, "fortran"],
    ["True", 1, "boolean"],
    ["0x10", Number.NaN, "text"],
    ["1_0", Number.NaN, "text"],
    ["Infinityx", Number.NaN, "text"],
  ])("%s", (token, value, kind) => {
    expect(readValue(token)).toEqual({ value, kind });
  });
});

describe("readValuesInto (the fast path for long runs of values)", () => {
  const token = fc.oneof(
    fc.integer({ min: -1e9, max: 1e9 }).map(String),
    fc.constantFrom("-0", "+5", "007", "-", "+", "1e5", "1.5", "-2.5e-3", "nan", "None", "inf"),
    fc.constantFrom("1234567890123456", "-99999999999999999", "12ab", "True", "1d3", ".5"),
    fc.double().map(String),
  );
  propertyTest.prop([fc.array(token, { maxLength: 40 }), fc.constantFrom(" ", "  ", "\t", " \t ")])(
    "gives what splitWords and readValue give, and reports the same non-numbers",
    (tokens, blank) => {
      const text = `${blank}${tokens.join(blank)}${blank}`;
      const others: string[] = [];
      const values = new Float64Array(3 + ((text.length + 1) >>> 1));
      const count = readValuesInto(text, values, 3, (t) => others.push(t));
      const words = splitWords(text);
      expect(count).toBe(words.length);
      expect(Array.from(values.subarray(3, 3 + count))).toEqual(
        words.map((w) => readValue(w).value),
      );
      expect(others).toEqual(
        words.filter((w) => !["integer", "number"].includes(readValue(w).kind)),
      );
    },
  );
});

describe("readValuesFromBytes (MCA values straight from the bytes)", () => {
  /** Tokens of every shape: plain, odd, and ones that only look like numbers. */
  const token = fc.oneof(
    fc.integer({ min: -1e9, max: 1e9 }).map(String),
    fc.constantFrom("nan", "NaN", "-nan", "inf", "-Infinity", "None", "True", "False", "x"),
    fc.constantFrom("-0", "+5", ".5", "5.", "-.5e3", "007", "1e308", "1e400", "-1e-400", "1E5"),
    fc.constantFrom("0x1F", "0xff", "1d3", "-2.5D-3", "1e", "1e+", "-", "+", ".", "12ab", "1.2.3"),
    fc.constantFrom("123456789012345", "1234567890123456", "-99999999999999999", "4.9e-324"),
    fc.double().map(String),
    fc.stringMatching(/^[-+]?[0-9]{0,20}(\.[0-9]{0,20})?([eE][-+]?[0-9]{1,4})?$/),
  );
  const blank = fc.constantFrom(" ", "  ", "\t", " \t ", "\r", "\v", "\f");
  const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  propertyTest.prop([fc.array(fc.tuple(token, blank), { maxLength: 40 }), blank, fc.boolean()], {
    seed: 16,
    numRuns: 2000,
  })(
    "gives what readValuesInto gives on the same text, and reports the same tokens",
    (pairs, lead, open) => {
      // `open`: the last token runs up to the end of the range, with no blank after it.
      const last = pairs.length - 1;
      const text = lead + pairs.map(([t, b], i) => (open && i === last ? t : t + b)).join("");
      const others: [string, string][] = [];
      const expected: [string, string][] = [];
      // Before and after the range, bytes that would change the values if they were read.
      const bytes = ascii(`9.${text}5e`);
      const values = new Float64Array(3 + ((text.length + 1) >>> 1));
      const reference = new Float64Array(values.length);
      const count = readValuesFromBytes(bytes, 2, 2 + text.length, values, 3, (t, kind) =>
        others.push([t, kind]),
      );
      const expectedCount = readValuesInto(text, reference, 3, (t, kind) =>
        expected.push([t, kind]),
      );
      expect(count).toBe(expectedCount);
      for (let i = 3; i < 3 + count; i++) expect(Object.is(values[i], reference[i])).toBe(true);
      expect(others).toEqual(expected);
    },
  );

  propertyTest.prop([fc.array(token, { maxLength: 8 }), fc.integer({ min: 0x80, max: 0xff })], {
    seed: 16,
  })("a byte that is not ASCII sends the text to the decoded path", (tokens, high) => {
    const bytes = ascii(`${tokens.join(" ")} 1${String.fromCharCode(high)}2 3`);
    const values = new Float64Array(bytes.length);
    expect(readValuesFromBytes(bytes, 0, bytes.length, values, 0, () => {})).toBe(-1);
  });
});
