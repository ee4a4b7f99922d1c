/**
 * What the writer must know before continuing an existing SPEC file: its last scan number, the
 * motors of its last header, and whether it ends with a line terminator. The file is read with the
 * specx parser, so files written by SPEC, apstools or specx are all understood.
 */
import { parse, type SpecFile } from "@specx/spec-parser";
import type { ExistingFile } from "./contracts.js";

/** Thrown when appending would mix SPEC scans into a file that is not a SPEC file. */
export class NotASpecFileError extends Error {}

/** Describes `bytes` (a file's content) for appending; throws NotASpecFileError for non-SPEC text. */
export function describeExisting(bytes: Uint8Array): ExistingFile {
  if (bytes.length === 0) {
    return { nonEmpty: false, endsWithNewline: true, lastScanNumber: 0, headerMotors: null };
  }
  const last = bytes[bytes.length - 1];
  return describeSpecFile(parse(bytes), last === 0x0a || last === 0x0d);
}

/**
 * Describes a non-empty file already parsed (a file on disk is indexed without reading it whole);
 * `endsWithNewline` tells whether its last byte is a line terminator.
 */
export function describeSpecFile(file: SpecFile, endsWithNewline: boolean): ExistingFile {
  const headerCount = file.blocks.filter((block) => block.kind === "header").length;
  if (file.scanCount === 0 && headerCount === 0) {
    throw new NotASpecFileError(
      "it has no #F/#E header and no #S scan, so it is not a SPEC data file",
    );
  }
  // A loop, not Math.max(...numbers): a file of 200,000 scans would overflow the call's arguments.
  let lastScanNumber = 0;
  for (const entry of file.scanEntries)
    lastScanNumber = Math.max(lastScanNumber, entry.number ?? 0);
  const lastHeader = headerCount > 0 ? file.header(headerCount - 1) : undefined;
  return {
    nonEmpty: true,
    endsWithNewline,
    lastScanNumber,
    headerMotors: lastHeader
      ? [...lastHeader.motorNames.entries()].sort(([a], [b]) => a - b).flatMap(([, names]) => names)
      : null,
  };
}
