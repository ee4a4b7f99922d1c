/**
 * Facts from docs/spec-format.md §11 that the conformance expectations (keys, labels, rows,
 * positioners, #MD, MCA counts) do not cover: diagnostics, header metadata, UNICAT, UXML,
 * comments and the other control lines, on the real corpus files.
 */
import { cachedByName, corpusBytes } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { parse, type Scan, type SpecFile } from "../src/index.js";

/** A corpus file, parsed once however many tests read it. */
const parsed = cachedByName((name): SpecFile => parse(corpusBytes(name)));

function scan(name: string, key: string): Scan {
  const found = parsed(name).scan(key);
  if (!found) throw new Error(`${name} has no scan ${key}`);
  return found;
}

const codes = (s: Scan) => s.diagnostics.map((d) => d.code);
const count = (file: SpecFile, code: string) =>
  file.diagnostics.filter((d) => d.code === code).length;

describe("corpus facts (docs/spec-format.md §11)", () => {
  test("02_03_setup.dat: fly scans warn N_L_MISMATCH (no error), #V13 empty field, #Q empty, I0 aliases", () => {
    const file = parsed("02_03_setup.dat");
    const fly = file.scans.filter((s) => s.command.startsWith("FlyScan"));
    expect(fly.map((s) => s.key)).toEqual([
      "5.1",
      "10.1",
      "11.1",
      "16.1",
      "24.1",
      "29.1",
      "30.1",
      "35.1",
      "40.1",
      "41.1",
      "46.1",
    ]);
    for (const s of fly) {
      expect([s.declaredColumns, s.labels.length, s.data.rows]).toEqual([16, 17, 0]);
      expect(codes(s)).toContain("N_L_MISMATCH");
    }
    expect(file.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(
      scan("02_03_setup.dat", "10.1").command.startsWith("FlyScan  ar 10.319 0 8.4331 2e-05"),
    ).toBe(true);
    const first = scan("02_03_setup.dat", "1.1");
    expect(first.header?.unicatNames.size).toBe(15);
    expect(first.control("V").length).toBe(15);
    expect(first.control("V13")[0]?.text).toMatch(/ $/);
    expect(first.hkl).toEqual([]);
    expect(first.data.aliases.filter((a) => a === "I0" || a === "I0_1")).toEqual(["I0", "I0_1"]);
    expect(first.header?.counterNames.size).toBeGreaterThan(0);
    expect(first.header?.motorMnemonics.size).toBeGreaterThan(0);
    expect(first.diagnostics.filter((d) => d.code === "V_H_MISMATCH")).toEqual([]);
  });

  test("05_02_test.dat: 22 headers, #N holds the row count, None rows kept with a diagnostic", () => {
    const file = parsed("05_02_test.dat");
    expect(file.headers.length).toBe(22);
    expect(count(file, "N_L_MISMATCH")).toBe(38);
    expect(codes(scan("05_02_test.dat", "110.1"))).not.toContain("N_L_MISMATCH");
    const noneScans = file.scans.filter((s) => s.data.special.some((v) => v.kind === "none"));
    expect(noneScans.map((s) => s.key)).toEqual(["1.6", "1.7", "1.8", "1.9", "1.16"]);
    for (const s of noneScans) expect(codes(s)).toContain("NON_NUMERIC_TOKEN");
    expect(scan("05_02_test.dat", "1.1").labels).toContain("TR diode");
    expect(file.headers[0]?.comments[0]?.text).toMatch(/^BlueSky {2}user = usaxs {2}host = /);
    expect(file.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("20220311-161530.dat: 4.1 ends with exit_status = abort; 4.11 and 4.2 are different scans", () => {
    const s = scan("20220311-161530.dat", "4.1");
    expect(s.comments.some((c) => c.text.endsWith("exit_status = abort"))).toBe(true);
    expect(scan("20220311-161530.dat", "4.11").line).toBe(1581);
    expect(scan("20220311-161530.dat", "4.2").line).toBe(184);
  });

  test("33bm_spec.dat: header-only 15.1 keeps every header field; 1.1 has #M and #G rows", () => {
    const s = scan("33bm_spec.dat", "15.1");
    expect(s.date?.raw).toBe("Wed Jun 16 19:00:05 2010");
    expect(s.date?.fields).toEqual({
      year: 2010,
      month: 6,
      day: 16,
      hour: 19,
      minute: 0,
      second: 5,
    });
    expect(s.command).toBe("hklscan  2 2  2 2  2.8 3.05  250 1");
    expect([s.declaredColumns, s.labels.length, s.data.rows, s.abortedAfter]).toEqual([
      27, 27, 0, 0,
    ]);
    const first = scan("33bm_spec.dat", "1.1");
    expect(first.preset).toEqual({ kind: "monitor", value: 20000, counter: "I0" });
    expect([...first.geometry.keys()]).toEqual(expect.arrayContaining([0, 1, 3, 4]));
    expect(first.data.columns[0]?.[0]).toBe(19.022);
    expect(first.data.columns[0]?.[60]).toBe(19.222);
  });

  test("33id_spec.dat: channels from #@CHANN, more spectra than rows reported, never thrown", () => {
    const first = scan("33id_spec.dat", "1.1");
    expect(first.mca?.devices[0]?.channels).toEqual({
      total: 1201,
      first: 1110,
      last: 1200,
      reduction: 1,
      count: 91,
    });
    expect(first.mca?.layout).toBe("16C");
    expect(codes(scan("33id_spec.dat", "26.1"))).toContain("MCA_ROW_MISMATCH");
    expect(scan("33id_spec.dat", "49.1").mca?.spectra.length).toBe(58);
    const file = parsed("33id_spec.dat");
    const more = file.scans.filter((s) => (s.mca?.spectra.length ?? 0) > s.data.rows);
    expect(more.length).toBe(55);
    expect(count(file, "MCA_ROW_MISMATCH")).toBe(55);
  });

  test("CdOsO: 1.2 owns its abort comment and 14 macro comments; 35 aborts; 128 motors", () => {
    const file = parsed("CdOsO");
    const s = scan("CdOsO", "1.2");
    expect(s.abortedAfter).toBe(20);
    expect(s.comments.filter((c) => /do \S+\.mac\./.test(c.text)).length).toBe(14);
    expect(s.comments.every((c) => c.afterRow === null || c.afterRow === 20)).toBe(true);
    expect(file.scans.filter((x) => x.aborted).length).toBe(35);
    expect(file.scans.every((x) => x.positioners.length === 128)).toBe(true);
    expect(s.positioners.map((p) => p.name)).toContain("Motor 169");
    expect(file.scanBySpec2nexusKey("1")?.key).toBe("1.1");
    expect(file.scanBySpec2nexusKey("1.1")?.key).toBe("1.2");
  });

  test("JL124_1.spc: UNICAT keys pair exactly, values with spaces, #U and #UIM lines kept", () => {
    const file = parsed("JL124_1.spc");
    const first = scan("JL124_1.spc", "1.1");
    expect([...(first.header?.unicatNames.values() ?? [])].flat().length).toBe(143);
    expect(Object.keys(first.unicat).length).toBe(140);
    expect(count(file, "V_H_MISMATCH")).toBe(0);
    expect(first.control("V13")[0]?.text).toContain("10 us");
    expect(Object.values(first.unicat)).toContain("10 us");
    expect(first.control("U").length).toBe(1);
    expect(scan("JL124_1.spc", "2.1").control("U").length).toBe(0);
    expect(file.headers[0]?.controls.filter((c) => c.key === "U").length).toBe(1);
    const uim = file.scans.flatMap((s) => s.controls.filter((c) => c.key.startsWith("UIM")));
    const headerUim = file.headers.flatMap((h) =>
      h.controls.filter((c) => c.key.startsWith("UIM")),
    );
    expect(uim.length + headerUim.length).toBe(2166);
    expect(["51.1", "114.1"].map((key) => scan("JL124_1.spc", key).data.rows)).toEqual([0, 0]);
  });

  test("YSZ011…spc: text in #V (powderMotor = theta), #UIMR/#UIMC kept", () => {
    const s = scan("YSZ011_ALDITO_Fe2O3_planar_fired_1.spc", "1.1");
    expect(s.unicat.powderMotor).toBe("theta");
    expect([s.unicat.powderMode, s.unicat.powderWidth, s.unicat.powderVelo]).toEqual([0, 0, 0.5]);
    expect(s.controls.some((c) => c.family === "UIMR")).toBe(true);
    expect(s.controls.some((c) => c.family === "UIMC")).toBe(true);
  });

  test("issue119_data.txt: a label with a dot", () => {
    expect(scan("issue119_data.txt", "39.1").labels).toContain("USAXS.m2rp");
  });

  test("issue161_spock_spec_file: no header, per-scan #O, #U user, file ends with a blank line", () => {
    const file = parsed("issue161_spock_spec_file");
    expect(file.headers).toEqual([]);
    expect(file.fileDiagnostics.map((d) => d.code)).toEqual(["NO_HEADER"]);
    const s = scan("issue161_spock_spec_file", "1.1");
    expect(s.header).toBeNull();
    expect(s.control("U")[0]?.text.trim()).toBe("p09user");
    expect(s.comments[0]?.text).toBe("Acquisition started at Mon Jul  8 13:35:50 2019");
    expect(s.positioners.length).toBe(154);
    const last = file.scans[file.scanCount - 1] as Scan;
    expect(last.lines[last.lines.length - 1]?.kind).toBe("blank");
  });

  test("issue196_data*.txt: empty #O0/#P0 give no positioner; the scan date predates #E", () => {
    expect(scan("issue196_data.txt", "108.1").positioners).toEqual([]);
    expect(scan("issue196_data.txt", "108.1").diagnostics.map((d) => d.code)).not.toContain(
      "P_O_MISMATCH",
    );
    const s = scan("issue196_data2.txt", "108.1");
    expect(s.positioners.map((p) => [p.name, p.mnemonic, p.value])).toEqual([
      ["m_stage_r", "mr", 8.824977],
    ]);
    expect(s.header?.epoch).toBe(1565844367);
    expect(s.date?.fields?.year).toBe(2019);
    expect(s.date?.fields?.month).toBe(5);
  });

  test("issue216_scan1.spec: six single-spaced labels and a synthetic seventh column", () => {
    const s = scan("issue216_scan1.spec", "1.1");
    expect(s.data.names).toEqual(["EPOCH", "Phi", "CESR", "IC1", "IC2", "DIODE", "col7"]);
    expect(s.data.synthetic).toEqual([false, false, false, false, false, false, true]);
    expect(codes(s)).toEqual(
      expect.arrayContaining(["LABEL_FALLBACK", "N_L_MISMATCH", "SYNTHETIC_LABEL"]),
    );
  });

  test("issue64_data.txt: TAB-separated #O, 2 orphan values reported, site keys kept", () => {
    const s = scan("issue64_data.txt", "50.1");
    expect(s.positioners.length).toBe(98);
    expect(s.unnamedPositions.length).toBe(2);
    expect(codes(s)).toContain("P_O_MISMATCH");
    const keys = new Set([...(s.header?.controls ?? []), ...s.controls].map((c) => c.key));
    for (const key of [
      "VA0",
      "VA1",
      "VD0",
      "VI0",
      "VI2",
      "WA0",
      "WA1",
      "WD0",
      "WI0",
      "WI2",
      "WISRS1",
      "WISRS5",
    ]) {
      expect(keys.has(key)).toBe(true);
    }
  });

  test("issue82_data.txt: aborted hklmesh with #M", () => {
    const s = scan("issue82_data.txt", "17.1");
    expect(s.preset).toEqual({ kind: "monitor", value: 800000, counter: "I0" });
    expect([s.data.rows, s.abortedAfter]).toEqual([92, 92]);
    expect(Object.keys(s.unicat).length).toBeGreaterThan(0);
  });

  test("lmn40.spe: the #E header at line 386 governs later scans", () => {
    const file = parsed("lmn40.spe");
    expect(file.headers.map((h) => [h.line, h.startsWith, h.epoch])).toEqual([
      [1, "#F", 918630612],
      [386, "#E", 918688327],
    ]);
    expect(scan("lmn40.spe", "7.1").header?.index).toBe(0);
    expect(scan("lmn40.spe", "8.1").header?.index).toBe(1);
    const numbers = file.scanEntries.map((e) => e.number ?? 0);
    expect([Math.min(...numbers), Math.max(...numbers), numbers.length]).toEqual([1, 271, 262]);
    expect(scan("lmn40.spe", "244.1").command.startsWith("hklscan")).toBe(true);
  });

  test("test_3/test_4/test_3_error: #UXML lines form one document; invalid UXML is a diagnostic only", () => {
    const good = scan("test_3.spec", "1.1");
    expect(good.control("UXML").length).toBe(221);
    expect(good.control("UXML").filter((c) => c.afterRow !== null).length).toBe(20);
    expect(good.uxml?.wellFormed).toBe(true);
    const hardlink = scan("test_4.spec", "1.1");
    expect(hardlink.control("UXML").length).toBe(220);
    expect(hardlink.uxml?.text).toContain("<hardlink");
    expect(hardlink.uxml?.wellFormed).toBe(true);
    const bad = scan("test_3_error.spec", "1.1");
    expect(bad.uxml?.wellFormed).toBe(false);
    expect(codes(bad)).toContain("INVALID_UXML");
    expect([bad.data.rows, bad.labels.length, bad.positioners.length]).toEqual([10, 24, 89]);
  });

  test("usaxs-bluesky-specwritercallback.dat: a #MD line without ' = ' is reported, not lost", () => {
    const s = scan("usaxs-bluesky-specwritercallback.dat", "2.1");
    expect(s.control("MD").length).toBe(14);
    expect(Object.keys(s.metadata).length).toBe(13);
    expect(codes(s)).toContain("BAD_MD_LINE");
  });

  test("user6idd.dat: one-space abort comment, #R after the data, U* and X keys kept", () => {
    const file = parsed("user6idd.dat");
    expect(scan("user6idd.dat", "1.1").abortedAfter).toBe(0);
    const s = scan("user6idd.dat", "2.1");
    expect(s.control("R")[0]).toMatchObject({ text: " 2 ", afterRow: 55 });
    expect(s.labels.length).toBe(25);
    expect(s.positioners.length).toBe(59);
    expect([s.positioners[0]?.name, s.positioners[58]?.name]).toEqual(["Delta", "x_detector"]);
    const keys = new Set(
      [...file.headers.flatMap((h) => h.controls), ...file.scans.flatMap((x) => x.controls)].map(
        (c) => c.key,
      ),
    );
    for (const key of ["UB", "UE", "UX", "UX1", "UX2", "X"]) expect(keys.has(key)).toBe(true);
  });

  test("no corpus file has an error diagnostic the notes do not name", () => {
    const errors = [
      "02_03_setup.dat",
      "03_06_JanTest.dat",
      "05_02_test.dat",
      "20220311-161530.dat",
      "33bm_spec.dat",
      "33id_spec.dat",
      "APS_spec_data.dat",
      "CdOsO",
      "JL124_1.spc",
      "YSZ011_ALDITO_Fe2O3_planar_fired_1.spc",
      "issue119_data.txt",
      "issue161_spock_spec_file",
      "issue196_data.txt",
      "issue196_data2.txt",
      "issue216_scan1.spec",
      "issue64_data.txt",
      "issue82_data.txt",
      "lmn40.spe",
      "refresh1.txt",
      "test_3.spec",
      "test_3_error.spec",
      "test_4.spec",
      "usaxs-bluesky-specwritercallback.dat",
      "user6idd.dat",
    ].flatMap((name) =>
      parsed(name)
        .diagnostics.filter((d) => d.severity === "error")
        .map((d) => `${name}:${d.line} ${d.code}`),
    );
    expect(errors).toEqual([]);
  });
});
