/**
 * fast-check arbitraries for document values. Property tests run with a fixed seed so CI is
 * reproducible; set FC_SEED to explore others (fast-check prints the seed of any failure).
 */
import { fc } from "@fast-check/vitest";
import { type DocValue, floatValue, PyFloat } from "../src/index.js";
import { objectFrom } from "./helpers.js";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });

/** An int as the readers give it back: a number when safe, else a bigint. */
function intValue(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** Keys, including the awkward ones. */
const keyArbitrary = fc.oneof(
  fc.string(),
  fc.constantFrom("__proto__", "constructor", "toString", "nd", "type", "data", "uid", ""),
);

export interface DocValueOptions {
  /** Smallest and largest bigint (msgpack holds 64 bits; JSON any size). */
  bigintRange: { min: bigint; max: bigint };
  /** String characters (JSON can carry lone surrogates, msgpack cannot). */
  strings: fc.Arbitrary<string>;
}

/** Arbitrary document value trees in the value model. */
export function docValueArbitrary(options: DocValueOptions): fc.Arbitrary<DocValue> {
  const scalar = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.integer({ min: -200, max: 70000 }),
    fc.bigInt(options.bigintRange).map(intValue),
    fc.double().map(floatValue),
    fc.integer({ min: -1000, max: 1000 }).map((n) => new PyFloat(n)),
    options.strings,
  );
  const { value } = fc.letrec<{ value: DocValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      fc.array(tie("value"), { maxLength: 5 }),
      fc
        .array(fc.tuple(keyArbitrary, tie("value")), { maxLength: 5 })
        .map((entries) => objectFrom(entries)),
    ),
  }));
  return value;
}

/** Strings of any UTF-16 code units, lone surrogates included. */
export const anyUtf16String = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});

/** Well-formed Unicode strings (all code points, no lone surrogates). */
export const unicodeString = fc.string({ unit: "binary" });
