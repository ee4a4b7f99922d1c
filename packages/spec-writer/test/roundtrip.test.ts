/**
 * Every file the writer produces parses with the specx parser, with no error diagnostics, and
 * gives back the written values exactly (fast-check over generated runs).
 */

import { fc, test } from "@fast-check/vitest";
import { type DocRecord, type DocValue, PyFloat } from "@specx/documents";
import { type LiteralValue, parse } from "@specx/spec-parser";
import { describe, expect } from "vitest";
import { createSpecWriter, pythonStr, render13 } from "../src/index.js";

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const special = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  new PyFloat(-0),
  new PyFloat(0),
  1e-300,
  1e300,
  -1e-300,
);
const float = fc.oneof(
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((x) => (Number.isInteger(x) ? new PyFloat(x) : x)),
  special,
);
const int = fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));
/** Strings that no literal parser could mistake for another type. */
const word = fc
  .stringMatching(/^[a-z][a-z .,:;!?'"\\\t-]{0,15}$/)
  .filter((s) => !/^(nan|inf)/.test(s) && !/^[rbu]{1,2}['"]/.test(s));
const cell: fc.Arbitrary<DocValue> = fc.oneof(
  { weight: 5, arbitrary: float },
  { weight: 2, arbitrary: int },
  fc.boolean(),
  word,
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), word), { maxLength: 3 }),
);
const metadataValue: fc.Arbitrary<DocValue> = fc.letrec<{ value: DocValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
    fc.boolean(),
    fc.constant(null),
    word,
    fc.stringMatching(/^[a-z]{1,5}\n[a-z ]{0,5}$/),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const run = fc
  .record({
    motors: fc.uniqueArray(name, { maxLength: 12 }),
    detectors: fc.uniqueArray(
      name.map((n) => `d_${n}`),
      { minLength: 1, maxLength: 4 },
    ),
    scanId: fc.integer({ min: 1, max: 500 }),
    metadata: fc.uniqueArray(
      fc.tuple(
        name.map((n) => `md_${n}`),
        metadataValue,
      ),
      {
        maxLength: 5,
        selector: ([key]) => key,
      },
    ),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      motorValues: fc.array(float, {
        minLength: shape.motors.length,
        maxLength: shape.motors.length,
      }),
      rows: fc.array(
        fc.array(cell, { minLength: shape.detectors.length, maxLength: shape.detectors.length }),
        {
          maxLength: 8,
        },
      ),
    }),
  );

/** The documents of a generated run. */
function documents(generated: GeneratedRun): [string, DocRecord][] {
  const { shape, motorValues, rows } = generated;
  const uid = "run-0001";
  const start: DocRecord = {
    uid,
    time: 1700000000.5,
    scan_id: shape.scanId,
    plan_name: "count",
    detectors: shape.detectors,
    plan_args: { detectors: shape.detectors, num: rows.length },
    ...Object.fromEntries(shape.metadata),
  };
  const dataKeys = (names: string[]) =>
    Object.fromEntries(names.map((n) => [n, { source: `SIM:${n}`, dtype: "number", shape: [] }]));
  const docs: [string, DocRecord][] = [["start", start]];
  if (shape.motors.length > 0) {
    docs.push(
      [
        "descriptor",
        {
          uid: "d-motors",
          run_start: uid,
          time: 1700000000.6,
          name: "label_start_motor",
          data_keys: dataKeys(shape.motors),
          configuration: Object.fromEntries(
            shape.motors.map((m) => [m, { data: {}, timestamps: {}, data_keys: {} }]),
          ),
          object_keys: Object.fromEntries(shape.motors.map((m) => [m, [m]])),
        },
      ],
      [
        "event",
        {
          uid: "e-motors",
          descriptor: "d-motors",
          seq_num: 1,
          time: 1700000000.7,
          data: Object.fromEntries(shape.motors.map((m, i) => [m, motorValues[i] ?? 0])),
          timestamps: {},
        },
      ],
    );
  }
  docs.push([
    "descriptor",
    {
      uid: "d-primary",
      run_start: uid,
      time: 1700000000.8,
      name: "primary",
      data_keys: dataKeys(shape.detectors),
      object_keys: Object.fromEntries(shape.detectors.map((d) => [d, [d]])),
      hints: {},
    },
  ]);
  rows.forEach((row, i) => {
    docs.push([
      "event",
      {
        uid: `e-${i}`,
        descriptor: "d-primary",
        seq_num: i + 1,
        time: 1700000001 + i * 0.25,
        data: Object.fromEntries(shape.detectors.map((d, k) => [d, row[k] ?? null])),
        timestamps: {},
      },
    ]);
  });
  docs.push([
    "stop",
    {
      uid: "stop-1",
      run_start: uid,
      time: 1700000009.5,
      exit_status: "success",
      num_events: { primary: rows.length },
    },
  ]);
  return docs;
}

interface GeneratedRun {
  shape: { motors: string[]; detectors: string[]; scanId: number; metadata: [string, DocValue][] };
  motorValues: DocValue[];
  rows: DocValue[][];
}

/** What a numeric cell reads back as: the 13-digit rendering, parsed. */
function expectedNumber(value: DocValue): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "number" || value instanceof PyFloat) {
    const x = Number(value);
    // nan/inf/-inf are written as such; finite floats as their 13-digit rendering.
    return Number.isFinite(x) ? Number(render13(x)) : x;
  }
  return undefined;
}

/** A metadata value as the parser gives it back (tuples and sets are lists; keys are strings). */
function asLiteral(value: DocValue): LiteralValue {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(asLiteral);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asLiteral(v)]));
  }
  return value;
}

describe("write then parse", () => {
  test.prop([run], { numRuns: 150 })(
    "values, labels, positioners and metadata come back",
    (generated) => {
      let text = "";
      const writer = createSpecWriter(
        { write: (chunk) => (text += chunk) },
        { fileName: "gen.spec", timeZone: "UTC", identity: { user: "u", host: "h" } },
      );
      for (const [docName, doc] of documents(generated as GeneratedRun))
        writer.receive(docName, doc);
      const file = parse(text);
      expect(file.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const scan = file.scanAt(0);
      const { shape, rows, motorValues } = generated as GeneratedRun;
      expect(scan?.number).toBe(shape.scanId);
      // The first detector moves last: SPEC's principal detector is the last column.
      expect(scan?.labels).toEqual([
        "Epoch",
        "Epoch_float",
        ...shape.detectors.slice(1),
        shape.detectors[0],
      ]);
      expect(scan?.data.rows).toBe(rows.length);
      expect(scan?.positioners.map((p) => p.name)).toEqual([...shape.motors].sort());
      for (const positioner of scan?.positioners ?? []) {
        const value = motorValues[shape.motors.indexOf(positioner.name)] ?? null;
        expect(positioner.value).toBe(expectedNumber(value));
      }
      const userLines = scan?.control("U") ?? [];
      rows.forEach((row, r) => {
        shape.detectors.forEach((detector, k) => {
          const value = row[k] ?? null;
          const column = scan?.column(detector);
          const expected = expectedNumber(value);
          if (expected !== undefined) {
            expect(column?.[r]).toBe(expected);
          } else {
            expect(column?.[r]).toBe(r + 1); // seq_num placeholder
            const line = userLines.find(
              (u) => u.afterRow === r + 1 && u.text.startsWith(` ${detector} = `),
            );
            expect(line?.text).toBe(` ${detector} = ${pythonStr(value)}`);
          }
        });
      });
      for (const [key, value] of shape.metadata) {
        expect(scan?.metadata[key]).toEqual(asLiteral(value));
      }
      expect(scan?.comments.map((c) => c.text.replace(/^.*?\. {2}/, ""))).toEqual([
        `uid = run-0001`,
        `num_events_primary = ${rows.length}`,
        "exit_status = success",
      ]);
    },
  );
});
