/**
 * @specx/documents/node: document files on disk. Everything of the core is re-exported.
 */

import { constants as bufferConstants } from "node:buffer";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DocumentFormatError } from "./errors.js";
import { EVENT_MODEL_SCHEMA_NAMES, type EventModelSchemaName } from "./event-model.js";
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

/**
 * Reads the 12 event-model schema files (`run_start.json`, `event.json`, …) from a directory,
 * for `createValidator`. The schemas are not shipped with this package (they are BSD-3 files
 * of bluesky/event-model): the caller says where they are (specx's own tests and conformance
 * runner keep them in `shared/event-model-schemas` beside the clone).
 *
 * @throws Error naming the directory when it or a schema file is missing or not JSON.
 */
export function loadEventModelSchemas(dir: string): Record<EventModelSchemaName, object> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `event-model schemas: directory ${dir} does not exist (it should hold run_start.json, event.json, …)`,
    );
  }
  const schemas = {} as Record<EventModelSchemaName, object>;
  const missing: string[] = [];
  for (const name of EVENT_MODEL_SCHEMA_NAMES) {
    const path = join(dir, `${name}.json`);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      missing.push(`${name}.json`);
      continue;
    }
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch (error) {
      throw new Error(`event-model schemas: ${path} is not JSON: ${messageOf(error)}`, {
        cause: error,
      });
    }
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw new Error(`event-model schemas: ${path} is not a JSON object`);
    }
    schemas[name] = schema;
  }
  if (missing.length > 0) {
    throw new Error(`event-model schemas: directory ${dir} lacks ${missing.join(", ")}`);
  }
  return schemas;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
