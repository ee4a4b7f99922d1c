/** Public API details: column lookup, string input, and a core free of Node APIs. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse, printText } from "../src/index.js";

describe("columns", () => {
  test("duplicate labels are addressable by alias; a label finds its first column", () => {
    const scan = parse("#S 1 ct\n#L I0  det  I0\n1 2 3\n4 5 6\n").scanAt(0);
    expect(scan?.labels).toEqual(["I0", "det", "I0"]);
    expect(Array.from(scan?.column("I0") ?? [])).toEqual([1, 4]);
    expect(Array.from(scan?.column("I0_1") ?? [])).toEqual([3, 6]);
    expect(scan?.column("nothing")).toBeUndefined();
  });
});

describe("string input", () => {
  test("printText gives back the string, BOM and mixed line ends included", () => {
    const text = "\uFEFF#F x\r\n#E 1\n#C 25°C\r#S 1 a\n1 2";
    expect(printText(parse(text))).toBe(text);
  });
});

describe("the core runs outside Node", () => {
  test("no source file but src/node.ts imports a Node module or uses process/Buffer", () => {
    const root = fileURLToPath(new URL("../src/", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [path];
      });
    const offenders = files(root)
      .filter((path) => !path.endsWith(`${join("src", "node.ts")}`))
      .filter((path) =>
        /from "node:|require\(|\bprocess\.|\bBuffer\b/.test(readFileSync(path, "utf8")),
      );
    expect(offenders).toEqual([]);
  });
});

describe("bounded memory: interpreted scans are kept only while recent", () => {
  // Scan 1.1 is cut short; 1.2 repeats its #S line and date with more rows. Twelve more scans
  // push 1.1 out of the cache.
  const filler = Array.from(
    { length: 12 },
    (_, i) => `#S ${i + 2}  ct 1\n#D Mon Jan 01 00:00:00 2024\n#L a  b\n${i} 1\n`,
  ).join("\n");
  const text = [
    "#F x\n#E 1700000000\n#D Mon Jan 01 00:00:00 2024\n",
    "#S 1  ascan m 0 1 2 1\n#D Mon Jan 01 00:00:00 2024\n#L m  det\n0 1\n",
    "#S 1  ascan m 0 1 2 1\n#D Mon Jan 01 00:00:00 2024\n#L m  det\n0 1\n0.5 2\n1 3\n",
    filler,
  ].join("\n");

  test("a scan read again after others is interpreted again, with its findings", () => {
    const file = parse(text);
    const first = file.scanAt(0);
    expect(first?.diagnostics.map((d) => d.code)).toContain("POSSIBLY_TRUNCATED");
    for (let i = 1; i < file.scanCount; i++) file.scanAt(i);
    const again = file.scanAt(0);
    expect(again).not.toBe(first);
    expect(again?.diagnostics.map((d) => d.code)).toEqual(first?.diagnostics.map((d) => d.code));
    expect(Array.from(again?.data.columns[1] ?? [])).toEqual([1]);
  });

  test("every function on a scan is shared by all scans", () => {
    // A function made per scan and stored on it kept every dead scan alive through V8's young
    // collections (src/model/scan.ts, withAccessors): reading a large file promoted a third of
    // what it allocated, and its peak memory grew with the file.
    const file = parse(text);
    const functionsOf = (scan: object) =>
      Object.entries(Object.getOwnPropertyDescriptors(scan)).flatMap(([key, property]) =>
        [property.value, property.get]
          .filter((value) => typeof value === "function")
          .map((value) => [key, value] as const),
      );
    const a = functionsOf(file.scanAt(2) as object);
    const b = functionsOf(file.scanAt(3) as object);
    expect(a.map(([key]) => key).sort()).toEqual(["column", "control", "lines"]);
    expect(b).toEqual(a);
    for (const [index, [, value]] of a.entries()) expect(b[index]?.[1]).toBe(value);
    // They read the scan through `this`, on a copy of it too.
    const scan = file.scanAt(3);
    const copy = { ...scan } as typeof scan;
    expect(copy?.control("L")).toEqual(scan?.control("L"));
    expect(Array.from(copy?.column("a") ?? [])).toEqual([1]);
    expect(copy?.lines).toEqual(scan?.lines);
  });

  test("a scan read twice in a row is the same object", () => {
    const file = parse(text);
    expect(file.scanAt(3)).toBe(file.scanAt(3));
    expect(file.scan("1.2")).toBe(file.scanAt(1));
  });

  test("scans of many numbers are not kept beside the one read last", () => {
    // Two scans of 400 spectra of 1,024 channels each: more numbers than the cache keeps.
    const spectrum = `@A ${Array.from({ length: 1024 }, (_, i) => i % 97).join(" ")}\n`;
    const scan = (n: number) =>
      `#S ${n}  ct 1\n#L a  b\n${Array.from({ length: 400 }, (_, i) => `${i} 1\n${spectrum}`).join("")}`;
    const file = parse(`${scan(1)}\n${scan(2)}`);
    const first = file.scanAt(0);
    expect(first?.mca?.spectra.length).toBe(400);
    expect(file.scanAt(0)).toBe(first);
    file.scanAt(1);
    const again = file.scanAt(0);
    expect(again).not.toBe(first);
    expect(Array.from(again?.mca?.spectra[399]?.values ?? [])).toEqual(
      Array.from(first?.mca?.spectra[399]?.values ?? []),
    );
  });
});
