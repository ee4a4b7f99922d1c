/**
 * The plot components' pure parts, in Node: tick choice, number formatting, scales and the
 * zoom arithmetic, the colour map's perceptual order, mesh axes and line decimation.
 */
import { describe, expect, it } from "vitest";
import { COLOR_MAP_TABLE, colorMapRgb, SERIES_PALETTE, seriesStyle } from "../src/plot/colors.js";
import { axisPositions } from "../src/plot/image-view.js";
import { decimatedLines } from "../src/plot/line-chart.js";
import {
  createScale,
  extentOf,
  paddedDomain,
  panDomain,
  usableDomain,
  zoomDomain,
} from "../src/plot/scales.js";
import {
  formatNumber,
  formatTick,
  formatTicks,
  linearTicks,
  logTicks,
  niceStep,
} from "../src/plot/ticks.js";

describe("linear ticks", () => {
  it("picks 1-2-5 steps", () => {
    expect(niceStep(0.013)).toBeCloseTo(0.01, 15);
    expect(niceStep(0.025)).toBeCloseTo(0.02, 15);
    expect(niceStep(0.04)).toBeCloseTo(0.05, 15);
    expect(niceStep(80)).toBe(100);
    expect(niceStep(0)).toBe(1);
  });

  it("gives round values inside the domain, without float noise", () => {
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.1, 0.72, 6)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(linearTicks(-3.2, 4.9, 4)).toEqual([-2, 0, 2, 4]);
    expect(linearTicks(1001, 1009, 4)).toEqual([1002, 1004, 1006, 1008]);
  });

  it("is the same for a reversed domain, one value for an empty one, none for NaN", () => {
    expect(linearTicks(1, 0, 5)).toEqual(linearTicks(0, 1, 5));
    expect(linearTicks(3, 3)).toEqual([3]);
    expect(linearTicks(Number.NaN, 1)).toEqual([]);
  });

  it("keeps tick count near the asked one over many magnitudes", () => {
    for (let power = -9; power <= 9; power++) {
      const low = 1.234 * 10 ** power;
      const ticks = linearTicks(low, low * 7.5, 6);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(13);
      for (const tick of ticks) {
        expect(tick).toBeGreaterThanOrEqual(low * (1 - 1e-12));
        expect(tick).toBeLessThanOrEqual(low * 7.5 * (1 + 1e-12));
      }
    }
  });
});

describe("log ticks", () => {
  it("gives powers of ten over several decades", () => {
    expect(logTicks(1, 1e4, 6)).toEqual([1, 10, 100, 1000, 10000]);
    expect(logTicks(0.02, 300, 6)).toEqual([0.1, 1, 10, 100]);
  });

  it("thins decades when there are many", () => {
    const ticks = logTicks(1e-10, 1e10, 5);
    expect(ticks).toEqual([1e-10, 1e-5, 1, 1e5, 1e10]);
  });

  it("adds 2 and 5 over a few decades, falls back to linear inside one", () => {
    expect(logTicks(1, 100, 6)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(200, 800, 6)).toEqual([200, 500]);
    expect(logTicks(210, 290, 6)).toEqual(linearTicks(210, 290, 4));
    expect(logTicks(0, 10)).toEqual([]);
  });
});

describe("number formatting", () => {
  it("writes tick labels with the decimals their step needs", () => {
    expect(formatTicks([0, 0.25, 0.5, 0.75], false)).toEqual(["0", "0.25", "0.50", "0.75"]);
    expect(formatTicks([0, 0.5, 1, 1.5], false)).toEqual(["0", "0.5", "1.0", "1.5"]);
    expect(formatTicks([-10, 0, 10], false)).toEqual(["-10", "0", "10"]);
    expect(formatTick(2e-6, 1e-6)).toBe("2e-6");
    expect(formatTick(2.5e7, 5e6)).toBe("2.5e7");
    expect(formatTicks([1, 10, 100, 1e6], true)).toEqual(["1", "10", "100", "1e6"]);
  });

  it("keeps significant digits and drops trailing zeros", () => {
    expect(formatNumber(12.5)).toBe("12.5");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(123456.789)).toBe("123457");
    expect(formatNumber(1234567.8)).toBe("1.23457e6");
    expect(formatNumber(0.000125)).toBe("0.000125");
    expect(formatNumber(0.0000125)).toBe("1.25e-5");
    expect(formatNumber(-0.00123456789, 4)).toBe("-0.001235");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(-1e-30)).toBe("-1e-30");
  });
});

describe("scales", () => {
  it("maps linear and log domains onto pixels and back", () => {
    const linear = createScale("linear", [0, 10], [100, 0]);
    expect(linear.map(2.5)).toBe(75);
    expect(linear.invert(75)).toBe(2.5);
    const log = createScale("log", [1, 1000], [0, 300]);
    expect(log.map(10)).toBeCloseTo(100, 10);
    expect(log.invert(200)).toBeCloseTo(100, 10);
    expect(log.map(0)).toBeNaN();
    expect(log.map(-5)).toBeNaN();
  });

  it("finds the drawable extent of several arrays", () => {
    const a = Float64Array.of(3, Number.NaN, -2, 8);
    const b = Float64Array.of(Number.POSITIVE_INFINITY, 0.5);
    expect(extentOf([a, b], "linear")).toEqual([-2, 8]);
    expect(extentOf([a, b], "log")).toEqual([0.5, 8]);
    expect(extentOf([Float64Array.of(Number.NaN)], "linear")).toBeNull();
  });

  it("pads a domain, and gives a single value some room", () => {
    expect(paddedDomain([0, 10], "linear", 0.1)).toEqual([-1, 11]);
    const [low, high] = paddedDomain([10, 1000], "log", 0.5);
    expect(low).toBeCloseTo(1, 10);
    expect(high).toBeCloseTo(10000, 6);
    expect(paddedDomain([5, 5], "linear")).toEqual([4.5, 5.5]);
    expect(paddedDomain(null, "log")).toEqual([1, 10]);
  });

  it("zooms around a point and pans by a fraction", () => {
    expect(zoomDomain([0, 10], "linear", 5, 0.5)).toEqual([2.5, 7.5]);
    expect(zoomDomain([0, 10], "linear", 0, 0.5)).toEqual([0, 5]);
    const [low, high] = zoomDomain([1, 10000], "log", 100, 0.5);
    expect(low).toBeCloseTo(10, 10);
    expect(high).toBeCloseTo(1000, 8);
    expect(panDomain([0, 10], "linear", 0.1)).toEqual([1, 11]);
    const panned = panDomain([1, 100], "log", 0.5);
    expect(panned[0]).toBeCloseTo(10, 10);
    expect(panned[1]).toBeCloseTo(1000, 8);
  });

  it("refuses domains it cannot show", () => {
    expect(usableDomain([0, 1], "linear")).toBe(true);
    expect(usableDomain([0, 1], "log")).toBe(false);
    expect(usableDomain([1, 1], "linear")).toBe(false);
    expect(usableDomain([1, 1 + 1e-15], "linear")).toBe(false);
    expect(usableDomain([0, Number.POSITIVE_INFINITY], "linear")).toBe(false);
  });
});

describe("colours", () => {
  /** Relative luminance (WCAG) of an 8-bit sRGB colour. */
  const luminance = ([r, g, b]: readonly number[]) => {
    const linear = (c: number) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r ?? 0) + 0.7152 * linear(g ?? 0) + 0.0722 * linear(b ?? 0);
  };

  it("the colour map gets brighter all the way, from dark violet to yellow", () => {
    // Neighbouring levels may round to the same 8-bit colour; four levels apart never do.
    const brightness = (level: number) =>
      luminance(Array.from(COLOR_MAP_TABLE.subarray(level * 4, level * 4 + 3)));
    for (let level = 0; level < 256; level++) {
      if (level > 0) expect(brightness(level)).toBeGreaterThanOrEqual(brightness(level - 1));
      if (level >= 4) expect(brightness(level)).toBeGreaterThan(brightness(level - 4));
      expect(COLOR_MAP_TABLE[level * 4 + 3]).toBe(255);
    }
    const [r0, g0, b0] = colorMapRgb(0);
    expect(b0).toBeGreaterThan(g0);
    expect(r0).toBeGreaterThan(g0);
    const [r1, g1, b1] = colorMapRgb(1);
    expect(Math.min(r1, g1)).toBeGreaterThan(180);
    expect(b1).toBeLessThan(120);
    expect(luminance(colorMapRgb(1)) / luminance(colorMapRgb(0))).toBeGreaterThan(20);
  });

  it("series colours are distinct, and repeat dashed after the palette", () => {
    expect(new Set(SERIES_PALETTE).size).toBe(SERIES_PALETTE.length);
    expect(seriesStyle(0)).toEqual({ color: SERIES_PALETTE[0], dash: "" });
    expect(seriesStyle(SERIES_PALETTE.length).color).toBe(SERIES_PALETTE[0]);
    expect(seriesStyle(SERIES_PALETTE.length).dash).not.toBe("");
  });
});

describe("mesh axes", () => {
  it("takes one position per pixel, from per-point columns too", () => {
    const perPoint = Float64Array.from([1, 2, 3, 1, 2, 3]);
    expect(Array.from(axisPositions(perPoint, 3, 1).positions)).toEqual([1, 2, 3]);
    const slow = Float64Array.from([5, 5, 5, 7, 7, 7]);
    expect(Array.from(axisPositions(slow, 2, 3).positions)).toEqual([5, 7]);
  });

  it("continues the step where a stopped mesh has no position, falls back to indexes", () => {
    const stopped = Float64Array.from([0.5, 0.75, Number.NaN, Number.NaN]);
    expect(axisPositions(stopped, 4, 1)).toEqual({
      positions: Float64Array.from([0.5, 0.75, 1, 1.25]),
      indexed: false,
    });
    expect(axisPositions(Float64Array.from([2]), 3, 1)).toEqual({
      positions: Float64Array.from([0, 1, 2]),
      indexed: true,
    });
  });
});

describe("line decimation", () => {
  const identity = createScale("linear", [0, 1000], [0, 1000]);

  it("keeps every point when there are fewer than pixel columns, and breaks at NaN", () => {
    const x = Float64Array.from([0, 10, 20, 30, 40]);
    const y = Float64Array.from([1, 2, Number.NaN, 4, 5]);
    const { lines, isolated } = decimatedLines(x, y, identity, identity, 1000);
    expect(lines).toEqual(["0.0,1.0 10.0,2.0", "30.0,4.0 40.0,5.0"]);
    expect(isolated).toEqual([]);
    const lone = decimatedLines(
      x,
      Float64Array.from([1, NaN, 3, NaN, 5]),
      identity,
      identity,
      1000,
    );
    expect(lone.lines).toEqual([]);
    expect(lone.isolated).toEqual([
      [0, 1],
      [20, 3],
      [40, 5],
    ]);
  });

  it("draws at most the first, lowest, highest and last point of each pixel column", () => {
    // 100 points in each of 10 columns, a sawtooth 0..99 in each.
    const x = Float64Array.from({ length: 1000 }, (_, i) => Math.floor(i / 100) + (i % 100) / 1000);
    const y = Float64Array.from({ length: 1000 }, (_, i) => ((i * 37) % 100) + Math.floor(i / 100));
    const { lines } = decimatedLines(x, y, identity, identity, 1000);
    expect(lines).toHaveLength(1);
    const points = (lines[0] ?? "").split(" ").map((pair) => pair.split(",").map(Number));
    expect(points.length).toBeLessThanOrEqual(40);
    // Every column keeps its extremes: the line's envelope is the data's.
    for (let column = 0; column < 10; column++) {
      const ys = points.filter(([px]) => Math.floor(px as number) === column).map(([, py]) => py);
      expect(Math.min(...(ys as number[]))).toBe(column);
      expect(Math.max(...(ys as number[]))).toBe(99 + column);
    }
  });
});
