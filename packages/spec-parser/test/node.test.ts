/** `openSpec` on disk: lazy scans by key, number and position, and `refresh` of a growing file. */

import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  corpusBytes,
  corpusFiles,
  corpusPath,
  fixtureFiles,
  fixturesDir,
} from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { parse as parseWithWebApis } from "../src/index.js";
import { openSpec, parse, print } from "../src/node.js";
import { expectSameBytes } from "./helpers.js";

const read = corpusBytes;
const scratch = () => mkdtempSync(join(tmpdir(), "specx-"));

/** A comparable view of a whole file model. */
function view(file: ReturnType<typeof parse>) {
  return {
    keys: file.scanEntries.map((e) => [e.key, e.line, e.headerIndex]),
    scans: file.scans.map((s) => ({
      key: s.key,
      labels: s.labels,
      rows: s.data.rows,
      columns: s.data.columns.map((c) => Array.from(c)),
      positioners: s.positioners,
      diagnostics: s.diagnostics,
    })),
    headers: file.headers.map((h) => [h.line, h.epoch]),
    diagnostics: file.diagnostics,
  };
}

describe("openSpec", () => {
  test("finds scans by key, number and position, the same as parse", () => {
    const file = openSpec(corpusPath("CdOsO"));
    expect(file.scanCount).toBe(74);
    expect(file.scan("1.2")?.command).toBe("ascan  herixE -1.00571 18.9943  20 30");
    expect(file.scan(1)?.key).toBe("1.1");
    expect(file.scanAt(48)?.key).toBe("1.2");
    expect(file.scanBySpec2nexusKey("1.1")?.key).toBe("1.2");
    expect(file.scan("99.1")).toBeUndefined();
    expect(view(file)).toEqual(view(parse(read("CdOsO"))));
    expectSameBytes(print(file), read("CdOsO"));
  });

  test("reads in small chunks with the same result (chunks end before #S lines)", () => {
    const dir = scratch();
    const path = join(dir, "lmn40.spe");
    copyFileSync(corpusPath("lmn40.spe"), path);
    const whole = parse(read("lmn40.spe"));
    const file = openSpec(path, { chunkBytes: 5000 });
    expect(view(file)).toEqual(view(whole));
  });

  test.each(["issue216_scan1.spec", "refresh2.txt", "user6idd.dat", "test_3.spec"])(
    "%s: any chunk size gives the same model",
    (name) => {
      const whole = view(parse(read(name)));
      for (const chunkBytes of [1, 7, 100, 1000]) {
        expect(view(openSpec(corpusPath(name), { chunkBytes }))).toEqual(whole);
      }
    },
  );

  // Chunks also end between two data lines: every fixture (CRLF, CR-only, MCA continuations,
  // broken and wrapped rows, headers) must read the same at any chunk size.
  test.each(fixtureFiles())(
    "fixture $name: any chunk size gives the same model",
    ({ name, bytes }) => {
      const path = join(fixturesDir, name);
      const whole = view(parse(bytes));
      for (const chunkBytes of [1, 5, 13, 64, 200, 4096]) {
        expect(view(openSpec(path, { chunkBytes }))).toEqual(whole);
      }
    },
  );

  test("an I/O error throws with the path in the message", () => {
    expect(() => openSpec("/no/such/file.spec")).toThrow(
      /cannot read SPEC file \/no\/such\/file\.spec/,
    );
  });
});

describe("refresh", () => {
  test("refresh1 + refresh2 + refresh3: scan 3 grows in place, nothing is duplicated", () => {
    const path = join(scratch(), "growing.spec");
    writeFileSync(path, read("refresh1.txt"));
    const file = openSpec(path);
    expect(file.scans.map((s) => [s.key, s.data.rows])).toEqual([
      ["1.1", 3],
      ["2.1", 3],
      ["3.1", 3],
    ]);

    appendFileSync(path, read("refresh2.txt"));
    const second = file.refresh();
    expect(second).toMatchObject({
      changed: true,
      added: ["4.1", "5.1"],
      updated: ["3.1"],
      reset: false,
    });
    expect(file.byteLength).toBe(4013);
    expect(file.scans.map((s) => [s.key, s.data.rows])).toEqual([
      ["1.1", 3],
      ["2.1", 3],
      ["3.1", 9],
      ["4.1", 4],
      ["5.1", 8],
    ]);
    expect(view(file)).toEqual(view(parse(readFileSync(path))));
    expect(file.refresh()).toMatchObject({ changed: false, added: [], updated: [] });

    appendFileSync(path, read("refresh3.txt"));
    expect(file.refresh()).toMatchObject({ changed: true, added: ["6.1"] });
    expect(view(file)).toEqual(view(parse(readFileSync(path))));
    // refresh2 and refresh3 rely on refresh1's #O0 header.
    expect(file.scan("6.1")?.positioners.length).toBe(8);
  });

  test("a partial last line is pending and read again when it is complete", () => {
    const path = join(scratch(), "partial.spec");
    writeFileSync(
      path,
      "#F x\n#E 1\n#O0 m\n\n#S 1 ascan m 0 1 2 1\n#D Tue Mar 04 10:00:00 2014\n#P0 1\n#N 2\n#L m  det\n0 10\n0.5 1",
    );
    const file = openSpec(path);
    expect(file.refresh().pending).toBe("0.5 1");
    appendFileSync(path, "1\n1 12\n");
    const report = file.refresh();
    expect(report).toMatchObject({ changed: true, updated: ["1.1"], pending: null });
    expect(Array.from(file.scan("1.1")?.data.columns[1] ?? [])).toEqual([10, 11, 12]);
    expect(view(file)).toEqual(view(parse(readFileSync(path))));
  });

  test("a file that shrank is indexed again from the start", () => {
    const path = join(scratch(), "rewritten.spec");
    writeFileSync(path, read("refresh1.txt"));
    const file = openSpec(path);
    writeFileSync(path, read("issue196_data.txt"));
    expect(file.refresh()).toMatchObject({ changed: true, reset: true, added: ["108.1"] });
    expect(view(file)).toEqual(view(parse(read("issue196_data.txt"))));
  });
});

describe("Node's fast byte decoding", () => {
  const inputs: [string, Uint8Array][] = [...corpusFiles(), ...fixtureFiles()].map(
    ({ name, bytes }): [string, Uint8Array] => [name, bytes],
  );

  test.each(inputs)("%s reads the same as the core's web-API decoding", (_, bytes) => {
    const fast = parse(bytes);
    const portable = parseWithWebApis(bytes);
    expect(view(fast)).toEqual(view(portable));
    expectSameBytes(print(fast), bytes);
  });

  test("Latin-1 and UTF-8 bytes come out the same both ways", () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("#F x\n#S 1  ct\n#C caf\u00e9 \u00b5m\n"),
      ...[0x23, 0x43, 0x20, 0xe9, 0x74, 0xe9, 0x0a], // "#C été" in Latin-1
      ...new TextEncoder().encode("#L a  b\n1 2\n"),
    ]);
    expect(view(parse(bytes))).toEqual(view(parseWithWebApis(bytes)));
    expect(
      parse(bytes)
        .scanAt(0)
        ?.comments.map((c) => c.text),
    ).toEqual(["café µm", "été"]);
  });
});

describe("FileSource", () => {
  test("keeps one descriptor; after close() a read opens the file again", () => {
    const path = join(scratch(), "a.spec");
    copyFileSync(corpusPath("issue119_data.txt"), path);
    const file = openSpec(path);
    file.close();
    // Scans are read after the close: the source opens the file again.
    expect(file.scanAt(0)?.data.rows).toBeGreaterThan(0);
    file.close();
    file.close();
  });
});

describe("start-up", () => {
  test("Node loads chevrotain's single-module build, not its 600-module package entry", () => {
    // Run by Node itself: the test runner's own module loader may not offer import.meta.resolve.
    const module = new URL("../dist/parse/chevrotain.js", import.meta.url).href;
    const output = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import("${module}").then((m) => console.log(m.chevrotainBuild))`,
      ],
      { encoding: "utf8" },
    );
    expect(output.trim()).toBe("single-module");
  });
});
