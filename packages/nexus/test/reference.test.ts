/**
 * Every corpus file converts, and its tree is spec2nexus's but for the documented fixes: in both
 * styles, each corpus file against its reference dump.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { corpusNames } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { compareWithReference, convertCorpusFile, type Mode, referenceOf } from "./reference.js";

/** Files spec2nexus could not convert: their references hold only its error. */
function referenceFailed(name: string): boolean {
  const path = referenceOf(name);
  const bytes = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  return !("nodes" in JSON.parse(text));
}

const names = corpusNames().filter((name) => !referenceFailed(name));

describe.each<Mode>(["compat", "specx"])("%s style against spec2nexus's tree", (mode) => {
  it.each(names)("%s", async (name) => {
    const output = await convertCorpusFile(name, mode);
    expect(compareWithReference(output, name, mode).slice(0, 40)).toEqual([]);
  });
});
