/**
 * `specx plot`: the chart of a corpus scan checked as an image. The SVG must be well-formed XML
 * (a small checker here, and Python's ElementTree when present) with the axis labels, one
 * series path per y column whose points follow the file's numbers; the PNG is decoded here
 * (node:zlib and the PNG filters, not the renderer) and must hold a picture and drawn text.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { corpusPath, pythonHas, pythonInterpreter } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { niceTicks, renderSvg } from "../src/chart.js";
import { svgToPng } from "../src/png.js";
import { expectUsageError, runSpecx as run } from "./run-specx.js";

const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const outDir = () => mkdtempSync(join(tmpdir(), "specx-plot-"));

/** Scan 1.1 of 33bm_spec.dat as the file's text has it: the #L labels and the data rows. */
function scan33bm(): { labels: string[]; rows: number[][] } {
  const text = readFileSync(corpusPath("33bm_spec.dat"), "latin1");
  const block = text.slice(text.indexOf("#S 1 "), text.indexOf("#S 2 "));
  const lines = block.split("\n");
  const labels = (lines.find((l) => l.startsWith("#L ")) as string).slice(3).split(/ {2,}/);
  const rows = lines
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => l.trim().split(/\s+/).map(Number));
  return { labels, rows };
}

// --- A minimal XML well-formedness check: tags nest and close, attributes are quoted, entities
// are known, nothing but markup and text. Enough to catch a broken renderer.

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  const decode = (raw: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) {
      throw new Error(`bad entity in ${JSON.stringify(raw.slice(0, 40))}`);
    }
    return raw
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&");
  };
  const token =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const match of source.matchAll(token)) {
    const [whole, closing, opening, attributeText, selfClosing, text, stray] = match;
    const top = stack[stack.length - 1] as XmlElement;
    if (stray)
      throw new Error(
        `stray '<' at ${match.index}: ${source.slice(match.index, match.index + 40)}`,
      );
    if (text !== undefined) {
      if (stack.length === 1 && text.trim() !== "") throw new Error("text outside the root");
      top.text += decode(text);
    } else if (closing) {
      if (top.name !== closing) throw new Error(`</${closing}> closes <${top.name}>`);
      stack.pop();
    } else if (opening) {
      const attributes: Record<string, string> = {};
      for (const a of (attributeText ?? "").matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const name = a[1] as string;
        if (name in attributes) throw new Error(`attribute ${name} twice`);
        attributes[name] = decode(a[2] ?? a[3] ?? "");
      }
      const element: XmlElement = { name: opening, attributes, children: [], text: "" };
      if (stack.length === 1 && root.children.length > 0) throw new Error("two root elements");
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    } else if (!whole.startsWith("<?") && !whole.startsWith("<!--")) {
      throw new Error(`unexpected ${whole}`);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]?.name}> never closed`);
  if (root.children.length !== 1) throw new Error("no root element");
  return root.children[0] as XmlElement;
}

function* walk(element: XmlElement): Generator<XmlElement> {
  yield element;
  for (const child of element.children) yield* walk(child);
}

const byClass = (svg: XmlElement, name: string) =>
  [...walk(svg)].filter((e) => (e.attributes.class ?? "").split(" ").includes(name));

/** The points of a path's `M x y L x y …` data. */
function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** `screen` is a + b × `data` at every point, to within rounding, with b of the given sign. */
function expectLinear(data: number[], screen: number[], direction: "rising" | "falling"): void {
  const low = data.indexOf(Math.min(...data));
  const high = data.indexOf(Math.max(...data));
  const slope =
    ((screen[high] as number) - (screen[low] as number)) /
    ((data[high] as number) - (data[low] as number));
  expect(direction === "rising" ? slope > 0 : slope < 0).toBe(true);
  data.forEach((value, i) => {
    const expected = (screen[low] as number) + slope * (value - (data[low] as number));
    expect(Math.abs((screen[i] as number) - expected)).toBeLessThan(0.02);
  });
}

const hasPython = pythonHas("xml.etree.ElementTree");

// --- PNG decoding with node:zlib: chunks, IHDR, the IDAT stream un-filtered to RGBA pixels.

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  pixels: Uint8Array;
}

function decodePng(bytes: Buffer): Png {
  expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") header = body;
    if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error("no IHDR chunk");
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8] as number;
  const colorType = header[9] as number;
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 4 ? 2 : 1;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(data));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const upLeft =
        y > 0 && x >= channels ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      const value = line[x] as number;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = Math.floor((left + up) / 2);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, bitDepth, colorType, pixels };
}

/** Pixels in a rectangle that are darker than mid-grey (RGBA). */
function darkPixels(png: Png, x0: number, y0: number, x1: number, y1: number): number {
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      const luminance =
        ((png.pixels[i] as number) +
          (png.pixels[i + 1] as number) +
          (png.pixels[i + 2] as number)) /
        3;
      if (luminance < 128) dark++;
    }
  }
  return dark;
}

describe("specx plot to SVG", () => {
  test("33bm_spec.dat 1.1 with two -y columns: labels, legend, one path per column", async () => {
    const out = join(outDir(), "scan.svg");
    const result = await run([
      "plot",
      corpusPath("33bm_spec.dat"),
      "1.1",
      "-x",
      "theta",
      "-y",
      "W",
      "-y",
      "Fluor",
      "-o",
      out,
    ]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, `${out}\n`, ""]);
    const source = readFileSync(out, "utf8");
    const svg = parseXml(source);
    expect(svg.name).toBe("svg");
    expect(svg.attributes.xmlns).toBe("http://www.w3.org/2000/svg");

    expect(byClass(svg, "x-label").map((e) => e.text)).toEqual(["theta"]);
    expect(byClass(svg, "y-label").map((e) => e.text)).toEqual(["W, Fluor"]);
    expect(byClass(svg, "title")[0]?.text).toBe("33bm_spec.dat  #S 1.1");
    expect(byClass(svg, "subtitle")[0]?.text).toBe("ascan  th 19.022 19.222  60 -20000");
    const legend = byClass(svg, "legend")[0] as XmlElement;
    expect([...walk(legend)].filter((e) => e.name === "text").map((e) => e.text)).toEqual([
      "W",
      "Fluor",
    ]);

    // One path per y column, each with a point per row, following the file's numbers.
    const series = byClass(svg, "series");
    expect(series.map((e) => [e.name, e.attributes["data-label"]])).toEqual([
      ["path", "W"],
      ["path", "Fluor"],
    ]);
    const { labels, rows } = scan33bm();
    expect(rows.length).toBe(61);
    for (const path of series) {
      const column = labels.indexOf(path.attributes["data-label"] as string);
      const values = rows.map((row) => row[column] as number);
      const points = pathPoints(path.attributes.d as string);
      expect(points.length).toBe(61);
      // Screen x is a rising linear function of theta, screen y a falling linear function of
      // the column's value (SVG's y grows downwards); coordinates are written to 0.01 px.
      const theta = rows.map((row) => row[0] as number);
      expectLinear(
        theta,
        points.map((p) => p[0]),
        "rising",
      );
      expectLinear(
        values,
        points.map((p) => p[1]),
        "falling",
      );
    }

    // Tick labels are numbers at a regular 1, 2, 2.5 or 5 × 10^k step.
    const xTicks = [...walk(byClass(svg, "x-ticks")[0] as XmlElement)]
      .filter((e) => e.name === "text")
      .map((e) => Number(e.text));
    expect(xTicks.length).toBeGreaterThanOrEqual(3);
    const step = (xTicks[1] as number) - (xTicks[0] as number);
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    expect([1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
    xTicks.forEach((tick, i) => {
      expect(tick).toBeCloseTo((xTicks[0] as number) + i * step, 9);
    });
    expect(xTicks[0]).toBeGreaterThanOrEqual(19.0);
    expect(xTicks[xTicks.length - 1]).toBeLessThanOrEqual(19.25);

    if (hasPython) {
      const check = spawnSync(
        pythonInterpreter(),
        [
          "-c",
          "import sys, xml.etree.ElementTree as ET; root = ET.parse(sys.argv[1]).getroot(); print(sum(1 for e in root.iter('{http://www.w3.org/2000/svg}path') if e.get('class') == 'series'))",
          out,
        ],
        { encoding: "utf8" },
      );
      expect([check.status, check.stdout.trim(), check.stderr]).toEqual([0, "2", ""]);
    }
  });

  test("defaults: the last column against the first; -o - writes the SVG to standard output", async () => {
    const result = await run(["plot", corpusPath("lmn40.spe"), "1", "-o", "-"]);
    expect(result.status).toBe(0);
    const svg = parseXml(result.stdout);
    expect(byClass(svg, "x-label")[0]?.text).toBe("Two Theta");
    expect(byClass(svg, "y-label")[0]?.text).toBe("winCZT");
    expect(byClass(svg, "series").length).toBe(1);
    expect(pathPoints(byClass(svg, "series")[0]?.attributes.d as string).length).toBe(50);
  });

  test("markup characters in labels and commands are escaped (file read from standard input)", async () => {
    const text = readFileSync(corpusPath("33bm_spec.dat"), "latin1")
      .replace("#S 1  ascan  th", "#S 1  ascan  <th> & co")
      .replace("  seconds  signal\n", "  seconds  a<b>&\"c'\n");
    const result = await run(["plot", "-", "1", "-o", "-"], new TextEncoder().encode(text));
    expect(result.status).toBe(0);
    const svg = parseXml(result.stdout);
    expect(byClass(svg, "y-label")[0]?.text).toBe(`a<b>&"c'`);
    expect(byClass(svg, "series")[0]?.attributes["data-label"]).toBe(`a<b>&"c'`);
    expect(byClass(svg, "subtitle")[0]?.text).toBe("ascan  <th> & co 19.022 19.222  60 -20000");
    expect(byClass(svg, "title")[0]?.text).toBe("standard input  #S 1.1");
  });

  test("a repeated label is reached by its alias", async () => {
    // 33id_spec.dat 1.1 ends with two columns named I0; the second is I0_1.
    const result = await run([
      "plot",
      corpusPath("33id_spec.dat"),
      "1.1",
      "-y",
      "I0",
      "I0_1",
      "-o",
      "-",
    ]);
    expect(result.status).toBe(0);
    const svg = parseXml(result.stdout);
    expect(byClass(svg, "series").map((e) => e.attributes["data-label"])).toEqual(["I0", "I0"]);
  });

  test("nice ticks stay inside a margin around the data", () => {
    const ticks = niceTicks(0, 179);
    expect(ticks.values).toEqual([0, 25, 50, 75, 100, 125, 150, 175]);
    expect(ticks.start).toBeLessThan(0);
    expect(ticks.stop).toBeGreaterThan(179);
    expect(niceTicks(5, 5).values.length).toBeGreaterThan(1);
  });
});

describe("specx plot to PNG", () => {
  test("the same chart as a PNG: signature, size, a picture with drawn text", async () => {
    const out = join(outDir(), "scan.png");
    const result = await run([
      "plot",
      corpusPath("33bm_spec.dat"),
      "1.1",
      "-y",
      "W",
      "-y",
      "Fluor",
      "-o",
      out,
    ]);
    expect([result.status, result.stderr]).toEqual([0, ""]);
    const png = decodePng(readFileSync(out));
    // Drawn at twice the SVG's 800 × 500, 8-bit RGBA.
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([1600, 1000, 8, 6]);
    const colours = new Set<number>();
    for (let i = 0; i < png.pixels.length; i += 4) {
      colours.add(
        ((png.pixels[i] as number) << 16) |
          ((png.pixels[i + 1] as number) << 8) |
          (png.pixels[i + 2] as number),
      );
    }
    expect(colours.size).toBeGreaterThan(20);
    // The title band (above the plot) is text only: dark pixels there mean a font was found.
    expect(darkPixels(png, 400, 10, 1200, 70)).toBeGreaterThan(200);
    // The blue (W) and vermilion (Fluor) series colours are in the picture.
    let blue = 0;
    let vermilion = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const [r, g, b] = [
        png.pixels[i] as number,
        png.pixels[i + 1] as number,
        png.pixels[i + 2] as number,
      ];
      if (Math.abs(r - 0x00) < 20 && Math.abs(g - 0x72) < 20 && Math.abs(b - 0xb2) < 20) blue++;
      if (Math.abs(r - 0xd5) < 20 && Math.abs(g - 0x5e) < 20 && Math.abs(b - 0x00) < 20)
        vermilion++;
    }
    expect(blue).toBeGreaterThan(100);
    expect(vermilion).toBeGreaterThan(100);
  });

  test("fonts: text is drawn with the fonts found here, and a missing font is reported", async () => {
    const svg = renderSvg({
      title: "TITLE",
      xLabel: "x",
      yLabel: "y",
      series: [{ label: "s", x: [0, 1], y: [0, 1] }],
    });
    const withFonts = await svgToPng(svg, 1);
    const without = await svgToPng(svg, 1, { systemFonts: false, files: [] });
    expect([withFonts.textDrawn, without.textDrawn]).toEqual([true, false]);
    const title = (result: { png: Uint8Array }) =>
      darkPixels(decodePng(Buffer.from(result.png)), 300, 5, 500, 35);
    expect(title(withFonts)).toBeGreaterThan(20);
    expect(title(without)).toBe(0);
  });

  test("through the real binary", () => {
    const out = join(outDir(), "scan.PNG");
    const run = spawnSync(
      process.execPath,
      [bin, "plot", corpusPath("issue82_data.txt"), "17.1", "-o", out],
      {
        encoding: "utf8",
      },
    );
    expect([run.status, run.stdout, run.stderr]).toEqual([0, `${out}\n`, ""]);
    const png = decodePng(readFileSync(out));
    expect([png.width, png.height]).toEqual([1600, 1000]);
    expect(darkPixels(png, 0, 0, png.width, png.height)).toBeGreaterThan(1000);
  }, 30_000);
});

describe("bad usage and I/O errors: one line on stderr, exit 2", () => {
  const file = corpusPath("33bm_spec.dat");
  const binary = join(outDir(), "data.spec");
  writeFileSync(binary, new Uint8Array([35, 83, 32, 49, 0, 1, 2, 3]));

  test.each([
    [["plot", file, "1.1"], /^error: required option '-o, --output <file>' not specified\n$/],
    [
      ["plot", file, "1.1", "-o", "chart.jpg"],
      /^specx: cannot tell the image format of 'chart\.jpg': -o takes a \.svg or \.png file/,
    ],
    [["plot", file, "1.1", "-o", "chart"], /^specx: cannot tell the image format of 'chart'/],
    [
      ["plot", file, "1.1", "-y", "nope", "-o", "-"],
      /^specx: no column 'nope' in scan 1\.1 of .*33bm_spec\.dat \(columns: theta, H, K, L, Epoch, I0, .*, signal\)\n$/,
    ],
    [["plot", file, "1.1", "-x", "Theta", "-o", "-"], /^specx: no column 'Theta' in scan 1\.1/],
    [
      ["plot", file, "99.1", "-o", "-"],
      /^specx: no scan 99\.1 in .*33bm_spec\.dat \(scans: 1\.1, 2\.1, .*\(17 in all\)\)\n$/,
    ],
    [
      ["plot", file, "15.1", "-o", "-"],
      /^specx: scan 15\.1 of .*33bm_spec\.dat has no data rows to plot\n$/,
    ],
    [
      ["plot", "/no/such.spec", "1", "-o", "-"],
      /^specx: cannot read \/no\/such\.spec: no such file\n$/,
    ],
    [["plot", binary, "1", "-o", "-"], /^specx: .*data\.spec is not a text file\n$/],
    [
      ["plot", file, "1.1", "-o", "/no/such/folder/x.svg"],
      /^specx: cannot write \/no\/such\/folder\/x\.svg: no such folder\n$/,
    ],
    [["plot", file, "-o", "-"], /^error: missing required argument 'scan'\n$/],
  ])("%j", async (args, message) => {
    expectUsageError(await run(args as string[]), message as RegExp);
  });

  test("a missing file through the real binary", () => {
    const out = spawnSync(process.execPath, [bin, "plot", "/no/such.spec", "1", "-o", "x.svg"], {
      encoding: "utf8",
    });
    expect([out.status, out.stderr]).toEqual([
      2,
      "specx: cannot read /no/such.spec: no such file\n",
    ]);
  });
});
