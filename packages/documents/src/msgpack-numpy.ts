/**
 * msgpack-numpy arrays (lebedov/msgpack-numpy): a map `{nd, type, kind, shape, data}` with the
 * raw C-order bytes in `data`. Decoded to nested JS arrays of the document value model, as
 * Python's `ndarray.tolist()` would give them; `nd: false` marks a numpy scalar.
 */
import { DocumentFormatError } from "./errors.js";
import { decodeUtf8 } from "./utf8.js";
import { type DocValue, floatValue } from "./values.js";

/** The keys msgpack-numpy writes; a str-keyed map is numpy only if it has no others. */
const NUMPY_KEYS = new Set(["nd", "type", "kind", "shape", "data"]);

/** numpy allows at most 64 dimensions. */
const MAX_DIMENSIONS = 64;

/** A numpy dtype this reader understands: bool, int, uint, float or unicode. */
interface Dtype {
  kind: "b" | "i" | "u" | "f" | "U";
  /** Bytes per element. */
  itemSize: number;
  littleEndian: boolean;
}

/**
 * True when a str-keyed map looks like msgpack-numpy: boolean `nd`, bytes `data`, a `type`,
 * and no other keys.
 */
export function isNumpyShaped(entries: { readonly [key: string]: unknown }): boolean {
  const keys = Object.keys(entries);
  return (
    keys.every((key) => NUMPY_KEYS.has(key)) &&
    typeof entries.nd === "boolean" &&
    entries.data instanceof Uint8Array &&
    entries.type !== undefined
  );
}

/**
 * Turns a msgpack-numpy map into its value: a nested array of the given shape, or a scalar for
 * a 0-d array or `nd: false`. Floats follow the float rule (integral ones become PyFloat),
 * 64-bit ints beyond ±2^53 become bigint.
 *
 * @param inputLength bounds the number of arrays built for shapes with zero-length axes.
 * @throws DocumentFormatError for unsupported dtypes or inconsistent shape and data.
 */
export function decodeNumpyMap(
  entries: { readonly [key: string]: unknown },
  inputLength: number,
): DocValue {
  const { nd, data } = entries;
  if (typeof nd !== "boolean") fail("'nd' must be a boolean");
  if (!(data instanceof Uint8Array)) fail("'data' must be bytes");
  const kind = entries.kind;
  if (kind instanceof Uint8Array && kind.length === 1 && kind[0] === 0x56) {
    fail("structured dtypes (kind 'V') are not supported");
  }
  const dtype = parseDtype(entries.type);
  if (!nd) {
    // A numpy scalar: np.frombuffer(data, dtype)[0].
    if (data.length < dtype.itemSize) fail("'data' is shorter than one element");
    return readElement(data, 0, dtype);
  }
  const shape = parseShape(entries.shape);
  let count = 1;
  for (const size of shape) count *= size;
  if (count * dtype.itemSize > data.length) {
    fail(
      `'data' has ${data.length} bytes, shape ${JSON.stringify(shape)} needs ${count * dtype.itemSize}`,
    );
  }
  let arrays = 1;
  for (const size of shape.slice(0, -1)) {
    arrays *= size;
    if (arrays > inputLength) fail(`shape ${JSON.stringify(shape)} is too large for the input`);
  }
  const flat: DocValue[] = [];
  for (let i = 0; i < count; i++) flat.push(readElement(data, i * dtype.itemSize, dtype));
  if (shape.length === 0) return flat[0] as DocValue;
  return reshape(flat, shape);
}

/** Parses a simple dtype descr such as `<f8`, `|b1`, `>i4`, `<U12`. */
function parseDtype(type: unknown): Dtype {
  let text = type;
  if (type instanceof Uint8Array) {
    try {
      text = decodeUtf8(type);
    } catch {
      fail("'type' is not UTF-8 text");
    }
  }
  if (typeof text !== "string") fail("'type' must be a dtype string");
  const match = /^([<>|=])([biufU])(\d+)$/.exec(text);
  if (match === null) fail(`unsupported dtype ${JSON.stringify(text)}`);
  const [, order, kind, sizeText] = match as unknown as [string, string, Dtype["kind"], string];
  const size = Number(sizeText);
  const valid =
    kind === "b"
      ? size === 1
      : kind === "f"
        ? size === 2 || size === 4 || size === 8
        : kind === "U"
          ? size >= 1 && size <= 1 << 20
          : size === 1 || size === 2 || size === 4 || size === 8;
  if (!valid) fail(`unsupported dtype ${JSON.stringify(text)}`);
  return { kind, itemSize: kind === "U" ? 4 * size : size, littleEndian: order !== ">" };
}

function parseShape(shape: unknown): number[] {
  if (!Array.isArray(shape)) fail("'shape' must be an array");
  if (shape.length > MAX_DIMENSIONS) fail(`more than ${MAX_DIMENSIONS} dimensions`);
  for (const size of shape) {
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      fail("'shape' entries must be non-negative integers");
    }
  }
  return shape as number[];
}

function readElement(data: Uint8Array, offset: number, dtype: Dtype): DocValue {
  const view = new DataView(data.buffer, data.byteOffset + offset, dtype.itemSize);
  const little = dtype.littleEndian;
  switch (dtype.kind) {
    case "b":
      return view.getUint8(0) !== 0;
    case "f":
      if (dtype.itemSize === 8) return floatValue(view.getFloat64(0, little));
      if (dtype.itemSize === 4) return floatValue(view.getFloat32(0, little));
      return floatValue(halfToNumber(view.getUint16(0, little)));
    case "i":
    case "u":
      return readInt(view, dtype.kind === "i", dtype.itemSize, little);
    case "U":
      return readUcs4(view, dtype.itemSize / 4, little);
  }
}

function readInt(view: DataView, signed: boolean, size: number, little: boolean): number | bigint {
  switch (size) {
    case 1:
      return signed ? view.getInt8(0) : view.getUint8(0);
    case 2:
      return signed ? view.getInt16(0, little) : view.getUint16(0, little);
    case 4:
      return signed ? view.getInt32(0, little) : view.getUint32(0, little);
    default: {
      const value = signed ? view.getBigInt64(0, little) : view.getBigUint64(0, little);
      const safe = value >= -9007199254740991n && value <= 9007199254740991n;
      return safe ? Number(value) : value;
    }
  }
}

/** numpy `U` strings: fixed-width UCS-4 with trailing NULs removed. */
function readUcs4(view: DataView, length: number, little: boolean): string {
  let end = length;
  while (end > 0 && view.getUint32(4 * (end - 1), little) === 0) end--;
  let text = "";
  for (let i = 0; i < end; i++) {
    const codePoint = view.getUint32(4 * i, little);
    if (codePoint > 0x10ffff) fail(`invalid code point ${codePoint} in a 'U' array`);
    text += String.fromCodePoint(codePoint);
  }
  return text;
}

/** IEEE 754 binary16 to a number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Splits a flat C-order list into nested arrays of the given shape (at least one axis). */
function reshape(flat: DocValue[], shape: number[]): DocValue[] {
  const [first = 0, ...rest] = shape;
  if (rest.length === 0) return flat;
  let stride = 1;
  for (const size of rest) stride *= size;
  const rows: DocValue[] = [];
  for (let i = 0; i < first; i++)
    rows.push(reshape(flat.slice(i * stride, (i + 1) * stride), rest));
  return rows;
}

function fail(message: string): never {
  throw new DocumentFormatError(message);
}
