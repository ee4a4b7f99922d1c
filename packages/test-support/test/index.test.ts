/** The shared folder is found as documented, and the seeded generators repeat themselves. */
import { describe, expect, it } from "vitest";
import {
  corpusBytes,
  corpusFiles,
  corpusNames,
  corpusPath,
  eventModelSchemasDir,
  fixtureFiles,
  referenceStreams,
  seededRandom,
  sharedDir,
  xorshift32,
} from "../src/index.js";

describe("the shared folder", () => {
  it("is $SPECX_SHARED when set, else shared/ beside the clone", () => {
    const saved = process.env.SPECX_SHARED;
    try {
      process.env.SPECX_SHARED = "/elsewhere/data";
      expect(sharedDir()).toBe("/elsewhere/data");
      expect(corpusPath("a.spec")).toBe("/elsewhere/data/spec-corpus/a.spec");
      expect(eventModelSchemasDir()).toBe("/elsewhere/data/event-model-schemas");
      delete process.env.SPECX_SHARED;
      expect(sharedDir()).toMatch(/\/shared$/);
    } finally {
      if (saved === undefined) delete process.env.SPECX_SHARED;
      else process.env.SPECX_SHARED = saved;
    }
  });

  it("holds the corpus, the references and the fixtures", () => {
    const names = corpusNames();
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain("README.md");
    expect(corpusFiles().map((file) => file.name)).toEqual(names);
    expect(corpusBytes(names[0] as string).length).toBeGreaterThan(0);
    expect(referenceStreams().length).toBeGreaterThan(0);
    expect(fixtureFiles().every((file) => !file.name.endsWith(".json"))).toBe(true);
  });
});

describe("seeded random numbers", () => {
  it("repeat for the same seed and stay in range", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 100 }, () => a());
    expect(values).toEqual(Array.from({ length: 100 }, () => b()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const x = xorshift32(7);
    const y = xorshift32(7);
    expect([x(), x(), x()]).toEqual([y(), y(), y()]);
  });
});
