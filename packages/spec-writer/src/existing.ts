/**
 * What the writer must know before continuing an existing SPEC file: its last scan number, the
 * motors of its last header, and whether it ends with a line terminator. The file is read with the
 * specx parser, so files written by SPEC, apstools or specx are all understood.
 */
import { parse } from "@specx/spec-parser";
import type { ExistingFile } from "./apstools-writer.js";

/** Thrown when appending would mix SPEC scans into a file that is not a SPEC file. */
export class NotASpecFileError extends Error {}

/** Describes `bytes` (a file's content) for appending; throws NotASpecFileError for non-SPEC text. */
export function describeExisting(bytes: Uint8Array): ExistingFile {
  if (bytes.length === 0) {
    return { nonEmpty: false, endsWithNewline: true, lastScanNumber: 0, headerMotors: null };
  }
  const file = parse(bytes);
  if (file.scanCount === 0 && file.headers.length === 0) {
    throw new NotASpecFileError(
      "it has no #F/#E header and no #S scan, so it is not a SPEC data file",
    );
  }
  const numbers = file.scanEntries.map((entry) => entry.number ?? 0);
  const lastHeader = file.headers[file.headers.length - 1];
  const last = bytes[bytes.length - 1];
  return {
    nonEmpty: true,
    endsWithNewline: last === 0x0a || last === 0x0d,
    lastScanNumber: numbers.length > 0 ? Math.max(...numbers) : 0,
    headerMotors: lastHeader
      ? [...lastHeader.motorNames.entries()].sort(([a], [b]) => a - b).flatMap(([, names]) => names)
      : null,
  };
}
