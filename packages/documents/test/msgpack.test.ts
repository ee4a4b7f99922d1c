/**
 * msgpack: every format on reading, Python's exact bytes on writing, msgpack-numpy arrays,
 * and hostile input (truncation, huge declared lengths).
 */
import { referenceBytes, referenceText } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import {
  DocumentFormatError,
  type DocValue,
  decodeMsgpack,
  decodeMsgpackStream,
  encodeMsgpack,
  MAX_NESTING_DEPTH,
  PyFloat,
  readDocumentStream,
} from "../src/index.js";
import { tagged } from "./helpers.js";

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/\s+/g, "").match(/../g) ?? [], (pair) =>
    Number.parseInt(pair, 16),
  );
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** msgpack bin8 of some bytes. */
function bin(bytes: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0xc4, bytes.length), bytes);
}

/** A map with bin keys (as msgpack-numpy writes them) and encoded values. */
function binKeyMap(entries: [string, Uint8Array][]): Uint8Array {
  return concat(
    Uint8Array.of(0x80 | entries.length),
    ...entries.flatMap(([key, value]) => [bin(new TextEncoder().encode(key)), value]),
  );
}

/** What msgpack_numpy.encode writes for an array with the given dtype, shape and raw data. */
function numpyArray(type: string, shape: number[], data: Uint8Array): Uint8Array {
  return binKeyMap([
    ["nd", encodeMsgpack(true)],
    ["type", encodeMsgpack(type)],
    ["kind", bin(new Uint8Array())],
    ["shape", encodeMsgpack(shape)],
    ["data", bin(data)],
  ]);
}

function littleEndian(
  kind: "f8" | "i8" | "f4" | "u2" | "i4be",
  values: (number | bigint)[],
): Uint8Array {
  const size = { f8: 8, i8: 8, f4: 4, u2: 2, i4be: 4 }[kind];
  const view = new DataView(new ArrayBuffer(size * values.length));
  values.forEach((value, i) => {
    if (kind === "f8") view.setFloat64(8 * i, Number(value), true);
    else if (kind === "i8") view.setBigInt64(8 * i, BigInt(value), true);
    else if (kind === "f4") view.setFloat32(4 * i, Number(value), true);
    else if (kind === "u2") view.setUint16(2 * i, Number(value), true);
    else view.setInt32(4 * i, Number(value), false);
  });
  return new Uint8Array(view.buffer);
}

function decodeError(bytes: Uint8Array): DocumentFormatError {
  try {
    decodeMsgpackStream(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentFormatError);
    return error as DocumentFormatError;
  }
  throw new Error("expected a DocumentFormatError");
}

describe("the 440 suitcase-msgpack stream", () => {
  const bytes = referenceBytes("apstools/streams/440-624e776a.msgpack");
  const objects = decodeMsgpackStream(bytes);

  it("decodes to the same documents as 440-624e776a.json, kinds and key order included", () => {
    const fromJson = readDocumentStream(
      new TextEncoder().encode(referenceText("apstools/streams/440-624e776a.json")),
      "json",
    );
    expect(objects).toHaveLength(189);
    expect(tagged(objects)).toEqual(tagged(fromJson));
  });

  it("re-encodes to the identical bytes, object by object (Python's standard packer wrote it)", () => {
    let offset = 0;
    for (const object of objects) {
      const encoded = encodeMsgpack(object);
      expect(toHex(encoded)).toBe(toHex(bytes.subarray(offset, offset + encoded.length)));
      offset += encoded.length;
    }
    expect(offset).toBe(bytes.length);
  });

  it("fails with DocumentFormatError, never RangeError, on every truncation of the start object", () => {
    const startLength = encodeMsgpack(objects[0] as DocValue).length;
    for (let end = 1; end < startLength; end++) {
      expect(() => decodeMsgpack(bytes.subarray(0, end))).toThrow(DocumentFormatError);
    }
    expect(() => decodeMsgpack(bytes.subarray(0, startLength + 1))).toThrow(/extra data/);
  });
});

describe("decoding every msgpack format", () => {
  it.each<[string, string]>([
    ["c0", "null"],
    ["c2", "false"],
    ["c3", "true"],
    ["00", '"int:0"'],
    ["7f", '"int:127"'],
    ["e0", '"int:-32"'],
    ["ff", '"int:-1"'],
    ["ccff", '"int:255"'],
    ["cdffff", '"int:65535"'],
    ["ceffffffff", '"int:4294967295"'],
    ["cf001fffffffffffff", '"int:9007199254740991"'],
    ["cf0020000000000000", '"bigint:9007199254740992"'],
    ["cfffffffffffffffff", '"bigint:18446744073709551615"'],
    ["d080", '"int:-128"'],
    ["d18000", '"int:-32768"'],
    ["d280000000", '"int:-2147483648"'],
    ["d3ffffffffffffffff", '"int:-1"'],
    ["d38000000000000000", '"bigint:-9223372036854775808"'],
    ["ca3fc00000", '"float:1.5"'],
    ["ca3f800000", '"pyfloat:1"'],
    ["cb4014000000000000", '"pyfloat:5"'],
    ["cb8000000000000000", '"pyfloat:-0"'],
    ["cb3fb999999999999a", '"float:0.1"'],
    ["cb7ff8000000000000", '"float:NaN"'],
    ["cbfff0000000000000", '"float:-Infinity"'],
    ["a3616263", '"str:abc"'],
    ["d903616263", '"str:abc"'],
    ["da0003616263", '"str:abc"'],
    ["db00000003616263", '"str:abc"'],
    ["a2c3a9", '"str:é"'],
    ["c403616263", '"str:abc"'],
    ["c50003616263", '"str:abc"'],
    ["c600000003616263", '"str:abc"'],
    ["920102", '["int:1","int:2"]'],
    ["dc00020102", '["int:1","int:2"]'],
    ["dd000000020102", '["int:1","int:2"]'],
    ["90", "[]"],
    ["80", '{"entries":[]}'],
    ["81a16101", '{"entries":[["a","int:1"]]}'],
    ["de0001a16101", '{"entries":[["a","int:1"]]}'],
    ["df00000001a16101", '{"entries":[["a","int:1"]]}'],
    ["81c4016101", '{"entries":[["a","int:1"]]}'],
  ])("%s -> %s", (bytes, expected) => {
    expect(JSON.stringify(tagged(decodeMsgpack(hex(bytes))))).toBe(expected);
  });

  it("decodes a stream of concatenated objects, and empty input as no objects", () => {
    expect(decodeMsgpackStream(hex("01 92a161c0 c3"))).toEqual([1, ["a", null], true]);
    expect(decodeMsgpackStream(new Uint8Array())).toEqual([]);
  });

  it.each<[string, RegExp]>([
    ["c1", /invalid type byte 0xc1 at byte 0/],
    ["d40100", /ext type 1 is not supported/],
    ["c7010500", /ext type 5 is not supported/],
    ["d6ff00000000", /ext type -1 is not supported/],
    ["8101c0", /map key must be str or bin/],
    ["81", /truncated input/],
    ["a2c3", /truncated input/],
    ["a2c328", /str is not valid UTF-8/],
    ["a3eda080", /str is not valid UTF-8/],
    ["c402ff00", /bin value is not UTF-8 text/],
    ["cb3ff0", /truncated input: 8 bytes needed, 2 left at byte 1/],
  ])("%s fails: %s", (bytes, message) => {
    expect(decodeError(hex(bytes)).message).toMatch(message);
  });

  it("fails fast on declared lengths far beyond the buffer", () => {
    for (const bytes of [
      "ddffffffff0101010101",
      "dfffffffff0101010101",
      "dbffffffff61616161",
      "c6ffffffff00",
    ]) {
      const started = performance.now();
      expect(decodeError(hex(bytes)).message).toMatch(/cannot fit|truncated/);
      expect(performance.now() - started).toBeLessThan(50);
    }
    expect(decodeError(hex("ddffffffff0101010101")).offset).toBe(5);
  });

  it(`refuses nesting deeper than ${MAX_NESTING_DEPTH} without overflowing the stack`, () => {
    const deep = new Uint8Array(1_000_000).fill(0x91);
    expect(decodeError(deep).message).toMatch(/nesting deeper than 10000/);
    const ok = concat(new Uint8Array(MAX_NESTING_DEPTH).fill(0x91), Uint8Array.of(0xc0));
    const value = decodeMsgpack(ok);
    expect(encodeMsgpack(value)).toEqual(ok);
  });

  it("keeps __proto__ as a key and duplicate keys as a Python dict does", () => {
    const value = decodeMsgpack(hex("83 a95f5f70726f746f5f5f 01 a161 02 a95f5f70726f746f5f5f 03"));
    expect(Object.keys(value as object)).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe(3);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});

describe("encodeMsgpack writes what Python's msgpack.packb(use_bin_type=True) writes", () => {
  it.each<[DocValue, string]>([
    [null, "c0"],
    [false, "c2"],
    [true, "c3"],
    [0, "00"],
    [127, "7f"],
    [128, "cc80"],
    [255, "ccff"],
    [256, "cd0100"],
    [65535, "cdffff"],
    [65536, "ce00010000"],
    [4294967295, "ceffffffff"],
    [4294967296, "cf0000000100000000"],
    [9007199254740991, "cf001fffffffffffff"],
    [2n ** 64n - 1n, "cfffffffffffffffff"],
    [5n, "05"],
    [-1, "ff"],
    [-32, "e0"],
    [-33, "d0df"],
    [-128, "d080"],
    [-129, "d1ff7f"],
    [-32768, "d18000"],
    [-32769, "d2ffff7fff"],
    [-2147483648, "d280000000"],
    [-2147483649, "d3ffffffff7fffffff"],
    [-(2n ** 63n), "d38000000000000000"],
    [2 ** 60, "cf1000000000000000"],
    [1.5, "cb3ff8000000000000"],
    [new PyFloat(1), "cb3ff0000000000000"],
    [new PyFloat(-0), "cb8000000000000000"],
    [Number.NaN, "cb7ff8000000000000"],
    [Infinity, "cb7ff0000000000000"],
    ["", "a0"],
    ["é", "a2c3a9"],
    ["😀", "a4f09f9880"],
    ["x".repeat(31), `bf${"78".repeat(31)}`],
    ["x".repeat(32), `d920${"78".repeat(32)}`],
    ["x".repeat(256), `da0100${"78".repeat(256)}`],
    ["x".repeat(65536), `db00010000${"78".repeat(65536)}`],
    [[], "90"],
    [Array(15).fill(0), `9f${"00".repeat(15)}`],
    [Array(16).fill(0), `dc0010${"00".repeat(16)}`],
    [Array(65536).fill(0), `dd00010000${"00".repeat(65536)}`],
    [{}, "80"],
    [{ a: 1, b: [true] }, "82a16101a16291c3"],
    [
      Object.fromEntries(Array.from({ length: 16 }, (_, i) => [String.fromCharCode(97 + i), i])),
      `de0010${Array.from({ length: 16 }, (_, i) => `a1${(97 + i).toString(16)}${i.toString(16).padStart(2, "0")}`).join("")}`,
    ],
  ])("%o -> %s", (value, expected) => {
    expect(toHex(encodeMsgpack(value))).toBe(expected);
  });

  it("leaves out keys whose value is undefined", () => {
    expect(toHex(encodeMsgpack({ a: 1, b: undefined } as unknown as DocValue))).toBe("81a16101");
  });

  it("refuses what Python refuses: ints beyond 64 bits, lone surrogates; and non-values", () => {
    expect(() => encodeMsgpack(2n ** 64n)).toThrow(RangeError);
    expect(() => encodeMsgpack(-(2n ** 63n) - 1n)).toThrow(RangeError);
    expect(() => encodeMsgpack(2 ** 64)).toThrow(RangeError);
    expect(() => encodeMsgpack("a\ud800b")).toThrow(TypeError);
    expect(() => encodeMsgpack("\udc00")).toThrow(TypeError);
    expect(() => encodeMsgpack(Symbol("x") as unknown as DocValue)).toThrow(TypeError);
    const cycle: DocValue[] = [];
    cycle.push(cycle);
    expect(() => encodeMsgpack(cycle)).toThrow(RangeError);
  });
});

describe("msgpack-numpy arrays", () => {
  it("decodes a float64 2x2 array, with the float rule applied to its elements", () => {
    const bytes = numpyArray("<f8", [2, 2], littleEndian("f8", [1, 2.5, -0, Number.NaN]));
    expect(tagged(decodeMsgpack(bytes))).toEqual([
      ["pyfloat:1", "float:2.5"],
      ["pyfloat:-0", "float:NaN"],
    ]);
  });

  it("decodes an int64 vector, with bigints beyond 2^53", () => {
    const values = [1n, -2n, 2n ** 53n, -(2n ** 63n)];
    const bytes = numpyArray("<i8", [4], littleEndian("i8", values));
    expect(decodeMsgpack(bytes)).toEqual([1, -2, 9007199254740992n, -9223372036854775808n]);
  });

  it("decodes other dtypes: float32, uint16, big-endian int32, bool, unicode, float16", () => {
    expect(tagged(decodeMsgpack(numpyArray("<f4", [2], littleEndian("f4", [0.5, 3]))))).toEqual([
      "float:0.5",
      "pyfloat:3",
    ]);
    expect(decodeMsgpack(numpyArray("<u2", [3], littleEndian("u2", [0, 1, 65535])))).toEqual([
      0, 1, 65535,
    ]);
    expect(decodeMsgpack(numpyArray(">i4", [2], littleEndian("i4be", [-5, 7])))).toEqual([-5, 7]);
    expect(decodeMsgpack(numpyArray("|b1", [3], Uint8Array.of(1, 0, 1)))).toEqual([
      true,
      false,
      true,
    ]);
    const ucs4 = Uint8Array.of(
      0x61,
      0,
      0,
      0,
      0xe9,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x00,
      0xf6,
      0x01,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    );
    expect(decodeMsgpack(numpyArray("<U3", [2], ucs4))).toEqual(["aé", "😀"]);
    expect(
      tagged(decodeMsgpack(numpyArray("<f2", [2], Uint8Array.of(0x00, 0x3c, 0x00, 0x38)))),
    ).toEqual(["pyfloat:1", "float:0.5"]);
  });

  it("gives a scalar for a 0-d array and for a numpy scalar (nd false)", () => {
    expect(tagged(decodeMsgpack(numpyArray("<f8", [], littleEndian("f8", [7]))))).toBe("pyfloat:7");
    const scalar = binKeyMap([
      ["nd", encodeMsgpack(false)],
      ["type", encodeMsgpack("<i8")],
      ["data", bin(littleEndian("i8", [42]))],
    ]);
    expect(decodeMsgpack(scalar)).toBe(42);
  });

  it("handles empty axes", () => {
    expect(decodeMsgpack(numpyArray("<f8", [0], new Uint8Array()))).toEqual([]);
    expect(decodeMsgpack(numpyArray("<f8", [3, 0], new Uint8Array()))).toEqual([[], [], []]);
  });

  it("works inside documents, and with str keys when the map has the numpy shape", () => {
    const strKeyed = concat(
      hex("84 a26e64 c3 a474797065 a33c6938 a57368617065 9102 a464617461"),
      bin(littleEndian("i8", [3, 4])),
    );
    const document = concat(hex("92 aa6576656e745f70616765 81 a464617461 81 a1 78"), strKeyed);
    expect(decodeMsgpack(document)).toEqual(["event_page", { data: { x: [3, 4] } }]);
  });

  it("leaves a plain map with a str key named nd alone", () => {
    const value = decodeMsgpack(hex("82 a26e64 c3 a16101"));
    expect(value).toEqual({ nd: true, a: 1 });
  });

  it.each<[string, Uint8Array, RegExp]>([
    [
      "short data",
      numpyArray("<f8", [2, 2], littleEndian("f8", [1, 2, 3])),
      /'data' has 24 bytes, shape \[2,2\] needs 32/,
    ],
    ["complex dtype", numpyArray("<c16", [1], new Uint8Array(16)), /unsupported dtype "<c16"/],
    ["object dtype", numpyArray("|O", [1], new Uint8Array(8)), /unsupported dtype "\|O"/],
    ["shape bomb", numpyArray("<f8", [2 ** 31, 0], new Uint8Array()), /too large for the input/],
    ["negative shape", numpyArray("<f8", [-1], new Uint8Array()), /non-negative integers/],
    [
      "structured",
      binKeyMap([
        ["nd", encodeMsgpack(true)],
        ["type", encodeMsgpack([["a", "<f8"]])],
        ["kind", bin(Uint8Array.of(0x56))],
        ["shape", encodeMsgpack([1])],
        ["data", bin(new Uint8Array(8))],
      ]),
      /structured dtypes/,
    ],
  ])("refuses %s with a clear error", (_, bytes, message) => {
    const error = decodeError(bytes);
    expect(error.message).toMatch(/^msgpack: msgpack-numpy map: /);
    expect(error.message).toMatch(message);
  });
});
