/**
 * The writer's fast paths against the general code they shortcut (docs/performance.md): a cell
 * float through `toPrecision(13)` against the exact `%.12e` path, integer digits against BigInt,
 * and UTC dates from the Date's fields against Intl. Each must agree on every input, not only on
 * the bench's rows.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { formatSpecDate, formatWithIntl } from "../src/format/dates.js";
import { intDigits, render13, render13Exact } from "../src/format/numbers.js";

/** The double just below or above x. */
function nextDouble(x: number, direction: 1 | -1): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const raw = view.getBigUint64(0);
  // For positive x, bit patterns grow with the value.
  view.setBigUint64(0, direction === 1 ? raw + 1n : raw - 1n);
  return view.getFloat64(0);
}

describe("render13: the toPrecision path equals the exact path", () => {
  it.each([
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e16,
    1e-7,
    1e-4,
    nextDouble(1e-4, -1),
    nextDouble(1e-4, 1),
    1e12,
    nextDouble(1e12, -1),
    -nextDouble(1e12, -1),
    999999999999.9999,
    999999999999.5,
    99999999999.99995,
    0.00099999999999995,
    0.5,
    -0.5,
    2 ** -20,
    3 * 2 ** -21,
    12345678901.25, // 13 digits
    1234567890122.5, // exact tie, beyond the fast range
    123456789012.25, // 14 digits, an exact tie at 13: to even
    123456789012.75, // 14 digits, an exact tie at 13: to even, upwards
    -123456789012.25,
    0.30000000000000004,
    1 / 3,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
  ])("render(%s)", (x) => {
    expect(render13(x)).toBe(render13Exact(x));
  });

  // Decimals with few digits: their shortest repr is short, so the tie test sees them.
  const shortDecimal = fc
    .tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 12 }), fc.boolean())
    .map(([digits, places, negative]) => (negative ? -1 : 1) * (digits / 10 ** places));
  // Multiples of 2^-k: the only doubles that can be exact ties at 13 digits have k <= 20.
  const dyadic = fc
    .tuple(fc.bigInt(1n, 2n ** 53n - 1n), fc.integer({ min: 0, max: 60 }), fc.boolean())
    .map(([m, k, negative]) => (negative ? -1 : 1) * Number(m) * 2 ** -k);
  // 14 digits ending in 5 within the fast range, halved and doubled: ties and their neighbours.
  const tie = fc
    .tuple(
      fc.bigInt(10n ** 12n, 10n ** 13n - 1n),
      fc.integer({ min: -17, max: -2 }),
      fc.integer({ min: -3, max: 3 }),
    )
    .map(([n, exp, shift]) => Number(`${n}5e${exp}`) * 2 ** shift);
  const nearTie = tie.chain((x) => fc.constantFrom(x, nextDouble(x, 1), nextDouble(x, -1)));
  // Anywhere in [1e-4, 1e12), the fast path's range, spread evenly over the decades.
  const fastRange = fc
    .tuple(fc.double({ min: -4, max: 12, noNaN: true }), fc.boolean())
    .map(([decade, negative]) => (negative ? -1 : 1) * 10 ** decade);
  const subnormal = fc
    .bigInt(1n, 2n ** 52n - 1n)
    .map((m) => new Float64Array(new BigUint64Array([m]).buffer)[0] ?? 0);

  test.prop([fc.oneof(fc.double(), shortDecimal, dyadic, tie, nearTie, fastRange, subnormal)], {
    numRuns: 20_000,
  })("on arbitrary doubles", (x) => {
    expect(render13(x)).toBe(render13Exact(x));
  });
});

describe("intDigits", () => {
  it("writes -0 as 0", () => {
    expect(intDigits(-0)).toBe("0");
  });

  test.prop([fc.oneof(fc.maxSafeInteger(), fc.double().filter(Number.isInteger))])(
    "equals BigInt digits for every integral double",
    (x) => {
      expect(intDigits(x)).toBe(BigInt(x).toString());
    },
  );
});

describe("formatSpecDate in UTC: the Date fields equal Intl", () => {
  const lastSecond = 253402300799; // Fri Dec 31 23:59:59 9999
  it.each([0, 59, 86399, 86400, 951782400, 1700006400, 4107542400, lastSecond])(
    "second %s",
    (second) => {
      expect(formatSpecDate(second, "UTC")).toBe(formatWithIntl(second, "UTC"));
      expect(formatSpecDate(second, "Etc/UTC")).toBe(formatWithIntl(second, "Etc/UTC"));
    },
  );

  it("leaves the edges of its range to Intl", () => {
    expect(formatSpecDate(-1, "UTC")).toBe("Wed Dec 31 23:59:59 1969");
    expect(formatSpecDate(lastSecond + 1, "UTC")).toBe(formatWithIntl(lastSecond + 1, "UTC"));
  });

  test.prop([fc.integer({ min: 0, max: lastSecond }), fc.constantFrom("UTC", "Etc/UTC")], {
    numRuns: 5000,
  })("on arbitrary seconds", (second, zone) => {
    expect(formatSpecDate(second, zone)).toBe(formatWithIntl(second, zone));
  });

  // Etc/GMT is UTC+0 at all times but not a name the fast path takes: it goes through Intl.
  test.prop([fc.double({ min: -1e10, max: 3e11, noNaN: true })], { numRuns: 5000 })(
    "on fractional times, rounded to the second as Python does first",
    (t) => {
      expect(formatSpecDate(t, "UTC")).toBe(formatSpecDate(t, "Etc/GMT"));
    },
  );
});
