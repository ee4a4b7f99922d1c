/**
 * Bytes and the strings made from them.
 *
 * The parser works on a "byte string": one UTF-16 unit per byte, so offsets in the string are
 * byte offsets and any slice maps back to its exact bytes. Text that users see is decoded per
 * line: UTF-8 first, Latin-1 when a line is not valid UTF-8 (docs/spec-format.md §1).
 */

const utf8 = new TextDecoder("utf-8");
// ignoreBOM: a line that starts with the bytes of a byte order mark keeps it as U+FEFF (by
// default every decoded line lost it; the file's own BOM is never part of a line).
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const NON_ASCII = /[\x80-\uFFFF]/;

/** Decodes bytes one byte per character (ISO-8859-1), the basis of every offset in the parser. */
export function toByteString(bytes: Uint8Array): string {
  // Nearly every SPEC file is ASCII, where UTF-8 decoding gives the same string several times faster.
  const ascii = utf8.decode(bytes);
  if (ascii.length === bytes.length && !NON_ASCII.test(ascii)) return ascii;
  return latin1(bytes);
}

/** ISO-8859-1 decoding with web APIs only, so the core runs in browsers and workers too. */
export function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  const step = 8192;
  for (let i = 0; i < bytes.length; i += step) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + step) as unknown as number[]));
  }
  return parts.join("");
}

/** True when the byte string holds only ASCII characters. */
export function isAscii(byteString: string): boolean {
  return !NON_ASCII.test(byteString);
}

/** The result of decoding one line's bytes for display. */
export interface DecodedText {
  text: string;
  /** True when the bytes were not valid UTF-8 and were read as Latin-1. */
  latin1Fallback: boolean;
}

/**
 * Decodes a byte string (one char per byte) as UTF-8 when it is valid UTF-8, else as Latin-1,
 * which is the byte string itself.
 */
export function decodeByteString(byteString: string): DecodedText {
  if (!NON_ASCII.test(byteString)) return { text: byteString, latin1Fallback: false };
  const bytes = new Uint8Array(byteString.length);
  for (let i = 0; i < byteString.length; i++) bytes[i] = byteString.charCodeAt(i);
  try {
    return { text: strictUtf8.decode(bytes), latin1Fallback: false };
  } catch {
    return { text: byteString, latin1Fallback: true };
  }
}

/**
 * A copy of `text` that does not keep the string it was sliced from alive. Engines make a slice
 * a view of its parent (V8's sliced strings), so a short name taken from a scan's text would
 * otherwise hold the whole text in memory after the scan itself is gone.
 */
export function detach(text: string): string {
  return ` ${text}`.slice(1);
}

/** UTF-8 encoding for string input, so that every source is bytes. */
export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The UTF-8 byte order mark. */
export const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** True when the bytes start with a UTF-8 byte order mark. */
export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
