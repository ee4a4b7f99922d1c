/**
 * Numbers as Python sees them. JSON and JavaScript cannot tell the float 5.0 from the int 5, but
 * the SPEC writers print them differently (`5.0` vs `5`), so readers keep the distinction:
 *
 * - a JS `number` that is not integral (or NaN/±Infinity) is a float;
 * - a JS `number` that is integral is an int;
 * - a {@link PyFloat} is a float whose value is integral (`5.0`, `-0.0`);
 * - a `bigint` is an int beyond ±2^53 (kept exact).
 */

/** A float with an integral value (5.0, -0.0), which a plain JS number would read as an int. */
export class PyFloat {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  /** Arithmetic and comparisons see the number. */
  valueOf(): number {
    return this.value;
  }

  /** `JSON.stringify` writes the number. */
  toJSON(): number {
    return this.value;
  }
}

/**
 * A Python tuple read from text (`('m1',)` in a `#MD` line). It is an array everywhere (JSON,
 * msgpack and the schemas see a list, as Python's json does), kept apart only so that Python's
 * str() prints it back as a tuple. Derived arrays (map, filter, slice) are plain arrays.
 */
export class PyTuple extends Array<DocValue> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** A {@link PyTuple} of these items. */
export function pyTuple(items: readonly DocValue[]): PyTuple {
  const tuple = new PyTuple();
  for (const item of items) tuple.push(item);
  return tuple;
}

/** A JSON-like value of a document, with Python's int/float distinction kept. */
export type DocValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | DocValue[]
  | { [key: string]: DocValue };

/** A number made from a parsed float: PyFloat when integral, so it stays a float. */
export function floatValue(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/** True for a value Python would hold as a float. */
export function isFloat(value: unknown): value is number | PyFloat {
  return value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value));
}

/** True for a value Python would hold as an int (bool excluded). */
export function isInt(value: unknown): value is number | bigint {
  return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
}

/** The numeric value of a number-like document value, or undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}
