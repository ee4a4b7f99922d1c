/**
 * @specx/spec-parser: a lossless, grammar-based reader for SPEC data files.
 *
 * ```ts
 * import { parse, print } from "@specx/spec-parser";
 * const file = parse(bytes);              // never throws on content
 * const scan = file.scan("3.1");           // interpreted on first access
 * scan.labels; scan.data.columns; scan.positioners; scan.metadata;
 * file.diagnostics;                        // every defect, with line numbers
 * print(file);                             // the identical bytes
 * ```
 *
 * A pass over every scan that lets each go can read their numbers into one reused buffer:
 * `file.scanAt(i, { arena })` with a {@link NumberArena} (README, "Use").
 *
 * Stages: `parse/lexer.ts` (one chevrotain token per line) → `parse/grammar.ts` (block
 * structure) → `parse/indexer.ts` (line table, chunked) → `model/*` (headers and scans, on
 * demand) → `print.ts` (bytes back). The core uses no Node API; `@specx/spec-parser/node` adds
 * `openSpec` for files on disk.
 */
import { encodeUtf8 } from "./parse/bytes.js";
import type { ByteSource } from "./parse/indexer.js";
import { SpecFile } from "./spec-file.js";

// Reading: a file from bytes (parse, below) or any byte source, its index and its blocks.

export { NumberArena } from "./model/number-arena.js";
export type { Block, ByteSource } from "./parse/indexer.js";
export { LineKind, lineKindNames } from "./parse/line-table.js";
export type { ReadOptions, RefreshReport, ScanEntry, ScanReadOptions } from "./spec-file.js";
export { SpecFile } from "./spec-file.js";

// The model: headers and scans, interpreted on demand, the readers of their values, and which
// program wrote a scan (SPEC, apstools v1 or v2, or suitcase-specfile).

export { readDate } from "./model/dates.js";
export type { LiteralValue } from "./model/python-literal.js";
export { parsePythonLiteral } from "./model/python-literal.js";
export { readValue, splitNames, splitWords, uniqueAliases } from "./model/text.js";
export type {
  BrokenRow,
  Comment,
  ControlLine,
  CountPreset,
  DataTable,
  ExtraValues,
  FileHeader,
  McaChannels,
  McaData,
  McaDeclaration,
  McaDevice,
  McaRoi,
  McaSpectrum,
  Positioner,
  Scan,
  SourceLine,
  SpecDate,
  SpecialValue,
  TextLine,
} from "./model/types.js";
export { isApstools, scanWriter, type WriterKind } from "./model/writers.js";

// Findings: the parser's diagnostics and the semantic checks.

export { checkFile, type ScanProgress, validateFile } from "./checks.js";
export type { Diagnostic, DiagnosticCode, Severity } from "./diagnostics.js";
export { diagnosticRules } from "./diagnostics.js";

// Printing: the identical bytes back.

export { print, printText } from "./print.js";

/**
 * Parses a SPEC file from its bytes (or from text, which is encoded as UTF-8 first).
 * Never throws on content: every defect becomes a diagnostic.
 */
export function parse(input: string | Uint8Array): SpecFile {
  const bytes = typeof input === "string" ? encodeUtf8(input) : input;
  return new SpecFile(memorySource(bytes));
}

/** A byte source over bytes in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}
