/**
 * The SPEC writer's formatting primitives (docs/writer.md §3) against Python's behaviour: the
 * tables of the notes, a BigInt reference for 13-digit rounding, and the `#S`, `#D`, `#E` and
 * `#MD` lines of every apstools SpecWriterCallback2 reference output.
 */
import { readdirSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { type DocRecord, type DocValue, PyFloat, parseJson, pyTuple } from "@specx/documents";
import { referencePath, referenceText } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import {
  buildCommand,
  formatCommandValue,
  formatEpochHeader,
  formatSpecDate,
  intDigits,
  pythonFloatRepr,
  pythonRepr,
  pythonStr,
  render13,
  renderValue,
  roundHalfEven,
  unicodeEscape,
} from "../src/format/index.js";

// ---------------------------------------------------------------------------------------------
// Test-local helpers

const isIntValue = (v: DocValue | undefined): boolean =>
  typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));

/** Python truthiness, for `start.get("scan_id") or 1`. */
function truthy(v: DocValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "" || v === 0n) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

const scanNumber = (start: DocRecord): string =>
  truthy(start.scan_id) ? pythonStr(start.scan_id ?? null) : "1";

/**
 * An independent reference for apstools `render` of a finite double: the exact value as a
 * BigInt fraction, scaled and divided so that the quotient has 13 digits, rounded half to even.
 */
function referenceRender13(x: number): string {
  if (x === 0) return "0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const raw = view.getBigUint64(0);
  const biasedExp = Number((raw >> 52n) & 0x7ffn);
  const fraction = raw & ((1n << 52n) - 1n);
  const mant = biasedExp === 0 ? fraction : fraction | (1n << 52n);
  const exp2 = biasedExp === 0 ? -1074 : biasedExp - 1075;
  // |x| = num / den exactly
  const num0 = exp2 >= 0 ? mant << BigInt(exp2) : mant;
  const den0 = exp2 >= 0 ? 1n : 1n << BigInt(-exp2);
  let e = Math.floor(Math.log10(Math.abs(x)));
  for (;;) {
    const shift = 12 - e;
    const num = shift >= 0 ? num0 * 10n ** BigInt(shift) : num0;
    const den = shift >= 0 ? den0 : den0 * 10n ** BigInt(-shift);
    let q = num / den;
    if (q >= 10n ** 13n) {
      e++;
      continue;
    }
    if (q < 10n ** 12n) {
      e--;
      continue;
    }
    const twice = 2n * (num % den);
    if (twice > den || (twice === den && q % 2n === 1n)) q++;
    if (q === 10n ** 13n) {
      q = 10n ** 12n;
      e++;
    }
    const back = Number(`${q}e${e - 12}`);
    return pythonFloatRepr(x < 0 ? -back : back);
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers

describe("pythonFloatRepr", () => {
  it.each([
    [0.1, "0.1"],
    [0.30000000000000004, "0.30000000000000004"],
    [1, "1.0"],
    [-1, "-1.0"],
    [3000000, "3000000.0"],
    [1e15, "1000000000000000.0"],
    [9999999999999998, "9999999999999998.0"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [1e22, "1e+22"],
    [123456789012345680000, "1.2345678901234568e+20"],
    [1e-4, "0.0001"],
    [1.5e-4, "0.00015"],
    [1e-5, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [1700000000.25, "1700000000.25"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [5e-324, "5e-324"],
    [2.2250738585072014e-308, "2.2250738585072014e-308"],
    [0, "0.0"],
    [-0, "-0.0"],
    [Number.NaN, "nan"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NEGATIVE_INFINITY, "-inf"],
  ])("repr(%s) is %s", (x, expected) => {
    expect(pythonFloatRepr(x)).toBe(expected);
  });
});

describe("render13 (apstools render of a float)", () => {
  it.each([
    [0.30000000000000004, "0.3"],
    [1 / 3, "0.3333333333333"],
    [-1 / 3, "-0.3333333333333"],
    [-0.33333333333333337, "-0.3333333333333"],
    [123456789012345.6, "123456789012300.0"],
    [12345678901225.0, "12345678901220.0"], // exact tie: to even (toExponential gives …23)
    [12345678901235.0, "12345678901240.0"], // exact tie: to even, upwards
    [-12345678901225.0, "-12345678901220.0"],
    [1234567890122.5, "1234567890122.0"],
    [1234567890123.5, "1234567890124.0"],
    [9999999999999900.0, "1e+16"],
    [99999999999999.98, "100000000000000.0"],
    [3000000.0, "3000000.0"],
    [1.0, "1.0"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1e-5, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [0.0001, "0.0001"],
    [0.00012345678901234, "0.0001234567890123"],
    [0.00012345678901234567, "0.0001234567890123"],
    [123456789.12345679, "123456789.1235"],
    [1.7976931348623157e308, "1.797693134862e+308"],
    [5e-324, "5e-324"],
    [0.0, "0"],
    [-0.0, "0"],
    [0.5, "0.5"],
    [Number.NaN, "nan"],
    [Number.POSITIVE_INFINITY, "inf"],
    [Number.NEGATIVE_INFINITY, "-inf"],
  ])("render(%s) is %s", (x, expected) => {
    expect(render13(x)).toBe(expected);
  });

  const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
  // 13 digits, then a 5: the double nearest such a decimal is at, or just beside, a tie.
  const nearTie = fc
    .tuple(
      fc.bigInt(10n ** 12n, 10n ** 13n - 1n),
      fc.integer({ min: -336, max: 294 }),
      fc.boolean(),
    )
    .map(([digits, exp, negative]) => Number(`${negative ? "-" : ""}${digits}5e${exp}`))
    .filter(Number.isFinite);
  // 14 digits ending in 5 (then zeros): exact ties at 13 digits while below 2^53; halved, they
  // stay ties (…2.5); doubled or beyond 2^53, they land next to one.
  const integerTie = fc
    .tuple(
      fc.bigInt(10n ** 12n, 10n ** 13n - 1n),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: -4, max: 2 }),
      fc.boolean(),
    )
    .map(([n, zeros, shift, negative]) => {
      const x = Number((n * 10n + 5n) * 10n ** BigInt(zeros)) * 2 ** shift;
      return negative ? -x : x;
    });
  const subnormal = fc
    .bigInt(1n, 2n ** 52n - 1n)
    .map((m) => new Float64Array(new BigUint64Array([m]).buffer)[0] ?? 0);

  test.prop([fc.oneof(finiteDouble, nearTie, integerTie, subnormal)], { numRuns: 5000 })(
    "agrees with an exact BigInt round-half-even reference",
    (x) => {
      expect(render13(x)).toBe(referenceRender13(x));
    },
  );

  it("the reference itself rounds exact ties to even", () => {
    expect(referenceRender13(12345678901225.0)).toBe("12345678901220.0");
    expect(referenceRender13(12345678901235.0)).toBe("12345678901240.0");
  });
});

describe("renderValue (a data cell)", () => {
  it.each<[unknown, string | undefined]>([
    [5, "5"],
    [-7, "-7"],
    [0, "0"],
    [-0, "0"], // an int: no sign on zero
    [9007199254740991, "9007199254740991"],
    [12345678901234567890n, "12345678901234567890"],
    [2 ** 70, "1180591620717411303424"], // an integral number beyond 2^53: exact digits
    [new PyFloat(5), "5.0"],
    [new PyFloat(-0), "0"],
    [new PyFloat(1e16), "1e+16"],
    [2.5, "2.5"],
    [-0.33333333333333337, "-0.3333333333333"],
    [true, "True"],
    [false, "False"],
    [Number.NaN, "nan"],
    ["1.5", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
    [[1, 2, 3], undefined],
    [{ a: 1 }, undefined],
  ])("renderValue(%s) is %s", (value, expected) => {
    expect(renderValue(value)).toBe(expected);
  });

  it("intDigits gives the exact value of large doubles, as Python's str(int(x))", () => {
    expect(intDigits(1e21)).toBe("1000000000000000000000");
    expect(intDigits(278908409818195070000)).toBe("278908409818195066880");
    expect(intDigits(-(2 ** 53) - 2)).toBe("-9007199254740994");
  });
});

describe("roundHalfEven (Python round)", () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [0.49999999999999994, 0],
    [0.5000000000000001, 1],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [-0.49999999999999994, 0],
    [-0.4, 0],
    [2.6, 3],
    [-2.6, -3],
    [4503599627370495.5, 4503599627370496],
    [4503599627370494.5, 4503599627370494],
    [2 ** 60, 2 ** 60],
  ])("round(%s) is %s", (x, expected) => {
    expect(roundHalfEven(x)).toBe(expected);
  });

  it("never returns negative zero", () => {
    for (const x of [-0, -0.5, -0.4, -1e-300]) expect(Object.is(roundHalfEven(x), 0)).toBe(true);
  });

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 })])(
    "is the nearest integer, and even on ties",
    (x) => {
      const r = roundHalfEven(x);
      expect(Number.isInteger(r)).toBe(true);
      const distance = Math.abs(r - x);
      expect(distance).toBeLessThanOrEqual(0.5);
      if (distance === 0.5) expect(Math.abs(r % 2)).toBe(0);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Python str / repr

describe("pythonRepr and pythonStr", () => {
  it.each<[DocValue, string]>([
    [null, "None"],
    [true, "True"],
    [false, "False"],
    [5, "5"],
    [12345678901234567890n, "12345678901234567890"],
    [new PyFloat(5), "5.0"],
    [new PyFloat(-0), "-0.0"],
    [0.1, "0.1"],
    [1700000000.25, "1700000000.25"],
    [1e-5, "1e-05"],
    [0.00012345678901234567, "0.00012345678901234567"], // full repr, not rounded
    [Number.NaN, "nan"],
    [Number.NEGATIVE_INFINITY, "-inf"],
    [[], "[]"],
    [[1, 2.5, null, true], "[1, 2.5, None, True]"],
    [[[["m1"], "primary"]], "[[['m1'], 'primary']]"],
    [{}, "{}"],
    [{ ophyd: "1.10.6", bluesky: "1.14.0" }, "{'ophyd': '1.10.6', 'bluesky': '1.14.0'}"],
    [{ a: { b: [new PyFloat(0)] } }, "{'a': {'b': [0.0]}}"],
    // Tuples read from SPEC text print back as tuples.
    [pyTuple([]), "()"],
    [pyTuple(["a_stage_r"]), "('a_stage_r',)"],
    [pyTuple([1, new PyFloat(2), [3]]), "(1, 2.0, [3])"],
  ])("repr of %s is %s", (value, expected) => {
    expect(pythonRepr(value)).toBe(expected);
    if (typeof value !== "string") expect(pythonStr(value)).toBe(expected);
  });

  // Expected values from CPython 3.11 repr().
  it.each([
    ["plain", "'plain'"],
    ["", "''"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    ['it\'s "quoted"\tand\ttabbed', `'it\\'s "quoted"\\tand\\ttabbed'`],
    ["both ' and \" and \\", `'both \\' and " and \\\\'`],
    ["a\\b", "'a\\\\b'"],
    ["\r\n", "'\\r\\n'"],
    ["\x00\x1f\x7f\x80\xa0\xad", "'\\x00\\x1f\\x7f\\x80\\xa0\\xad'"],
    ["Fe₂O₃ é 😀", "'Fe₂O₃ é 😀'"],
    [
      "\u2028\ufeff\ud800\ue000\u{10ffff}\u3000\u200b\x85",
      "'\\u2028\\ufeff\\ud800\\ue000\\U0010ffff\\u3000\\u200b\\x85'",
    ],
  ])("repr of string %j is %s", (s, expected) => {
    expect(pythonRepr(s)).toBe(expected);
    expect(pythonStr(s)).toBe(s); // str() of a top-level string is raw
    expect(pythonRepr([s])).toBe(`[${expected}]`);
  });

  it("quotes dict keys and strings inside containers", () => {
    expect(pythonStr({ "it's": ["a\nb"] })).toBe(`{"it's": ['a\\nb']}`);
  });
});

describe("unicodeEscape (Python unicode_escape)", () => {
  it.each([
    ["plain 'quoted' \"text\"", "plain 'quoted' \"text\""],
    ["a\\b", "a\\\\b"],
    ["\t\n\r", "\\t\\n\\r"],
    ["\x00\x1f\x7f\x80\xff", "\\x00\\x1f\\x7f\\x80\\xff"],
    ["Fe₂O₃ é 😀", "Fe\\u2082O\\u2083 \\xe9 \\U0001f600"],
    ["\ud800", "\\ud800"],
  ])("unicode_escape of %j is %s", (s, expected) => {
    expect(unicodeEscape(s)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// #S command

describe("formatCommandValue and buildCommand", () => {
  it.each<[DocValue, string]>([
    ["x", "'x'"],
    ['it\'s "quoted"\tand\ttabbed', `'it's "quoted"\\tand\\ttabbed'`],
    ["é\\", "'\\xe9\\\\'"],
    [[1, 2.5, null, true], "[1, 2.5, None, True]"],
    [{ a: [1, 2.5, null, true], b: "x" }, "{a=[1, 2.5, None, True], b='x'}"],
    [new PyFloat(0), "0.0"],
    [-0.0008, "-0.0008"],
    [{}, "{}"],
  ])("fmt(%s) is %s", (value, expected) => {
    expect(formatCommandValue(value)).toBe(expected);
  });

  it("rebuilds the syn-values command", () => {
    const start: DocRecord = {
      plan_name: "scan",
      detectors: ["det", "flag"],
      motors: ["m1"],
      plan_args: {
        detectors: ["SynGauss(name='det', value=1)"],
        num: 4,
        args: ["SoftPositioner(name='m1', parent='table', settle_time=0.0)", -1, new PyFloat(1)],
        per_step: "None",
      },
    };
    expect(buildCommand(start)).toBe(
      "scan(detectors=['det', 'flag'], num=4, args='['m1', -1, 1.0]', per_step='None')",
    );
  });

  it("substitutes every plan_args key starting with motor", () => {
    const start: DocRecord = {
      plan_name: "p",
      motors: ["a", "b"],
      plan_args: { motor: "X", motors: 1, motorized: 2 },
    };
    expect(buildCommand(start)).toBe(
      "p(motor=['a', 'b'], motors=['a', 'b'], motorized=['a', 'b'])",
    );
  });

  it("applies get_name as apstools does", () => {
    const args = [
      "EpicsMotor(prefix='x', name='m2', settle_time=0.0)", // name= item, quotes kept
      "Thing(prefix='x')", // no name item: the whole str()
      "(name='leading paren')", // "(" at index 0 is not looked at
      "Odd(names)", // no "=": Python's item[:-1] is "name", the value is the whole item
      2.5,
      null,
    ];
    expect(buildCommand({ plan_name: "p", plan_args: { args } })).toBe(
      "p(args='['m2', Thing(prefix='x'), (name='leading paren'), names, 2.5, None]')",
    );
  });

  it("handles missing or odd pieces", () => {
    expect(buildCommand({ plan_name: "sscan_1D_plan" })).toBe("sscan_1D_plan()");
    expect(buildCommand({ plan_args: { num: 1 } })).toBe("(num=1)");
    expect(buildCommand({ plan_name: "p", plan_args: {} })).toBe("p()");
    // specx fix #14 (docs/writer.md §6): apstools raises KeyError; the raw plan_args value is
    // kept.
    expect(
      buildCommand({ plan_name: "count", plan_args: { detectors: ["det"], motor: "m1" } }),
    ).toBe("count(detectors=['det'], motor='m1')");
    // plan_args that is not a dict counts as absent (apstools raises).
    expect(buildCommand({ plan_name: "p", plan_args: null })).toBe("p()");
    // args that Python cannot iterate are formatted raw (apstools raises TypeError).
    expect(buildCommand({ plan_name: "p", plan_args: { args: 3 } })).toBe("p(args=3)");
    // a string args is iterated character by character, as in Python.
    expect(buildCommand({ plan_name: "p", plan_args: { args: "ab" } })).toBe("p(args='[a, b]')");
  });
});

// ---------------------------------------------------------------------------------------------
// Dates

describe("formatSpecDate and formatEpochHeader", () => {
  it.each<[number, string, string]>([
    [1700000000.25, "UTC", "Tue Nov 14 22:13:20 2023"],
    [1700006400, "UTC", "Wed Nov 15 00:00:00 2023"], // midnight is 00, never 24
    [1551888078, "America/New_York", "Wed Mar 06 11:01:18 2019"],
    [1551888078, "UTC", "Wed Mar 06 16:01:18 2019"],
    [1562000000, "America/New_York", "Mon Jul 01 12:53:20 2019"], // daylight time
    [0, "UTC", "Thu Jan 01 00:00:00 1970"],
    [-1.5, "UTC", "Wed Dec 31 23:59:58 1969"],
    [-1.0000004, "UTC", "Wed Dec 31 23:59:59 1969"], // Python rounds to whole microseconds first
    [-1e-7, "UTC", "Thu Jan 01 00:00:00 1970"],
    [1700000000.9999995, "UTC", "Tue Nov 14 22:13:21 2023"],
    [1700000000.9999993, "UTC", "Tue Nov 14 22:13:20 2023"],
  ])("date(%s) in %s is %s", (t, zone, expected) => {
    expect(formatSpecDate(t, zone)).toBe(expected);
  });

  it("uses the process's local zone by default", () => {
    const local = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const t of [0, 1551888078, 1700000000.25]) {
      expect(formatSpecDate(t)).toBe(formatSpecDate(t, local));
    }
  });

  it("rejects an unknown zone", () => {
    expect(() => formatSpecDate(0, "Not/AZone")).toThrow(RangeError);
  });

  it.each<[number | PyFloat | bigint, string]>([
    [1700000000.25, "1700000000.25"],
    [1600216652.4697354, "1600216652.4697354"],
    [new PyFloat(1700000000), "1700000000.0"],
    [1700000000, "1700000000"],
    [12345678901234567890n, "12345678901234567890"],
  ])("#E of %s is %s", (t, expected) => {
    expect(formatEpochHeader(t)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Reference outputs of apstools SpecWriterCallback2

/** A reference JSON stream (gunzipped when it ends in `.gz`), by its path in writer-reference. */
function readStream(relative: string): [string, DocRecord][] {
  return parseJson(referenceText(relative)) as unknown as [string, DocRecord][];
}

interface ReferenceCase {
  spec: string;
  stream: string;
}

function referenceCases(): ReferenceCase[] {
  const cases: ReferenceCase[] = [];
  for (const group of ["apstools", "synthetic"]) {
    for (const name of readdirSync(referencePath(`${group}/streams`))) {
      const base = name.replace(/\.json(\.gz)?$/, "");
      if (base === name) continue; // the msgpack twin of a JSON stream
      cases.push({ spec: `${group}/v2/${base}.spec`, stream: `${group}/streams/${name}` });
    }
  }
  for (const name of readdirSync(referencePath("synthetic/v2"))) {
    if (name.startsWith("api-")) {
      cases.push({
        spec: `synthetic/v2/${name}`,
        stream: "synthetic/streams/syn-values.json",
      });
    }
  }
  return cases;
}

describe("reference outputs", () => {
  const cases = referenceCases();

  it("finds every v2 reference output", () => {
    expect(cases.length).toBe(17);
  });

  describe.each(cases)("$spec", ({ spec, stream }) => {
    const lines = referenceText(spec).split("\n");
    const starts = readStream(stream)
      .filter(([name]) => name === "start")
      .map(([, doc]) => doc);

    it("has the #S lines of its start documents, in order, and their #D and #MD lines", () => {
      const expected = starts.map((start) => `#S ${scanNumber(start)}  ${buildCommand(start)}`);
      let j = 0;
      let checked = 0;
      for (const [index, line] of lines.entries()) {
        if (!line.startsWith("#S ")) continue;
        // A run without a primary stream has no #S line; a run with two primary descriptors
        // has two, so the same start may match again. Runs are told apart by the uid of the
        // #C line after #D, since commands repeat.
        const uidLine = lines[index + 2] ?? "";
        const from = j;
        while (
          j < expected.length &&
          !(
            expected[j] === line &&
            uidLine.endsWith(`.  uid = ${pythonStr(starts[j]?.uid ?? null)}`)
          )
        ) {
          j++;
        }
        if (j === expected.length) {
          // Show the nearest candidate as a readable diff.
          expect(line).toBe(expected[from]);
          expect.fail(`no start document with the uid of ${uidLine}`);
        }
        const start = starts[j] as DocRecord;
        expect(lines[index + 1]).toBe(`#D ${formatSpecDate(Number(start.time), "UTC")}`);
        const end = lines.findIndex((l, k) => k > index && l.startsWith("#N "));
        const block = lines.slice(index + 1, end).join("\n");
        const md = Object.entries(start)
          .filter(([key]) => !["scan_id", "time", "uid"].includes(key))
          .map(([key, value]) => `#MD ${key} = ${pythonStr(value)}`)
          .join("\n");
        expect(block).toContain(md);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });

    it("has #E from the first start document", () => {
      const first = starts[0];
      const epochs = lines.filter((line) => line.startsWith("#E "));
      // api-newfile-second.spec has no file header at all (bug 6 of docs/writer.md §6).
      const headers = spec.endsWith("api-newfile-second.spec") ? 0 : 1;
      expect(Math.min(epochs.length, 1)).toBe(headers);
      for (const line of epochs) {
        expect(line).toBe(`#E ${formatEpochHeader(first?.time as number | PyFloat | bigint)}`);
      }
    });
  });

  // Single-run outputs: every data row and #U line from the primary events (docs/writer.md
  // §3.3, §5).
  it.each([
    "apstools/streams/uid-219cc7b4.json",
    "apstools/streams/uid-34c84a1b.json",
    "apstools/streams/uid-3ab777ae.json",
    "apstools/streams/uid-f05b6684.json",
    "apstools/streams/hklpy-26aac337.json",
    "apstools/streams/hklpy-7ab721bd.json",
    "apstools/streams/440-624e776a-unpacked.json",
    "synthetic/streams/syn-values.json",
    "synthetic/streams/syn-nan.json",
  ])("the rows of %s", (path) => {
    const docs = readStream(path);
    const spec = path.replace("/streams/", "/v2/").replace(/\.json$/, ".spec");
    const lines = referenceText(spec).split("\n");
    const start = docs.find(([name]) => name === "start")?.[1] as DocRecord;
    const primary = new Set(
      docs
        .filter(([name, doc]) => name === "descriptor" && doc.name === "primary")
        .map(([, doc]) => doc.uid),
    );
    const labelIndex = lines.findIndex((line) => line.startsWith("#L "));
    const labels = (lines[labelIndex] ?? "").slice(3).split("  ");
    const rowEnd = lines.findIndex((line, k) => k > labelIndex && line.startsWith("#C "));
    const actual = lines
      .slice(labelIndex + 1, rowEnd === -1 ? undefined : rowEnd)
      .filter((l) => l !== "");
    const expected: string[] = [];
    for (const [name, event] of docs) {
      if (name !== "event" || !primary.has(event.descriptor ?? null)) continue;
      const data = event.data as DocRecord;
      const dt = Number(event.time) - Number(start.time);
      const dtIsFloat = !(isIntValue(event.time) && isIntValue(start.time));
      const cells: string[] = [];
      const notes: string[] = [];
      for (const label of labels) {
        if (label === "Epoch") cells.push(intDigits(roundHalfEven(dt)));
        else if (label === "Epoch_float") cells.push(dtIsFloat ? render13(dt) : intDigits(dt));
        else {
          const value = data[label];
          const cell = renderValue(value);
          cells.push(cell ?? pythonStr(event.seq_num ?? null));
          if (cell === undefined) notes.push(`#U ${label} = ${pythonStr(value ?? null)}`);
        }
      }
      expected.push(cells.join(" "), ...notes);
    }
    expect(actual.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected.slice(0, actual.length));
  });
});
