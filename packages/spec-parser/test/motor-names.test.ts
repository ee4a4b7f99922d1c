/**
 * `#O` motor names in SPEC's 8-character fields (`%8s`, two spaces between fields): the fixed-width
 * reading, the choice among readings by the `#P` (or `#o`) count, and what a parsed file gives.
 */
import { readFileSync } from "node:fs";
import { corpusFiles, corpusPath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { checkFile, parse, type Scan, type SpecFile } from "../src/index.js";
import { describeReadings, readFixedWidthNames, readMotorNames } from "../src/model/motor-names.js";

// The text after the `#O<n>` key, as the parser keeps it.
const tabRot = " Tab  rot  DIFFRtable    t_vert     ss1lo     ss1hi    ss1gap    ss1off     piezo";
const tabRotNames = [
  "Tab  rot",
  "DIFFRtable",
  "t_vert",
  "ss1lo",
  "ss1hi",
  "ss1gap",
  "ss1off",
  "piezo",
];

describe("readFixedWidthNames", () => {
  test("a name with two inner spaces fills one 8-character field; a 10-character name overflows", () => {
    expect(readFixedWidthNames(tabRot)).toEqual(tabRotNames);
    expect(readFixedWidthNames("    chopx   spinner     gas_1     gas_2")).toEqual([
      "chopx",
      "spinner",
      "gas_1",
      "gas_2",
    ]);
  });

  test("names with one inner space, padded or overflowing (the corpus's #O0 Two Theta rows)", () => {
    expect(
      readFixedWidthNames(
        " Two Theta     theta       chi       phi  DCM Theta    DCM Y1    DCM Z2  dslit bot",
      ),
    ).toEqual(["Two Theta", "theta", "chi", "phi", "DCM Theta", "DCM Y1", "DCM Z2", "dslit bot"]);
    expect(
      readFixedWidthNames("  HM_PZT3       pzt  Motor 169     b2vup   b2vdown  Motor 172"),
    ).toEqual(["HM_PZT3", "pzt", "Motor 169", "b2vup", "b2vdown", "Motor 172"]);
  });

  test("overflowing names and trailing blanks", () => {
    expect(
      readFixedWidthNames("    CRL_Y     CRL_X    BIM1_X    CRL_AX  HHLMTheta   HHLM_Y1  "),
    ).toEqual(["CRL_Y", "CRL_X", "BIM1_X", "CRL_AX", "HHLMTheta", "HHLM_Y1"]);
    expect(readFixedWidthNames("    Wheel  ")).toEqual(["Wheel"]);
  });

  test("a TAB anywhere breaks the layout (issue64_data.txt)", () => {
    expect(
      readFixedWidthNames("     volt      si6b\tsi6t\t  si3z      si5t      si5b\t tth   sa1vgap"),
    ).toBeNull();
    expect(readFixedWidthNames("    chopx\t  spinner")).toBeNull();
  });

  test("single-space rows (user6idd.dat) do not follow the layout", () => {
    expect(readFixedWidthNames(" Delta Eta Chi Phi Nu Mu tt_y tt_z")).toBeNull();
    expect(
      readFixedWidthNames(" m1_om m1_chi m1_phi m2_om m2_chi m2_phi m1_filter mot43"),
    ).toBeNull();
  });

  test("rows without padding (bluesky writers, older SPEC, spock) do not, even when widths fit", () => {
    expect(readFixedWidthNames(" m1  m2")).toBeNull();
    expect(readFixedWidthNames(" m_stage_r")).toBeNull();
    // `msx  msy` and `asy  ion_ch` happen to be 8 and 11 wide: only the missing padding tells.
    expect(
      readFixedWidthNames(" msx  msy  ART50-100  asy  ion_ch  tcam  cam_y  cam_focus"),
    ).toBeNull();
    expect(readFixedWidthNames(" ")).toBeNull();
    expect(readFixedWidthNames("")).toBeNull();
  });

  test("a padded overflowing field, a one-space separator or a short field breaks the layout", () => {
    expect(readFixedWidthNames("    chopx   DIFFRtable")).toBeNull();
    expect(readFixedWidthNames("    chopx    spinner")).toBeNull();
    expect(readFixedWidthNames("    chopx  gas")).toBeNull();
    // The key must be followed by exactly one space before the first field.
    expect(readFixedWidthNames("     chopx   spinner")).toBeNull();
  });
});

describe("readMotorNames", () => {
  test("the #P count picks the fixed-width reading", () => {
    expect(readMotorNames(tabRot, 8)).toEqual({
      names: tabRotNames,
      layout: "fixed-width",
      matched: true,
      readings: [
        { layout: "fixed-width", names: tabRotNames },
        { layout: "two-space", names: ["Tab", "rot", ...tabRotNames.slice(1)] },
      ],
    });
  });

  test("a count that fits the two-space split keeps it", () => {
    const read = readMotorNames(tabRot, 9);
    expect([read.layout, read.matched, read.names.slice(0, 3)]).toEqual([
      "two-space",
      true,
      ["Tab", "rot", "DIFFRtable"],
    ]);
  });

  test("a row whose fields split the same way is a two-space reading", () => {
    expect(readMotorNames("    chopx   spinner     gas_1     gas_2", 4)).toMatchObject({
      layout: "two-space",
      matched: true,
      readings: [{ layout: "two-space" }],
    });
  });

  test("no fitting count: the two-space split, unmatched, with every reading listed", () => {
    const read = readMotorNames(tabRot, 10);
    expect([read.layout, read.matched, read.names.length]).toEqual(["two-space", false, 9]);
    expect(describeReadings(read.readings)).toBe(
      "8 names in SPEC's 8-character fields, 9 names split on two spaces",
    );
  });

  test("single-space rows: by count, or always when there is no count", () => {
    const row = " Delta Eta Chi Phi Nu Mu tt_y tt_z";
    expect(readMotorNames(row, 8)).toMatchObject({ layout: "single-space", matched: true });
    expect(readMotorNames(row, null)).toMatchObject({ layout: "single-space", matched: false });
    expect(readMotorNames(row, 8).names[7]).toBe("tt_z");
    expect(readMotorNames(" Motor 169", 1).names).toEqual(["Motor 169"]);
  });

  test("an empty row has no names", () => {
    expect(readMotorNames(" ", 0)).toMatchObject({ names: [], matched: true });
  });
});

/** A header with the example rows, and one scan with their positions. */
function exampleFile(p2: string, mnemonics = ""): string {
  return [
    "#F t.spec",
    "#E 1000000000",
    "#D Sun Sep 09 01:46:40 2001",
    "#O0 Two Theta     theta",
    "#O1    Wheel  ",
    "#O2 Tab  rot  DIFFRtable    t_vert     ss1lo     ss1hi    ss1gap    ss1off     piezo",
    "#O3    chopx   spinner     gas_1     gas_2",
    mnemonics,
    "#S 1  ascan  theta 0 1  1 1",
    "#D Sun Sep 09 01:46:40 2001",
    "#P0 20.5 10.25",
    "#P1 3",
    p2,
    "#P3 1.5 200 20 15",
    "#N 2",
    "#L theta  det",
    "0 10",
    "1 11",
    "",
  ].join("\n");
}

/** The first scan of a text (the example files have one). */
function firstScan(file: SpecFile): Scan {
  const scan = file.scanAt(0);
  if (!scan) throw new Error("no scan");
  return scan;
}

describe("parsing", () => {
  test("every positioner pairs with its own value; the fixed-width reading is reported", () => {
    const scan = firstScan(parse(exampleFile("#P2 12.5 3.25 -0.5 40 30 70 5 0")));
    expect(scan.positioners.map((p) => [p.name, p.value])).toEqual([
      ["Two Theta", 20.5],
      ["theta", 10.25],
      ["Wheel", 3],
      ["Tab  rot", 12.5],
      ["DIFFRtable", 3.25],
      ["t_vert", -0.5],
      ["ss1lo", 40],
      ["ss1hi", 30],
      ["ss1gap", 70],
      ["ss1off", 5],
      ["piezo", 0],
      ["chopx", 1.5],
      ["spinner", 200],
      ["gas_1", 20],
      ["gas_2", 15],
    ]);
    expect(scan.unnamedPositions).toEqual([]);
    expect(scan.diagnostics).toEqual([
      {
        code: "O_FIXED_WIDTH",
        severity: "info",
        line: 6,
        scan: "1.1",
        message: "#O2 names read from SPEC's 8-character fields: 'Tab  rot' is one name",
      },
    ]);
  });

  test("a #P row that fits no reading keeps the two-space names and says which were possible", () => {
    const scan = firstScan(parse(exampleFile("#P2 1 2 3 4 5 6 7 8 9 10")));
    const row2 = scan.positioners.filter((p) => p.row === 2);
    expect(row2.map((p) => p.name).slice(0, 3)).toEqual(["Tab", "rot", "DIFFRtable"]);
    expect(scan.unnamedPositions).toEqual([10]);
    expect(scan.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["O_SPLIT_AMBIGUOUS", "warning", 6],
      ["P_O_MISMATCH", "warning", 13],
    ]);
    expect(scan.diagnostics[0]?.message).toBe(
      "#O2 can be read as 8 names in SPEC's 8-character fields, 9 names split on two spaces; none of them pairs with the 10 #P2 values, so the two-space split was kept",
    );
  });

  test("the header counts its names by the #o mnemonics, and the mnemonic check agrees", () => {
    const mnemonics = "#o2 tabrot diffr tvert s1l s1h s1g s1o piezo";
    const file = parse(exampleFile("#P2 12.5 3.25 -0.5 40 30 70 5 0", mnemonics));
    expect(file.header(0).motorNames.get(2)).toEqual(tabRotNames);
    expect(firstScan(file).positioners.find((p) => p.name === "Tab  rot")?.mnemonic).toBe("tabrot");
    expect(checkFile(file)).toEqual([]);
    // Without #o there is no count: the header keeps the two-space split.
    expect(parse(exampleFile("#P2 1")).header(0).motorNames.get(2)?.slice(0, 2)).toEqual([
      "Tab",
      "rot",
    ]);
  });

  test("a header without #O lends the names of the nearest earlier header that has them", () => {
    const file = parse(
      [
        "#F two-headers.spec",
        "#E 1",
        "#O0 th  tth",
        "",
        "#F two-headers.spec",
        "#E 2",
        "#O0 chi  phi",
        "",
        "#F two-headers.spec",
        "#E 3",
        "",
        "#S 1 ascan th 0 1 1 1",
        "#D Thu Jul 17 02:38:24 2003",
        "#P0 1.5 3",
        "#N 1",
        "#L th",
        "0",
        "",
        "#S 2 count 1",
        "#D Thu Jul 17 02:39:24 2003",
        "#N 1",
        "#L sec",
        "1",
        "",
      ].join("\n"),
    );
    const named = file.scanAt(0) as Scan;
    expect(named.positioners.map((p) => [p.name, p.value])).toEqual([
      ["chi", 1.5],
      ["phi", 3],
    ]);
    expect(named.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ["O_FROM_EARLIER_HEADER", 12, "motor names taken from the header at line 5"],
    ]);
    // No #P line: no names are looked for, and none are said to come from elsewhere.
    const unnamed = file.scanAt(1) as Scan;
    expect(unnamed.positioners).toEqual([]);
    expect(unnamed.diagnostics).toEqual([]);
  });
});

describe("the corpus", () => {
  const files = corpusFiles();

  test("no corpus row needs the fixed-width reading, and none is in doubt", () => {
    for (const { name, bytes } of files) {
      const codes = parse(bytes).diagnostics.map((d) => d.code);
      expect([
        name,
        codes.filter((code) => code.startsWith("O_SPLIT") || code === "O_FIXED_WIDTH"),
      ]).toEqual([name, []]);
    }
  });

  test("SPEC-written rows follow the layout; rows without padding do not", () => {
    const rows = (name: string) =>
      readFileSync(corpusPath(name), "latin1")
        .split("\n")
        .filter((line) => /^#O\d/.test(line))
        .map((line) => line.replace(/^#O\d+/, "").replace(/\r$/, ""));
    for (const name of ["lmn40.spe", "CdOsO", "33bm_spec.dat", "APS_spec_data.dat"]) {
      for (const row of rows(name))
        expect([name, row, readFixedWidthNames(row) !== null]).toEqual([name, row, true]);
    }
    for (const name of [
      "02_03_setup.dat",
      "issue161_spock_spec_file",
      "test_4.spec",
      "user6idd.dat",
    ]) {
      for (const row of rows(name))
        expect([name, row, readFixedWidthNames(row)]).toEqual([name, row, null]);
    }
  });
});
