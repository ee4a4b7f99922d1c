/** UTF-8 helpers for msgpack strings, strict like Python's codec. */

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 strictly (a BOM is kept as U+FEFF, as Python keeps it).
 * @throws TypeError on malformed UTF-8, including encoded surrogates.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  // Short ASCII strings (keys, names) are most of a document; skip TextDecoder for them.
  if (bytes.length <= 32) {
    let text = "";
    for (const byte of bytes) {
      if (byte >= 0x80) return strictDecoder.decode(bytes);
      text += String.fromCharCode(byte);
    }
    return text;
  }
  return strictDecoder.decode(bytes);
}

/**
 * The number of bytes of `text` in UTF-8.
 * @throws TypeError on a lone surrogate, which UTF-8 cannot hold (Python refuses it too).
 */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        throw new TypeError(`lone surrogate U+${c.toString(16).toUpperCase()} cannot be encoded`);
      }
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/** Writes `text` (checked by {@link utf8Length}) as UTF-8 into `out` at `offset`. */
export function writeUtf8(text: string, out: Uint8Array, offset: number): void {
  let pos = offset;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[pos++] = c;
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      out[pos++] = 0xf0 | (c >> 18);
      out[pos++] = 0x80 | ((c >> 12) & 0x3f);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    } else {
      out[pos++] = 0xe0 | (c >> 12);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    }
  }
}
