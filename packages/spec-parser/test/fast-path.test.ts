/**
 * The fast paths of issue 6 against the general ones: plain rows read straight from the text
 * give the model that reading every token gives, on every real file and on generated rows.
 */
import { fc, test as propertyTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { readPlainValues, readValue } from "../src/model/text.js";
import { memorySource, openSpec, parse, SpecFile } from "../src/node.js";
import { everySpecFile } from "./helpers.js";

const ascii = (text: string) => new TextEncoder().encode(text);

/** Everything a scan's rows decide: the table, the comments and the findings. */
function rowsView(file: SpecFile) {
  return file.scans.map((scan) => ({
    key: scan.key,
    labels: scan.labels,
    table: { ...scan.data, columns: scan.data.columns.map((column) => Array.from(column)) },
    comments: scan.comments,
    mca: scan.mca?.spectra.map((spectrum) => Array.from(spectrum.values)),
    diagnostics: scan.diagnostics,
  }));
}

/** Everything a scan's spectra decide: the whole MCA model and the findings. */
function spectraView(file: SpecFile) {
  return file.scans.map((scan) => ({
    key: scan.key,
    mca: scan.mca && {
      ...scan.mca,
      spectra: scan.mca.spectra.map((spectrum) => ({
        ...spectrum,
        values: Array.from(spectrum.values),
      })),
      devices: scan.mca.devices.map((device) => ({
        ...device,
        spectra: device.spectra.map((values) => Array.from(values)),
      })),
    },
    diagnostics: scan.diagnostics,
  }));
}

describe("spectra read from the bytes give the model of spectra read as text", () => {
  test.each(everySpecFile())("%s", (_, path) => {
    const fast = openSpec(path as string);
    const general = openSpec(path as string, { plainRows: false });
    expect(spectraView(fast)).toEqual(spectraView(general));
  });

  /** Values of every shape, with bytes that are not ASCII (valid UTF-8 or not) among them. */
  const value = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 70000 }).map(String) },
    fc.constantFrom("nan", "inf", "-Infinity", "None", "-0", "+5", ".5", "5.", "1e308", "1e400"),
    fc.constantFrom("0x1F", "1d3", "12ab", "-", "x\\y", "1.5", "-2.5e-3", "1234567890123456"),
    fc.constantFrom("\u00e9", "caf\u00e9", "\ud83d\ude00", "\xff", "1\xe92"),
  );
  const blank = fc.constantFrom(" ", "  ", "\t", " \t", "\v");
  const eol = fc.constantFrom("\n", "\r\n", "\r");
  /** A spectrum: its `@` line and continuation lines, each ending in a backslash but the last. */
  const spectrum = fc.record({
    device: fc.constantFrom("@A", "@A1", "@AMCA", "@ketek", "@A\u00e9", "@B\xff"),
    lines: fc.array(fc.array(fc.tuple(value, blank), { maxLength: 6 }), {
      minLength: 1,
      maxLength: 4,
    }),
    gap: blank,
    afterBackslash: fc.constantFrom("", " ", "\t "),
    unterminated: fc.boolean(),
    eol,
  });
  /** Latin-1 for the `\xff`-style characters, so that some lines are not valid UTF-8. */
  const bytesOf = (text: string) => {
    const out: number[] = [];
    for (const char of text) {
      const code = char.codePointAt(0) as number;
      if (code >= 0x80 && code <= 0xff && char !== "\u00e9") out.push(code);
      else out.push(...new TextEncoder().encode(char));
    }
    return Uint8Array.from(out);
  };

  propertyTest.prop([fc.array(spectrum, { minLength: 1, maxLength: 5 }), fc.boolean()], {
    seed: 16,
    numRuns: 300,
  })("on generated spectra with odd values, blanks and line ends", (spectra, rows) => {
    const body = spectra
      .map((s, k) => {
        const lines = s.lines.map((pairs, i) => {
          const text = pairs.map(([v, b]) => v + b).join("");
          const more = i < s.lines.length - 1 || s.unterminated;
          // A value may touch the backslash, or the device name the first value.
          return `${i === 0 ? s.device + s.gap : " "}${text}${more ? `\\${s.afterBackslash}` : ""}${s.eol}`;
        });
        return `${rows ? `${k} ${k * 10}\n` : ""}${lines.join("")}`;
      })
      .join("");
    const bytes = bytesOf(`#S 1 ascan\n#N 2\n#@MCA 16C\n#@CHANN 4 0 3 1\n#L x  y\n${body}#C end\n`);
    const fast = new SpecFile(memorySource(bytes));
    const general = new SpecFile(memorySource(bytes), { plainRows: false });
    expect(spectraView(fast)).toEqual(spectraView(general));
  });
});

describe("plain rows read as numbers give the model of rows read as tokens", () => {
  test.each(everySpecFile())("%s", (_, path) => {
    const fast = openSpec(path as string);
    const general = openSpec(path as string, { plainRows: false });
    expect(rowsView(fast)).toEqual(rowsView(general));
  });

  test("a scan with MCA spectra between its rows keeps every channel", () => {
    const spectrum = (seed: number) =>
      Array.from({ length: 40 }, (_, i) => (seed * 31 + i * 7) % 1000)
        .join(" ")
        .replace(/((?:\S+ ){15}\S+) /g, "$1\\\n ");
    const rows = [1, 2, 3].map((r) => `${r} ${r * 10}\n@A ${spectrum(r)}\n`).join("");
    const text = `#S 1 ascan\n#N 2\n#@CHANN 40 0 39 1\n#L x  y\n${rows}`;
    const scan = parse(text).scanAt(0);
    expect(scan?.data.columns.map((column) => Array.from(column))).toEqual([
      [1, 2, 3],
      [10, 20, 30],
    ]);
    expect(scan?.mca?.spectra.map((s) => s.values.length)).toEqual([40, 40, 40]);
    expect(scan?.diagnostics).toEqual([expect.objectContaining({ code: "MISSING_DATE" })]);
  });
});

/** A plain decimal token in any of the ways writers print numbers. */
const plainToken = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc
    .tuple(
      fc.constantFrom("", "-", "+"),
      fc.stringMatching(/^[0-9]{0,18}$/),
      fc.constantFrom("", "."),
      fc.stringMatching(/^[0-9]{0,18}$/),
      fc.constantFrom("", "e", "E"),
      fc.constantFrom("", "-", "+"),
      fc.stringMatching(/^[0-9]{1,3}$/),
    )
    .map(([sign, whole, point, fraction, e, expSign, exp]) => {
      const mantissa = `${whole || (point ? "" : "0")}${point}${point && !whole && !fraction ? "5" : fraction}`;
      return `${sign}${mantissa}${e ? `${e}${expSign}${exp}` : ""}`;
    }),
);
/** Tokens the fast path must refuse, leaving them to readValue. */
const otherToken = fc.constantFrom("nan", "NaN", "inf", "-Infinity", "None", "True", "1.5d3", "x");

/** One row through readPlainValues, each token into row `row` of its own column. */
function readPlainRow(
  bytes: Uint8Array,
  start: number,
  end: number,
  columns: Float64Array[],
  row: number,
  integers: Uint8Array,
): number {
  const values = new Float64Array(columns.length);
  const count = readPlainValues(bytes, start, end, values, 0, 1, columns.length, integers);
  for (let c = 0; c < count; c++) (columns[c] as Float64Array)[row] = values[c] as number;
  return count;
}

describe("readPlainValues, one row at a time", () => {
  propertyTest.prop(
    [fc.array(plainToken, { minLength: 1, maxLength: 12 }), fc.constantFrom(" ", "  ", "\t")],
    {
      seed: 6,
      numRuns: 2000,
    },
  )(
    "plain tokens read as Number() reads them, integers flagged as readValue does",
    (tokens, blank) => {
      const text = `${blank}${tokens.join(blank)}${blank}`;
      const columns = tokens.map(() => new Float64Array(1));
      const integers = new Uint8Array(tokens.length).fill(1);
      expect(readPlainRow(ascii(text), 0, text.length, columns, 0, integers)).toBe(tokens.length);
      tokens.forEach((token, c) => {
        expect(Object.is(columns[c]?.[0], Number(token))).toBe(true);
        expect(integers[c] === 1).toBe(readValue(token).kind === "integer");
      });
    },
  );

  propertyTest.prop(
    [fc.array(plainToken, { maxLength: 6 }), otherToken, fc.array(plainToken, { maxLength: 6 })],
    {
      seed: 6,
    },
  )("any other token sends the row to the general path", (before, other, after) => {
    const tokens = [...before, other, ...after];
    const text = tokens.join(" ");
    const columns = tokens.map(() => new Float64Array(1));
    expect(
      readPlainRow(ascii(text), 0, text.length, columns, 0, new Uint8Array(tokens.length)),
    ).toBe(-1);
  });

  test("more values than columns, a glued comment or a lone sign are refused", () => {
    const read = (text: string, width: number) =>
      readPlainRow(
        ascii(text),
        0,
        text.length,
        Array.from({ length: width }, () => new Float64Array(1)),
        0,
        new Uint8Array(width),
      );
    expect(read("1 2 3", 2)).toBe(-1);
    expect(read("1 2#C x", 2)).toBe(-1);
    expect(read("1 -", 2)).toBe(-1);
    expect(read("1 .", 2)).toBe(-1);
    expect(read("1 2e", 2)).toBe(-1);
    expect(read("  ", 2)).toBe(0);
    // Only [start, end) is read: the rest of the text is another row.
    expect(
      readPlainRow(
        ascii("1 2\n3 4"),
        0,
        3,
        [new Float64Array(1), new Float64Array(1)],
        0,
        new Uint8Array(2),
      ),
    ).toBe(2);
  });
});

describe("table sizes come from the data, never from a count or one long row", () => {
  test("a first row of 100,000 values over short rows is read the general way", () => {
    const text = `#S 1 x\n#L a\n${Array(100_000).fill("1").join(" ")}\n${"2\n".repeat(2000)}`;
    const scan = parse(text).scanAt(0);
    expect(scan?.data.rows).toBe(2001);
    expect(scan?.data.columns.length).toBe(1);
    expect(scan?.data.extras[0]?.raw.length).toBe(99_999);
    expect(scan?.diagnostics.map((d) => d.code)).toContain("ROW_TOO_LONG");
  });

  test("#N larger than the scan's bytes is not believed", () => {
    const wrapped = parse("#S 1 x\n#N 100000000 1\n#L a\n1\n2\n").scanAt(0);
    expect(wrapped?.data.columns.map((column) => Array.from(column))).toEqual([[1, 2]]);
    expect(wrapped?.diagnostics.map((d) => d.code)).toContain("N_L_MISMATCH");
    const empty = parse("#S 1 x\n#N 100000000\n").scanAt(0);
    expect(empty?.data.columns).toEqual([]);
    // A believable #N still names the columns of a scan without rows.
    expect(parse("#S 1 x\n#N 3\n").scanAt(0)?.data.names).toEqual(["col1", "col2", "col3"]);
  });
});

describe("a table read into one buffer that is not cleared first", () => {
  // Node's parse() reads plain tables into unzeroed memory (node.ts): every cell must be written,
  // and a table that leaves the fast path half-way must not show what was in that memory.
  propertyTest.prop(
    [
      fc.integer({ min: 1, max: 8 }).chain((width) =>
        fc.array(fc.array(plainToken, { minLength: width, maxLength: width }), {
          minLength: 1,
          maxLength: 30,
        }),
      ),
      fc.constantFrom(" ", "  ", "\t"),
      fc.option(fc.tuple(fc.nat(), otherToken), { nil: undefined }),
    ],
    { seed: 16, numRuns: 500 },
  )("gives the model of rows read as tokens", (rows, blank, other) => {
    const lines = rows.map((tokens) => tokens.join(blank));
    if (other) lines[other[0] % lines.length] += ` ${other[1]}`;
    const labels = (rows[0] ?? []).map((_, c) => `c${c}`).join("  ");
    const text = `#S 1 ascan\n#L ${labels}\n${lines.join("\n")}\n`;
    // Dirty memory first, so that a cell left unwritten would show a value.
    new Float64Array(Buffer.allocUnsafeSlow(8 * 4096).buffer).fill(-7.5);
    const fast = parse(text);
    const general = new SpecFile(memorySource(ascii(text)), { plainRows: false });
    expect(rowsView(fast)).toEqual(rowsView(general));
  });
});
