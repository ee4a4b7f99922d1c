/**
 * Cross references and notes (build/cross-references.ts, build/notes.ts): the groups spec2nexus
 * writes for `#o #J #j #U #R #H #V #MD #UXML #VA #VD` and unrecognised lines, checked value by
 * value on corpus scans and on small made-up files, bad lines included.
 */
import {
  type BuiltEntry,
  buildEntry,
  type Group,
  type Node,
  spec2nexusStyle,
  specxStyle,
} from "@specx/nexus";
import { parse } from "@specx/spec-parser";
import { corpusBytes } from "@specx/test-support";
import { describe, expect, it } from "vitest";

function corpusEntry(name: string, index: number, style = spec2nexusStyle): BuiltEntry {
  const scan = parse(corpusBytes(name)).scanAt(index);
  if (scan === undefined) throw new Error(`${name} has no scan ${index}`);
  return buildEntry(scan, style);
}

function textEntry(text: string, style = spec2nexusStyle): BuiltEntry {
  const scan = parse(text).scanAt(0);
  if (scan === undefined) throw new Error("no scan");
  return buildEntry(scan, style);
}

/** The failures of the parts tested here (other parts have their own tests). */
function mine(errors: string[]): string[] {
  return errors.filter((e) => e.startsWith("notes:") || e.startsWith("cross-references:"));
}

function at(root: Group, path: string): Node {
  let node: Node = root;
  for (const part of path.split("/")) {
    if (node.kind !== "group") throw new Error(`${path}: ${part} is under a ${node.kind}`);
    const next = node.children.get(part);
    if (next === undefined) throw new Error(`${path}: no ${part}`);
    node = next;
  }
  return node;
}

/** The data of a dataset and its shape. */
function datasetAt(root: Group, path: string): { data: unknown[]; shape: number[]; type: string } {
  const node = at(root, path);
  if (node.kind !== "dataset") throw new Error(`${path} is a ${node.kind}`);
  return { data: [...node.value.data], shape: node.value.shape, type: node.value.type };
}

function attr(root: Group, path: string, name: string): unknown {
  const node = at(root, path);
  if (node.kind === "link") throw new Error(`${path} is a link`);
  return node.attrs.get(name)?.data[0];
}

const header = `#F notes.spec
#E 1700000000
#D Tue Nov 14 22:13:20 2023
#C notes test  User = tester
#O0 Two Theta  chi
#o0 tth chi
#H0 ring_current  mode  energy
#VA0 a b c
#WX header line nobody reads
#U user note

`;

describe("cross references", () => {
  it("pairs each #o mnemonic with its #O name, in every entry (02_03_setup.dat)", () => {
    for (const index of [0, 49]) {
      const { group: entry } = corpusEntry("02_03_setup.dat", index);
      expect(datasetAt(entry, "positioner_cross_reference/a2rp")).toEqual({
        data: ["USAXS.a2rp"],
        shape: [1],
        type: "text",
      });
      expect(attr(entry, "positioner_cross_reference/a2rp", "field_name")).toBe("USAXS_a2rp");
      expect(attr(entry, "positioner_cross_reference/a2rp", "mne")).toBe("a2rp");
      expect(attr(entry, "positioner_cross_reference", "NX_class")).toBe("NXnote");
      expect(datasetAt(entry, "counter_cross_reference/sec").data).toEqual(["seconds"]);
      expect(datasetAt(entry, "counter_cross_reference/upd2").data).toEqual(["USAXS_PD"]);
    }
  });

  it("writes scalars in NXcollection groups in specx's style", () => {
    const { group: entry } = corpusEntry("02_03_setup.dat", 0, specxStyle);
    expect(attr(entry, "positioner_cross_reference", "NX_class")).toBe("NXcollection");
    expect(datasetAt(entry, "positioner_cross_reference/art")).toEqual({
      data: ["ART50-100"],
      shape: [],
      type: "text",
    });
  });

  it("keeps the names it can pair and reports a mnemonic without a name", () => {
    const text = header.replace("#o0 tth chi", "#o0 tth chi extra");
    const { group: entry, errors } = textEntry(`${text}#S 1 ascan tth 0 1 1 1\n#L tth  I\n0 1\n`);
    expect(datasetAt(entry, "positioner_cross_reference/tth").data).toEqual(["Two Theta"]);
    expect(attr(entry, "positioner_cross_reference/tth", "field_name")).toBe("Two_Theta");
    expect(mine(errors)).toEqual(["cross-references: #o0 extra: no name at its place"]);
  });
});

describe("UNICAT #H/#V metadata", () => {
  it("writes numbers as float64 and other values as text, linked from instrument", () => {
    const { group: entry } = corpusEntry("JL124_1.spc", 0);
    expect(datasetAt(entry, "metadata/DCM_energy")).toEqual({
      data: [14.9994],
      shape: [1],
      type: "float64",
    });
    expect(datasetAt(entry, "metadata/I00_bias").data).toEqual(["30 us"]);
    // Two-space split of a three-space gap: an empty value, kept as text.
    expect(datasetAt(entry, "metadata/SR_topUp").data).toEqual([""]);
    expect(attr(entry, "metadata/SFOk2k_5", "spec_name")).toBe("SFOk2k-5");
    expect(attr(entry, "metadata", "target")).toBe("/S1/metadata");
    expect(at(entry, "instrument/metadata")).toEqual({ kind: "link", target: "/S1/metadata" });
  });

  it("writes the values of #V rows that have #H names and reports the others", () => {
    const text = `${header}#S 1 ascan tth 0 1 1 1\n#V0 101.5  top-up  12.4\n#V1 7\n#L tth  I\n0 1\n`;
    const { group: entry, errors } = textEntry(text);
    expect(datasetAt(entry, "metadata/ring_current").data).toEqual([101.5]);
    expect(datasetAt(entry, "metadata/mode").data).toEqual(["top-up"]);
    expect(datasetAt(entry, "metadata/energy").data).toEqual([12.4]);
    expect(mine(errors)).toEqual(["notes: #H/#V: #V1 (line 14): no #H line 2 in the header"]);
    // The other notes of the scan are still written.
    expect(datasetAt(entry, "UserReserved/header_1").data).toEqual(["user note"]);
  });

  it("splits on single spaces when two give too few values, and reports a value without a name", () => {
    const text = `${header}#S 1 ascan tth 0 1 1 1\n#V0 1 2 3 4\n#L tth  I\n0 1\n`;
    const { group: entry, errors } = textEntry(text);
    expect(datasetAt(entry, "metadata/energy").data).toEqual([3]);
    expect(mine(errors)).toEqual(["notes: #H/#V: #V0 (line 13): value 4 has no #H name"]);
  });

  it("converts #V without any #H line, with the problem recorded", () => {
    const text = `#F x\n#E 1700000000\n#D Tue Nov 14 22:13:20 2023\n\n#S 1 ascan tth 0 1 1 1\n#V0 1  2\n#U kept\n#L tth  I\n0 1\n`;
    const { group: entry, errors } = textEntry(text);
    expect(entry.children.has("metadata")).toBe(false);
    expect(datasetAt(entry, "UserReserved/item_1").data).toEqual(["kept"]);
    expect(mine(errors)).toEqual(["notes: #H/#V: #V0 (line 6): no #H line 1 in the header"]);
  });
});

describe("#U and #R", () => {
  it("numbers header lines and scan lines apart (JL124_1.spc, user6idd.dat)", () => {
    const { group: entry } = corpusEntry("JL124_1.spc", 0);
    expect(datasetAt(entry, "UserReserved/header_1").data).toEqual([
      'test of issue #133: support user control line "#U " - appears in header section',
    ]);
    expect(attr(entry, "UserReserved/item_1", "description")).toBe("#U line 1");
    expect(attr(entry, "UserReserved", "description")).toBe(
      'SPEC control line "#U: Reserved for user"',
    );
    const six = corpusEntry("user6idd.dat", 1).group;
    expect(datasetAt(six, "UserResults/item_1").data).toEqual(["2"]);
  });
});

describe("#MD", () => {
  it("keeps the text after '=' under the key (05_02_test.dat)", () => {
    const { group: entry } = corpusEntry("05_02_test.dat", 0);
    expect(attr(entry, "bluesky_metadata", "NX_class")).toBe("NXcollection");
    expect(datasetAt(entry, "bluesky_metadata/beamline_id").data).toEqual(["APS USAXS 9-ID-C"]);
    expect(datasetAt(entry, "bluesky_metadata/tune_md").data).toEqual([
      "{'width': -0.004, 'initial_position': 8.824977, 'time_iso8601': '2019-05-02 10:34:16.190490'}",
    ]);
  });

  it("names a line without 'key = value' MD_line_<n>", () => {
    const text = `${header}#S 1 ascan tth 0 1 1 1\n#MD uid = 42\n#MD no value here\n#L tth  I\n0 1\n`;
    const { group: entry } = textEntry(text);
    expect(datasetAt(entry, "bluesky_metadata/uid").data).toEqual(["42"]);
    expect(datasetAt(entry, "bluesky_metadata/MD_line_2").data).toEqual(["#MD no value here"]);
  });
});

describe("#UXML", () => {
  it("builds groups, typed datasets and hard links (test_3.spec)", () => {
    const { group: entry, errors } = corpusEntry("test_3.spec", 0);
    expect(mine(errors)).toEqual([]);
    expect(attr(entry, "UXML", "desc")).toBe("UXML metadata");
    expect(datasetAt(entry, "UXML/ad_center/beam_center_x")).toEqual({
      data: [234],
      shape: [1],
      type: "int64",
    });
    expect(datasetAt(entry, "UXML/attenuator1/thickness").data).toEqual([251]);
    expect(attr(entry, "UXML/attenuator1/thickness", "units")).toBe("micron");
    expect(datasetAt(entry, "UXML/attenuator_set/energy_input").data).toEqual(["Mono"]);
    expect(attr(entry, "UXML/attenuator1", "NX_class")).toBe("NXattenuator");
    expect(attr(entry, "UXML/attenuator1", "number")).toBe("1");
    expect(attr(entry, "UXML/attenuator1", "target")).toBe("/S1/UXML/attenuator1");
    expect(at(entry, "UXML/attenuator_set/attenuator16")).toEqual({
      kind: "link",
      target: "/S1/UXML/attenuator16",
    });
  });

  it("skips XML that breaks uxml.xsd, records why, and writes the rest (test_3_error.spec)", () => {
    const { group: entry, errors } = corpusEntry("test_3_error.spec", 0);
    expect(entry.children.has("UXML")).toBe(false);
    expect(mine(errors)).toEqual([
      "notes: #UXML: line 94: <group> holds text ('can't have text content at this point, i'), only elements are allowed",
    ]);
    expect(datasetAt(entry, "metadata/DCM_energy").type).toBe("float64");
    expect(entry.children.has("positioner_cross_reference")).toBe(true);
  });

  it("reports XML that is not well-formed", () => {
    const text = `${header}#S 1 ascan tth 0 1 1 1\n#UXML <group name="a" NX_class="NXnote">\n#UXML <dataset name="b">1</group>\n#L tth  I\n0 1\n`;
    const { group: entry, errors } = textEntry(text);
    expect(entry.children.has("UXML")).toBe(false);
    expect(mine(errors)).toEqual(["notes: #UXML: line 14: </group> closes <dataset>"]);
  });
});

describe("XPCS and unrecognised lines", () => {
  it("writes #VA/#VD word arrays and the lines no plugin reads (issue64_data.txt)", () => {
    const { group: entry } = corpusEntry("issue64_data.txt", 0);
    expect(datasetAt(entry, "VD/VD0")).toEqual({
      data: ["diamx", "diamz"],
      shape: [2],
      type: "text",
    });
    expect(datasetAt(entry, "VA/VA1").shape).toEqual([8]);
    // Header lines first, then the scan's: a bare #Q has no space, so nothing recognises it.
    expect(datasetAt(entry, "unrecognized_1/u0").data).toEqual(["#VI0 ti3xd ti3xu ti3zd ti3zui"]);
    expect(datasetAt(entry, "unrecognized_2/u0").data).toEqual(["#Q"]);
    expect(datasetAt(entry, "unrecognized_2/u16").data).toEqual(["#WISRS5 1uA/V"]);
    expect(
      at(entry, "unrecognized_2").kind === "group" &&
        (at(entry, "unrecognized_2") as Group).children.size,
    ).toBe(17);
  });

  it("lists #UE/#UX/#UB of user6idd.dat as unrecognised", () => {
    const { group: entry } = corpusEntry("user6idd.dat", 0);
    expect(datasetAt(entry, "unrecognized_1/u4").data).toEqual([
      "#UB 4.07999 -6.86533e-16 -6.56121e-16 -3.04118e-17 -4.07999 2.49819e-16 0 0 -4.07999",
    ]);
  });
});

describe("#I", () => {
  it("writes intensity_factor, which spec2nexus drops (fix #11)", () => {
    const text = `${header}#S 1 ascan tth 0 1 1 1\n#I 2.5\n#L tth  I\n0 1\n`;
    const { group: entry, errors } = textEntry(text, specxStyle);
    expect(mine(errors)).toEqual([]);
    expect(datasetAt(entry, "intensity_factor")).toEqual({
      data: [2.5],
      shape: [],
      type: "float64",
    });
  });
});
