/** The conformance runner as a user runs it: corpus from --corpus or SPECX_CORPUS. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { corpusDir, defaultCorpus } from "../src/suite.js";

const runner = fileURLToPath(new URL("../dist/run.js", import.meta.url));

function userCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), "specx-corpus-"));
  copyFileSync(join(defaultCorpus, "user6idd.dat"), join(dir, "my_beamline.dat"));
  return dir;
}

test("--corpus takes precedence over SPECX_CORPUS, which takes precedence over the default", () => {
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
  expect(defaultCorpus.endsWith(join("shared", "spec-corpus"))).toBe(true);
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
