/**
 * Ticks, tick labels and axis titles, drawn the same way by the line chart and the image view
 * (the browser tests compare their exported SVG, so both keep the same elements and attributes).
 */
import { svgElement, svgLabel } from "./dom.js";
import type { Scale } from "./scales.js";

const TICK_COLOR = "#888888";
const GRID_COLOR = "#e6e6e6";
/** Where the y-axis title stands, from the SVG's left edge. */
const Y_TITLE_X = 14;

/** The plot area in SVG units. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Tick values, their labels (same index) and the scale that places them. */
export interface AxisTicks {
  values: readonly number[];
  labels: readonly string[];
  scale: Scale;
}

export interface TickOptions {
  /** Leave out ticks more than half a pixel outside the area (a zoomed chart's). */
  insideOnly?: boolean;
  /** A grid line across the area at each tick. */
  grid?: boolean;
}

/** Ticks below the area, labels centred under them. */
export function drawXTicks(
  parent: Element,
  area: PlotArea,
  ticks: AxisTicks,
  options: TickOptions = {},
): void {
  const { left, top, width, height } = area;
  ticks.values.forEach((tick, index) => {
    const x = ticks.scale.map(tick);
    if (options.insideOnly && !(x >= left - 0.5 && x <= left + width + 0.5)) return;
    if (options.grid) {
      svgElement("line", { x1: x, x2: x, y1: top, y2: top + height, stroke: GRID_COLOR }, parent);
    }
    svgElement(
      "line",
      { x1: x, x2: x, y1: top + height, y2: top + height + 5, stroke: TICK_COLOR },
      parent,
    );
    svgLabel(parent, ticks.labels[index] ?? "", {
      class: "specx-plot-tick",
      x,
      y: top + height + 18,
      "text-anchor": "middle",
    });
  });
}

/** Ticks left of the area, labels right-aligned against them. */
export function drawYTicks(
  parent: Element,
  area: PlotArea,
  ticks: AxisTicks,
  options: TickOptions = {},
): void {
  const { left, top, width, height } = area;
  ticks.values.forEach((tick, index) => {
    const y = ticks.scale.map(tick);
    if (options.insideOnly && !(y >= top - 0.5 && y <= top + height + 0.5)) return;
    if (options.grid) {
      svgElement("line", { x1: left, x2: left + width, y1: y, y2: y, stroke: GRID_COLOR }, parent);
    }
    svgElement("line", { x1: left - 5, x2: left, y1: y, y2: y, stroke: TICK_COLOR }, parent);
    svgLabel(parent, ticks.labels[index] ?? "", {
      class: "specx-plot-tick",
      x: left - 8,
      y: y + 4,
      "text-anchor": "end",
    });
  });
}

/** A title turned to read upwards, centred on (x, y): the y axis's, the colour bar's. */
export function drawVerticalTitle(parent: Element, text: string, x: number, y: number): void {
  svgLabel(parent, text, {
    class: "specx-plot-axis-title",
    x,
    y,
    "text-anchor": "middle",
    transform: `rotate(-90 ${x} ${y})`,
  });
}

/**
 * The axes' titles, each only when given: the x title centred under the area with its baseline
 * at `xTitleBaseline`, the y title upright at the SVG's left edge.
 */
export function drawAxisTitles(
  parent: Element,
  area: PlotArea,
  titles: { x?: string; y?: string; xTitleBaseline: number },
): void {
  if (titles.x) {
    svgLabel(parent, titles.x, {
      class: "specx-plot-axis-title",
      x: area.left + area.width / 2,
      y: titles.xTitleBaseline,
      "text-anchor": "middle",
    });
  }
  if (titles.y) drawVerticalTitle(parent, titles.y, Y_TITLE_X, area.top + area.height / 2);
}
