/**
 * Comparing specx's HDF5 with spec2nexus's, through the reference dumps and their comparer
 * (../shared/nexus-reference/dump_tree.py), with only the relaxations that a documented fix
 * explains (docs/nexus.md, and the README's table of differences).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertFile } from "@specx/nexus/node";
import { corpusDir, pythonInterpreter, sharedPath } from "@specx/test-support";

/** One deliberate difference from spec2nexus, with the fix of docs/nexus.md that makes it. */
export interface Relaxation {
  fix: number;
  why: string;
  /** Corpus files it applies to; every file when absent. */
  files?: string[];
  /** Only with the default encodings, or only with `--compat spec2nexus`. */
  mode?: "specx" | "compat";
  ignorePath?: string[];
  ignoreAttr?: string[];
  squeeze?: boolean;
  anyCharset?: boolean;
}

export const relaxations: Relaxation[] = [
  {
    fix: 10,
    why: "NXroot and its attributes on `/`",
    ignoreAttr: ["/@NX_class", "/@creator"],
  },
  {
    fix: 12,
    why: "each entry records the scan's findings and the parts that failed",
    ignorePath: ["/S*/diagnostics", "/S*/errors"],
  },
  {
    fix: 13,
    why: "no `#E`: no `@SPEC_epoch`, where spec2nexus computes one from `#D` in the local time zone",
    files: ["issue161_spock_spec_file", "refresh2.txt", "refresh3.txt"],
    ignoreAttr: ["/@SPEC_epoch"],
  },
  {
    fix: 15,
    why: "the geometry arrays, the geometry's parameters and the orientation reflections hold values: NXcollection",
    mode: "specx",
    ignoreAttr: [
      "/S*/G@NX_class",
      "/S*/instrument/diffractometer@NX_class",
      "/S*/sample/or[01]@NX_class",
    ],
  },
  { fix: 9, why: "scalars, not 1-element arrays", mode: "specx", squeeze: true },
  { fix: 8, why: "strings in UTF-8", mode: "specx", anyCharset: true },
];

export type Mode = "specx" | "compat";

/** Converts a corpus file as the references were made: from the corpus folder, by bare name. */
export async function convertCorpusFile(name: string, mode: Mode): Promise<string> {
  const output = join(mkdtempSync(join(tmpdir(), "specx-nexus-")), `${name}.h5`);
  const cwd = process.cwd();
  process.chdir(corpusDir());
  try {
    await convertFile(name, output, mode === "compat" ? { compat: "spec2nexus" } : {});
  } finally {
    process.chdir(cwd);
  }
  return output;
}

/** The differences dump_tree.py reports between `output` and the reference of `name`. */
export function compareWithReference(output: string, name: string, mode: Mode): string[] {
  const args = [sharedPath("nexus-reference/dump_tree.py"), output, "--compare", referenceOf(name)];
  for (const r of relaxations) {
    if (r.files && !r.files.includes(name)) continue;
    if (r.mode && r.mode !== mode) continue;
    for (const p of r.ignorePath ?? []) args.push("--ignore-path", p);
    for (const a of r.ignoreAttr ?? []) args.push("--ignore-attr", a);
    if (r.squeeze) args.push("--squeeze");
    if (r.anyCharset) args.push("--any-charset");
  }
  const run = spawnSync(pythonInterpreter(), args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status === 0) return [];
  const lines = run.stdout.split("\n").filter((line) => line.trim() !== "");
  // The last line is the count; a crash of the comparer is a difference too.
  return lines.length > 0 ? lines : [`dump_tree.py failed: ${run.stderr.trim()}`];
}

import { existsSync } from "node:fs";

export function referenceOf(name: string): string {
  const plain = sharedPath(`nexus-reference/${name}.json`);
  return existsSync(plain) ? plain : `${plain}.gz`;
}
