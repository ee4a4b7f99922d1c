/** The growth of the byte buffers that writers fill (JsonLinesWriter, MsgpackWriter). */

/**
 * A copy of `bytes[0, used)` in a new buffer of at least `needed` bytes, and at least twice the
 * size of `bytes`: a writer that appends piece by piece copies its bytes a logarithmic number
 * of times.
 */
export function grownBytes(
  bytes: Uint8Array,
  used: number,
  needed: number,
): Uint8Array<ArrayBuffer> {
  let size = Math.max(1, 2 * bytes.length);
  while (size < needed) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(bytes.subarray(0, used));
  return grown;
}
