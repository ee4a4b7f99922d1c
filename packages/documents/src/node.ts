/**
 * @specx/documents/node: document files on disk. Everything of the core is re-exported.
 */

import { constants as bufferConstants } from "node:buffer";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DocumentFormatError } from "./errors.js";
import { detectFormat, readDocumentStream } from "./streams.js";
import type { NamedDocument } from "./types.js";

export * from "./index.js";

/** Options of {@link readDocumentsFile}. */
export interface ReadDocumentsOptions {
  /**
   * Largest decompressed size accepted for `.gz` files, in bytes: a guard against gzip bombs.
   * Default 4 GiB (capped at Node's largest Buffer).
   */
  maxGunzippedBytes?: number;
}

const DEFAULT_MAX_GUNZIPPED_BYTES = 4 * 1024 ** 3;

/**
 * Reads a document file: `.json`, `.jsonl` or `.msgpack`, optionally gzipped (`.gz`, unpacked
 * with node:zlib). The format comes from the name (see {@link detectFormat}).
 *
 * @throws DocumentFormatError (for content) or Error (for I/O), the message starting with the path.
 */
export function readDocumentsFile(
  path: string,
  options: ReadDocumentsOptions = {},
): NamedDocument[] {
  const format = detectFormat(path);
  if (format === undefined) {
    throw new Error(
      `${path}: unknown document file type (expected .json, .jsonl or .msgpack, optionally .gz)`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`${path}: cannot read: ${messageOf(error)}`, { cause: error });
  }
  if (path.toLowerCase().endsWith(".gz")) {
    const limit = Math.min(
      options.maxGunzippedBytes ?? DEFAULT_MAX_GUNZIPPED_BYTES,
      bufferConstants.MAX_LENGTH,
    );
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limit });
    } catch (error) {
      throw new DocumentFormatError(
        `${path}: cannot gunzip: ${messageOf(error)}`,
        {},
        { cause: error },
      );
    }
  }
  try {
    return readDocumentStream(bytes, format);
  } catch (error) {
    if (!(error instanceof DocumentFormatError)) throw error;
    throw new DocumentFormatError(`${path}: ${error.message}`, error, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
