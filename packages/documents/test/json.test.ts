/**
 * parseJson / stringifyJson: Python's json module is the oracle, both on the reference streams
 * and on hand-picked edge cases.
 */
import { python, referenceStreams, referenceText, xorshift32 } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import {
  DocumentFormatError,
  type DocValue,
  floatValue,
  MAX_NESTING_DEPTH,
  PyFloat,
  parseJson,
  pythonFloatRepr,
  quoteJsonString,
  stringifyJson,
} from "../src/index.js";
import { pythonJsonDumps, tagged } from "./helpers.js";

const jsonStreams = referenceStreams().filter((path) => /\.json(\.gz)?$/.test(path));
const pythonOutputs = pythonJsonDumps(jsonStreams);

describe("reference streams against Python's json.dumps(json.load(f))", () => {
  it("covers every .json and .json.gz stream", () => {
    expect(jsonStreams.length).toBe(14);
  });

  it.each(jsonStreams)("%s gives Python's exact text", (path) => {
    const expected = pythonOutputs.get(path);
    expect(expected?.length).toBeGreaterThan(1000);
    expect(stringifyJson(parseJson(referenceText(path)))).toBe(expected);
  });

  it("syn-nan.json keeps the bigint 12345678901234567890 and the bare NaN", () => {
    const documents = parseJson(referenceText("synthetic/streams/syn-nan.json")) as DocValue[][];
    const start = documents[0]?.[1] as { [key: string]: DocValue };
    expect(start.big_int).toBe(12345678901234567890n);
    const detValues = documents
      .filter(([name]) => name === "event")
      .map(([, event]) => (event as { data: { det: DocValue } }).data.det);
    expect(detValues.map(tagged)).toEqual(["float:1.5", "float:NaN", "float:2.5"]);
  });

  it("syn-values.json keeps 9007199254740991 and tells 1.0 from 1", () => {
    const text = referenceText("synthetic/streams/syn-values.json");
    expect(text).toContain("9007199254740991");
    const values = JSON.stringify(tagged(parseJson(text)));
    expect(values).toContain('"int:9007199254740991"');
    expect(values).toContain('"pyfloat:1"');
    expect(values).toContain('"int:1"');
  });
});

describe("parseJson number kinds", () => {
  it.each<[string, string]>([
    ["0", "int:0"],
    ["-0", "int:0"],
    ["5", "int:5"],
    ["-17", "int:-17"],
    ["9007199254740991", "int:9007199254740991"],
    ["-9007199254740991", "int:-9007199254740991"],
    ["9007199254740992", "bigint:9007199254740992"],
    ["12345678901234567890", "bigint:12345678901234567890"],
    ["-99999999999999999999999", "bigint:-99999999999999999999999"],
    ["5.0", "pyfloat:5"],
    ["0.0", "pyfloat:0"],
    ["-0.0", "pyfloat:-0"],
    ["1e16", "pyfloat:10000000000000000"],
    ["1E2", "pyfloat:100"],
    ["2.5", "float:2.5"],
    ["1e-05", "float:0.00001"],
    ["1e400", "float:Infinity"],
    ["NaN", "float:NaN"],
    ["Infinity", "float:Infinity"],
    ["-Infinity", "float:-Infinity"],
  ])("%s -> %s", (text, expected) => {
    expect(tagged(parseJson(text))).toBe(expected);
  });
});

describe("parseJson structure", () => {
  it("reads nested values, escapes and whitespace", () => {
    const value = parseJson(
      ' {"a" : [1, 2.5, "x\\u00e9\\ud83d\\ude00\\n\\/", true, false, null], "b": {}}\r\n\t',
    );
    expect(value).toEqual({ a: [1, 2.5, "xé😀\n/", true, false, null], b: {} });
  });

  it("keeps a lone surrogate escape, as Python does", () => {
    expect(parseJson('"\\ud800"')).toBe("\ud800");
  });

  it("duplicate keys keep the first position and the last value, like a Python dict", () => {
    const value = parseJson('{"a": 1, "b": 2, "a": 3}') as { [key: string]: DocValue };
    expect(Object.keys(value)).toEqual(["a", "b"]);
    expect(value.a).toBe(3);
  });

  it("stores __proto__ as an ordinary key", () => {
    const value = parseJson('{"__proto__": {"polluted": 1}}') as { [key: string]: DocValue };
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(stringifyJson(value)).toBe('{"__proto__": {"polluted": 1}}');
  });

  it(`accepts ${MAX_NESTING_DEPTH} levels of nesting and refuses more with a clear error`, () => {
    const deepest = `${"[".repeat(MAX_NESTING_DEPTH)}${"]".repeat(MAX_NESTING_DEPTH)}`;
    const parsed = parseJson(deepest);
    expect(stringifyJson(parsed)).toBe(deepest);
    const tooDeep = "[".repeat(MAX_NESTING_DEPTH + 1);
    expect(() => parseJson(tooDeep)).toThrow(/Nesting deeper than 10000 levels/);
    expect(() => parseJson("[".repeat(1_000_000))).toThrow(DocumentFormatError);
  });
});

describe("parseJson errors", () => {
  it.each<[string, RegExp, number, number]>([
    ["", /^Expecting value: line 1 column 1 \(char 0\)$/, 1, 1],
    ["[1,\n  2,\n  ]", /^Expecting value: line 3 column 3/, 3, 3],
    ['{"a" 1}', /^Expecting ':' delimiter: line 1 column 6/, 1, 6],
    ["{1: 2}", /^Expecting property name enclosed in double quotes/, 1, 2],
    ["[1 2]", /^Expecting ',' delimiter: line 1 column 4/, 1, 4],
    ["[1] x", /^Extra data: line 1 column 5/, 1, 5],
    ['"abc', /^Unterminated string starting at: line 1 column 1/, 1, 1],
    ['"a\tb"', /^Invalid control character at: line 1 column 3/, 1, 3],
    ['"\\x"', /^Invalid \\escape/, 1, 2],
    ['"\\u12g4"', /^Invalid \\uXXXX escape/, 1, 2],
    ["01", /^Extra data: line 1 column 2/, 1, 2],
    ["1.", /^Invalid number/, 1, 1],
    ["1e+", /^Invalid number/, 1, 1],
    ["-", /^Expecting value/, 1, 1],
    ["-NaN", /^Expecting value/, 1, 1],
    ["nan", /^Expecting value/, 1, 1],
    ["tru", /^Expecting value/, 1, 1],
  ])("%j fails: %s", (text, message, line, column) => {
    let error: unknown;
    try {
      parseJson(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DocumentFormatError);
    const formatError = error as DocumentFormatError;
    expect(formatError.message).toMatch(message);
    expect([formatError.line, formatError.column]).toEqual([line, column]);
  });

  it("refuses ints longer than 4300 digits, as Python does, and accepts 4300", () => {
    expect(parseJson(`-${"9".repeat(4300)}`)).toBe(-(10n ** 4300n - 1n));
    expect(() => parseJson(`[${"9".repeat(4301)}]`)).toThrow(/^Integer longer than 4300 digits/);
  });

  it("rejects what Python's json.loads rejects (and accepts what it accepts)", () => {
    const cases = [
      "[1,]",
      '{"a":1,}',
      "[.5]",
      "[+1]",
      "[0x10]",
      "['a']",
      "[1]\u00a0",
      '"\\u00e9"',
      "[-Infinity, NaN]",
      " 1 ",
    ];
    const pythonVerdicts = python(
      `import json, sys
for text in json.load(sys.stdin):
    try:
        json.loads(text)
        print("ok")
    except ValueError:
        print("error")`,
      [],
      JSON.stringify(cases),
    )
      .trim()
      .split("\n");
    const ours = cases.map((text) => {
      try {
        parseJson(text);
        return "ok";
      } catch (error) {
        expect(error).toBeInstanceOf(DocumentFormatError);
        return "error";
      }
    });
    expect(ours).toEqual(pythonVerdicts);
  });
});

/** Strings of random code points from all planes (no lone surrogates). */
function randomStrings(count: number): string[] {
  const next = xorshift32(7);
  return Array.from({ length: count }, () => {
    const codePoints = Array.from({ length: next() % 12 }, () => {
      const codePoint = next() % (next() % 2 ? 0x80 : 0x110000);
      return codePoint >= 0xd800 && codePoint <= 0xdfff ? 0x41 : codePoint;
    });
    return String.fromCodePoint(...codePoints);
  });
}

describe("stringifyJson", () => {
  it.each<[DocValue, string]>([
    [null, "null"],
    [true, "true"],
    [5, "5"],
    [-0, "0"],
    [2 ** 60, "1152921504606846976"],
    [12345678901234567890n, "12345678901234567890"],
    [new PyFloat(5), "5.0"],
    [new PyFloat(-0), "-0.0"],
    [new PyFloat(1e16), "1e+16"],
    [0.1, "0.1"],
    [1e-5, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [123456789012345.6, "123456789012345.6"],
    [new PyFloat(1.7976931348623157e308), "1.7976931348623157e+308"],
    [2 ** 70, "1180591620717411303424"],
    [5e-324, "5e-324"],
    [Number.NaN, "NaN"],
    [Infinity, "Infinity"],
    [-Infinity, "-Infinity"],
    [[], "[]"],
    [{}, "{}"],
    [[1, [2, {}]], "[1, [2, {}]]"],
    [{ b: 1, a: [null] }, '{"b": 1, "a": [null]}'],
    [
      'é😀\u007f\u0000\u001f"\\\b\f\n\r\t/',
      '"\\u00e9\\ud83d\\ude00\\u007f\\u0000\\u001f\\"\\\\\\b\\f\\n\\r\\t/"',
    ],
  ])("%o -> %s", (value, expected) => {
    expect(stringifyJson(value)).toBe(expected);
  });

  it("leaves out keys whose value is undefined (absent optional fields)", () => {
    const value = { a: 1, b: undefined, c: 2 } as unknown as DocValue;
    expect(stringifyJson(value)).toBe('{"a": 1, "c": 2}');
  });

  it("refuses values outside the model and cycles", () => {
    expect(() => stringifyJson((() => 1) as unknown as DocValue)).toThrow(TypeError);
    expect(() => stringifyJson([undefined] as unknown as DocValue)).toThrow(TypeError);
    const cycle: DocValue[] = [];
    cycle.push(cycle);
    expect(() => stringifyJson(cycle)).toThrow(RangeError);
  });

  it("writes floats exactly as Python's json.dumps for 3000 doubles", () => {
    const special = [
      0,
      -0,
      1,
      -1,
      0.1,
      1e-4,
      9.999999999999999e-5,
      1e-5,
      1e-4,
      -1e-4,
      9.999999999999999e-5,
      0.00010000000000000002,
      1e15,
      -12345.0,
      9999999999999996,
      9999999999999998,
      1e16,
      1e22,
      1e21,
      2 ** 53,
      2 ** 63,
      5e-324,
      2.2250738585072014e-308,
      1.7976931348623157e308,
      123.456,
      1 / 3,
    ];
    const next = xorshift32(20261124);
    const view = new DataView(new ArrayBuffer(8));
    // Random bit patterns cover every exponent; short decimals cover typical readings.
    const random = Array.from({ length: 2000 }, () => {
      view.setUint32(0, next());
      view.setUint32(4, next());
      return view.getFloat64(0);
    }).filter(Number.isFinite);
    const decimal = Array.from(
      { length: 1000 },
      () => ((next() % 199999) - 99999) * 10 ** ((next() % 51) - 25),
    );
    const values = [...special, ...random, ...decimal];
    const hex = values.map((value) => {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value);
      return view.getBigUint64(0).toString(16).padStart(16, "0");
    });
    const expected = python(
      `import json, struct, sys
for h in sys.stdin.read().split():
    print(json.dumps(struct.unpack(">d", bytes.fromhex(h))[0]))`,
      [],
      hex.join("\n"),
    )
      .trimEnd()
      .split("\n");
    expect(values.map((v) => stringifyJson(floatValue(v)))).toEqual(expected);
    expect(values.map(pythonFloatRepr)).toEqual(
      expected.map((t) => ({ NaN: "nan", Infinity: "inf", "-Infinity": "-inf" })[t] ?? t),
    );
  });

  it("escapes strings exactly as Python's json.dumps (ensure_ascii)", () => {
    const strings = [
      ...randomStrings(300),
      ...Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)),
      "\ud800",
      "\udfff x",
    ];
    const expected = python(
      `import json, sys
for s in json.load(sys.stdin):
    print(json.dumps(s))`,
      [],
      // Python reads the input with ensure_ascii escapes, so lone surrogates survive the trip.
      `[${strings.map(quoteJsonString).join(",")}]`,
    )
      .trimEnd()
      .split("\n");
    expect(strings.map((text) => stringifyJson(text))).toEqual(expected);
  });
});
