/** The conformance runner as a user runs it: corpus from --corpus or SPECX_CORPUS. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusPath, corpusDir as sharedCorpusDir } from "@specx/test-support";
import { expect, test } from "vitest";
import { corpusDir } from "../src/suite.js";

const runner = fileURLToPath(new URL("../dist/run.js", import.meta.url));

function userCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), "specx-corpus-"));
  copyFileSync(corpusPath("user6idd.dat"), join(dir, "my_beamline.dat"));
  return dir;
}

test("--corpus takes precedence over SPECX_CORPUS, which takes precedence over the shared folder's", () => {
  expect(corpusDir("/a")).toBe("/a");
  const saved = process.env.SPECX_CORPUS;
  process.env.SPECX_CORPUS = "/b";
  try {
    expect(corpusDir()).toBe("/b");
    expect(corpusDir("/a")).toBe("/a");
  } finally {
    if (saved === undefined) delete process.env.SPECX_CORPUS;
    else process.env.SPECX_CORPUS = saved;
  }
  const savedCorpus = process.env.SPECX_CORPUS;
  delete process.env.SPECX_CORPUS;
  const savedShared = process.env.SPECX_SHARED;
  process.env.SPECX_SHARED = "/c";
  try {
    expect(corpusDir()).toBe(join("/c", "spec-corpus"));
    delete process.env.SPECX_SHARED;
    expect(corpusDir()).toBe(sharedCorpusDir());
    expect(corpusDir().endsWith(join("shared", "spec-corpus"))).toBe(true);
  } finally {
    if (savedCorpus !== undefined) process.env.SPECX_CORPUS = savedCorpus;
    if (savedShared !== undefined) process.env.SPECX_SHARED = savedShared;
  }
});

test("a user's own files get the round trip and parse checks", () => {
  const dir = userCorpus();
  for (const [args, env] of [
    [["--corpus", dir], {}],
    [[], { SPECX_CORPUS: dir }],
  ] as const) {
    const result = spawnSync(process.execPath, [runner, ...args], {
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`corpus ${dir}`);
    expect(result.stdout).toContain("no expectations (round trip and parse only): my_beamline.dat");
  }
});

test("a missing corpus folder is a one-line error with exit status 2", () => {
  const result = spawnSync(process.execPath, [runner, "--corpus", "/no/such/dir"], {
    encoding: "utf8",
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toBe("conformance: corpus folder not found: /no/such/dir\n");
});
