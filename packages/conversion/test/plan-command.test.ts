/**
 * `#S` commands of bluesky-written files back to plan_name and plan_args. The examples are real
 * `#S` lines (writer-reference and spec-corpus); the writer round trip over every such line is in
 * spec-writer's plan-command-roundtrip test.
 */
import { fc, test } from "@fast-check/vitest";
import { PyFloat } from "@specx/documents";
import { describe, expect, it } from "vitest";
import { planFromCommand } from "../src/index.js";

describe("planFromCommand on real commands", () => {
  it("reads args as device names and numbers (uid-3ab777ae.spec)", () => {
    expect(
      planFromCommand(
        "lineup2(detectors=['I0', 'scaler1'], num=11, args='['m1', -1, 1]', per_step='None')",
      ),
    ).toStrictEqual({
      plan_name: "lineup2",
      plan_args: {
        detectors: ["I0", "scaler1"],
        num: 11,
        args: ["Device(name='m1')", -1, 1],
        per_step: "None",
      },
    });
  });

  it("reads float args items (uid-b31e8698.spec)", () => {
    const plan = planFromCommand(
      "tune_ar(detectors=['UPD_SIGNAL', 'scaler0'], num=31, args='['a_stage_r', -0.0008, 0.0008]', per_step='None')",
    );
    expect(plan?.plan_args?.args).toStrictEqual(["Device(name='a_stage_r')", -0.0008, 0.0008]);
  });

  it("reads embedded quotes, escapes and nested containers (syn-values.spec)", () => {
    const command = String.raw`scan(detectors=['det', 'flag', 'label', 'arr'], num=4, args='['m1', -1, 1]', per_step='None', note='it's "quoted"\tand\ttabbed', nested={a=[1, 2.5, None, True], b='x'})`;
    expect(planFromCommand(command)).toStrictEqual({
      plan_name: "scan",
      plan_args: {
        detectors: ["det", "flag", "label", "arr"],
        num: 4,
        args: ["Device(name='m1')", -1, 1],
        per_step: "None",
        note: `it's "quoted"\tand\ttabbed`,
        nested: { a: [1, 2.5, null, true], b: "x" },
      },
    });
  });

  it("keeps integral floats as floats in nested dicts (440-624e776a.spec, shortened)", () => {
    const plan = planFromCommand(
      "qxscan(detectors=['scalerd'], edge_energy='12.826', qx_setup={num_preedge=1, preedge_params=[{relative_energy_start=-50.0, energy_increment=2.0}]})",
    );
    expect(plan).toStrictEqual({
      plan_name: "qxscan",
      plan_args: {
        detectors: ["scalerd"],
        edge_energy: "12.826",
        qx_setup: {
          num_preedge: 1,
          preedge_params: [
            { relative_energy_start: new PyFloat(-50), energy_increment: new PyFloat(2) },
          ],
        },
      },
    });
  });

  it("reads an unquoted string of apstools 1.1 (05_02_test.dat)", () => {
    const expected = {
      plan_name: "Flyscan",
      plan_args: { pos_X: 60, pos_Y: 160, thickness: 0, scan_title: "blank" },
    };
    const command = "Flyscan(pos_X=60, pos_Y=160, thickness=0, scan_title=blank)";
    expect(planFromCommand(command)).toStrictEqual(expected);
    expect(planFromCommand(command, { quotedStrings: false })).toStrictEqual(expected);
  });

  it("reads a command without arguments (usaxs-bluesky-specwritercallback.dat)", () => {
    expect(planFromCommand("TuneAxis.tune()")).toStrictEqual({ plan_name: "TuneAxis.tune" });
  });

  it("reads quoted strings and numbers (20220311-161530.dat)", () => {
    expect(
      planFromCommand(
        "example(scaler='scaler1', positioner='m8', start_position=0, end_position=2, num_points=10, velocity=0.4)",
      ),
    ).toStrictEqual({
      plan_name: "example",
      plan_args: {
        scaler: "scaler1",
        positioner: "m8",
        start_position: 0,
        end_position: 2,
        num_points: 10,
        velocity: 0.4,
      },
    });
  });
});

describe("planFromCommand values", () => {
  const args = (command: string, options?: { quotedStrings?: boolean }) =>
    planFromCommand(command, options)?.plan_args;

  it("keeps Python's int/float distinction and big ints", () => {
    expect(args("f(a=2.0, b=1e-05, c=-0.0, d=12345678901234567890, e=nan)")).toStrictEqual({
      a: new PyFloat(2),
      b: 1e-5,
      c: new PyFloat(-0),
      d: 12345678901234567890n,
      e: Number.NaN,
    });
  });

  it("reads None, True and False unquoted, and their quoted text as strings", () => {
    expect(args("f(a=None, b=True, c=False, d='None')")).toStrictEqual({
      a: null,
      b: true,
      c: false,
      d: "None",
    });
  });

  it("reverses unicode_escape and keeps other backslashes", () => {
    expect(args(String.raw`f(s='\\x\xe9\u2603\U0001f600\n\r\q')`)).toStrictEqual({
      s: "\\xé☃😀\n\r\\q",
    });
  });

  it("ends a quoted string only where a value may end", () => {
    expect(args("f(a='x, y', b='it's, c=', c=['p, q', ']'], d={k='}', m=1})")).toStrictEqual({
      a: "x, y",
      b: "it's, c=",
      c: ["p, q", "]"],
      d: { k: "}", m: 1 },
    });
  });

  it("reads empty containers and strings", () => {
    expect(args("f(a=[], b={}, c='', args='[]')")).toStrictEqual({ a: [], b: {}, c: "", args: [] });
  });

  it("reads args items that are not device names", () => {
    expect(
      args("f(args='[EpicsSignal(prefix='x'), abc, None, [1, 2.0], 'a,b']')")?.args,
    ).toStrictEqual(["EpicsSignal(prefix='x')", "abc", null, [1, new PyFloat(2)], "'a,b'"]);
  });

  it("reads unquoted Python repr containers of apstools 1.1", () => {
    const command = "f(d={'a': 1, 'b': 'x'}, l=['m1', 2], args=['m1', -5, 5], t=[draft])";
    const expected = {
      d: { a: 1, b: "x" },
      l: ["m1", 2],
      args: ["Device(name='m1')", -5, 5],
      t: "[draft]",
    };
    expect(args(command, { quotedStrings: false })).toStrictEqual(expected);
    // Quoted-strings files write lists as `[a, b]`, so `[draft]` is a list of one string.
    expect(args(command)).toStrictEqual({ ...expected, t: ["draft"] });
  });

  it.each([["ascan m1 0 1 10 1"], ["count(num=1"], ["count(1, 2)"], ["count(=1)"], ["(num=1"]])(
    "returns null for %s",
    (command) => {
      expect(planFromCommand(command)).toBeNull();
    },
  );

  it("survives deep nesting", () => {
    const command = `f(x=${"[".repeat(5000)}1${"]".repeat(5000)})`;
    expect(() => planFromCommand(command)).not.toThrow();
  });

  test.prop([
    fc.string({
      unit: fc.constantFrom("'", "[", "]", "{", "}", "=", ",", " ", "(", ")", "\\", "x", "a", "1"),
    }),
    fc.boolean(),
  ])("never throws", (text, quotedStrings) => {
    const plan = planFromCommand(`f(${text})`, { quotedStrings });
    expect(plan === null || typeof plan.plan_name === "string").toBe(true);
  });
});
