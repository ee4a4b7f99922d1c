/**
 * `@specx/test-support`: what specx's tests and benchmarks share, so that no test file finds the
 * data, Python or a random generator on its own. Private: no published package depends on it.
 *
 * - **The shared folder** (real test data that is not part of the repository): `$SPECX_SHARED`
 *   when set, else `shared/` beside the clone, found from this package's own place
 *   (`packages/test-support/dist/` → `../../../../shared/`), never from the working directory.
 *   {@link sharedPath} names any file in it; the folders the tests use have helpers of their own:
 *   - the SPEC corpus (`spec-corpus/`): {@link corpusDir}, {@link corpusNames},
 *     {@link corpusPath}, {@link corpusBytes}, {@link corpusFiles}, and {@link cachedByName} to
 *     parse each file once;
 *   - the writer references (`writer-reference/`): {@link referenceDir}, {@link referencePath},
 *     {@link referenceBytes}, {@link referenceText}, {@link referenceStreams};
 *   - the event-model schemas (`event-model-schemas/`): {@link eventModelSchemasDir}.
 * - **The conformance fixtures** (hand-made edge cases in this repository):
 *   {@link fixturesDir}, {@link fixtureNames}, {@link fixturePath}, {@link fixtureFiles}.
 * - **Python** as the oracle: {@link pythonInterpreter}, {@link python}, {@link pythonHas},
 *   and {@link runDatabrokerCheck}, which reads suitcase files as databroker 1.x does
 *   (`python/databroker_check.py` of this package).
 * - **Seeded random numbers**: {@link seededRandom} (mulberry32, in [0, 1)) and
 *   {@link xorshift32} (32-bit integers), for reproducible samples without fast-check.
 *
 * bluesky's 0MQ transport played by Python (a `Publisher` and `bluesky-0MQ-proxy`, from
 * `python/zmq_publisher.py` and `python/zmq_forwarder.py`) is in `@specx/test-support/zmq`.
 *
 * The browser tests' Chromium (Debian's, through playwright-core) and static 127.0.0.1 server are
 * in `@specx/test-support/browser`.
 *
 * fast-check arbitraries and mutations (the fuzzing campaign's) are in `@specx/test-support/fuzz`:
 * fast-check is slow to import, so only the tests that use it load it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

// ---------------------------------------------------------------------------------------------
// The shared folder
// ---------------------------------------------------------------------------------------------

/**
 * The shared data folder: `$SPECX_SHARED` when set, else `shared/` beside the repository clone
 * (from this module's place, `packages/test-support/dist/`).
 */
export function sharedDir(): string {
  const fromEnvironment = process.env.SPECX_SHARED;
  if (fromEnvironment !== undefined && fromEnvironment !== "") return resolve(fromEnvironment);
  return fileURLToPath(new URL("../../../../shared", import.meta.url));
}

/** Absolute path of a file or folder of the shared folder, e.g. `sharedPath("spec-corpus")`. */
export function sharedPath(relative: string): string {
  return join(sharedDir(), relative);
}

// ---------------------------------------------------------------------------------------------
// The SPEC corpus
// ---------------------------------------------------------------------------------------------

/** A SPEC file for tests: its name and bytes. */
export interface SpecFileBytes {
  name: string;
  bytes: Uint8Array;
}

/** The real SPEC files (CC-BY-4.0): `spec-corpus/` of the shared folder. */
export function corpusDir(): string {
  return sharedPath("spec-corpus");
}

/** The names of the corpus files (its README left out), in name order. */
export function corpusNames(): string[] {
  return readdirSync(corpusDir())
    .filter((name) => name !== "README.md" && statSync(corpusPath(name)).isFile())
    .sort();
}

/** Absolute path of a corpus file. */
export function corpusPath(name: string): string {
  return join(corpusDir(), name);
}

/** The bytes of a corpus file. */
export function corpusBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(corpusPath(name)));
}

/**
 * `make` with its results kept by name: `const parsed = cachedByName((name) =>
 * parse(corpusBytes(name)))` parses each corpus file once, however many tests read it.
 */
export function cachedByName<T>(make: (name: string) => T): (name: string) => T {
  const cache = new Map<string, T>();
  return (name) => {
    if (!cache.has(name)) cache.set(name, make(name));
    return cache.get(name) as T;
  };
}

/** Every corpus file with its bytes, in name order. */
export function corpusFiles(): SpecFileBytes[] {
  return corpusNames().map((name) => ({ name, bytes: corpusBytes(name) }));
}

// ---------------------------------------------------------------------------------------------
// The conformance fixtures
// ---------------------------------------------------------------------------------------------

/** The conformance fixtures (hand-made edge cases): `conformance/fixtures/` of this repository. */
export const fixturesDir: string = fileURLToPath(
  new URL("../../../conformance/fixtures", import.meta.url),
);

/** The names of the conformance fixtures, without their expectations (`.json`), in name order. */
export function fixtureNames(): string[] {
  return readdirSync(fixturesDir)
    .filter((name) => !name.endsWith(".json"))
    .sort();
}

/** Absolute path of a conformance fixture. */
export function fixturePath(name: string): string {
  return join(fixturesDir, name);
}

/** Every conformance fixture with its bytes, in name order. */
export function fixtureFiles(): SpecFileBytes[] {
  return fixtureNames().map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(fixturePath(name))),
  }));
}

// ---------------------------------------------------------------------------------------------
// The writer references
// ---------------------------------------------------------------------------------------------

/** What apstools, suitcase and the synthetic runs wrote: `writer-reference/` of the shared folder. */
export function referenceDir(): string {
  return sharedPath("writer-reference");
}

/** Absolute path of a reference file, relative to {@link referenceDir}. */
export function referencePath(relative: string): string {
  return join(referenceDir(), relative);
}

/** The bytes of a reference file, gunzipped if it ends in `.gz`. */
export function referenceBytes(relative: string): Uint8Array {
  const bytes = readFileSync(referencePath(relative));
  return new Uint8Array(relative.endsWith(".gz") ? gunzipSync(bytes) : bytes);
}

/** The text of a reference file, gunzipped if needed. */
export function referenceText(relative: string): string {
  return new TextDecoder().decode(referenceBytes(relative));
}

/** Every document stream of the references, as paths relative to {@link referenceDir}, sorted. */
export function referenceStreams(): string[] {
  return ["apstools/streams", "synthetic/streams", "suitcase/documents"]
    .flatMap((dir) => readdirSync(referencePath(dir)).map((name) => `${dir}/${name}`))
    .filter((path) => /\.(json|json\.gz|jsonl|msgpack)$/.test(path))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// The event-model schemas
// ---------------------------------------------------------------------------------------------

/**
 * The event-model schema files (`run_start.json`, `event.json`, …, BSD-3 files of
 * bluesky/event-model) for `loadEventModelSchemas`: `$SPECX_EVENT_MODEL_SCHEMAS` when set, else
 * `event-model-schemas/` of the shared folder.
 */
export function eventModelSchemasDir(): string {
  const fromEnvironment = process.env.SPECX_EVENT_MODEL_SCHEMAS;
  if (fromEnvironment !== undefined && fromEnvironment !== "") return resolve(fromEnvironment);
  return sharedPath("event-model-schemas");
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/**
 * The Python that checks files as Python's own readers do: `$SPECX_PYTHON`, else
 * /usr/bin/python3 (where Debian's python3-* packages install), else `python3` on the PATH.
 */
export function pythonInterpreter(): string {
  return (
    process.env.SPECX_PYTHON || (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
  );
}

/** Runs a Python snippet with {@link pythonInterpreter}, with the given stdin; returns its stdout. */
export function python(code: string, args: readonly string[] = [], input = ""): string {
  return execFileSync(pythonInterpreter(), ["-c", code, ...args], {
    input,
    maxBuffer: 1 << 28,
    encoding: "utf8",
  });
}

/** Whether {@link pythonInterpreter} can import the given module (e.g. `"silx.io.specfile"`). */
export function pythonHas(module: string): boolean {
  return spawnSync(pythonInterpreter(), ["-c", `import ${module}`]).status === 0;
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
 * Reads suitcase-jsonl and suitcase-msgpack files with Python exactly as databroker 1.x does
 * (`python/databroker_check.py` of this package) and validates every document with jsonschema
 * against the schemas of `schemasDir` (default {@link eventModelSchemasDir}). The interpreter is
 * {@link pythonInterpreter}, where Debian's python3-msgpack, python3-msgpack-numpy and
 * python3-jsonschema live. Throws, naming the Debian packages, when Python or a module is missing.
 */
export function runDatabrokerCheck(
  files: readonly string[],
  schemasDir: string = eventModelSchemasDir(),
): DatabrokerReport {
  const script = fileURLToPath(new URL("../python/databroker_check.py", import.meta.url));
  const interpreter = pythonInterpreter();
  const result = spawnSync(interpreter, [script, "--schemas", schemasDir, ...files], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (result.error !== undefined) {
    throw new Error(
      `cannot run ${interpreter} (${result.error.message}); apt-get install -y ${DEBIAN_PACKAGES}`,
    );
  }
  if (result.status === 2)
    throw new Error(`${interpreter} databroker_check.py: ${result.stderr.trim()}`);
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`databroker_check.py exited with ${result.status}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as DatabrokerReport;
}

// ---------------------------------------------------------------------------------------------
// Seeded random numbers
// ---------------------------------------------------------------------------------------------

/**
 * A small, fast, seeded generator (mulberry32): reproducible pseudo-random numbers in [0, 1).
 * The same seed gives the same numbers on every machine.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded xorshift32 generator: reproducible unsigned 32-bit integers (never 0). */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}
