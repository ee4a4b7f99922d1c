/**
 * A msgpack decoder that keeps Python's number kinds and never trusts a declared length:
 * every read is bounds-checked, and a container may only declare as many items as there are
 * bytes left (each item takes at least one), so hostile input fails fast without allocating.
 */
import { DocumentFormatError } from "./errors.js";
import { MAX_NESTING_DEPTH } from "./json.js";
import { decodeNumpyMap, isNumpyShaped } from "./msgpack-numpy.js";
import { setOwn } from "./own-keys.js";
import type { DocRecord } from "./types.js";
import { decodeUtf8 } from "./utf8.js";
import { type DocValue, floatValue } from "./values.js";

/**
 * While a map is open, bin values stay raw bytes: a msgpack-numpy map needs them as bytes.
 * Everywhere else they become strings when they are stored.
 */
type RawValue = DocValue | Uint8Array;

type Frame =
  | { kind: "array"; items: DocValue[]; remaining: number }
  | {
      kind: "map";
      entries: { [key: string]: RawValue };
      remaining: number;
      start: number;
      key: string | undefined;
      binKeys: Set<string> | undefined;
      hasBinValue: boolean;
    };

/** The header of a non-empty array or map, before its items are read. */
class ContainerStart {
  readonly kind: "array" | "map";
  readonly length: number;

  constructor(kind: "array" | "map", length: number) {
    this.kind = kind;
    this.length = length;
  }
}

/** Reads msgpack objects from a buffer, one after another. */
export class MsgpackReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** The offset of the next byte to read. */
  get offset(): number {
    return this.pos;
  }

  /** Reads one complete object. */
  read(): DocValue {
    const start = this.pos;
    const stack: Frame[] = [];
    for (;;) {
      const top = stack.at(-1);
      if (top?.kind === "map" && top.key === undefined) top.key = this.readKey(top);
      const item = this.readItem();
      let value: RawValue;
      if (item instanceof ContainerStart) {
        if (stack.length >= MAX_NESTING_DEPTH) {
          this.fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, start);
        }
        stack.push(
          item.kind === "array"
            ? { kind: "array", items: [], remaining: item.length }
            : {
                kind: "map",
                entries: {},
                remaining: item.length,
                start: this.pos,
                key: undefined,
                binKeys: undefined,
                hasBinValue: false,
              },
        );
        continue;
      }
      value = item;
      // Hand the finished value to its container; a filled container finishes another value.
      for (;;) {
        const parent = stack.at(-1);
        if (parent === undefined) return value instanceof Uint8Array ? this.binText(value) : value;
        if (parent.kind === "array") {
          parent.items.push(value instanceof Uint8Array ? this.binText(value) : value);
          if (--parent.remaining > 0) break;
          stack.pop();
          value = parent.items;
        } else {
          if (value instanceof Uint8Array) parent.hasBinValue = true;
          setOwn(parent.entries as DocRecord, parent.key as string, value as DocValue);
          parent.key = undefined;
          if (--parent.remaining > 0) break;
          stack.pop();
          value = this.finishMap(parent);
        }
      }
    }
  }

  /** A scalar, raw bin bytes, an empty container, or the header of a non-empty one. */
  private readItem(): RawValue | ContainerStart {
    const type = this.u8();
    if (type <= 0x7f) return type;
    if (type >= 0xe0) return type - 0x100;
    if (type <= 0x8f) return this.container("map", type & 0x0f);
    if (type <= 0x9f) return this.container("array", type & 0x0f);
    if (type <= 0xbf) return this.str(type & 0x1f);
    switch (type) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.take(this.u8());
      case 0xc5:
        return this.take(this.u16());
      case 0xc6:
        return this.take(this.u32());
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        this.need(4);
        this.pos += 4;
        return floatValue(this.view.getFloat32(this.pos - 4));
      case 0xcb:
        this.need(8);
        this.pos += 8;
        return floatValue(this.view.getFloat64(this.pos - 8));
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        this.need(8);
        this.pos += 8;
        return intValue(this.view.getBigUint64(this.pos - 8));
      case 0xd0:
        this.need(1);
        return this.view.getInt8(this.pos++);
      case 0xd1:
        this.need(2);
        this.pos += 2;
        return this.view.getInt16(this.pos - 2);
      case 0xd2:
        this.need(4);
        this.pos += 4;
        return this.view.getInt32(this.pos - 4);
      case 0xd3:
        this.need(8);
        this.pos += 8;
        return intValue(this.view.getBigInt64(this.pos - 8));
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(this.u8());
      case 0xda:
        return this.str(this.u16());
      case 0xdb:
        return this.str(this.u32());
      case 0xdc:
        return this.container("array", this.u16());
      case 0xdd:
        return this.container("array", this.u32());
      case 0xde:
        return this.container("map", this.u16());
      case 0xdf:
        return this.container("map", this.u32());
      default:
        return this.fail(`invalid type byte 0x${type.toString(16)}`, this.pos - 1);
    }
  }

  private container(kind: "array" | "map", length: number): RawValue | ContainerStart {
    if (length === 0) return kind === "array" ? [] : {};
    // Every item takes at least one byte; a map entry at least two.
    const minimumBytes = kind === "array" ? length : 2 * length;
    if (minimumBytes > this.bytes.length - this.pos) {
      const left = this.bytes.length - this.pos;
      this.fail(`truncated input: ${kind} of ${length} items cannot fit in ${left} bytes`);
    }
    return new ContainerStart(kind, length);
  }

  /** Map keys must be str or bin, as Python's msgpack (strict_map_key) requires. */
  private readKey(frame: Frame & { kind: "map" }): string {
    const at = this.pos;
    const type = this.u8();
    if (type >= 0xa0 && type <= 0xbf) return this.str(type & 0x1f);
    if (type === 0xd9) return this.str(this.u8());
    if (type === 0xda) return this.str(this.u16());
    if (type === 0xdb) return this.str(this.u32());
    let bytes: Uint8Array;
    if (type === 0xc4) bytes = this.take(this.u8());
    else if (type === 0xc5) bytes = this.take(this.u16());
    else if (type === 0xc6) bytes = this.take(this.u32());
    else return this.fail(`map key must be str or bin, found type byte 0x${type.toString(16)}`, at);
    const key = this.binText(bytes, at);
    frame.binKeys ??= new Set();
    frame.binKeys.add(key);
    return key;
  }

  /** A finished map: a msgpack-numpy array, or a plain object with bin values as text. */
  private finishMap(frame: Frame & { kind: "map" }): DocValue {
    const { entries } = frame;
    // Python's msgpack_numpy hook only looks for the bin key b"nd"; a str "nd" key is taken
    // as numpy only when the whole map has the numpy shape, so a data key named "nd" is safe.
    if (Object.hasOwn(entries, "nd") && (frame.binKeys?.has("nd") || isNumpyShaped(entries))) {
      try {
        return decodeNumpyMap(entries, this.bytes.length);
      } catch (error) {
        if (!(error instanceof DocumentFormatError)) throw error;
        this.fail(`msgpack-numpy map: ${error.message}`, frame.start);
      }
    }
    if (frame.hasBinValue) {
      for (const [key, value] of Object.entries(entries)) {
        if (value instanceof Uint8Array) setOwn(entries as DocRecord, key, this.binText(value));
      }
    }
    return entries as DocRecord;
  }

  /** bin outside msgpack-numpy: the value model has no bytes, so it is read as UTF-8 text. */
  private binText(bytes: Uint8Array, at = this.pos): string {
    try {
      return decodeUtf8(bytes);
    } catch {
      return this.fail("bin value is not UTF-8 text (bytes have no document value)", at);
    }
  }

  private str(length: number): string {
    const at = this.pos;
    const bytes = this.take(length);
    try {
      return decodeUtf8(bytes);
    } catch {
      return this.fail("str is not valid UTF-8", at);
    }
  }

  private ext(length: number): never {
    const at = this.pos;
    this.need(1 + length);
    const type = this.view.getInt8(this.pos);
    return this.fail(`msgpack ext type ${type} is not supported in documents`, at - 1);
  }

  private take(length: number): Uint8Array {
    this.need(length);
    this.pos += length;
    return this.bytes.subarray(this.pos - length, this.pos);
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.pos++] as number;
  }

  private u16(): number {
    this.need(2);
    this.pos += 2;
    return this.view.getUint16(this.pos - 2);
  }

  private u32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getUint32(this.pos - 4);
  }

  private need(length: number): void {
    if (length > this.bytes.length - this.pos) {
      this.fail(`truncated input: ${length} bytes needed, ${this.bytes.length - this.pos} left`);
    }
  }

  private fail(message: string, at = this.pos): never {
    throw new DocumentFormatError(`msgpack: ${message} at byte ${at}`, { offset: at });
  }
}

/** A 64-bit int: a number when safe, else an exact bigint. */
function intValue(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/**
 * Decodes exactly one msgpack object (like Python's `msgpack.unpackb(raw=False)` with the
 * msgpack-numpy hook).
 * @throws DocumentFormatError on malformed or truncated input, or bytes after the object.
 */
export function decodeMsgpack(bytes: Uint8Array): DocValue {
  const reader = new MsgpackReader(bytes);
  const value = reader.read();
  if (!reader.done) {
    throw new DocumentFormatError(`msgpack: extra data after the object at byte ${reader.offset}`, {
      offset: reader.offset,
    });
  }
  return value;
}

/**
 * Decodes a sequence of concatenated msgpack objects, the framing suitcase-msgpack writes (no
 * header, no length prefix). Empty input gives an empty list.
 * @throws DocumentFormatError on malformed or truncated input, naming the byte offset.
 */
export function decodeMsgpackStream(bytes: Uint8Array): DocValue[] {
  const reader = new MsgpackReader(bytes);
  const values: DocValue[] = [];
  while (!reader.done) values.push(reader.read());
  return values;
}
