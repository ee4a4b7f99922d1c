/**
 * A msgpack encoder producing the bytes Python's `msgpack.packb(value, use_bin_type=True)`
 * produces for the equivalent Python value (None, bool, int, float, str, list, dict).
 */
import { grownBytes } from "./grown-bytes.js";
import { MAX_NESTING_DEPTH } from "./json.js";
import { utf8Length, writeUtf8 } from "./utf8.js";
import { type DocValue, PyFloat } from "./values.js";

const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** Marks the end of a container on the work stack, to track nesting depth. */
const CLOSE = Symbol("close");

/**
 * Values encoded one after another into one growing buffer, each as {@link encodeMsgpack}
 * encodes it: a run file of 100,000 event pages is one buffer, not 100,000 that are then joined.
 */
export class MsgpackWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private pos = 0;

  /**
   * Appends `value`, encoded as {@link encodeMsgpack} encodes it, and throws as it throws; the
   * bytes written before a throw are not a whole value.
   */
  write(value: DocValue): void {
    const work: (DocValue | typeof CLOSE)[] = [value];
    let depth = 0;
    while (work.length > 0) {
      const item = work.pop() as DocValue | typeof CLOSE;
      if (item === CLOSE) {
        depth--;
        continue;
      }
      if (Array.isArray(item)) {
        this.header(item.length, 0x90, 0xdc, 0xdd);
        if (item.length === 0) continue;
        if (++depth > MAX_NESTING_DEPTH) tooDeep();
        work.push(CLOSE);
        for (let i = item.length - 1; i >= 0; i--) {
          const element = item[i];
          if (element === undefined) throw new TypeError("encodeMsgpack: undefined array element");
          work.push(element);
        }
      } else if (typeof item === "object" && item !== null && !(item instanceof PyFloat)) {
        // Keys whose value is undefined are left out, as JSON leaves them out.
        const keys = Object.keys(item);
        let count = 0;
        for (const key of keys) if (item[key] !== undefined) count++;
        this.header(count, 0x80, 0xde, 0xdf);
        if (count === 0) continue;
        if (++depth > MAX_NESTING_DEPTH) tooDeep();
        work.push(CLOSE);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i] as string;
          const entry = item[key];
          if (entry !== undefined) work.push(entry, key);
        }
      } else {
        this.scalar(item);
      }
    }
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }

  /** An array or map header: fix format below 16 items, then the 16- and 32-bit forms. */
  private header(length: number, fix: number, format16: number, format32: number): void {
    this.reserve(5);
    if (length < 16) this.view.setUint8(this.pos++, fix | length);
    else if (length <= 0xffff) this.u8u16(format16, length);
    else this.u8u32(format32, length);
  }

  private scalar(value: unknown): void {
    if (typeof value === "string") this.string(value);
    else if (typeof value === "bigint") this.bigint(value);
    else if (typeof value === "number") {
      if (!Number.isInteger(value)) this.float(value);
      else if (Number.isSafeInteger(value)) this.int(value);
      // An integral number beyond 2^53 is still an int.
      else this.bigint(BigInt(value));
    } else if (value instanceof PyFloat) this.float(value.value);
    else if (value === null || typeof value === "boolean") {
      this.reserve(1);
      this.view.setUint8(this.pos++, value === null ? 0xc0 : value ? 0xc3 : 0xc2);
    } else {
      throw new TypeError(`encodeMsgpack: cannot encode a value of type ${typeof value}`);
    }
  }

  private float(value: number): void {
    this.reserve(9);
    this.view.setUint8(this.pos, 0xcb);
    this.view.setFloat64(this.pos + 1, value);
    this.pos += 9;
  }

  /** A safe integer in the smallest format, following Python msgpack's Packer. */
  private int(value: number): void {
    this.reserve(9);
    if (value >= 0) {
      if (value < 0x80) this.view.setUint8(this.pos++, value);
      else if (value <= 0xff) this.u8u8(0xcc, value);
      else if (value <= 0xffff) this.u8u16(0xcd, value);
      else if (value <= 0xffffffff) this.u8u32(0xce, value);
      else this.u8u64(0xcf, BigInt(value));
    } else if (value >= -0x20) this.view.setUint8(this.pos++, value & 0xff);
    else if (value >= -0x80) {
      this.view.setUint8(this.pos, 0xd0);
      this.view.setInt8(this.pos + 1, value);
      this.pos += 2;
    } else if (value >= -0x8000) {
      this.view.setUint8(this.pos, 0xd1);
      this.view.setInt16(this.pos + 1, value);
      this.pos += 3;
    } else if (value >= -0x80000000) {
      this.view.setUint8(this.pos, 0xd2);
      this.view.setInt32(this.pos + 1, value);
      this.pos += 5;
    } else this.u8i64(0xd3, BigInt(value));
  }

  private bigint(value: bigint): void {
    this.reserve(9);
    if (value >= MIN_SAFE && value <= MAX_SAFE) this.int(Number(value));
    else if (value > 0n && value <= MAX_UINT64) this.u8u64(0xcf, value);
    else if (value < 0n && value >= MIN_INT64) this.u8i64(0xd3, value);
    else throw new RangeError(`encodeMsgpack: integer ${value} does not fit in 64 bits`);
  }

  private string(value: string): void {
    // Keys and names: under 32 ASCII characters, written as they are checked, no length pass.
    if (value.length < 32) {
      this.reserve(1 + value.length);
      const bytes = this.bytes;
      let at = this.pos + 1;
      let i = 0;
      for (; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[at++] = c;
      }
      if (i === value.length) {
        bytes[this.pos] = 0xa0 | value.length;
        this.pos = at;
        return;
      }
    }
    const length = utf8Length(value);
    this.reserve(5 + length);
    if (length < 32) this.view.setUint8(this.pos++, 0xa0 | length);
    else if (length <= 0xff) this.u8u8(0xd9, length);
    else if (length <= 0xffff) this.u8u16(0xda, length);
    else this.u8u32(0xdb, length);
    writeUtf8(value, this.bytes, this.pos);
    this.pos += length;
  }

  private u8u8(type: number, value: number): void {
    this.view.setUint8(this.pos, type);
    this.view.setUint8(this.pos + 1, value);
    this.pos += 2;
  }

  private u8u16(type: number, value: number): void {
    this.view.setUint8(this.pos, type);
    this.view.setUint16(this.pos + 1, value);
    this.pos += 3;
  }

  private u8u32(type: number, value: number): void {
    this.view.setUint8(this.pos, type);
    this.view.setUint32(this.pos + 1, value);
    this.pos += 5;
  }

  private u8u64(type: number, value: bigint): void {
    this.view.setUint8(this.pos, type);
    this.view.setBigUint64(this.pos + 1, value);
    this.pos += 9;
  }

  private u8i64(type: number, value: bigint): void {
    this.view.setUint8(this.pos, type);
    this.view.setBigInt64(this.pos + 1, value);
    this.pos += 9;
  }

  private reserve(length: number): void {
    if (this.pos + length <= this.bytes.length) return;
    this.bytes = grownBytes(this.bytes, this.pos, this.pos + length);
    this.view = new DataView(this.bytes.buffer);
  }
}

/**
 * Encodes one value as msgpack, byte-compatible with Python's
 * `msgpack.packb(value, use_bin_type=True)` for the same Python value:
 *
 * - floats (PyFloat, non-integral numbers, NaN, ±Infinity) as float64 (`cb`), as Python
 *   writes every `float`;
 * - ints (integral numbers, bigints) in the smallest format Python picks: positive fixint,
 *   uint8/16/32/64 for positive values, negative fixint, int8/16/32/64 for negative ones;
 * - strings as str (fixstr, str8, str16, str32); arrays as array; objects as map, in key
 *   order, leaving out keys whose value is `undefined`.
 *
 * numpy arrays are not reconstructed: arrays are written as nested msgpack arrays, which
 * Python reads back as lists.
 *
 * @throws TypeError for non-document values or lone surrogates; RangeError for ints outside
 * the 64-bit range or nesting deeper than {@link MAX_NESTING_DEPTH}.
 */
export function encodeMsgpack(value: DocValue): Uint8Array {
  const out = new MsgpackWriter();
  out.write(value);
  return out.finish();
}

function tooDeep(): never {
  throw new RangeError(`encodeMsgpack: nesting deeper than ${MAX_NESTING_DEPTH} levels`);
}
