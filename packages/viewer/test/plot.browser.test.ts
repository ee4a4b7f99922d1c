/**
 * The plot components in Debian's Chromium: a page made of src/plot alone (test/plot-page)
 * draws known data; the test checks what is drawn, drives zoom, pan and reset with the mouse
 * and the keyboard, and checks the SVG and PNG exports. One browser for the file.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, type ServedFolder, serveFolder } from "@specx/test-support/browser";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageView, LineChart } from "../src/plot/index.js";

const pageSource = fileURLToPath(new URL("./plot-page/", import.meta.url));

/** What the tests keep on the page between evaluations. */
type TestWindow = Window & { chart: LineChart; image: ImageView; pngBytes?: number[] };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("plot components in Chromium", () => {
  const folder = mkdtempSync(join(tmpdir(), "specx-plot-"));
  let server: ServedFolder | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await build({
      entryPoints: [join(pageSource, "main.ts")],
      outdir: folder,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "error",
    });
    copyFileSync(join(pageSource, "index.html"), join(folder, "index.html"));
    server = await serveFolder(folder);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 1000 }, acceptDownloads: true });
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => "specxPlot" in window);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("draws a known series: the points it holds are the input, NaN breaks the line", async () => {
    const drawn = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const x = Float64Array.from({ length: 41 }, (_, i) => -1 + i * 0.05);
      const y = x.map((value) => Math.exp(-(value * value) / 0.1) * 1000 + 5);
      y[30] = Number.NaN;
      const chart = w.specxPlot.createLineChart(document.getElementById("chart") as HTMLElement, {
        series: [{ name: "det", x, y }],
        title: "Scan 1",
        xLabel: "theta",
        yLabel: "det",
      });
      w.chart = chart;
      const [plotted] = chart.plotted();
      return {
        x: Array.from(x),
        y: Array.from(y, (value) => (Number.isNaN(value) ? null : value)),
        plottedX: Array.from(plotted?.x ?? []),
        plottedY: Array.from(plotted?.y ?? [], (value) => (Number.isNaN(value) ? null : value)),
        shown: plotted?.shown,
        polylines: chart.svg.querySelectorAll(".specx-plot-series polyline").length,
        role: chart.svg.getAttribute("role"),
        label: chart.svg.getAttribute("aria-label") ?? "",
        tabindex: chart.svg.getAttribute("tabindex"),
        ticks: Array.from(chart.svg.querySelectorAll(".specx-plot-x-axis .specx-plot-tick"), (t) =>
          Number(t.textContent),
        ),
        titles: Array.from(
          chart.svg.querySelectorAll(".specx-plot-axis-title"),
          (t) => t.textContent,
        ),
        legend: chart.svg.querySelector(".specx-plot-legend-item")?.textContent,
        live: chart.element.querySelector("[aria-live]") !== null,
      };
    });
    expect(drawn.plottedX).toEqual(drawn.x);
    expect(drawn.plottedY).toEqual(drawn.y);
    expect(drawn.shown).toBe(40);
    expect(drawn.polylines).toBe(2);
    expect(drawn.role).toBe("img");
    expect(drawn.tabindex).toBe("0");
    expect(drawn.label).toContain("det");
    expect(drawn.label).toContain("theta");
    expect(drawn.live).toBe(true);
    expect(drawn.titles).toEqual(["theta", "det"]);
    expect(drawn.legend).toBe("det");
    // Nice ticks over [-1, 1]: evenly spaced round numbers, 0 among them.
    expect(drawn.ticks).toContain(0);
    expect(drawn.ticks.length).toBeGreaterThanOrEqual(3);
    const gaps = drawn.ticks.slice(1).map((tick, index) => tick - (drawn.ticks[index] as number));
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0] as number, 9);
  });

  it("a log y axis leaves out points ≤ 0 and says how many", async () => {
    const log = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
      const y = Float64Array.from([0, 10, 100, -3, 1000, 10000]);
      w.chart.setSeries([{ name: "mon", x, y }]);
      w.chart.setScale({ y: "log" });
      const labels = Array.from(
        w.chart.svg.querySelectorAll(".specx-plot-y-axis .specx-plot-tick"),
        (t) => Number(t.textContent),
      );
      const view = w.chart.getView();
      w.chart.setScale({ y: "linear" });
      return {
        labels,
        view,
        legend: w.chart.svg.querySelector(".specx-plot-legend-item")?.textContent ?? "",
        plotted: Array.from(w.chart.plotted()[0]?.y ?? []),
      };
    });
    expect(log.labels).toEqual([10, 100, 1000, 10000]);
    expect(log.view.y[0]).toBeGreaterThan(0);
    expect(log.view.y[0]).toBeLessThan(10);
    expect(log.plotted).toEqual([0, 10, 100, -3, 1000, 10000]);
    // The legend note disappears with the log axis.
    expect(log.legend).toBe("mon");
    const note = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      w.chart.setScale({ y: "log" });
      const text = w.chart.svg.querySelector(".specx-plot-legend-item")?.textContent ?? "";
      w.chart.setScale({ y: "linear" });
      return { text, shown: w.chart.plotted()[0]?.shown };
    });
    expect(note.text).toBe("mon (2 points ≤ 0 not shown)");
    expect(note.shown).toBe(6);
  });

  it("zooms to a dragged rectangle, pans, zooms with the wheel and keys, and resets", async () => {
    await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const x = Float64Array.from({ length: 201 }, (_, i) => i / 10);
      const y = x.map((value) => Math.sin(value) * 50 + 60);
      w.chart.setSeries([{ name: "sin", x, y }]);
    });
    const view = () => page.evaluate(() => (window as unknown as TestWindow).chart.getView());
    const initial = await view();
    expect(initial.x[0]).toBeLessThan(0);
    expect(initial.x[1]).toBeGreaterThan(20);
    const area = await page.locator("#chart .specx-plot-area").boundingBox();
    if (area === null) throw new Error("no plot area");
    const at = (fx: number, fy: number) =>
      [area.x + area.width * fx, area.y + area.height * fy] as const;

    // A rectangle from 25 % to 50 % of the width, 20 % to 80 % of the height.
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    await page.mouse.move(...at(0.4, 0.5), { steps: 4 });
    await page.mouse.move(...at(0.5, 0.8), { steps: 4 });
    await page.mouse.up();
    const zoomed = await view();
    const expectedX = [0.25, 0.5].map((f) => initial.x[0] + (initial.x[1] - initial.x[0]) * f);
    const expectedY = [0.8, 0.2].map((f) => initial.y[1] - (initial.y[1] - initial.y[0]) * f);
    // Within a pixel or two of the rectangle's corners.
    const xPixel = (initial.x[1] - initial.x[0]) / area.width;
    const yPixel = (initial.y[1] - initial.y[0]) / area.height;
    expect(Math.abs(zoomed.x[0] - (expectedX[0] as number))).toBeLessThan(2 * xPixel);
    expect(Math.abs(zoomed.x[1] - (expectedX[1] as number))).toBeLessThan(2 * xPixel);
    expect(Math.abs(zoomed.y[0] - (expectedY[0] as number))).toBeLessThan(2 * yPixel);
    expect(Math.abs(zoomed.y[1] - (expectedY[1] as number))).toBeLessThan(2 * yPixel);
    // The x ticks follow the zoom.
    const ticks = await page.$$eval("#chart .specx-plot-x-axis .specx-plot-tick", (nodes) =>
      nodes.map((node) => Number(node.textContent)),
    );
    // (A tick may sit on the edge: within float noise of the domain's ends.)
    const noise = (zoomed.x[1] - zoomed.x[0]) * 1e-9;
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const tick of ticks) {
      expect(tick).toBeGreaterThanOrEqual(zoomed.x[0] - noise);
      expect(tick).toBeLessThanOrEqual(zoomed.x[1] + noise);
    }

    // Shift-drag pans: dragging right by 10 % of the width shows lower x.
    await page.keyboard.down("Shift");
    await page.mouse.move(...at(0.5, 0.5));
    await page.mouse.down();
    await page.mouse.move(...at(0.6, 0.5), { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up("Shift");
    await page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))");
    const panned = await view();
    const span = zoomed.x[1] - zoomed.x[0];
    expect(panned.x[1] - panned.x[0]).toBeCloseTo(span, 9);
    expect(panned.x[0]).toBeLessThan(zoomed.x[0] - span * 0.05);

    // Double-click restores the first view.
    await page.mouse.dblclick(...at(0.5, 0.5));
    expect(await view()).toEqual(initial);

    // The wheel zooms in around the pointer: the value under it stays put.
    await page.mouse.move(...at(0.3, 0.5));
    await page.mouse.wheel(0, -100);
    await page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))");
    const wheeled = await view();
    expect(wheeled.x[1] - wheeled.x[0]).toBeLessThan((initial.x[1] - initial.x[0]) * 0.9);
    const under = (v: { x: number[] }) =>
      (v.x[0] as number) + ((v.x[1] as number) - (v.x[0] as number)) * 0.3;
    expect(Math.abs(under(wheeled) - under(initial))).toBeLessThan(xPixel);

    // Keys, with the chart focused: 0 resets, + zooms in, arrows pan, - zooms out.
    await page.focus("#chart svg");
    await page.keyboard.press("0");
    expect(await view()).toEqual(initial);
    await page.keyboard.press("+");
    const plus = await view();
    expect(plus.x[1] - plus.x[0]).toBeCloseTo((initial.x[1] - initial.x[0]) * 0.8, 9);
    await page.keyboard.press("ArrowRight");
    const right = await view();
    expect(right.x[0]).toBeGreaterThan(plus.x[0]);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("-");
    const back = await view();
    expect(back.x[0]).toBeCloseTo(initial.x[0], 9);
    expect(back.x[1]).toBeCloseTo(initial.x[1], 9);
    await page.evaluate(() => (window as unknown as TestWindow).chart.resetZoom());
    expect(await view()).toEqual(initial);

    // New data keeps a zoomed view when asked (MCA rows), and only then.
    const kept = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const [current] = w.chart.plotted();
      if (current === undefined) throw new Error("no series");
      const again = { name: "sin", x: current.x, y: current.y.map((value) => value * 2) };
      w.chart.setView({ x: [2, 4], y: [0, 50] });
      w.chart.setSeries([again], { keepView: true });
      const keptView = w.chart.getView();
      w.chart.setSeries([again]);
      const dataView = w.chart.getView();
      w.chart.setSeries([{ name: "sin", x: current.x, y: current.y }], { keepView: true });
      return { keptView, dataView, unzoomed: w.chart.getView() };
    });
    expect(kept.keptView).toEqual({ x: [2, 4], y: [0, 50] });
    expect(kept.dataView.y[1]).toBeGreaterThan(200);
    expect(kept.unzoomed).toEqual(initial);
  });

  it("reads out the point nearest the pointer, also to screen readers", async () => {
    const area = await page.locator("#chart .specx-plot-area").boundingBox();
    if (area === null) throw new Error("no plot area");
    // The point x = 10 (index 100) of the sine: find its pixel from the view.
    const target = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const view = w.chart.getView();
      const y = Math.sin(10) * 50 + 60;
      return {
        fx: (10 - view.x[0]) / (view.x[1] - view.x[0]),
        fy: (view.y[1] - y) / (view.y[1] - view.y[0]),
      };
    });
    await page.mouse.move(area.x + area.width * target.fx, area.y + area.height * target.fy);
    const readout = await page.evaluate(() => (window as unknown as TestWindow).chart.readout());
    expect(readout).toEqual({ series: "sin", index: 100, x: 10, y: Math.sin(10) * 50 + 60 });
    await page.waitForFunction(() =>
      document
        .querySelector("#chart [aria-live]")
        ?.textContent?.startsWith("sin: theta = 10, det = "),
    );
    expect(await page.locator("#chart .specx-plot-readout").textContent()).toMatch(
      /^sin: theta = 10, det = /,
    );
    // ] steps to the next point from the keyboard.
    await page.focus("#chart svg");
    await page.keyboard.press("]");
    const next = await page.evaluate(() => (window as unknown as TestWindow).chart.readout());
    expect(next?.index).toBe(101);
  });

  it("draws the stats markers with their labels", async () => {
    const markers = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      w.chart.setMarkers([
        { kind: "vertical", x: 1.6, label: "peak" },
        { kind: "vertical", x: 1.55, label: "CEN" },
        { kind: "vertical", x: 1.7, label: "COM" },
        { kind: "span", from: 0.5, to: 2.6, y: 85, label: "FWHM 2.1" },
        { kind: "point", x: 1.6, y: 110, label: "peak 110" },
      ]);
      return Array.from(w.chart.svg.querySelectorAll(".specx-plot-marker"), (group) => ({
        kind: group.getAttribute("data-kind"),
        label: group.getAttribute("data-label"),
        lines: group.querySelectorAll("line").length,
        circles: group.querySelectorAll("circle").length,
      })).concat(
        Array.from(w.chart.svg.querySelectorAll(".specx-plot-marker-label"), (text) => ({
          kind: "text",
          label: text.textContent,
          lines: 0,
          circles: 0,
        })),
      );
    });
    const groups = markers.filter((marker) => marker.kind !== "text");
    expect(groups.map((group) => `${group.kind}:${group.label}`).sort()).toEqual([
      "point:peak 110",
      "span:FWHM 2.1",
      "vertical:CEN",
      "vertical:COM",
      "vertical:peak",
    ]);
    expect(groups.find((group) => group.kind === "span")?.lines).toBe(3);
    expect(groups.find((group) => group.kind === "point")?.circles).toBe(1);
    const texts = markers.filter((marker) => marker.kind === "text").map((marker) => marker.label);
    expect(texts.sort()).toEqual(["CEN", "COM", "FWHM 2.1", "peak", "peak 110"]);
    // Labels of close vertical markers do not overlap: they sit on different rows.
    const rows = await page.$$eval("#chart .specx-plot-marker-label", (nodes) =>
      nodes
        .filter((node) => ["CEN", "peak", "COM"].includes(node.textContent ?? ""))
        .map((node) => node.getAttribute("y")),
    );
    expect(new Set(rows).size).toBeGreaterThan(1);
  });

  it("exports standalone SVG (valid XML, the lines in it) and a PNG", async () => {
    const exported = await page.evaluate(async () => {
      const w = window as unknown as TestWindow;
      const text = w.chart.toSvg();
      const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
      const png = await w.chart.toPng();
      const bytes = new Uint8Array(await png.arrayBuffer());
      const bitmap = await createImageBitmap(png);
      return {
        error: parsed.querySelector("parsererror")?.textContent ?? null,
        namespace: parsed.documentElement.namespaceURI,
        rootName: parsed.documentElement.localName,
        polylines: parsed.querySelectorAll("polyline").length,
        livePolylines: w.chart.svg.querySelectorAll("polyline").length,
        markers: parsed.querySelectorAll("[data-kind]").length,
        skipped: parsed.querySelectorAll("[data-specx-export='skip']").length,
        width: parsed.documentElement.getAttribute("width"),
        chartWidth: w.chart.svg.getAttribute("width"),
        stylesheets: parsed.querySelectorAll("style, link").length,
        type: png.type,
        head: Array.from(bytes.subarray(0, 8)),
        pngSize: [bitmap.width, bitmap.height],
        svgSize: [
          Number(w.chart.svg.getAttribute("width")),
          Number(w.chart.svg.getAttribute("height")),
        ],
      };
    });
    expect(exported.error).toBeNull();
    expect(exported.namespace).toBe("http://www.w3.org/2000/svg");
    expect(exported.rootName).toBe("svg");
    expect(exported.polylines).toBeGreaterThanOrEqual(1);
    expect(exported.polylines).toBe(exported.livePolylines);
    expect(exported.markers).toBe(5);
    expect(exported.skipped).toBe(0);
    expect(exported.width).toBe(exported.chartWidth);
    expect(exported.stylesheets).toBe(0);
    expect(exported.type).toBe("image/png");
    expect(exported.head).toEqual(PNG_SIGNATURE);
    expect(exported.pngSize).toEqual(exported.svgSize.map((side) => side * 2));
  });

  it("overlays many series: distinct colours, a legend that says how many it leaves out", async () => {
    const overlay = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const x = Float64Array.from({ length: 30 }, (_, i) => i);
      w.chart.setSeries(
        Array.from({ length: 40 }, (_, scan) => ({
          name: `#S ${scan + 1} det`,
          x,
          y: x.map((value) => value * scan),
        })),
      );
      const items = w.chart.svg.querySelectorAll(".specx-plot-legend-item");
      const colors = Array.from(w.chart.svg.querySelectorAll(".specx-plot-series"), (group) =>
        group.querySelector("polyline")?.getAttribute("stroke"),
      );
      return {
        items: items.length,
        more: w.chart.svg.querySelector(".specx-plot-legend-more")?.textContent ?? "",
        series: colors.length,
        firstColors: new Set(colors.slice(0, 7)).size,
        plotted: w.chart.plotted().length,
      };
    });
    expect(overlay.series).toBe(40);
    expect(overlay.plotted).toBe(40);
    expect(overlay.firstColors).toBe(7);
    expect(overlay.items).toBeLessThan(40);
    expect(overlay.more).toBe(`and ${40 - overlay.items} more series`);
  });

  it("keeps 100 000 points exact while drawing a few per pixel column", async () => {
    const big = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const count = 100_000;
      const x = Float64Array.from({ length: count }, (_, i) => i);
      // A noisy signal: every column of pixels holds a spread of values.
      let seed = 12345;
      const y = Float64Array.from({ length: count }, (_, i) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.sin(i / 5000) * 100 + (seed / 2147483648) * 20;
      });
      const started = performance.now();
      w.chart.setSeries([{ name: "fast", x, y }]);
      const drawMs = performance.now() - started;
      const plotted = w.chart.plotted()[0];
      let same = plotted !== undefined && plotted.x.length === count && plotted.y.length === count;
      for (let i = 0; same && i < count; i++) {
        same = plotted?.x[i] === x[i] && plotted?.y[i] === y[i];
      }
      const points = Array.from(w.chart.svg.querySelectorAll(".specx-plot-series polyline")).reduce(
        (total, line) => total + (line.getAttribute("points") ?? "").trim().split(/\s+/).length,
        0,
      );
      const area = w.chart.svg.querySelector(".specx-plot-area");
      return { same, points, drawMs, plotWidth: Number(area?.getAttribute("width")) };
    });
    expect(big.same).toBe(true);
    expect(big.points).toBeGreaterThan(big.plotWidth);
    expect(big.points).toBeLessThanOrEqual(4 * (big.plotWidth + 2));
    console.log(
      `100 000 points: ${big.points} drawn over ${big.plotWidth} px, setSeries ${big.drawMs.toFixed(1)} ms`,
    );
  });

  it("draws a 3 × 4 mesh with the colour map's colours at its corners, and exports it", async () => {
    const image = await page.evaluate(async () => {
      const w = window as unknown as TestWindow;
      // Row-major [slow][fast]: 4 rows of 3; one missing value.
      const values = Float64Array.from({ length: 12 }, (_, i) => i * 10);
      values[4] = Number.NaN;
      const view = w.specxPlot.createImageView(document.getElementById("image") as HTMLElement, {
        width: 3,
        height: 4,
        values,
        x: { label: "samx", values: Float64Array.from([0.1, 0.2, 0.3]) },
        y: { label: "samy", values: Float64Array.from([-1, 0, 1, 2]) },
        title: "mesh",
        valueLabel: "det",
      });
      w.image = view;
      const context = view.canvas.getContext("2d");
      const pixel = (column: number, row: number) =>
        Array.from(context?.getImageData(column, row, 1, 1).data ?? []);
      const table = w.specxPlot.COLOR_MAP_TABLE;
      const svgText = view.toSvg();
      const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
      const png = await view.toPng(1);
      return {
        size: [view.canvas.width, view.canvas.height],
        // Canvas row 0 is the top: the last data row.
        bottomLeft: pixel(0, 3),
        bottomRight: pixel(2, 3),
        topLeft: pixel(0, 0),
        topRight: pixel(2, 0),
        missing: pixel(1, 2),
        expected: {
          first: Array.from(table.subarray(0, 4)),
          last: Array.from(table.subarray(255 * 4, 256 * 4)),
          v20: view.colorOf(20),
          v90: view.colorOf(90),
        },
        axisTicks: Array.from(view.svg.querySelectorAll(".specx-plot-axes .specx-plot-tick"), (t) =>
          Number(t.textContent),
        ),
        colorBarTicks: Array.from(
          view.svg.querySelectorAll(".specx-plot-colorbar .specx-plot-tick"),
          (t) => Number(t.textContent),
        ),
        svgError: parsed.querySelector("parsererror")?.textContent ?? null,
        embedded: parsed
          .querySelector(".specx-plot-image-data")
          ?.getAttribute("href")
          ?.slice(0, 22),
        liveImages: view.svg.querySelectorAll(".specx-plot-image-data").length,
        pngHead: Array.from(new Uint8Array(await png.arrayBuffer()).subarray(0, 8)),
        label: view.svg.getAttribute("aria-label"),
      };
    });
    expect(image.size).toEqual([3, 4]);
    expect(image.bottomLeft).toEqual(image.expected.first);
    expect(image.topRight).toEqual(image.expected.last);
    expect(image.bottomRight).toEqual(image.expected.v20);
    expect(image.topLeft).toEqual(image.expected.v90);
    expect(image.missing).toEqual([0, 0, 0, 0]);
    // x from 0.1 to 0.3, y from -1 to 2, each pixel centred on its position.
    expect(image.axisTicks).toContain(0.2);
    expect(image.axisTicks).toContain(-1);
    expect(image.colorBarTicks).toContain(0);
    expect(image.colorBarTicks).toContain(100);
    expect(image.svgError).toBeNull();
    expect(image.embedded).toBe("data:image/png;base64,");
    expect(image.liveImages).toBe(0);
    expect(image.pngHead).toEqual(PNG_SIGNATURE);
    expect(image.label).toContain("samx (3 points)");

    // Hover: the cell under the pointer, read out with its motor positions.
    const box = await page.locator("#image canvas").boundingBox();
    if (box === null) throw new Error("no image canvas");
    await page.mouse.move(box.x + box.width * (2.5 / 3), box.y + box.height * (0.5 / 4));
    const readout = await page.evaluate(() => (window as unknown as TestWindow).image.readout());
    expect(readout).toEqual({ column: 2, row: 3, x: 0.3, y: 2, value: 110 });
    await page.waitForFunction(
      () =>
        document.querySelector("#image [aria-live]")?.textContent ===
        "samx = 0.3, samy = 2, det = 110",
    );

    // A log colour scale leaves 0 out (transparent, shown grey).
    const log = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      w.image.setColorScale("log");
      const data = w.image.canvas.getContext("2d")?.getImageData(0, 3, 1, 1).data;
      return {
        zero: Array.from(data ?? []),
        ten: w.image.colorOf(10),
        top: w.image.colorOf(110),
        note: w.image.svg.querySelector(".specx-plot-note")?.textContent,
      };
    });
    expect(log.note).toBe("1 values ≤ 0 shown grey");
    expect(log.zero).toEqual([0, 0, 0, 0]);
    expect(log.ten).toEqual(image.expected.first);
    expect(log.top).toEqual(image.expected.last);
  });

  it("draws bad input without throwing: odd sizes, short and missing arrays, NaN markers", async () => {
    const outcome = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const holder = document.createElement("div");
      document.body.append(holder);
      const problems: string[] = [];
      const attempt = (what: string, run: () => void) => {
        try {
          run();
        } catch (error) {
          problems.push(`${what}: ${String(error)}`);
        }
      };
      const loose = (value: unknown) => value as never;
      attempt("image sizes", () => {
        const view = w.specxPlot.createImageView(holder, {
          width: -3,
          height: Number.NaN,
          values: new Float64Array(0),
          x: { label: "a", values: new Float64Array(0) },
          y: { label: "b", values: new Float64Array(0) },
        });
        view.setData({
          width: 4,
          height: 3,
          values: Float64Array.from([1, 2]),
          x: loose({ label: "a" }),
          y: loose(undefined),
        });
        view.toSvg();
        view.destroy();
      });
      attempt("chart series", () => {
        const chart = w.specxPlot.createLineChart(holder, {
          series: [
            { name: "short", x: Float64Array.from([1, 2, 3]), y: Float64Array.from([1]) },
            loose({ name: "no y", x: Float64Array.from([1, 2]) }),
            { name: "NaN", x: Float64Array.from([Number.NaN]), y: Float64Array.from([Number.NaN]) },
          ],
          markers: [
            { kind: "vertical", x: Number.NaN, label: "CEN" },
            { kind: "span", from: Number.NaN, to: 1, y: 2, label: "FWHM" },
          ],
        });
        chart.setScale({ x: "log", y: "log" });
        chart.setView({ x: [0, 0], y: [Number.NaN, 1] });
        chart.toSvg();
        chart.destroy();
      });
      holder.remove();
      return problems;
    });
    expect(outcome).toEqual([]);
  });

  it("offers a text or a blob as a file download", async () => {
    const [textDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.evaluate(() =>
        (window as unknown as TestWindow).specxPlot.download(
          "x,y\n1,2\n",
          "scan 1.csv",
          "text/csv",
        ),
      ),
    ]);
    expect(textDownload.suggestedFilename()).toBe("scan 1.csv");
    const textPath = await textDownload.path();
    expect(readFileSync(textPath, "utf8")).toBe("x,y\n1,2\n");
    const [pngDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.evaluate(async () => {
        const w = window as unknown as TestWindow;
        w.specxPlot.download(await w.chart.toPng(1), "plot.png", "image/png");
      }),
    ]);
    expect(pngDownload.suggestedFilename()).toBe("plot.png");
    expect([...readFileSync(await pngDownload.path()).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it("logged no error on the page", () => {
    expect(errors).toEqual([]);
  });
});
