/**
 * Property tests: nothing throws, every byte comes back, and well-formed files parse to the model
 * they were generated from. Runs are seeded (fast-check's default seed is printed on failure).
 */
import { fc, test } from "@fast-check/vitest";
import { corpusFiles } from "@specx/test-support";
import { describe, expect } from "vitest";
import { type LiteralValue, parse, print, type SpecFile } from "../src/index.js";
import { expectSameBytes } from "./helpers.js";

const corpus = corpusFiles().map((file) => file.bytes);

/** Interprets everything, as a user walking the whole model would. */
function touchEverything(file: SpecFile): void {
  file.diagnostics;
  file.preamble;
  for (const scan of file.scans) {
    for (const column of scan.data.columns) expect(column.length).toBe(scan.data.rows);
    expect(scan.positioners).toBeInstanceOf(Array);
  }
}

const encoder = new TextEncoder();

/** Lines that look like SPEC, including every troublesome shape docs/spec-format.md mentions. */
const specLine = fc.oneof(
  fc.constantFrom(
    "#F file.spec",
    "#E 1393945200",
    "#E",
    "#D Tue Mar 04 10:00:00 2014",
    "#D 1393950245.5",
    "#C comment",
    "#C Tue Mar 04 10:15:02 2014.  Scan aborted after 2 points.",
    "#O0 Two Theta  theta  chi",
    "#O0 a b c",
    "#o0 tth th chi",
    "#P0 1 2 3",
    "#P0 ",
    "#S 1 ascan  th 0 1  2 1",
    "#S  5",
    "#S1",
    "#S",
    "#SAMPLE quartz",
    "#N 3",
    "#N 3 2",
    "#N 0",
    "#L a  b  c",
    "#L a b c",
    "#L ",
    "#MD k = {'a': [1, 2.5, None]}",
    "#MD broken",
    "#MD x = 'unterminated",
    '#UXML <group name="g">',
    "#UXML </group>",
    "#UXML <a \\",
    "#@CALIB 1 2 3 mca1",
    "#@CHANN 10 0 9 1",
    "#@ROI  CuKa(mca1 R0) 400 440",
    "#H0  x  y",
    "#V0  1  ",
    "#V3 1 2",
    "@A 1 2 3\\",
    "@A1 1 2",
    " 4 5 6\\",
    " 7 8 9",
    "1 2 3",
    "1 2",
    "1 2 3 4",
    "nan inf None",
    "1d3 True x",
    "3.1 20417#C Tue Mar 04 10:15:02 2014.  Scan aborted after 12 points.",
    "   #C indented",
    "@B other",
    "",
    "   ",
    "\t",
  ),
  fc.string({ maxLength: 30 }),
);
const eol = fc.constantFrom("\n", "\r\n", "\r", "");

const specLikeBytes = fc
  .array(fc.tuple(specLine, eol), { maxLength: 60 })
  .map((lines) => encoder.encode(lines.map(([text, end]) => text + end).join("")));

describe("never throws, always prints back the same bytes", () => {
  test.prop([fc.uint8Array({ maxLength: 3000 })], { numRuns: 300 })("arbitrary bytes", (bytes) => {
    const file = parse(bytes);
    touchEverything(file);
    expectSameBytes(print(file), bytes);
  });

  test.prop([specLikeBytes], { numRuns: 500 })("SPEC-like lines with any line ends", (bytes) => {
    const file = parse(bytes);
    touchEverything(file);
    expectSameBytes(print(file), bytes);
    expect(file.diagnostics.filter((d) => d.code === "INTERNAL")).toEqual([]);
  });

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }),
    }),
    fc.record({ kind: fc.constant("line-ends" as const), to: fc.constantFrom("\r\n", "\r") }),
  );

  test.prop(
    [fc.nat(corpus.length - 1), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 })],
    { numRuns: 150 },
  )("mutated corpus files", (fileIndex, sliceStart, mutations) => {
    // A 20 kB window of a real file keeps each run fast while covering every file.
    const source = corpus[fileIndex] as Uint8Array;
    const start = source.length > 20000 ? sliceStart % (source.length - 20000) : 0;
    let bytes: Uint8Array = source.slice(start, start + 20000);
    for (const m of mutations) bytes = mutate(bytes, m);
    const file = parse(bytes);
    touchEverything(file);
    expectSameBytes(print(file), bytes);
  });
});

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "truncate"; at: number }
  | { kind: "delete-line"; at: number }
  | { kind: "duplicate-line"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "line-ends"; to: string };

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (bytes.length === 0) return bytes;
  const at = "at" in m ? m.at % bytes.length : 0;
  const lineStart = bytes.lastIndexOf(10, at) + 1;
  const lineEnd = bytes.indexOf(10, at) < 0 ? bytes.length : bytes.indexOf(10, at) + 1;
  switch (m.kind) {
    case "flip": {
      const copy = bytes.slice();
      copy[at] = (copy[at] as number) ^ (1 << m.bit);
      return copy;
    }
    case "truncate":
      return bytes.slice(0, at);
    case "delete-line":
      return concat(bytes.slice(0, lineStart), bytes.slice(lineEnd));
    case "duplicate-line":
      return concat(bytes.slice(0, lineEnd), bytes.slice(lineStart, lineEnd), bytes.slice(lineEnd));
    case "insert":
      return concat(bytes.slice(0, at), m.bytes, bytes.slice(at));
    case "line-ends":
      return encoder.encode(new TextDecoder("latin1").decode(bytes).replaceAll("\n", m.to));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated well-formed files parse to the model they were generated from.
// ---------------------------------------------------------------------------------------------

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,7}( [A-Za-z0-9]{1,4})?$/);
const mnemonic = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const value = fc.oneof(
  { weight: 6, arbitrary: finite },
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

const literal: fc.Arbitrary<LiteralValue> = fc.letrec<{ value: LiteralValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }).filter((s) => !s.includes("\n")),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

interface GeneratedScan {
  number: number;
  command: string;
  labels: string[];
  rows: number[][];
  positions: number[];
  metadata: [string, LiteralValue][];
  comments: string[];
}

interface GeneratedFile {
  motors: { name: string; mnemonic: string }[];
  scans: GeneratedScan[];
}

const generatedFile: fc.Arbitrary<GeneratedFile> = fc
  .record({
    motors: fc.uniqueArray(fc.record({ name, mnemonic }), {
      minLength: 1,
      maxLength: 20,
      selector: (m) => m.name,
    }),
    width: fc.integer({ min: 1, max: 8 }),
    scanCount: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ motors, width, scanCount }) =>
    fc.record({
      motors: fc.constant(motors),
      scans: fc.array(
        fc.record({
          number: fc.integer({ min: 1, max: 5 }),
          command: fc.stringMatching(/^[a-z]{2,6}( [a-z0-9.]{1,5}){0,3}( {2}[0-9]{1,2} [0-9])?$/),
          labels: fc.array(name, { minLength: width, maxLength: width }),
          rows: fc.array(fc.array(value, { minLength: width, maxLength: width }), {
            maxLength: 12,
          }),
          positions: fc.array(finite, { minLength: motors.length, maxLength: motors.length }),
          metadata: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), literal), {
            maxLength: 4,
            selector: ([key]) => key,
          }),
          comments: fc.array(fc.stringMatching(/^[ -~]{0,30}$/), { maxLength: 2 }),
        }),
        { minLength: scanCount, maxLength: scanCount },
      ),
    }),
  );

/** Python's repr of a literal value, as apstools writes `#MD` values. */
function pythonRepr(value: LiteralValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : numberText(value);
  }
  if (typeof value === "string")
    return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
    .join(", ")}}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return Object.is(value, -0) ? "-0.0" : String(value);
}

function render(file: GeneratedFile): string {
  const out = [
    "#F generated.spec",
    "#E 1393945200",
    "#D Tue Mar 04 10:00:00 2014",
    "#C test  User = specx",
  ];
  for (let row = 0; row * 8 < file.motors.length; row++) {
    const motors = file.motors.slice(row * 8, row * 8 + 8);
    out.push(`#O${row} ${motors.map((m) => m.name.padStart(8)).join("  ")}`);
    out.push(`#o${row} ${motors.map((m) => m.mnemonic).join(" ")}`);
  }
  for (const scan of file.scans) {
    out.push(
      "",
      `#S ${scan.number}  ${scan.command}`,
      "#D Tue Mar 04 10:05:00 2014",
      "#T 1  (Seconds)",
    );
    for (let row = 0; row * 8 < scan.positions.length; row++) {
      out.push(
        `#P${row} ${scan.positions
          .slice(row * 8, row * 8 + 8)
          .map(numberText)
          .join(" ")}`,
      );
    }
    for (const [key, v] of scan.metadata) out.push(`#MD ${key} = ${pythonRepr(v)}`);
    out.push(`#N ${scan.labels.length}`, `#L ${scan.labels.join("  ")}`);
    scan.rows.forEach((row, i) => {
      out.push(row.map(numberText).join(" "));
      if (i === 0) for (const comment of scan.comments) out.push(`#C ${comment}`);
    });
  }
  return `${out.join("\n")}\n`;
}

describe("generated well-formed files", () => {
  test.prop([generatedFile], { numRuns: 200 })("parse to the generating model", (generated) => {
    const text = render(generated);
    const file = parse(text);
    expect(file.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expectSameBytes(print(file), encoder.encode(text));
    const seen = new Map<number, number>();
    generated.scans.forEach((want, i) => {
      const occurrence = (seen.get(want.number) ?? 0) + 1;
      seen.set(want.number, occurrence);
      const scan = file.scanAt(i);
      expect(scan?.key).toBe(`${want.number}.${occurrence}`);
      expect(scan?.command).toBe(want.command);
      expect(scan?.labels).toEqual(want.labels);
      expect(scan?.data.rows).toBe(want.rows.length);
      want.rows.forEach((row, r) => {
        expect(scan?.data.columns.map((column) => column[r])).toEqual(row);
      });
      expect(scan?.positioners.map((p) => [p.name, p.mnemonic, p.value])).toEqual(
        generated.motors.map((m, k) => [m.name, m.mnemonic, want.positions[k]]),
      );
      expect(scan?.metadata).toEqual(Object.fromEntries(want.metadata));
      expect(scan?.comments.map((c) => [c.text, c.afterRow])).toEqual(
        want.rows.length > 0 ? want.comments.map((c) => [c, 1]) : [],
      );
    });
  });
});
