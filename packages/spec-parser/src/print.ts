/** The printer: a parsed file back to its exact bytes. */
import { decodeByteString, toByteString } from "./parse/bytes.js";
import type { SpecFile } from "./spec-file.js";

/** The file's bytes rebuilt from the model; `print(parse(bytes))` equals `bytes`. */
export function print(file: SpecFile): Uint8Array {
  return file.printBytes();
}

/**
 * The file as text: each line decoded as UTF-8, or Latin-1 where it is not valid UTF-8 (a byte
 * order mark becomes U+FEFF). For a string given to `parse`, this is that string.
 */
export function printText(file: SpecFile): string {
  const bytes = file.printBytes();
  const text = toByteString(file.bom ? bytes.subarray(3) : bytes);
  const body = text
    .split(/(?<=\r\n|\n|\r(?!\n))/)
    .map((line) => decodeByteString(line).text)
    .join("");
  return file.bom ? `\uFEFF${body}` : body;
}
