/**
 * Files that spec2nexus gets wrong or refuses (packages/nexus/test/fixtures): non-ASCII text, a
 * scan it would reject (a row with an extra value, `#X` without `#G`, `#V` without `#H`, a broken
 * `#UXML`), a date that it renders in the local time zone. Each converts, says the right thing,
 * and gives the same file under any `TZ`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { convertFile } from "@specx/nexus/node";
import { corpusPath, pythonInterpreter, sharedPath } from "@specx/test-support";
import { describe, expect, it } from "vitest";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixture = (name: string) => join(fixtures, name);

interface DumpNode {
  path: string;
  kind: string;
  dtype?: string;
  shape?: number[];
  value?: unknown;
  attrs?: Record<string, { dtype: string; shape: number[]; value: unknown }>;
}

/** The file's tree as dump_tree.py (h5py) reads it, by path; volatile root attributes dropped. */
function dump(h5: string): Map<string, DumpNode> {
  const out = join(dirname(h5), `${Date.now()}-${Math.random()}.json`);
  const run = spawnSync(
    pythonInterpreter(),
    [sharedPath("nexus-reference/dump_tree.py"), h5, "-o", out],
    {
      encoding: "utf8",
    },
  );
  expect(run.stderr).toBe("");
  const nodes = (JSON.parse(readFileSync(out, "utf8")) as { nodes: DumpNode[] }).nodes;
  return new Map(nodes.map((node) => [node.path, node]));
}

async function convert(input: string, compat: boolean): Promise<Map<string, DumpNode>> {
  const output = join(mkdtempSync(join(tmpdir(), "specx-nexus-fixture-")), "out.h5");
  await convertFile(input, output, compat ? { compat: "spec2nexus" } : {});
  return dump(output);
}

describe("non-ASCII text", () => {
  it("is written as UTF-8, names and values", async () => {
    const tree = await convert(fixture("utf8_text.spec"), false);
    const root = tree.get("/")?.attrs ?? {};
    expect(root.SPEC_comments?.value).toBe("Échantillon café, 5 µm, Ångström  User = Zoë");
    expect(root.SPEC_user?.value).toBe("Zoë");
    const comments = tree.get("/S1/comments");
    expect(comments).toMatchObject({ dtype: "vlen-str/utf-8", shape: [] });
    expect(comments?.value).toBe("mesure à 20 °C\nfin du scan: 3 points");
    expect(tree.get("/S1/title")?.value).toBe("1  ascan  Théta 0 1  2 0.1");
    expect(tree.get("/S1/data/Intensité")?.value).toEqual([10, 20, 15]);
    expect(tree.get("/S1/data/Intensité")?.attrs?.spec_name?.value).toBe("Intensité");
    expect(tree.get("/S1/instrument/positioners/Théta/name")?.value).toBe("Théta");
    expect(tree.get("/S1/instrument/positioners/Théta/value")?.value).toBe(1.5);
    expect(tree.get("/S1/instrument/positioners/two_theta/name")?.value).toBe("two theta");
  });

  it("is dropped from dataset strings with --compat spec2nexus, as spec2nexus does", async () => {
    const tree = await convert(fixture("utf8_text.spec"), true);
    const comments = tree.get("/S1/comments");
    expect(comments).toMatchObject({ dtype: "vlen-str/ascii", shape: [1] });
    expect(comments?.value).toEqual(["mesure  20 C\nfin du scan: 3 points"]);
    // Attributes are UTF-8 in spec2nexus too (h5py's default for `str`).
    expect(tree.get("/")?.attrs?.SPEC_user?.value).toBe("Zoë");
  });
});

describe("a file spec2nexus refuses", () => {
  it.each([false, true])(
    "converts scan by scan, its problems recorded (compat %s)",
    async (compat) => {
      const tree = await convert(fixture("rejected_by_spec2nexus.spec"), compat);
      // Scan 1: the row with an extra value is kept, its value dropped from the table.
      expect(tree.get("/S1/data/det")?.value).toEqual([10, 20, 15]);
      const findings1 = JSON.stringify(tree.get("/S1/diagnostics")?.value);
      expect(findings1).toContain("line 14: error ROW_TOO_LONG");
      // Scan 2: `#V` without `#H` and a broken `#UXML` are reported; the data is there.
      expect(tree.get("/S2/data/tth")?.value).toEqual([0, 1]);
      const findings2 = JSON.stringify(tree.get("/S2/diagnostics")?.value);
      expect(findings2).toContain("V_H_MISMATCH");
      expect(findings2).toContain("line 24: warning INVALID_UXML");
      expect(tree.get("/")?.attrs?.default?.value).toBe("S1");
    },
  );
});

describe("the time zone", () => {
  /** Converts in a child process run with the given TZ; returns the dump. */
  function convertUnder(tz: string, input: string): Map<string, DumpNode> {
    const output = join(mkdtempSync(join(tmpdir(), `specx-nexus-tz-`)), "out.h5");
    const script = `import { convertFile } from "@specx/nexus/node"; await convertFile(${JSON.stringify(input)}, ${JSON.stringify(output)});`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, TZ: tz },
      cwd: dirname(fileURLToPath(import.meta.url)),
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return dump(output);
  }

  it("renders an epoch #D in UTC, and writes no @SPEC_epoch without #E", async () => {
    const tree = await convert(fixture("epoch_date.spec"), false);
    expect(tree.get("/S1/date")?.value).toBe("2023-11-14T22:13:20Z");
    expect(tree.get("/")?.attrs?.SPEC_epoch).toBeUndefined();
    expect(tree.get("/")?.attrs?.SPEC_date?.value).toBe("2023-11-14T22:13:20Z");
  });

  it.each([
    fixture("epoch_date.spec"),
    fixture("utf8_text.spec"),
    fixture("rejected_by_spec2nexus.spec"),
    corpusPath("refresh2.txt"),
    corpusPath("issue161_spock_spec_file"),
  ])("does not change the file: %s", (input) => {
    const utc = convertUnder("UTC", input);
    const chicago = convertUnder("America/Chicago", input);
    expect([...chicago.values()]).toEqual([...utc.values()]);
  });
});
