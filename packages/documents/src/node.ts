/**
 * @specx/documents/node: document files on disk. Everything of the core is re-exported.
 */

import { constants as bufferConstants } from "node:buffer";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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
 * The default directory of the event-model schema files: `$SPECX_EVENT_MODEL_SCHEMAS` when set,
 * else `shared/event-model-schemas` beside the repository clone (from this module's place in
 * `packages/documents/dist/`, `../../../../shared/event-model-schemas`).
 */
export function defaultEventModelSchemasDir(): string {
  const fromEnvironment = process.env.SPECX_EVENT_MODEL_SCHEMAS;
  if (fromEnvironment !== undefined && fromEnvironment !== "") return resolve(fromEnvironment);
  return fileURLToPath(new URL("../../../../shared/event-model-schemas/", import.meta.url));
}

/**
 * Reads the 12 event-model schema files (`run_start.json`, `event.json`, …) from a directory,
 * for `createValidator`. The schemas are not shipped with this package (they are BSD-3 files
 * of bluesky/event-model); see {@link defaultEventModelSchemasDir} for where they are looked for.
 *
 * @throws Error naming the directory when it or a schema file is missing or not JSON.
 */
export function loadEventModelSchemas(
  dir: string = defaultEventModelSchemasDir(),
): Record<EventModelSchemaName, object> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `event-model schemas: directory ${dir} does not exist (set SPECX_EVENT_MODEL_SCHEMAS to the folder holding run_start.json, event.json, …)`,
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

/** One file's result from the Python databroker check. */
export interface DatabrokerFileReport {
  path: string;
  documents: Record<string, number>;
  events: Record<string, number>;
  errors: string[];
}

/** The Python databroker check's report. */
export interface DatabrokerReport {
  files: DatabrokerFileReport[];
  ok: boolean;
}

const DEBIAN_PACKAGES = "python3 python3-msgpack python3-msgpack-numpy python3-jsonschema";

/**
 * The Python that checks files as Python's own readers do: `$SPECX_PYTHON`, else /usr/bin/python3
 * (where Debian's python3-* packages install), else `python3` on the PATH.
 */
export function pythonInterpreter(): string {
  return (
    process.env.SPECX_PYTHON || (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
  );
}

/**
 * Reads suitcase-jsonl and suitcase-msgpack files with Python exactly as databroker 1.x does
 * (`python/databroker_check.py`, shipped with this package) and validates every document with
 * jsonschema. The interpreter is `$SPECX_PYTHON`, else /usr/bin/python3 (where Debian's
 * python3-msgpack, python3-msgpack-numpy and python3-jsonschema live), else `python3`.
 * Throws, naming the Debian packages, when Python or a module is missing.
 */
export function runDatabrokerCheck(
  files: readonly string[],
  schemasDir?: string,
): DatabrokerReport {
  const script = fileURLToPath(new URL("../python/databroker_check.py", import.meta.url));
  const python = pythonInterpreter();
  const result = spawnSync(
    python,
    [script, "--schemas", schemasDir ?? defaultEventModelSchemasDir(), ...files],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  if (result.error !== undefined) {
    throw new Error(
      `cannot run ${python} (${result.error.message}); apt-get install -y ${DEBIAN_PACKAGES}`,
    );
  }
  if (result.status === 2)
    throw new Error(`${python} databroker_check.py: ${result.stderr.trim()}`);
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`databroker_check.py exited with ${result.status}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as DatabrokerReport;
}
