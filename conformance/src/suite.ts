/**
 * Locating and running the conformance cases: the real corpus (from `--corpus`, `SPECX_CORPUS`
 * or `spec-corpus/` of the shared folder, as `@specx/test-support` finds it) and the synthetic
 * fixtures of this package.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fileToRuns } from "@specx/conversion";
import { loadEventModelSchemas } from "@specx/documents/node";
import { createValidator, type DocumentValidator } from "@specx/documents/validate";
import { parse } from "@specx/spec-parser";
import { eventModelSchemasDir, corpusDir as sharedCorpusDir } from "@specx/test-support";
import { type CheckResult, checkFile, type Expected, fileFeature } from "./checks.js";

/** The conformance package folder (holds `expected/` and `fixtures/`). */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The corpus folder chosen by option, environment or default (`$SPECX_SHARED/spec-corpus`). */
export function corpusDir(option?: string): string {
  return resolve(option ?? process.env.SPECX_CORPUS ?? sharedCorpusDir());
}

/**
 * The event-model schemas the documents are checked against: `$SPECX_EVENT_MODEL_SCHEMAS`, else
 * `event-model-schemas/` of the shared folder (`@specx/documents` itself has no default).
 */
export const schemasDir = eventModelSchemasDir;

/** One file to check, with its expectations when there are any. */
export interface Case {
  name: string;
  path: string;
  kind: "corpus" | "fixture";
  expected: Expected | null;
}

/** Corpus files (every regular file but README.md), paired with `expected/<name>.json`. */
export function corpusCases(dir: string): Case[] {
  if (!existsSync(dir)) throw new Error(`corpus folder not found: ${dir}`);
  return readdirSync(dir)
    .filter((name) => name !== "README.md" && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => {
      const expectedPath = join(packageDir, "expected", `${name}.json`);
      return {
        name,
        path: join(dir, name),
        kind: "corpus" as const,
        expected: existsSync(expectedPath) ? readJson(expectedPath) : null,
      };
    });
}

/** The synthetic fixtures, each with its `.expected.json`. */
export function fixtureCases(): Case[] {
  const dir = join(packageDir, "fixtures");
  return readdirSync(dir)
    .filter((name) => !name.endsWith(".json"))
    .sort()
    .map((name) => ({
      name,
      path: join(dir, name),
      kind: "fixture" as const,
      expected: readJson(join(dir, `${name}.expected.json`)),
    }));
}

let validator: DocumentValidator | undefined;

/**
 * Parses a case and runs its checks (a file without expectations only gets the round trip), and
 * checks that every scan converts to documents that pass the event-model schemas and the
 * cross-document rules.
 */
export function runCase(testCase: Case): CheckResult[] {
  const bytes = new Uint8Array(readFileSync(testCase.path));
  const file = parse(bytes);
  const results = checkFile(basename(testCase.path), bytes, file, testCase.expected);
  validator ??= createValidator(loadEventModelSchemas(schemasDir()));
  const feature = fileFeature(testCase.expected) ?? "documents";
  for (const run of fileToRuns(file)) {
    const problems = validator.validateRun(run.documents);
    results.push({
      feature,
      file: basename(testCase.path),
      scan: run.key,
      check: "documents pass the event-model schemas and cross-document rules",
      ok: problems.length === 0,
      detail: problems
        .slice(0, 3)
        .map((p) => `${p.name ?? "run"}: ${p.message}`)
        .join("; "),
    });
  }
  return results;
}

function readJson(path: string): Expected {
  return JSON.parse(readFileSync(path, "utf8")) as Expected;
}
