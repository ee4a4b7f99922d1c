/**
 * Writer conformance: every reference document stream through the real `specx from-docs`, in an
 * empty folder, compared byte for byte with the SPEC file apstools' SpecWriterCallback2 (or
 * suitcase-specfile) wrote from it, after masking only the lines the reference README lists.
 * Where apstools is wrong the expected output is apstools' with the documented fix applied, and
 * `--strict-apstools` must give apstools' own bytes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse } from "@specx/spec-parser";
import { referenceDir as sharedReferenceDir } from "@specx/test-support";
import type { CheckResult, Feature } from "./checks.js";

/** The reference folder chosen by option, environment or default (`$SPECX_SHARED/writer-reference`). */
export function referenceDir(option?: string): string {
  return resolve(option ?? process.env.SPECX_WRITER_REFERENCE ?? sharedReferenceDir());
}

/** Outputs whose user/host line comes from the writing machine (reference README). */
const HOST_DEPENDENT = new Set([
  "apstools/apstools-catalog",
  "apstools/uid-34c84a1b",
  "apstools/uid-f05b6684",
  "synthetic/syn-nan",
  "synthetic/syn-session",
]);

/** One document stream and what its output must be. */
export interface WriterCase {
  /** `apstools/uid-3ab777ae`, `suitcase/scan`, … */
  name: string;
  stream: string;
  flavor: "apstools" | "apstools-v1" | "suitcase";
}

/** Every reference stream: apstools and synthetic streams (v2 layout), suitcase documents. */
export function writerCases(reference: string): WriterCase[] {
  if (!existsSync(reference)) throw new Error(`writer reference folder not found: ${reference}`);
  const cases: WriterCase[] = [];
  for (const group of ["apstools", "synthetic"]) {
    for (const file of readdirSync(join(reference, group, "streams")).sort()) {
      cases.push({
        name: `${group}/${file.replace(/\.(json\.gz|json|msgpack)$/, "")}${file.endsWith(".msgpack") ? " (msgpack)" : ""}`,
        stream: join(reference, group, "streams", file),
        flavor: "apstools",
      });
    }
  }
  // The v1 (SpecWriterCallback) outputs, from the same streams.
  for (const group of ["apstools", "synthetic"]) {
    const streams = readdirSync(join(reference, group, "streams"));
    for (const output of readdirSync(join(reference, group, "v1")).sort()) {
      const base = output.replace(/\.spec$/, "");
      const stream = streams.find(
        (file) => file.replace(/\.(json\.gz|json|msgpack)$/, "") === base,
      );
      if (stream)
        cases.push({
          name: `${group}/v1/${base}`,
          stream: join(reference, group, "streams", stream),
          flavor: "apstools-v1",
        });
    }
  }
  for (const file of readdirSync(join(reference, "suitcase", "documents")).sort()) {
    cases.push({
      name: `suitcase/${file.replace(/\.jsonl$/, "")}`,
      stream: join(reference, "suitcase", "documents", file),
      flavor: "suitcase",
    });
  }
  return cases;
}

const specxBin = join(
  dirname(createRequire(import.meta.url).resolve("@specx/cli/package.json")),
  "bin",
  "specx.cjs",
);

/** Runs `specx from-docs STREAM -o NAME.spec` in a new empty folder; returns the file's text. */
function fromDocs(stream: string, outName: string, extra: string[], timeZone: string): string {
  const folder = mkdtempSync(join(tmpdir(), "specx-writer-"));
  const result = spawnSync(
    process.execPath,
    [specxBin, "from-docs", stream, "-o", outName, ...extra],
    {
      cwd: folder,
      encoding: "utf8",
      env: { ...process.env, TZ: timeZone },
    },
  );
  if (result.status !== 0)
    throw new Error(`specx from-docs failed (${result.status}): ${result.stderr}`);
  return readFileSync(join(folder, outName), "utf8");
}

/** Replaces the masked lines of both texts by a placeholder. */
function masked(text: string, hostDependent: boolean): string {
  return hostDependent
    ? text.replace(/^#C Bluesky {2}user = .*$/gm, "#C Bluesky  user = <masked>")
    : text;
}

/** Runs one writer case; all checks of it belong to writer features. */
export function runWriterCase(reference: string, testCase: WriterCase): CheckResult[] {
  const results: CheckResult[] = [];
  const add = (feature: Feature, check: string, ok: boolean, detail: string) =>
    results.push({ feature, file: testCase.name, scan: null, check, ok, detail: ok ? "" : detail });
  const compare = (feature: Feature, check: string, actual: string, expected: string) =>
    add(feature, check, actual === expected, firstDifference(actual, expected));

  const baseName = testCase.name.replace(/^.*\//, "").replace(" (msgpack)", "");
  const outName = `${baseName}.spec`;
  if (testCase.flavor === "apstools-v1") {
    // v1's header #E/#D are the writer's wall clock and its user line the machine's (README).
    const v1Mask = (text: string) =>
      text
        .replace(/^#E .*$/m, "#E <masked>")
        .replace(/^#D .*$/m, "#D <masked>")
        .replace(/^#C Bluesky {2}user = .*$/m, "#C <masked>");
    const actual = fromDocs(testCase.stream, outName, ["--flavor", "apstools-v1"], "UTC");
    const group = testCase.name.split("/")[0] as string;
    compare(
      "writer: apstools v1",
      "equals apstools v1 (header #E, #D and user line masked)",
      v1Mask(actual),
      v1Mask(read(reference, `${group}/v1`, outName)),
    );
    // v1 writes list cells into the row as they are, which breaks the row's width: that and
    // nothing else may be reported.
    checkParsesBack(actual, add, new Set(["ROW_TOO_LONG", "ROW_TOO_SHORT"]));
    return results;
  }
  if (testCase.flavor === "suitcase") {
    const actual = fromDocs(testCase.stream, outName, ["--flavor", "suitcase"], "America/New_York");
    compare(
      "writer: suitcase",
      "equals suitcase/expected",
      actual,
      read(reference, "suitcase/expected", outName),
    );
    checkParsesBack(actual, add);
    return results;
  }

  const group = testCase.name.split("/")[0] as string;
  const hostDependent = HOST_DEPENDENT.has(`${group}/${baseName}`);
  const expectedV2 = read(reference, `${group}/v2`, outName);
  const actual = fromDocs(testCase.stream, outName, [], "UTC");
  checkParsesBack(actual, add);

  if (baseName === "440-624e776a") {
    // apstools drops event pages; specx unpacks them, so the rows equal the unpacked stream's.
    const unpacked = read(reference, `${group}/v2`, "440-624e776a-unpacked.spec").replace(
      /^#F 440-624e776a-unpacked\.spec$/m,
      `#F ${outName}`,
    );
    compare("writer: fixes", "event pages give the rows of the unpacked stream", actual, unpacked);
    const strict = fromDocs(testCase.stream, outName, ["--strict-apstools"], "UTC");
    compare(
      "writer: apstools v2",
      "--strict-apstools equals apstools (no rows)",
      strict,
      expectedV2,
    );
    return results;
  }
  if (baseName === "syn-nan") {
    // apstools crashes at the NaN and leaves the file cut; specx writes nan and completes the run.
    const ours = masked(actual, hostDependent);
    const theirs = masked(expectedV2, hostDependent);
    add(
      "writer: fixes",
      "apstools' cut output is a prefix of specx's",
      ours.startsWith(theirs),
      firstDifference(ours, theirs),
    );
    const rest = ours.slice(theirs.length);
    add(
      "writer: fixes",
      "the NaN row and the end lines are written",
      /^2 2\.0 nan\n/.test(rest) && /exit_status = success\n$/.test(rest),
      `after apstools' last line: ${JSON.stringify(rest)}`,
    );
    return results;
  }
  if (baseName === "syn-values") {
    // apstools writes a newline inside a #MD value raw, breaking the line; specx writes its repr.
    const fixed = expectedV2.replace(
      "#MD comment = line one\nline two\n",
      "#MD comment = 'line one\\nline two'\n",
    );
    add(
      "writer: fixes",
      "reference has the broken #MD line",
      fixed !== expectedV2,
      "the reference changed",
    );
    compare("writer: fixes", "multi-line #MD written on one line", actual, fixed);
    const strict = fromDocs(testCase.stream, outName, ["--strict-apstools"], "UTC");
    compare("writer: apstools v2", "--strict-apstools equals apstools", strict, expectedV2);
    return results;
  }
  if (baseName === "syn-session") {
    // apstools writes the header of a late motor stream between two data rows of scan 11, which
    // cuts the scan; specx leaves the scan whole and writes the header before the next scan.
    const midScanHeader =
      /\n\n#F syn-session\.spec\n#E [^\n]*\n#D [^\n]*\n#C [^\n]*\n#O0 ax {2}bx\n#o0 ax {2}bx\n(?=32 )/;
    add(
      "writer: fixes",
      "reference has the header between rows",
      midScanHeader.test(expectedV2),
      "the reference changed",
    );
    compare(
      "writer: fixes",
      "no file header between data rows",
      masked(actual, hostDependent),
      masked(expectedV2.replace(midScanHeader, "\n"), hostDependent),
    );
    const strict = fromDocs(testCase.stream, outName, ["--strict-apstools"], "UTC");
    compare(
      "writer: apstools v2",
      "--strict-apstools equals apstools",
      masked(strict, hostDependent),
      masked(expectedV2, hostDependent),
    );
    return results;
  }
  compare(
    "writer: apstools v2",
    hostDependent ? "equals apstools v2 (user/host line masked)" : "equals apstools v2",
    masked(actual, hostDependent),
    masked(expectedV2, hostDependent),
  );
  return results;
}

/** The written file parses with no error diagnostics and prints back identical bytes. */
function checkParsesBack(
  text: string,
  add: (f: Feature, c: string, ok: boolean, d: string) => void,
  allowed: ReadonlySet<string> = new Set(),
): void {
  const bytes = new TextEncoder().encode(text);
  const file = parse(bytes);
  const errors = file.diagnostics.filter((d) => d.severity === "error" && !allowed.has(d.code));
  add(
    "writer: parses back",
    "specx parses the output without errors",
    errors.length === 0,
    errors.map((d) => `line ${d.line}: ${d.code} ${d.message}`).join("; "),
  );
}

function read(reference: string, folder: string, name: string): string {
  return readFileSync(join(reference, folder, name), "utf8");
}

/** "line N: expected …, got …" for the first differing line. */
export function firstDifference(actual: string, expected: string): string {
  const a = actual.split("\n");
  const b = expected.split("\n");
  let i = 0;
  while (i < Math.max(a.length, b.length) && a[i] === b[i]) i++;
  const clip = (line: string | undefined) =>
    line === undefined ? "(end of file)" : JSON.stringify(line.slice(0, 160));
  return `line ${i + 1}: expected ${clip(b[i])}, got ${clip(a[i])}`;
}
