/**
 * checkFile: the semantic checks, each on a small text that triggers it and on the same text
 * fixed, and on the corpus, whose findings were counted independently (grep and Python over the
 * raw lines: docs/spec-format.md §11 and the end comments of every bluesky scan).
 */
import {
  corpusBytes,
  corpusFiles,
  corpusNames,
  fixtureFiles,
  referenceBytes,
} from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { checkFile, parse, validateFile } from "../src/index.js";

const date = "Sun Sep 09 01:46:40 2001";
const header = (extra = "") =>
  `#F t.spec\n#E 1000000000\n#D ${date}\n#O0 Two Theta  chi\n${extra}\n`;
const plainScan = "#S 1  ascan  chi 0 1  1 1\n#D x\n#P0 1 2\n#N 2\n#L chi  det\n0 10\n1 11\n";

/** An apstools-style scan; each part can be left out or changed. */
function blueskyScan(parts: { uid?: boolean; events?: number | null; status?: string | null }) {
  const { uid = true, events = 2, status = "success" } = parts;
  const end = `#C ${date}.  `;
  return [
    `#C Bluesky  user = me  host = here\n\n#S 1  count(detectors=['det'], num=2)\n#D ${date}`,
    `${end}plan_type = generator`,
    ...(uid ? [`${end}uid = 0b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`] : []),
    "#MD purpose = test",
    "#N 3\n#L Epoch_float  Epoch  det\n0.5 1 10\n1.5 2 11",
    `${end}num_events_baseline = 2`,
    ...(events !== null ? [`${end}num_events_primary = ${events}`] : []),
    ...(status !== null ? [`${end}exit_status = ${status}`] : []),
    "",
  ].join("\n");
}

const codes = (text: string) => checkFile(parse(text)).map((d) => d.code);

describe("each check, triggered and not", () => {
  test.each([
    ["NO_SCANS", header(), header() + plainScan],
    ["NO_SCANS", "just some text\n", header() + plainScan],
    ["MNEMONIC_MISMATCH", header("#o0 tth") + plainScan, header("#o0 tth chi") + plainScan],
    [
      "MNEMONIC_MISMATCH",
      header("#J0 sec  I0  det\n#j0 sec I0") + plainScan,
      header("#J0 sec  I0  det\n#j0 sec I0 det") + plainScan,
    ],
    ["BLUESKY_NO_UID", blueskyScan({ uid: false }), blueskyScan({})],
    ["BLUESKY_EVENT_COUNT", blueskyScan({ events: 3 }), blueskyScan({})],
    ["BLUESKY_EVENT_COUNT", blueskyScan({ events: null }), blueskyScan({})],
    ["BLUESKY_EXIT_STATUS", blueskyScan({ status: "abort" }), blueskyScan({})],
    ["BLUESKY_EXIT_STATUS", blueskyScan({ status: "fail" }), blueskyScan({})],
    ["BLUESKY_EXIT_STATUS", blueskyScan({ status: null }), blueskyScan({})],
  ])("%s", (code, bad, good) => {
    expect(codes(bad)).toContain(code);
    expect(codes(good)).toEqual([]);
  });

  test("findings carry line, scan key, the code's severity and a message with the numbers", () => {
    const text = header("#o0 tth") + blueskyScan({ events: 5, status: "abort" });
    const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect(checkFile(parse(text))).toEqual([
      {
        code: "MNEMONIC_MISMATCH",
        severity: "warning",
        line: lineOf("#o0"),
        scan: null,
        message: "#o0 has 1 mnemonics for 2 #O0 names",
      },
      {
        code: "BLUESKY_EVENT_COUNT",
        severity: "error",
        line: lineOf("num_events_primary"),
        scan: "1.1",
        message: "num_events_primary = 5 but the scan has 2 data rows",
      },
      {
        code: "BLUESKY_EXIT_STATUS",
        severity: "warning",
        line: lineOf("exit_status"),
        scan: "1.1",
        message: "bluesky run ended with exit_status = abort",
      },
    ]);
  });

  test("single-space #O names count when that reading matches the mnemonics", () => {
    const text = `#F t\n#E 1\n#O0 tth th chi\n#o0 tth th chi\n\n${plainScan}`;
    expect(codes(text)).toEqual([]);
  });

  test("a scan's own #O/#o rows (spock, no header) are checked too", () => {
    const scan = (mnemonics: string) =>
      `#S 1 ct\n#D ${date}\n#O0 m1  m2\n#o0 ${mnemonics}\n#P0 1 2\n#N 1\n#L det\n1\n`;
    expect(checkFile(parse(scan("a")))).toMatchObject([{ code: "MNEMONIC_MISMATCH", scan: "1.1" }]);
    expect(codes(scan("a b"))).toEqual([]);
  });

  test("a scan not written by bluesky gets no bluesky findings", () => {
    expect(codes(header() + plainScan)).toEqual([]);
  });

  test("a second end-comment group (a run without rows) does not count as the scan's", () => {
    const extra = `#C ${date}.  num_events_primary = 9\n#C ${date}.  exit_status = abort\n`;
    expect(codes(blueskyScan({}) + extra)).toEqual([]);
  });
});

describe("a run over several #S blocks (apstools: one per primary descriptor)", () => {
  const block = (rows: string, end: string) =>
    `#S 10  count(detectors=['det'], num=2)\n#D ${date}\n#C ${date}.  uid = 55555555-aaaa-4bbb-8ccc-000000000005\n#MD plan_name = count\n#N 2\n#L Epoch  det\n${rows}\n${end}\n`;
  const endWith = (events: number) =>
    `#C ${date}.  num_events_primary = ${events}\n#C ${date}.  exit_status = success\n`;

  test("the last block's end comments count the rows of all of them", () => {
    expect(codes(header() + block("1 10", "") + block("2 11", endWith(2)))).toEqual([]);
    expect(
      checkFile(parse(header() + block("1 10", "") + block("2 11", endWith(3)))),
    ).toMatchObject([
      {
        code: "BLUESKY_EVENT_COUNT",
        scan: "10.2",
        message: expect.stringMatching(/#S blocks have 2 data rows$/),
      },
    ]);
  });

  test("two complete copies of one run (a file continued by a second writer) count apart", () => {
    expect(
      codes(header() + block("1 10\n2 11", endWith(2)) + block("1 10\n2 11", endWith(2))),
    ).toEqual([]);
  });

  test("a block without end comments and no continuation is flagged", () => {
    expect(codes(header() + block("1 10", ""))).toEqual(["BLUESKY_EXIT_STATUS"]);
  });
});

describe("apstools' own output (shared/writer-reference, findings per its README)", () => {
  test("syn-session.spec: the two #S 10 blocks are one run; 11.1's end went after a header", () => {
    const found = checkFile(parse(referenceBytes("synthetic/v2/syn-session.spec")));
    expect(found.map((d) => [d.scan, d.code])).toEqual([["11.1", "BLUESKY_EXIT_STATUS"]]);
  });

  test("440-624e776a.spec: event pages fed as stored left 183 events without a row", () => {
    expect(checkFile(parse(referenceBytes("apstools/v2/440-624e776a.spec")))).toMatchObject([
      {
        code: "BLUESKY_EVENT_COUNT",
        scan: "287.1",
        message: "num_events_primary = 183 but the scan has 0 data rows",
      },
    ]);
    expect(checkFile(parse(referenceBytes("apstools/v2/440-624e776a-unpacked.spec")))).toEqual([]);
  });

  test("syn-nan.spec: the writer raised; the scan has no end comments", () => {
    expect(
      checkFile(parse(referenceBytes("synthetic/v2/syn-nan.spec"))).map((d) => d.code),
    ).toEqual(["BLUESKY_EXIT_STATUS"]);
  });
});

describe("the corpus", () => {
  test("05_02_test.dat: two failed runs lost their only event row", () => {
    const found = checkFile(parse(corpusBytes("05_02_test.dat"))).map((d) => [
      d.line,
      d.scan,
      d.code,
    ]);
    expect(found).toEqual([
      [1014, "105.1", "BLUESKY_EVENT_COUNT"],
      [1015, "105.1", "BLUESKY_EXIT_STATUS"],
      [1422, "1.17", "BLUESKY_EVENT_COUNT"],
      [1423, "1.17", "BLUESKY_EXIT_STATUS"],
    ]);
  });

  test("20220311-161530.dat: scan 4.1 was aborted (docs/spec-format.md §11)", () => {
    expect(checkFile(parse(corpusBytes("20220311-161530.dat")))).toEqual([
      {
        code: "BLUESKY_EXIT_STATUS",
        severity: "warning",
        line: 89,
        scan: "4.1",
        message: "bluesky run ended with exit_status = abort",
      },
    ]);
  });

  test("no finding in any other corpus file", () => {
    const others = corpusNames().filter(
      (name) => !["05_02_test.dat", "20220311-161530.dat"].includes(name),
    );
    expect(others.length).toBe(24);
    const found = others.flatMap((name) =>
      checkFile(parse(corpusBytes(name))).map((d) => `${name}:${d.line} ${d.code}`),
    );
    expect(found).toEqual([]);
  });

  test("file.diagnostics stay the parser's own: checkFile adds nothing to them", () => {
    const file = parse(corpusBytes("05_02_test.dat"));
    const before = file.diagnostics;
    checkFile(file);
    expect(file.diagnostics).toEqual(before);
    expect(before.some((d) => d.code.startsWith("BLUESKY_"))).toBe(false);
  });
});

describe("validateFile", () => {
  test("gives the parser's findings and the checks' as both lists joined and sorted by line, on every corpus file and fixture; each alone as file.diagnostics and checkFile give it", () => {
    const byLine = (a: { line: number | null }, b: { line: number | null }) =>
      (a.line ?? 0) - (b.line ?? 0);
    const counted = { parser: 0, checks: 0 };
    const made = [
      { uid: false },
      { events: 5, status: "abort" },
      { events: null, status: null },
    ].map((parts, i) => ({
      name: `bluesky ${i}`,
      bytes: new TextEncoder().encode(header("#o0 tth chi") + blueskyScan(parts) + plainScan),
    }));
    for (const { name, bytes } of [...corpusFiles(), ...fixtureFiles(), ...made]) {
      const [parsed, checked] = [parse(bytes).diagnostics, checkFile(parse(bytes))];
      const joined = [...parsed, ...checked].sort(byLine);
      const reported: number[] = [];
      const onePass = validateFile(parse(bytes), { onScan: (done) => reported.push(done) });
      expect({ name, findings: onePass }).toEqual({ name, findings: joined });
      expect(reported).toEqual(Array.from({ length: parse(bytes).scanCount }, (_, i) => i + 1));
      // Numbers read into two arenas taken in turn, as `specx validate` reads: the same findings,
      // and each scan handed on holds its own numbers while it is handed on.
      const columnsSeen: number[][] = [];
      const reusing = validateFile(parse(bytes), {
        reuseNumbers: true,
        onScan: (_done, _total, scan) => columnsSeen.push(Array.from(scan.data.columns[0] ?? [])),
      });
      expect({ name, findings: reusing }).toEqual({ name, findings: joined });
      expect(columnsSeen).toEqual(
        parse(bytes).scans.map((scan) => Array.from(scan.data.columns[0] ?? [])),
      );
      const keys: string[] = [];
      const parserOnly = validateFile(parse(bytes), {
        checks: false,
        onScan: (_done, _total, scan) => keys.push(scan.key),
      });
      expect({ name, findings: parserOnly }).toEqual({ name, findings: parsed });
      expect(keys).toEqual(parse(bytes).scanEntries.map((entry) => entry.key));
      counted.parser += parsed.length;
      counted.checks += checked.length;
    }
    // Findings of both kinds: the comparison is not of empty lists.
    expect(counted.parser).toBeGreaterThan(100);
    expect(counted.checks).toBeGreaterThan(8);
  });
});
