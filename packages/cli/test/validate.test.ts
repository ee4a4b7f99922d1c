/**
 * `specx validate` and `specx rules`: every rule on a small text that triggers it and on the same
 * text fixed; the corpus's known defects (docs/spec-format.md §11, counted with grep and Python
 * over the raw lines) and no error on clean files; the text, JSON and SARIF shapes; bad usage.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusDir, corpusPath, fixturePath } from "@specx/test-support";
import { afterAll, describe, expect, test } from "vitest";
import { expectUsageError, runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
/** For tests that read the whole corpus (26 files, 13 MB). */
const slow = { timeout: 60_000 };
const scratch = mkdtempSync(join(tmpdir(), "specx-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Finding {
  code: string;
  severity: string;
  line: number | null;
  scan: string | null;
  message: string;
}
interface JsonReport {
  files: { file: string; scans: number; diagnostics: Finding[] }[];
  summary: { files: number; errors: number; warnings: number; info: number };
}

/** `validate --format json` of one text given on standard input. */
async function findingsOf(text: string | Uint8Array): Promise<Finding[]> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const { stdout } = await run(["validate", "-", "--format", "json"], bytes);
  return (JSON.parse(stdout) as JsonReport).files[0]?.diagnostics ?? [];
}

/** One text line of the report: `file:line: severity CODE message`. */
const textLine = /^(.+?):(?:(\d+):)? (error|warning|info) ([A-Z_]+) (.+)$/;

// Small SPEC texts: a header with one #O row, a scan with its #P row and a two-column table.
const date = "#D Sun Sep 09 01:46:40 2001\n";
const header = (extra = "") => `#F t.spec\n#E 1000000000\n${date}#O0 m1  m2\n${extra}\n`;
const scan = (body: string, { n = 1, when = date, p = "#P0 1 2\n" } = {}) =>
  `#S ${n}  ascan  m1 0 1  2 1\n${when}${p}${body}`;
const table = (labels: string[], rows: (string | number)[][], declared = labels.length) =>
  `#N ${declared}\n#L ${labels.join("  ")}\n${rows.map((r) => r.join(" ")).join("\n")}\n`;
const clean =
  header() +
  scan(
    table(
      ["m1", "det"],
      [
        [0, 10],
        [1, 11],
      ],
    ),
  );
const withTable = (labels: string[], rows: (string | number)[][], declared?: number) =>
  header() + scan(table(labels, rows, declared));
const mca = (spectra: number, first = "1 2 3") =>
  header() +
  scan(
    `#@MCA 16C\n#@CHANN 3 0 2 1\n#N 2\n#L m1  det\n@A ${first}\n0 10\n@A 1 2 3\n1 11\n${"@A 1 2 3\n".repeat(spectra - 2)}`,
  );
const end = "#C Sun Sep 09 01:46:42 2001.  ";
const bluesky = (parts: { uid?: boolean; events?: number; status?: string | null } = {}) => {
  const { uid = true, events = 2, status = "success" } = parts;
  return [
    "#F b.spec\n#E 1000000000\n#D Sun Sep 09 01:46:40 2001\n#C Bluesky  user = me  host = here\n",
    "#S 1  count(detectors=['det'], num=2)\n#D Sun Sep 09 01:46:40 2001",
    uid ? `${end}uid = 0b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d` : `${end}plan_type = generator`,
    "#MD purpose = test\n#N 3\n#L Epoch_float  Epoch  det\n0.5 1 10\n1.5 2 11",
    `${end}num_events_primary = ${events}`,
    status === null ? "" : `${end}exit_status = ${status}\n`,
  ].join("\n");
};
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Per rule: a text that triggers it, and the same text fixed. */
const ruleCases: Record<string, [string | Uint8Array, string | Uint8Array]> = {
  BOM: [`\uFEFF${clean}`, clean],
  DECODE_FALLBACK: [
    latin1(`${header("#C 25\u00b0C")}${scan("")}`),
    `${header("#C 25 C")}${scan("")}`,
  ],
  NO_HEADER: [scan(table(["m1"], [[0]]), { p: "" }), header() + scan(table(["m1"], [[0]]))],
  INDENTED_CONTROL_LINE: [header("  #C note") + scan(""), header("#C note") + scan("")],
  BAD_SCAN_NUMBER: [clean.replace("#S 1 ", "#S x "), clean],
  MISSING_DATE: [header() + scan(table(["m1"], [[0]]), { when: "" }), clean],
  BAD_DATE: [header() + scan(table(["m1"], [[0]]), { when: "#D yesterday\n" }), clean],
  N_L_MISMATCH: [withTable(["m1", "det"], [[0, 10]], 3), withTable(["m1", "det"], [[0, 10]])],
  LABEL_FALLBACK: [clean.replace("#L m1  det", "#L m1 det"), clean],
  SYNTHETIC_LABEL: [withTable(["m1", "det"], [[0, 10, 5]], 3), withTable(["m1", "det"], [[0, 10]])],
  MISSING_COLUMNS: [
    withTable(["m1", "det", "mon"], [[0, 10]], 2),
    withTable(["m1", "det"], [[0, 10]]),
  ],
  DUPLICATE_LABEL: [clean.replace("#L m1  det", "#L det  det"), clean],
  ROW_TOO_SHORT: [withTable(["m1", "det"], [[0, 10], [1]]), clean],
  ROW_TOO_LONG: [
    withTable(
      ["m1", "det"],
      [
        [0, 10],
        [1, 11, 12],
      ],
    ),
    clean,
  ],
  BROKEN_ROW: [
    withTable(["a", "b", "c"], [[0, 10, 5], [1, 11], [6], [2, 12, 7]]),
    withTable(
      ["a", "b", "c"],
      [
        [0, 10, 5],
        [1, 11, 6],
        [2, 12, 7],
      ],
    ),
  ],
  GLUED_COMMENT: [
    withTable(
      ["m1", "det"],
      [
        [0, 10],
        [1, "11#C Sun Sep 09 01:46:41 2001.  Scan aborted."],
      ],
    ),
    withTable(
      ["m1", "det"],
      [
        [0, 10],
        [1, "11\n#C Sun Sep 09 01:46:41 2001.  Scan aborted."],
      ],
    ),
  ],
  NON_NUMERIC_TOKEN: [withTable(["m1", "det"], [[0, "None"]]), withTable(["m1", "det"], [[0, 1]])],
  TEXT_LINE: [
    withTable(
      ["m1", "det"],
      [
        [0, 10],
        ["spectrum saved", "to disk"],
        [1, 11],
      ],
    ),
    withTable(
      ["m1", "det"],
      [
        [0, 10],
        [1, 11],
      ],
    ),
  ],
  FORTRAN_EXPONENT: [
    withTable(["m1", "det"], [[0, "1d3"]]),
    withTable(["m1", "det"], [[0, "1e3"]]),
  ],
  STRAY_LINE: [
    header() + scan(`1 2\n${table(["m1"], [[0]])}`),
    header() + scan(table(["m1"], [[0]])),
  ],
  P_O_MISMATCH: [header() + scan(table(["m1"], [[0]]), { p: "#P0 1 2 3\n" }), clean],
  // `Tab  rot` fills one of SPEC's 8-character fields, and `      m2` is one padded to 8.
  O_FIXED_WIDTH: [clean.replace("#O0 m1  m2", "#O0 Tab  rot        m2"), clean],
  O_SPLIT_AMBIGUOUS: [
    clean.replace("#O0 m1  m2", "#O0 Tab  rot        m2").replace("#P0 1 2", "#P0 1 2 3 4"),
    clean,
  ],
  P_WITHOUT_O: [`#F t.spec\n#E 1000000000\n${date}\n${scan(table(["m1"], [[0]]))}`, clean],
  O_FROM_EARLIER_HEADER: [
    `${clean}#E 1000000100\n${date}\n${scan("", { n: 2 })}`,
    `${clean}#E 1000000100\n${date}#O0 m1  m2\n\n${scan("", { n: 2 })}`,
  ],
  V_H_MISMATCH: [header("#H0 a  b") + scan("#V0 1\n"), header("#H0 a  b") + scan("#V0 1 2\n")],
  MCA_ROW_MISMATCH: [mca(3), mca(2)],
  MCA_BAD_VALUE: [mca(2, "1 x 3"), mca(2)],
  MCA_CHANNELS_MISMATCH: [mca(2, "1 2 3 4"), mca(2)],
  MCA_UNTERMINATED: [mca(2).replace("@A 1 2 3\n1 11", "@A 1 2 3\\\n#C x\n1 11"), mca(2)],
  MCA_DEVICE_UNWRITTEN: [mca(2).replace("#@MCA 16C", "#@MCA 16C\n#@ketek %25C"), mca(2)],
  POSSIBLY_TRUNCATED: [
    header() + scan(table(["m1"], [[0]])) + scan(table(["m1"], [[0], [1]])),
    header() + scan(table(["m1"], [[0]])) + scan(table(["m1"], [[0], [1]]), { n: 2 }),
  ],
  INVALID_UXML: [header() + scan("#UXML <group>\n"), header() + scan("#UXML <group></group>\n")],
  BAD_MD_LINE: [bluesky().replace("#MD purpose = test", "#MD purpose"), bluesky()],
  NO_SCANS: [header(), clean],
  MNEMONIC_MISMATCH: [header("#o0 m1") + scan(""), header("#o0 m1 m2") + scan("")],
  BLUESKY_NO_UID: [bluesky({ uid: false }), bluesky()],
  BLUESKY_EVENT_COUNT: [bluesky({ events: 3 }), bluesky()],
  BLUESKY_EXIT_STATUS: [bluesky({ status: "abort" }), bluesky()],
};

describe("every rule, triggered and not", () => {
  test("the table covers every rule but INTERNAL (a specx bug, which no text should trigger)", async () => {
    const rules = JSON.parse((await run(["rules", "--json"])).stdout) as { code: string }[];
    expect(Object.keys(ruleCases).sort()).toEqual(
      rules
        .map((rule) => rule.code)
        .filter((code) => code !== "INTERNAL")
        .sort(),
    );
  });

  test.each(Object.entries(ruleCases))("%s", async (code, [bad, good]) => {
    expect((await findingsOf(bad)).map((d) => d.code)).toContain(code);
    expect((await findingsOf(good)).map((d) => d.code)).not.toContain(code);
    // The fixed texts are clean: no finding of any code.
    expect(await findingsOf(good)).toEqual([]);
  });
});

describe("the corpus", () => {
  test(
    "the folder: known defects listed, exit 1 for the two lost bluesky events only",
    slow,
    async () => {
      const { status, stdout, stderr } = await run(["validate", corpusDir(), "--all"]);
      expect(status).toBe(1);
      const lines = stdout.trimEnd().split("\n");
      const parsed = lines.map((line) => textLine.exec(line));
      expect(parsed.every((match) => match !== null)).toBe(true);
      const findings = parsed.map((m) => ({
        file: relative(corpusDir(), m?.[1] ?? ""),
        line: Number(m?.[2]),
        severity: m?.[3],
        code: m?.[4],
        message: m?.[5] ?? "",
      }));
      const of = (file: string, code: string) =>
        findings.filter((f) => f.file === file && f.code === code);
      const scanKeys = (file: string, code: string) =>
        of(file, code).map((f) => /\[scan (\S+)\]$/.exec(f.message)?.[1]);

      // The only errors: 05_02's failed runs 105.1 and 1.17 declare 1 primary event, hold 0 rows.
      expect(findings.filter((f) => f.severity === "error")).toMatchObject([
        { file: "05_02_test.dat", line: 1014, code: "BLUESKY_EVENT_COUNT" },
        { file: "05_02_test.dat", line: 1422, code: "BLUESKY_EVENT_COUNT" },
      ]);
      // §11: the 11 FlyScans of 02_03 (#N 16, 17 labels); 05_02's #N = row count in 38 scans.
      expect(scanKeys("02_03_setup.dat", "N_L_MISMATCH")).toEqual(
        ["5", "10", "11", "16", "24", "29", "30", "35", "40", "41", "46"].map((n) => `${n}.1`),
      );
      expect(of("05_02_test.dat", "N_L_MISMATCH").length).toBe(38);
      expect(new Set(scanKeys("05_02_test.dat", "NON_NUMERIC_TOKEN"))).toEqual(
        new Set(["1.6", "1.7", "1.8", "1.9", "1.16"]),
      );
      // §11: more spectra than rows in 55 scans of 33id, 26.1 (124 for 121) and 49.1 among them.
      expect(of("33id_spec.dat", "MCA_ROW_MISMATCH").length).toBe(55);
      expect(scanKeys("33id_spec.dat", "MCA_ROW_MISMATCH")).toEqual(
        expect.arrayContaining(["26.1", "49.1"]),
      );
      expect(of("33id_spec.dat", "MCA_ROW_MISMATCH")[0]?.message).toMatch(/^\d+ spectra for/);
      // Duplicate I0 in every 33id scan; info, listed with --all.
      expect(of("33id_spec.dat", "DUPLICATE_LABEL")).toHaveLength(106);
      expect(of("33id_spec.dat", "DUPLICATE_LABEL")[0]?.severity).toBe("info");
      // §11: #N 7 with 6 single-space labels; 98 names for 100 #P values; invalid UXML.
      expect(of("issue216_scan1.spec", "N_L_MISMATCH")).toHaveLength(1);
      expect(of("issue216_scan1.spec", "SYNTHETIC_LABEL")).toHaveLength(1);
      expect(of("issue216_scan1.spec", "LABEL_FALLBACK")).toHaveLength(1);
      expect(of("issue64_data.txt", "P_O_MISMATCH")[0]?.message).toContain("#P12 has 4 values");
      expect(of("test_3_error.spec", "INVALID_UXML")).toHaveLength(1);
      // §11: the spock file has no header; scan 4.1 of the apstools 1.6 file was aborted (line 89).
      expect(of("issue161_spock_spec_file", "NO_HEADER")).toHaveLength(1);
      expect(of("20220311-161530.dat", "BLUESKY_EXIT_STATUS")).toMatchObject([{ line: 89 }]);
      expect(stderr).toMatch(/^26 files, 2 errors, \d+ warnings, \d+ info\n$/);
    },
  );

  test.each([
    "33bm_spec.dat",
    "lmn40.spe",
    "test_4.spec",
    "JL124_1.spc",
    "YSZ011_ALDITO_Fe2O3_planar_fired_1.spc",
    "issue82_data.txt",
    "test_3.spec",
    "issue196_data2.txt",
  ])("clean %s: exit 0, nothing listed", async (name) => {
    const { status, stdout, stderr } = await run(["validate", corpusPath(name), "--strict"]);
    expect([status, stdout, stderr]).toEqual([0, "", "1 file, 0 errors, 0 warnings, 0 info\n"]);
  });

  test("only info findings: exit 0, hidden without --all, listed with it", async () => {
    const plain = await run(["validate", corpusPath("user6idd.dat"), "--strict"]);
    expect([plain.status, plain.stdout]).toEqual([0, ""]);
    expect(plain.stderr).toBe(
      "1 file, 0 errors, 0 warnings, 18 info (not shown; --all shows them)\n",
    );
    const all = await run(["validate", corpusPath("user6idd.dat"), "--all"]);
    expect(all.stdout.trimEnd().split("\n")).toHaveLength(18);
    expect(all.stdout).toContain(": info LABEL_FALLBACK ");
  });

  test("fixtures (docs/spec-format.md §12): the truncated copy, the broken row and the glued comment", async () => {
    const truncated = await findingsOf(readFileSync(fixturePath("truncated_duplicate.spec")));
    expect(truncated.filter((d) => d.code === "POSSIBLY_TRUNCATED")).toMatchObject([
      { scan: "2.1", severity: "warning" },
    ]);
    const broken = await run(["validate", fixturePath("broken_row_glued_comment.spec")]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/:\d+: error BROKEN_ROW /);
    expect(broken.stdout).toMatch(/:\d+: warning GLUED_COMMENT /);
  });
});

describe("options", () => {
  test("--strict: a warning fails", async () => {
    const file = corpusPath("20220311-161530.dat");
    expect((await run(["validate", file])).status).toBe(0);
    const strict = await run(["validate", file, "--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe(
      `${file}:89: warning BLUESKY_EXIT_STATUS bluesky run ended with exit_status = abort [scan 4.1]\n`,
    );
  });

  test("results in the order of the arguments, whatever order the work finishes in", async () => {
    const names = ["issue64_data.txt", "33id_spec.dat", "issue216_scan1.spec"];
    const { stdout } = await run(["validate", ...names.map(corpusPath), "--format", "json"]);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.files.map((f) => f.file)).toEqual(names.map(corpusPath));
    expect(report.files.map((f) => f.scans)).toEqual([1, 106, 1]);
    const counted = report.files.flatMap((f) => f.diagnostics);
    expect(report.summary).toEqual({
      files: 3,
      errors: 0,
      warnings: counted.filter((d) => d.severity === "warning").length,
      info: counted.filter((d) => d.severity === "info").length,
    });
    // JSON carries info findings too (33id's 106 duplicate I0 labels).
    expect(counted.filter((d) => d.code === "DUPLICATE_LABEL")).toHaveLength(106);
  });

  test("standard input is named <stdin>", async () => {
    const { stdout } = await run(["validate", "-"], new TextEncoder().encode(header()));
    expect(stdout).toBe("<stdin>: warning NO_SCANS no #S line: the file holds no scan\n");
  });

  test("-o FILE writes the report there and nothing to standard output", async () => {
    const out = join(scratch, "report.sarif");
    const result = await run([
      "validate",
      corpusPath("issue64_data.txt"),
      "--format",
      "sarif",
      "-o",
      out,
    ]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "", ""]);
    expect(JSON.parse(readFileSync(out, "utf8")).version).toBe("2.1.0");
  });

  test("colour on a terminal only: the severity word", async () => {
    const output = async (tty: boolean, env: Record<string, string> = {}) =>
      (
        await run(["validate", corpusPath("issue64_data.txt")], undefined, {
          stdoutIsTTY: tty,
          env,
        })
      ).stdout;
    expect(await output(true)).toContain(":50: \x1b[33mwarning\x1b[0m P_O_MISMATCH ");
    expect(await output(false)).not.toContain("\x1b[");
    expect(await output(true, { NO_COLOR: "1" })).not.toContain("\x1b[");
  });
});

/** Standard error of `specx ...args` when it is a terminal, escapes and CRs made visible. */
async function terminalStderr(args: string[]): Promise<string> {
  const { stderr } = await run(args, undefined, { stderrIsTTY: true });
  return stderr.replaceAll("\x1b", "<ESC>").replaceAll("\r", "<CR>");
}

test("a progress bar on a terminal's standard error, cleared before the summary", async () => {
  const names = ["issue64_data.txt", "issue82_data.txt"];
  const shown = await terminalStderr(["validate", ...names.map(corpusPath)]);
  expect(shown).toMatch(
    /^<CR><ESC>\[2K\[#{12} {12}\] 1\/2 .*issue64_data\.txt<CR><ESC>\[2K\[#{24}\] 2\/2 /,
  );
  expect(shown).toMatch(/issue82_data\.txt<CR><ESC>\[2K2 files, 0 errors, 1 warning, 0 info\n$/);
});

test("a single large file gets a bar over its scans; a small one gets none", async () => {
  const stderrOf = (name: string) => terminalStderr(["validate", corpusPath(name)]);
  // lmn40.spe holds 262 scans: the bar counts them, then is cleared before the summary.
  const large = await stderrOf("lmn40.spe");
  expect(large).toContain("] 2/262 scans ");
  expect(large).toMatch(/\[#{24}\] 262\/262 scans .*lmn40\.spe<CR><ESC>\[2K1 file, /);
  expect(await stderrOf("issue64_data.txt")).not.toContain("<CR>");
});

describe("SARIF", () => {
  test("2.1.0 with every rule, and a result per finding with rule, level, file and line", async () => {
    const file = relative(process.cwd(), corpusPath("05_02_test.dat"));
    const { status, stdout } = await run(["validate", file, "--format", "sarif"]);
    expect(status).toBe(1);
    const log = JSON.parse(stdout);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    const [sarifRun] = log.runs;
    const driver = sarifRun.tool.driver;
    expect([driver.name, driver.version]).toEqual(["specx", "0.1.0"]);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const rules = JSON.parse((await run(["rules", "--json"])).stdout);
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(
      rules.map((r: { code: string }) => r.code),
    );
    const levelOf = { error: "error", warning: "warning", info: "note" } as Record<string, string>;
    driver.rules.forEach((rule: Record<string, { text?: string; level?: string }>, i: number) => {
      expect(rule.shortDescription?.text).toBe(rules[i].description);
      expect(rule.defaultConfiguration?.level).toBe(levelOf[rules[i].severity]);
    });

    // 38 N_L_MISMATCH, 8 None tokens, and the two failed runs (count error + exit status).
    const results = sarifRun.results;
    expect(results).toHaveLength(38 + 8 + 4);
    for (const result of results) {
      expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(["error", "warning", "note"]).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uri).toBe(file);
      expect(location.region.startLine).toBeGreaterThan(0);
    }
    expect(results.find((r: { level: string }) => r.level === "error")).toMatchObject({
      ruleId: "BLUESKY_EVENT_COUNT",
      locations: [{ physicalLocation: { region: { startLine: 1014 } } }],
      properties: { scan: "105.1" },
    });
  });

  test("a finding about the whole file has no region; standard input is 'stdin'", async () => {
    const { stdout } = await run(
      ["validate", "-", "--format", "sarif"],
      new TextEncoder().encode(header()),
    );
    const [result] = JSON.parse(stdout).runs[0].results;
    expect(result.ruleId).toBe("NO_SCANS");
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "stdin" } });
  });
});

describe("specx rules", () => {
  test("every code with the severity the parser's README gives it, aligned", async () => {
    const readme = readFileSync(new URL("../../spec-parser/README.md", import.meta.url), "utf8");
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \| (error|warning|info) \|/gm)].map(
      (m) => [m[1], m[2]],
    );
    const { status, stdout } = await run(["rules"]);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.map((line) => line.split(/\s+/).slice(0, 2))).toEqual(documented);
    // Aligned: every severity starts in the same column, and so does every description.
    expect(new Set(lines.map((line) => line.search(/ (error|warning|info) /))).size).toBe(1);
    expect(new Set(lines.map((line) => line.search(/ {2}[A-Z#'@]\S* /))).size).toBe(1);
  });

  test("--json: code, severity and description", async () => {
    const rules = JSON.parse((await run(["rules", "--json"])).stdout);
    expect(rules.find((r: { code: string }) => r.code === "BLUESKY_EVENT_COUNT")).toEqual({
      code: "BLUESKY_EVENT_COUNT",
      severity: "error",
      description: expect.stringContaining("num_events_primary"),
    });
  });
});

describe("bad usage and I/O errors: one line on stderr, exit 2", () => {
  const textFolder = join(scratch, "notes");
  const binary = join(scratch, "image.spec");
  test.each([
    [
      ["validate", corpusPath("lmn40.spe"), "--format", "xml"],
      /^error: option '--format <format>' argument 'xml' is invalid/,
    ],
    [["validate"], /^error: missing required argument 'paths'\n$/],
    [["validate", "/no/such.spec"], /^specx: cannot read \/no\/such\.spec: no such file\n$/],
    [
      ["validate", corpusPath("lmn40.spe"), "/no/such.spec"],
      /^specx: cannot read \/no\/such\.spec: no such file\n$/,
    ],
    [["validate", textFolder], /^specx: no SPEC files in folder .*notes\n$/],
    [["validate", binary], /^specx: .*image\.spec is not a text file\n$/],
    [["rules", "--bogus"], /^error: unknown option '--bogus'/],
  ])("%j", async (args, message) => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(textFolder, { recursive: true });
    writeFileSync(join(textFolder, "readme.txt"), "no SPEC here\n");
    writeFileSync(binary, new Uint8Array([0x23, 0x46, 0x20, 0x00, 0x01, 0x02, 0x0a]));
    const result = await run(args as string[]);
    expectUsageError(result, message as RegExp);
    expect(result.stdout).toBe("");
  });

  test("--help shows examples", async () => {
    expect((await run(["validate", "--help"])).stdout).toContain("Examples:\n  specx validate");
    expect((await run(["rules", "--help"])).stdout).toContain("Examples:\n  specx rules");
  });
});

describe("the real binary (worker threads)", () => {
  test("the corpus folder gives the in-process report, file for file, in order", slow, async () => {
    const real = spawnSync(process.execPath, [bin, "validate", corpusDir(), "--format", "json"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(real.status).toBe(1);
    expect(real.stderr).toBe("");
    const inProcess = await run(["validate", corpusDir(), "--format", "json"]);
    expect(JSON.parse(real.stdout)).toEqual(JSON.parse(inProcess.stdout));
    expect((JSON.parse(real.stdout) as JsonReport).files).toHaveLength(26);
  });

  test("a missing file among others: one line, exit 2", () => {
    const real = spawnSync(
      process.execPath,
      [bin, "validate", corpusPath("lmn40.spe"), "/no/such.spec", corpusPath("CdOsO")],
      { encoding: "utf8" },
    );
    expect([real.status, real.stdout, real.stderr]).toEqual([
      2,
      "",
      "specx: cannot read /no/such.spec: no such file\n",
    ]);
  });
});
