/**
 * `npm run conformance [-- --corpus DIR] [--verbose]`: runs every corpus file and fixture and
 * prints a report grouped by feature. Exit status 1 when any check fails.
 */
import { type CheckResult, features } from "./checks.js";
import { type Case, corpusCases, corpusDir, fixtureCases, runCase } from "./suite.js";
import { referenceDir, runWriterCase, type WriterCase, writerCases } from "./writer-checks.js";

function main(argv: string[]): number {
  let corpusOption: string | undefined;
  let referenceOption: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--corpus") corpusOption = argv[++i];
    else if (arg?.startsWith("--corpus=")) corpusOption = arg.slice("--corpus=".length);
    else if (arg === "--reference") referenceOption = argv[++i];
    else if (arg === "--verbose" || arg === "-v") verbose = true;
    else {
      process.stderr.write(
        `conformance: unknown argument ${arg}\nusage: run [--corpus DIR] [--reference DIR] [--verbose]\n`,
      );
      return 2;
    }
  }
  const dir = corpusDir(corpusOption);
  const reference = referenceDir(referenceOption);
  let cases: Case[];
  let writing: WriterCase[];
  try {
    cases = [...corpusCases(dir), ...fixtureCases()];
    writing = writerCases(reference);
  } catch (error) {
    process.stderr.write(`conformance: ${(error as Error).message}\n`);
    return 2;
  }
  const results: CheckResult[] = [];
  const unchecked: string[] = [];
  for (const testCase of cases) {
    if (!testCase.expected) unchecked.push(testCase.name);
    results.push(...runCase(testCase));
  }
  for (const testCase of writing) results.push(...runWriterCase(reference, testCase));

  process.stdout.write(
    `specx conformance: corpus ${dir}\n                   writer reference ${reference}\n\n`,
  );
  for (const feature of features) {
    const group = results.filter((result) => result.feature === feature);
    if (group.length === 0) continue;
    const failed = group.filter((result) => !result.ok);
    const files = new Set(group.map((result) => result.file)).size;
    const mark = failed.length === 0 ? "ok  " : "FAIL";
    process.stdout.write(
      `${mark} ${feature.padEnd(20)} ${String(group.length - failed.length).padStart(6)} of ${String(group.length).padStart(6)} checks, ${files} files\n`,
    );
    const shown = verbose ? failed : failed.slice(0, 20);
    for (const failure of shown) {
      const where = failure.scan ? `${failure.file} scan ${failure.scan}` : failure.file;
      process.stdout.write(`       ${where}: ${failure.check}: ${failure.detail}\n`);
    }
    if (shown.length < failed.length) {
      process.stdout.write(`       … ${failed.length - shown.length} more (use --verbose)\n`);
    }
  }
  if (unchecked.length > 0) {
    process.stdout.write(
      `\nno expectations (round trip and parse only): ${unchecked.join(", ")}\n`,
    );
  }
  const failures = results.filter((result) => !result.ok).length;
  process.stdout.write(
    `\n${results.length - failures} passed, ${failures} failed (${cases.length} SPEC files, ${writing.length} document streams)\n`,
  );
  return failures === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
