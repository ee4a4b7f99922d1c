/**
 * Deterministic UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name), so converting the
 * same file twice gives the same document uids. SHA-1 is written out because the core must run
 * without Node's crypto and synchronously (WebCrypto's digest is async).
 *
 * It runs for every event (its uid) and over every scan's text (the name of its run), so it
 * allocates nothing per block: an earlier version made an array per round, and hashing took
 * 2.3 s of the 9 s `specx to-docs` spent on a 23 MB file (docs/performance.md, "to-docs").
 */

/** The 80 message words of the block being hashed, reused: hashing never re-enters itself. */
const words = new Int32Array(80);

/** Hashes the 64-byte block at `offset` of `bytes` into `state` (h0…h4). */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const at = offset + 4 * i;
    words[i] =
      ((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number);
  }
  for (let i = 16; i < 80; i++) {
    const x =
      (words[i - 3] as number) ^
      (words[i - 8] as number) ^
      (words[i - 14] as number) ^
      (words[i - 16] as number);
    words[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  for (let i = 0; i < 80; i++) {
    let f: number;
    if (i < 20) f = ((b & c) | (~b & d)) + 0x5a827999;
    else if (i < 40) f = (b ^ c ^ d) + 0x6ed9eba1;
    else if (i < 60) f = ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc;
    else f = (b ^ c ^ d) + 0xca62c1d6;
    const t = (((a << 5) | (a >>> 27)) + f + e + (words[i] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
}

/** The last block or two of a message (its rest, 0x80, zeros, its length), reused. */
const tail = new Uint8Array(128);
const tailView = new DataView(tail.buffer);

const INITIAL_STATE = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);
const state = new Int32Array(5);

/** The state after hashing `bytes`: h0…h4 of SHA-1, valid until the next call. */
function digest(bytes: Uint8Array): Int32Array {
  state.set(INITIAL_STATE);
  const length = bytes.length;
  const whole = length - (length % 64);
  for (let offset = 0; offset < whole; offset += 64) compress(state, bytes, offset);
  const rest = length - whole;
  const tailLength = rest < 56 ? 64 : 128;
  tail.fill(0, 0, tailLength);
  tail.set(bytes.subarray(whole));
  tail[rest] = 0x80;
  // The length in bits, big-endian in 64 bits.
  tailView.setUint32(tailLength - 8, Math.floor(length / 2 ** 29));
  tailView.setUint32(tailLength - 4, (length * 8) >>> 0);
  for (let offset = 0; offset < tailLength; offset += 64) compress(state, tail, offset);
  return state;
}

/** Byte `i` (0 to 19) of the digest in `hash` (h0…h4, big-endian). */
function digestByte(hash: Int32Array, i: number): number {
  return ((hash[i >> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff;
}

/** specx's namespace for uuid5 names (itself uuid5 of the URL namespace and "specx"). */
export const SPECX_NAMESPACE = "c1a43f9e-5f2d-5d4e-9a7b-3e8f0b6a2d11";

/** Two hex digits for each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

const utf8 = new TextEncoder();

/** The namespace's 16 bytes then the name's UTF-8, reused (grown for a longer name). */
let input = new Uint8Array(256);
/** The namespace whose bytes `input` starts with. */
let inputNamespace = "";

/** A version-5 UUID of `name` in `namespace`. */
export function uuid5(name: string, namespace: string = SPECX_NAMESPACE): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (input.length < 16 + 3 * name.length) {
    input = new Uint8Array(16 + 3 * name.length);
    inputNamespace = "";
  }
  if (namespace !== inputNamespace) {
    const hex = namespace.replaceAll("-", "");
    for (let i = 0; i < 16; i++) input[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    inputNamespace = namespace;
  }
  const { written } = utf8.encodeInto(name, input.subarray(16));
  const hash = digest(input.subarray(0, 16 + written));
  let hex = "";
  for (let i = 0; i < 16; i++) {
    let byte = digestByte(hash, i);
    if (i === 6) byte = (byte & 0x0f) | 0x50;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) hex += "-";
    hex += HEX[byte];
  }
  return hex;
}

/** Hex SHA-1 of bytes, to name a scan by its content. */
export function sha1Hex(bytes: Uint8Array): string {
  const hash = digest(bytes);
  let hex = "";
  for (let i = 0; i < 20; i++) hex += HEX[digestByte(hash, i)];
  return hex;
}
