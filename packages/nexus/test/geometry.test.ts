/**
 * `#G`, `#Q`, `#X` (src/build/geometry.ts): entries built from corpus scans, checked against the
 * numbers of the corpus lines themselves, and small files for what the corpus lacks (`#X`
 * without `#G`, a two-circle geometry, a `#G` word that is not a number).
 */
import { readFileSync } from "node:fs";
import { parse, type Scan } from "@specx/spec-parser";
import { corpusPath } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { buildEntry } from "../src/build/entry.js";
import { spec2nexusStyle, specxStyle } from "../src/build/style.js";
import type { Dataset, Group, Link, Node } from "../src/tree/nodes.js";

function corpusScan(name: string, key: string): { scan: Scan; text: string } {
  const bytes = readFileSync(corpusPath(name));
  const scan = parse(bytes).scanBySpec2nexusKey(key);
  if (!scan) throw new Error(`${name} has no scan ${key}`);
  return { scan, text: bytes.toString("latin1") };
}

function scanOf(text: string): Scan {
  const scan = parse(text).scanAt(0);
  if (!scan) throw new Error("no scan");
  return scan;
}

/** The numbers of the first line that starts with `prefix` after the line `#S <number> `. */
function numbersAfter(text: string, scanNumber: number, prefix: string): number[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`#S ${scanNumber} `));
  const line = lines.slice(start).find((candidate) => candidate.startsWith(`${prefix} `));
  if (line === undefined) throw new Error(`no ${prefix} in scan ${scanNumber}`);
  return line.slice(prefix.length).trim().split(/\s+/).map(Number);
}

function node(root: Group, path: string): Node {
  let current: Node = root;
  for (const name of path.split("/")) {
    if (current.kind !== "group") throw new Error(`${path}: ${name} is under a ${current.kind}`);
    const child = current.children.get(name);
    if (!child) throw new Error(`${path}: no ${name}`);
    current = child;
  }
  return current;
}

function datasetAt(root: Group, path: string): Dataset {
  const found = node(root, path);
  if (found.kind !== "dataset") throw new Error(`${path} is a ${found.kind}`);
  return found;
}

function groupAt(root: Group, path: string): Group {
  const found = node(root, path);
  if (found.kind !== "group") throw new Error(`${path} is a ${found.kind}`);
  return found;
}

function linkAt(root: Group, path: string): Link {
  const found = node(root, path);
  if (found.kind !== "link") throw new Error(`${path} is a ${found.kind}`);
  return found;
}

function values(root: Group, path: string): (number | string)[] {
  return [...datasetAt(root, path).value.data];
}

function attr(root: Group, path: string, name: string): unknown {
  const found = node(root, path);
  return found.kind === "link" ? undefined : found.attrs.get(name)?.data[0];
}

describe("a fourc scan (33bm_spec.dat, scan 1)", () => {
  const { scan, text } = corpusScan("33bm_spec.dat", "1");
  const { group: entry, errors } = buildEntry(scan, spec2nexusStyle);

  it("keeps every #G row as a float64 array, with its key as @spec_name", () => {
    expect(errors).toEqual([]);
    for (const row of ["G0", "G1", "G3", "G4"]) {
      const array = datasetAt(entry, `G/${row}`);
      expect(array.value.type).toBe("float64");
      expect(array.value.data).toEqual(numbersAfter(text, 1, `#${row}`));
      expect(array.attrs.get("spec_name")?.data).toEqual([row]);
    }
    expect(attr(entry, "G", "NX_class")).toBe("NXnote");
  });

  it("finds fourc by the header's motors and reads #G0, #G1, #G3 and #G4 by its table", () => {
    const g0 = numbersAfter(text, 1, "#G0");
    const g1 = numbersAfter(text, 1, "#G1");
    const g3 = numbersAfter(text, 1, "#G3");
    const g4 = numbersAfter(text, 1, "#G4");
    expect(values(entry, "instrument/name")).toEqual(["fourc.default"]);
    expect(values(entry, "instrument/diffractometer/g_mode")).toEqual([g0[0]]);
    expect(values(entry, "instrument/diffractometer/g_mode_name")).toEqual([
      "Phi fixed (Three-circle)",
    ]);
    expect(values(entry, "sample/diffractometer_mode")).toEqual(["Phi fixed (Three-circle)"]);
    expect(datasetAt(entry, "sample/diffractometer_sector").value).toMatchObject({
      type: "int64",
      data: [g0[1]],
    });
    expect(values(entry, "sample/unit_cell_abc")).toEqual(g1.slice(0, 3));
    expect(values(entry, "sample/unit_cell")).toEqual(g1.slice(0, 6));
    expect(datasetAt(entry, "sample/ub_matrix").value).toMatchObject({ shape: [3, 3], data: g3 });
    expect(values(entry, "sample/or1/tth")).toEqual([g1[24]]);
    expect(values(entry, "sample/or1/wavelength")).toEqual([g1[31]]);
    expect(values(entry, "instrument/monochromator/wavelength")).toEqual([g4[3]]);
    expect(values(entry, "instrument/diffractometer/LAMBDA")).toEqual([g4[3]]);
  });

  it("links the geometry parameters and the wavelength as spec2nexus does", () => {
    expect(linkAt(entry, "instrument/geometry_parameters").target).toBe(
      "/S1/instrument/diffractometer",
    );
    expect(attr(entry, "instrument/diffractometer", "target")).toBe(
      "/S1/instrument/diffractometer",
    );
    expect(linkAt(entry, "sample/beam/incident_wavelength").target).toBe(
      "/S1/instrument/monochromator/wavelength",
    );
  });

  it("writes #Q as three numbers", () => {
    expect(values(entry, "Q")).toEqual(numbersAfter(text, 1, "#Q"));
  });

  it("writes scalars, UTF-8 and NXcollection in specx's style", () => {
    const specx = buildEntry(scan, specxStyle).group;
    expect(datasetAt(specx, "instrument/name").value).toMatchObject({
      charset: "utf-8",
      shape: [],
      data: ["fourc.default"],
    });
    expect(datasetAt(specx, "sample/or0/h").value.shape).toEqual([]);
    expect(attr(specx, "G", "NX_class")).toBe("NXcollection");
    expect(attr(specx, "sample/or0", "NX_class")).toBe("NXcollection");
  });
});

describe("geometry matching", () => {
  it("takes psic from the header's first comment (33id_spec.dat), though #G0 fits no geometry", () => {
    const { scan, text } = corpusScan("33id_spec.dat", "1");
    const { group: entry } = buildEntry(scan, spec2nexusStyle);
    const g1 = numbersAfter(text, 1, "#G1");
    expect(values(entry, "instrument/name")).toEqual(["psic.default"]);
    expect([...groupAt(entry, "sample/or0").children.keys()]).toEqual([
      "h",
      "k",
      "l",
      "wavelength",
      "del",
      "eta",
      "chi",
      "phi",
      "nu",
      "mu",
    ]);
    expect(values(entry, "sample/or0/nu")).toEqual([g1[22]]);
    // 21 values in #G0 where psic has 20: no mode, no sector.
    expect(groupAt(entry, "sample").children.has("diffractometer_mode")).toBe(false);
  });

  it("reads `#G0 0` as no G[] (spec.default) and an unknown G[] as the default `spec`", () => {
    const { scan: zero } = corpusScan("lmn40.spe", "1");
    expect(values(buildEntry(zero, spec2nexusStyle).group, "instrument/name")).toEqual([
      "spec.default",
    ]);
    const { scan: twelve } = corpusScan("lmn40.spe", "100");
    expect(values(buildEntry(twelve, spec2nexusStyle).group, "instrument/name")).toEqual(["spec"]);
  });

  it("splits #O names on two spaces, as spec2nexus does (user6idd.dat: single spaces, no psic)", () => {
    const { scan } = corpusScan("user6idd.dat", "1");
    const entry = buildEntry(scan, spec2nexusStyle).group;
    expect(values(entry, "instrument/diffractometer/diffractometer_full")).toEqual(["spec"]);
    expect(values(entry, "instrument/diffractometer/diffractometer_variant")).toEqual([""]);
  });

  it("reads a two-circle geometry: a 2-D cell and one reflection", () => {
    const scan = scanOf(
      [
        "#F twoc.dat",
        "#E 1000",
        "#D Mon Jan 01 00:00:00 2024",
        "#O0 two theta  theta  slit",
        "",
        "#S 1  ascan  th 0 1  2 1",
        "#D Mon Jan 01 00:00:00 2024",
        "#G0 0",
        "#G1 3.1 4.2 91 2 1.5 89 1 0 20.5 10.25 1.54",
        "#G4 1 0 0 1.54",
        "#P0 20.5 10.25 0",
        "#N 2",
        "#L theta  I",
        "0 1",
        "1 2",
        "",
      ].join("\n"),
    );
    const { group: entry, errors } = buildEntry(scan, spec2nexusStyle);
    expect(errors).toEqual([]);
    expect(values(entry, "instrument/name")).toEqual(["twoc.default"]);
    expect(values(entry, "sample/unit_cell_a")).toEqual([3.1]);
    expect(values(entry, "sample/unit_cell_gamma")).toEqual([91]);
    expect(attr(entry, "sample/unit_cell_gamma", "units")).toBe("degrees");
    expect([...groupAt(entry, "sample/or0").children.keys()]).toEqual([
      "h",
      "k",
      "wavelength",
      "tth",
      "th",
    ]);
    expect(values(entry, "sample/or0/wavelength")).toEqual([1.54]);
    expect(groupAt(entry, "sample").children.has("or1")).toBe(false);
    expect(values(entry, "instrument/monochromator/wavelength")).toEqual([1.54]);
  });
});

describe("#X temperature set point", () => {
  it("puts TEMP_SP and DEGC_SP in sample/temperature (user6idd.dat)", () => {
    const { scan } = corpusScan("user6idd.dat", "1");
    const { group: entry } = buildEntry(scan, spec2nexusStyle);
    // #X 0 -273.15 (Temperature Setpoint in K and C)
    expect(linkAt(entry, "TEMP_SP").target).toBe("/S1/sample/temperature/target_value");
    expect(linkAt(entry, "DEGC_SP").target).toBe("/S1/sample/temperature/value");
    expect(values(entry, "sample/temperature/target_value")).toEqual([0]);
    expect(values(entry, "sample/temperature/value")).toEqual([-273.15]);
    expect(attr(entry, "sample/temperature/value", "units")).toBe("C");
    expect(attr(entry, "sample/temperature", "NX_class")).toBe("NXlog");
  });

  const withoutGeometry = (xLine: string) =>
    scanOf(
      [
        "#F t.dat",
        "#E 1000",
        "#D Mon Jan 01 00:00:00 2024",
        "",
        "#S 1  timescan 1",
        "#D Mon Jan 01 00:00:00 2024",
        xLine,
        "#N 2",
        "#L Seconds  I",
        "0 1",
        "1 2",
        "",
      ].join("\n"),
    );

  it("makes the sample group when there is no #G, where spec2nexus fails (fix #12)", () => {
    const { group: entry, errors } = buildEntry(
      withoutGeometry("#X 12.5Kohm (25.3C)"),
      spec2nexusStyle,
    );
    expect(errors).toEqual([]);
    expect(attr(entry, "sample", "NX_class")).toBe("NXsample");
    expect(values(entry, "sample/temperature/target_value")).toEqual([12.5]);
    expect(values(entry, "sample/temperature/value")).toEqual([25.3]);
    expect(entry.children.has("G")).toBe(false);
    expect(entry.children.has("instrument")).toBe(false);
  });

  it("reads spec2nexus's three forms and nothing else", () => {
    const temperature = (line: string) => {
      const entry = buildEntry(withoutGeometry(line), spec2nexusStyle).group;
      return entry.children.has("TEMP_SP") ? values(entry, "sample/temperature/value") : null;
    };
    expect(temperature("#X Control: 298.873K  Sample: 299.036K")).toEqual([299.036]);
    expect(temperature("#X 300 26.85")).toEqual([26.85]);
    // scanf's %f has no exponent, and the fields are separated by one space.
    expect(temperature("#X 3e2 26.85")).toBeNull();
    expect(temperature("#X  300 26.85")).toBeNull();
  });
});

describe("what spec2nexus fails on", () => {
  it("keeps G with NaN, skips the diffractometer, reports the line and writes the rest", () => {
    const scan = scanOf(
      [
        "#F bad.dat",
        "#E 1000",
        "#D Mon Jan 01 00:00:00 2024",
        "",
        "#S 1  ascan  th 0 1  2 1",
        "#D Mon Jan 01 00:00:00 2024",
        "#G0 0",
        "#G1 1 2 abc",
        "#Q 1 0 1_0",
        "#N 2",
        "#L th  I",
        "0 1",
        "1 2",
        "",
      ].join("\n"),
    );
    const { group: entry, errors } = buildEntry(scan, spec2nexusStyle);
    expect(values(entry, "G/G1")).toEqual([1, 2, Number.NaN]);
    expect(entry.children.has("instrument")).toBe(false);
    // Python's float() reads 1_0 as 10.
    expect(values(entry, "Q")).toEqual([1, 0, 10]);
    expect(errors).toEqual(["geometry: line 8: #G1 'abc' is not a number"]);
  });
  it("leaves out the reflection that a short #G1 lacks, and reports it", () => {
    const g1 = Array.from({ length: 31 }, (_, i) => i + 1);
    const scan = scanOf(
      [
        "#F short.dat",
        "#E 1000",
        "#D Mon Jan 01 00:00:00 2024",
        "",
        "#S 1  ascan  th 0 1  2 1",
        "#D Mon Jan 01 00:00:00 2024",
        `#G1 ${g1.join(" ")}`,
        "#N 2",
        "#L th  I",
        "0 1",
        "1 2",
        "",
      ].join("\n"),
    );
    const { group: entry, errors } = buildEntry(scan, spec2nexusStyle);
    expect(values(entry, "sample/unit_cell")).toEqual([1, 2, 3, 4, 5, 6]);
    // g_h0, g_k0, g_l0 are values 13-15 and g_lambda0 the 31st.
    expect(values(entry, "sample/or0/h")).toEqual([13]);
    expect(values(entry, "sample/or0/wavelength")).toEqual([31]);
    expect(groupAt(entry, "sample").children.has("or1")).toBe(false);
    expect(errors).toEqual(["geometry: #G1 has 31 values, no g_lambda1: no or1"]);
  });
});
