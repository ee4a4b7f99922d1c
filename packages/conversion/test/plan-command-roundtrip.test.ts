/**
 * `planFromCommand` (spec-parser) inverts `buildCommand`: every `#S` command that apstools wrote
 * in the reference outputs and the bluesky-written corpus files comes back as the same text when
 * its parsed plan is written again.
 */
import { readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { type DocValue, PyFloat } from "@specx/documents";
import { buildCommand } from "@specx/spec-writer";
import { sharedPath } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { planFromCommand } from "../src/index.js";

/**
 * The files, and whether their writer quoted strings. apstools 1.1.0 itself wrote the two
 * corpus files marked false (`scan_title=blank`); the writer-reference outputs were written by
 * a current apstools, even for runs whose metadata names 1.1.0.
 */
const FILES: [path: string, quotedStrings: boolean][] = [
  ...[
    "440-624e776a-unpacked.spec",
    "apstools-catalog.spec",
    "hklpy-26aac337.spec",
    "hklpy-7ab721bd.spec",
    "uid-219cc7b4.spec",
    "uid-34c84a1b.spec",
    "uid-3ab777ae.spec",
    "uid-b31e8698.spec",
    "uid-f05b6684.spec",
    "usaxs-catalog.spec",
  ].map((name): [string, boolean] => [`writer-reference/apstools/v1/${name}`, true]),
  ...[
    "440-624e776a-unpacked.spec",
    "440-624e776a.spec",
    "apstools-catalog.spec",
    "hklpy-26aac337.spec",
    "hklpy-7ab721bd.spec",
    "uid-219cc7b4.spec",
    "uid-34c84a1b.spec",
    "uid-3ab777ae.spec",
    "uid-b31e8698.spec",
    "uid-f05b6684.spec",
    "usaxs-catalog.spec",
  ].map((name): [string, boolean] => [`writer-reference/apstools/v2/${name}`, true]),
  ["writer-reference/synthetic/v1/syn-values.spec", true],
  ["spec-corpus/05_02_test.dat", false],
  ["spec-corpus/20220311-161530.dat", true],
  ["spec-corpus/usaxs-bluesky-specwritercallback.dat", false],
];

interface CommandLine {
  where: string;
  command: string;
  quotedStrings: boolean;
}

function commandLines(): CommandLine[] {
  const found: CommandLine[] = [];
  for (const [path, quotedStrings] of FILES) {
    const lines = readFileSync(sharedPath(path), "utf8").split("\n");
    for (const [index, line] of lines.entries()) {
      // `#S <scan number>␠␠<command>` (docs/writer.md §2.1).
      const match = /^#S \S+ {2}(.*)$/.exec(line);
      if (match)
        found.push({ where: `${path}:${index + 1}`, command: match[1] as string, quotedStrings });
    }
  }
  return found;
}

/**
 * The start document `buildCommand` needs. It writes `start.detectors` for the `detectors`
 * argument and `start.motors` for `motor…` arguments; both are taken from the parsed arguments
 * themselves, so nothing outside the command helps the round trip.
 */
function startFor(plan: { plan_name: string; plan_args?: Record<string, DocValue> }) {
  const start: Record<string, DocValue> = { plan_name: plan.plan_name };
  if (plan.plan_args === undefined) return start;
  start.plan_args = plan.plan_args;
  if ("detectors" in plan.plan_args) start.detectors = plan.plan_args.detectors ?? null;
  const motorKey = Object.keys(plan.plan_args).find((key) => key.startsWith("motor"));
  if (motorKey !== undefined) start.motors = plan.plan_args[motorKey] ?? null;
  return start;
}

describe("#S commands round-trip through planFromCommand and buildCommand", () => {
  const lines = commandLines();

  it("finds the #S lines of every file", () => {
    expect(lines.length).toBe(263);
  });

  it("gives back every command exactly", () => {
    const failures: string[] = [];
    for (const { where, command, quotedStrings } of lines) {
      const plan = planFromCommand(command, { quotedStrings });
      const rebuilt =
        plan === null ? null : buildCommand(startFor(plan), { quoteStrings: quotedStrings });
      if (rebuilt !== command) failures.push(`${where}: ${command}\n  -> ${rebuilt}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("generated commands round-trip", () => {
  // No `'` in strings: the format does not escape it, so `'` followed by `, `, `]` or `}` ends a
  // string early. Everything else (separators, brackets, `=`, backslashes, tabs, non-ASCII) is fine.
  const text = fc.string({
    unit: fc.constantFrom("a", "x", " ", ",", "=", "[", "]", "{", "}", "(", ")", "\\", "\t", "é"),
  });
  const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/);
  const number = fc.oneof(
    fc.integer(),
    fc.bigInt({ min: 2n ** 60n, max: 2n ** 70n }),
    fc.double({ noNaN: true }).map((x) => (Number.isInteger(x) ? new PyFloat(x) : x)),
  );
  const scalar = fc.oneof(text, number, fc.constantFrom(null, true, false));
  const { value } = fc.letrec<{ value: DocValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(key, tie("value"), { maxKeys: 3 }),
    ),
  }));
  const device = key.map((name) => `Device(name='${name}')`);
  const planArgs = fc.record({
    args: fc.array(fc.oneof(device, number), { maxLength: 6 }),
    rest: fc.dictionary(
      key.filter((k) => k !== "args" && k !== "detectors" && !k.startsWith("motor")),
      value,
      { maxKeys: 4 },
    ),
  });

  test.prop([planArgs])("buildCommand(planFromCommand(c)) is c", ({ args, rest }) => {
    const command = buildCommand({ plan_name: "plan", plan_args: { args, ...rest } });
    const plan = planFromCommand(command);
    expect(plan === null ? null : buildCommand(startFor(plan))).toBe(command);
  });
});
