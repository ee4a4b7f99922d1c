/**
 * Conformance checks: a parsed file against its expected JSON (corpus: `expected/<file>.json`,
 * fixtures: `fixtures/<file>.expected.json`). Each check belongs to a feature group so that a
 * failure says what kind of handling broke.
 */
import { type LiteralValue, print, type Scan, type SpecFile } from "@specx/spec-parser";

/** Feature groups of the report, in report order. */
export const features = [
  "headers",
  "scan keys",
  "#L and data",
  "#O/#P",
  "#MD",
  "MCA",
  "other writers",
  "aborts",
  "diagnostics",
  "round trip",
  "documents",
  "writer: apstools v2",
  "writer: apstools v1",
  "writer: suitcase",
  "writer: fixes",
  "writer: parses back",
] as const;

/** A feature group. */
export type Feature = (typeof features)[number];

/** The outcome of one check. */
export interface CheckResult {
  feature: Feature;
  file: string;
  /** Scan key, or null for a file-level check. */
  scan: string | null;
  check: string;
  ok: boolean;
  /** What differed, when not ok. */
  detail: string;
}

/** Expected number: JSON number, or "NaN" / "Infinity" / "-Infinity". */
type ExpectedNumber = number | string;

/** The expected scan fields shared by corpus and fixture files. */
export interface ExpectedScan {
  key: string;
  number: number | null;
  line: number;
  command: string;
  labels: string[];
  rows: number;
  firstRow: ExpectedNumber[] | null;
  lastRow: ExpectedNumber[] | null;
  positioners: [string, ExpectedNumber][];
  orphanValues?: number;
  unnamedPositions?: ExpectedNumber[];
  metadata: Record<string, unknown>;
  mca: { spectra: number; channels: number; devices?: number } | null;
  aborted: boolean;
  abortedAfter: number | null;
  diagnostics?: string[];
  /**
   * MCA devices in order of first spectrum, named by their key as written, `@` included (`@ketek`,
   * `@AMCA`, `@A1`); `channels` are the distinct channel counts of the device's spectra.
   */
  mcaDevices?: { name: string; spectra: number; channels: number[] }[];
  /** Names (`@ketek`) of the scan's `#@<name>` device declarations, in order. */
  declaredDevices?: string[];
  /** Lines among the data that are text, not rows, in file order (none: an empty list). */
  textLines?: { line: number; text: string }[];
}

/** An expected-results file. */
export interface Expected {
  file?: string;
  fixture?: string;
  headerCount: number;
  scanCount: number;
  headers?: { line: number; startsWith: string; epoch: number | null; scanKeys: string[] }[];
  scans: ExpectedScan[];
  fileDiagnostics?: string[];
  extra?: { mustNotReport?: string[] } & Record<string, unknown>;
  /** When set (a name in `features`), every check of the file is reported under this feature. */
  feature?: string;
}

/**
 * The feature that every check of a file is reported under, when its expectations name one
 * (`"other writers"`); null when each check keeps its own feature.
 */
export function fileFeature(expected: Expected | null): Feature | null {
  const name = expected?.feature;
  return name !== undefined && (features as readonly string[]).includes(name)
    ? (name as Feature)
    : null;
}

/**
 * Runs every check of `expected` against `file` (parsed from `bytes`). Without expectations (a
 * user's own files) only the round trip and the absence of internal errors are checked.
 */
export function checkFile(
  name: string,
  bytes: Uint8Array,
  file: SpecFile,
  expected: Expected | null,
): CheckResult[] {
  const results: CheckResult[] = [];
  const regroup = fileFeature(expected);
  const add = (
    feature: Feature,
    scan: string | null,
    check: string,
    actual: unknown,
    want: unknown,
  ) => {
    const ok = same(actual, want);
    results.push({
      feature: regroup ?? feature,
      file: name,
      scan,
      check,
      ok,
      detail: ok ? "" : `expected ${show(want)}, got ${show(actual)}`,
    });
  };

  add(
    "round trip",
    null,
    "print(parse(bytes)) is byte-identical",
    bytesEqual(print(file), bytes),
    true,
  );
  const internal = file.diagnostics.filter((d) => d.code === "INTERNAL").map((d) => d.message);
  add("diagnostics", null, "no internal lexer or grammar errors", internal, []);
  if (!expected) return results;
  if (expected.feature !== undefined && regroup === null) {
    add(
      "diagnostics",
      null,
      `expected feature "${expected.feature}" is a report feature`,
      false,
      true,
    );
  }

  add("headers", null, "number of header blocks", file.headers.length, expected.headerCount);
  expected.headers?.forEach((header, i) => {
    const actual = file.headers[i];
    add("headers", null, `header ${i + 1} line`, actual?.line, header.line);
    add("headers", null, `header ${i + 1} starts with`, actual?.startsWith, header.startsWith);
    add("headers", null, `header ${i + 1} #E`, actual?.epoch ?? null, header.epoch);
    const keys = file.scanEntries
      .filter((entry) => entry.headerIndex === i)
      .map((entry) => entry.key);
    add("headers", null, `header ${i + 1} scans`, keys, header.scanKeys);
  });

  add("scan keys", null, "number of scans", file.scanCount, expected.scanCount);
  add(
    "scan keys",
    null,
    "scan keys in file order",
    file.scanEntries.map((entry) => entry.key),
    expected.scans.map((scan) => scan.key),
  );

  for (const want of expected.scans) {
    const scan = file.scan(want.key);
    if (!scan) {
      add("scan keys", want.key, "scan exists", false, true);
      continue;
    }
    checkScan(scan, want, add);
  }

  const all = file.diagnostics;
  const fileCodes = new Set(all.filter((d) => d.scan === null).map((d) => d.code));
  for (const code of expected.fileDiagnostics ?? []) {
    add("diagnostics", null, `file reports ${code}`, fileCodes.has(code as never), true);
  }
  for (const code of expected.extra?.mustNotReport ?? []) {
    const found = all.filter((d) => d.code === code).map((d) => `line ${d.line}`);
    add("diagnostics", null, `never reports ${code}`, found, []);
  }
  return results;
}

type Add = (
  feature: Feature,
  scan: string | null,
  check: string,
  actual: unknown,
  want: unknown,
) => void;

function checkScan(scan: Scan, want: ExpectedScan, add: Add): void {
  const key = want.key;
  add("scan keys", key, "number", scan.number, want.number);
  add("scan keys", key, "#S line number", scan.line, want.line);
  add("scan keys", key, "command", scan.command, want.command);

  add("#L and data", key, "labels", scan.labels, want.labels);
  add("#L and data", key, "rows", scan.data.rows, want.rows);
  add("#L and data", key, "first row", rowValues(scan, 0), want.firstRow);
  add("#L and data", key, "last row", rowValues(scan, scan.data.rows - 1), want.lastRow);

  add(
    "#O/#P",
    key,
    "positioners",
    scan.positioners.map((p) => [p.name, p.value]),
    want.positioners,
  );
  if (want.orphanValues !== undefined) {
    add("#O/#P", key, "values without a name", scan.unnamedPositions.length, want.orphanValues);
  }
  if (want.unnamedPositions !== undefined) {
    add("#O/#P", key, "unnamed positions", scan.unnamedPositions, want.unnamedPositions);
  }

  add("#MD", key, "metadata", scan.metadata, want.metadata);

  const spectra = scan.mca?.spectra ?? [];
  const actualMca =
    spectra.length === 0
      ? null
      : {
          spectra: spectra.length,
          channels: spectra[0]?.values.length ?? 0,
          ...(want.mca?.devices !== undefined ? { devices: scan.mca?.devices.length ?? 0 } : {}),
        };
  add("MCA", key, "spectra and channels", actualMca, want.mca);
  if (want.mcaDevices !== undefined) {
    const devices = (scan.mca?.devices ?? []).map((device) => ({
      name: device.name,
      spectra: device.spectra.length,
      channels: [...new Set(device.spectra.map((values) => values.length))],
    }));
    add("MCA", key, "devices by key, their spectra and channel counts", devices, want.mcaDevices);
  }
  if (want.declaredDevices !== undefined) {
    const declared = (scan.mca?.declarations ?? []).map((declaration) => declaration.name);
    add("MCA", key, "declared devices (#@<name>)", declared, want.declaredDevices);
  }
  if (want.textLines !== undefined) {
    add(
      "#L and data",
      key,
      "text lines among the data",
      scan.textLines.map(({ line, text }) => ({ line, text })),
      want.textLines,
    );
  }

  add("aborts", key, "aborted", scan.aborted, want.aborted);
  add("aborts", key, "aborted after", scan.abortedAfter, want.abortedAfter);

  const codes = new Set(scan.diagnostics.map((d) => d.code));
  for (const code of want.diagnostics ?? []) {
    add("diagnostics", key, `reports ${code}`, codes.has(code as never), true);
  }
}

/** The values of row `row` as written: padding of a short row left out, extra values added. */
export function rowValues(scan: Scan, row: number): number[] | null {
  const table = scan.data;
  if (row < 0 || row >= table.rows) return null;
  const short = table.short.find((entry) => entry.row === row);
  const width = short ? short.count : table.columns.length;
  const values = table.columns.slice(0, width).map((column) => column[row] as number);
  const extra = table.extras.find((entry) => entry.row === row);
  return extra ? values.concat(extra.values) : values;
}

/** Deep equality where expected "NaN"/"Infinity"/"-Infinity" strings match those numbers. */
export function same(actual: unknown, want: unknown): boolean {
  if (typeof actual === "number") {
    if (want === "NaN" || want === "Infinity" || want === "-Infinity")
      return String(actual) === want;
    return (
      typeof want === "number" && (actual === want || (Number.isNaN(actual) && Number.isNaN(want)))
    );
  }
  if (Array.isArray(want)) {
    return (
      Array.isArray(actual) &&
      actual.length === want.length &&
      want.every((item, i) => same(actual[i], item))
    );
  }
  if (want !== null && typeof want === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    const a = actual as Record<string, LiteralValue>;
    const w = want as Record<string, unknown>;
    const keys = Object.keys(w);
    return keys.length === Object.keys(a).length && keys.every((k) => k in a && same(a[k], w[k]));
  }
  return actual === want;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function show(value: unknown): string {
  const text = JSON.stringify(value, (_, v) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
