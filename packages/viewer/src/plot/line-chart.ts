/**
 * A line chart drawn as an inline <svg>: the DOM is the export. Many points stay fast because
 * each line is decimated per pixel column (first, lowest, highest and last point of a run of
 * points in one column), while `plotted()` keeps the exact data.
 */
import { drawAxisTitles, drawXTicks, drawYTicks, type PlotArea } from "./axes.js";
import { seriesStyle } from "./colors.js";
import { ensureStyles, liveRegion, localPoint, svgElement, svgLabel, textWidth } from "./dom.js";
import { svgText, svgToPng } from "./export.js";
import {
  createScale,
  drawable,
  extentOf,
  paddedDomain,
  panDomain,
  type Scale,
  usableDomain,
  zoomDomain,
} from "./scales.js";
import { formatNumber, formatTicks, linearTicks, logTicks } from "./ticks.js";
import type {
  AxisScale,
  ChartMarker,
  CursorReadout,
  LineChart,
  LineChartOptions,
  LineSeries,
  PlottedSeries,
  PlotView,
} from "./types.js";

/** Series with this many points or fewer also get a dot per point (scans are mostly short). */
const DOTS_UP_TO = 200;
const MARKER_COLOR = "#444444";
const DEFAULT_HEIGHT = 360;
/** Legend rows at most: an overlay of many scans must leave room for the plot. */
const LEGEND_ROWS = 3;
let chartCount = 0;

interface HeldSeries {
  name: string;
  x: Float64Array;
  y: Float64Array;
  color: string;
  dash: string;
}

/** Drawable polylines of one series: each a list of "x,y" pixel pairs, decimated. */
export function decimatedLines(
  xs: Float64Array,
  ys: Float64Array,
  xScale: Scale,
  yScale: Scale,
  plotWidth: number,
): { lines: string[]; isolated: [number, number][] } {
  const lines: string[] = [];
  const isolated: [number, number][] = [];
  const count = Math.min(xs.length, ys.length);
  let line: string[] = [];
  let linePoints = 0;
  let lastX = 0;
  let lastY = 0;
  // The run of points in the current pixel column: indexes of its first, lowest, highest, last.
  let column = Number.NaN;
  let first = -1;
  let lowest = -1;
  let highest = -1;
  let last = -1;
  const px = new Float64Array(count);
  const py = new Float64Array(count);
  const flushColumn = () => {
    if (first < 0) return;
    const picks = [first, lowest, highest, last].sort((a, b) => a - b);
    let previous = -1;
    for (const index of picks) {
      if (index === previous) continue;
      previous = index;
      line.push(`${(px[index] as number).toFixed(1)},${(py[index] as number).toFixed(1)}`);
      linePoints++;
      lastX = px[index] as number;
      lastY = py[index] as number;
    }
    first = -1;
  };
  const endLine = () => {
    flushColumn();
    if (linePoints >= 2) lines.push(line.join(" "));
    else if (linePoints === 1) isolated.push([lastX, lastY]);
    line = [];
    linePoints = 0;
    column = Number.NaN;
  };
  for (let index = 0; index < count; index++) {
    const x = xScale.map(xs[index] as number);
    const y = yScale.map(ys[index] as number);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      endLine();
      continue;
    }
    px[index] = x;
    py[index] = y;
    // Points far outside on the left or right share one column: their segments are hidden anyway.
    const key = x < -2 ? -1 : x > plotWidth + 2 ? plotWidth + 3 : Math.floor(x);
    if (key !== column) {
      flushColumn();
      column = key;
      first = index;
      lowest = index;
      highest = index;
    } else {
      if (y < (py[lowest] as number)) lowest = index;
      if (y > (py[highest] as number)) highest = index;
    }
    last = index;
  }
  endLine();
  return { lines, isolated };
}

/** The values as a Float64Array (from plain JavaScript callers too; nothing is empty). */
function asFloat64(values: unknown): Float64Array {
  if (values instanceof Float64Array) return values;
  if (Array.isArray(values) || ArrayBuffer.isView(values)) {
    return Float64Array.from(values as ArrayLike<number>, Number);
  }
  return new Float64Array(0);
}

/** Points of a series that can be drawn on these scales. */
function drawableCount(series: HeldSeries, xKind: AxisScale, yKind: AxisScale): number {
  let shown = 0;
  const count = Math.min(series.x.length, series.y.length);
  for (let index = 0; index < count; index++) {
    if (drawable(xKind, series.x[index] as number) && drawable(yKind, series.y[index] as number)) {
      shown++;
    }
  }
  return shown;
}

/** Finite points a log scale leaves out (x or y ≤ 0). */
function droppedByLog(series: HeldSeries, xKind: AxisScale, yKind: AxisScale): number {
  let dropped = 0;
  const count = Math.min(series.x.length, series.y.length);
  for (let index = 0; index < count; index++) {
    const x = series.x[index] as number;
    const y = series.y[index] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if ((xKind === "log" && x <= 0) || (yKind === "log" && y <= 0)) dropped++;
  }
  return dropped;
}

export function createLineChart(container: HTMLElement, options: LineChartOptions = {}): LineChart {
  ensureStyles(container.ownerDocument);
  const chartId = ++chartCount;
  const wrapper = document.createElement("div");
  wrapper.className = "specx-plot-line";
  const svg = svgElement("svg", {
    class: "specx-plot-svg",
    role: "img",
    tabindex: 0,
    "font-family": "sans-serif",
  });
  wrapper.append(svg);
  const live = liveRegion(wrapper);
  container.append(wrapper);

  let series: HeldSeries[] = [];
  let markers: ChartMarker[] = options.markers ?? [];
  let title = options.title ?? "";
  let xLabel = options.xLabel ?? "";
  let yLabel = options.yLabel ?? "";
  let xKind: AxisScale = options.xScale ?? "linear";
  let yKind: AxisScale = options.yScale ?? "linear";
  const followWidth = options.width === undefined;
  let width = options.width ?? Math.max(200, container.clientWidth || 640);
  let height = options.height ?? DEFAULT_HEIGHT;
  let view: PlotView = { x: [0, 1], y: [0, 1] };
  /** Whether the user (or setView) chose the view, rather than the data. */
  let zoomed = false;
  let current: CursorReadout | null = null;
  let plot: PlotArea = { left: 0, top: 0, width: 1, height: 1 };
  let xScale = createScale("linear", [0, 1], [0, 1]);
  let yScale = createScale("linear", [0, 1], [1, 0]);
  let destroyed = false;

  const setSeriesData = (given: LineSeries[]) => {
    series = given.map((one, index) => {
      const style = seriesStyle(index);
      return {
        name: String(one.name),
        x: asFloat64(one.x),
        y: asFloat64(one.y),
        color: one.color ?? style.color,
        dash: one.color === undefined ? style.dash : "",
      };
    });
  };

  const autoView = (): PlotView => ({
    x: paddedDomain(
      extentOf(
        series.map((one) => one.x),
        xKind,
      ),
      xKind,
      0.02,
    ),
    y: paddedDomain(
      extentOf(
        series.map((one) => one.y),
        yKind,
      ),
      yKind,
      0.06,
    ),
  });

  const describe = () => {
    const names = series.map((one) => one.name).join(", ") || "no data";
    const scales = [xKind === "log" ? "log x" : "", yKind === "log" ? "log y" : ""]
      .filter(Boolean)
      .join(", ");
    const name = [options.ariaLabel, title].filter(Boolean).join(", ");
    return `${name ? `${name}: ` : ""}line chart of ${names}${xLabel ? ` against ${xLabel}` : ""}${
      scales ? ` (${scales})` : ""
    }. Drag to zoom, shift-drag to pan, 0 to reset.`;
  };

  // Layers, rebuilt on every draw except the pointer overlays.
  const drawing = svgElement("g", { class: "specx-plot-drawing" }, svg);
  const overlay = svgElement(
    "g",
    { class: "specx-plot-overlay", "data-specx-export": "skip" },
    svg,
  );
  const area = svgElement(
    "rect",
    { class: "specx-plot-area", fill: "transparent", "data-specx-export": "skip" },
    overlay,
  );
  const zoomBox = svgElement(
    "rect",
    {
      class: "specx-plot-zoom-box",
      fill: "rgba(0, 114, 178, 0.12)",
      stroke: "#0072b2",
      "stroke-dasharray": "4 2",
      visibility: "hidden",
      "pointer-events": "none",
    },
    overlay,
  );
  const cursorDot = svgElement(
    "circle",
    { r: 4.5, fill: "none", stroke: "#222222", "stroke-width": 1.5, visibility: "hidden" },
    overlay,
  );
  cursorDot.setAttribute("pointer-events", "none");
  const readoutText = svgLabel(overlay, "", { class: "specx-plot-readout" }, true);
  readoutText.setAttribute("pointer-events", "none");

  const draw = () => {
    if (destroyed) return;
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("aria-label", describe());
    drawing.replaceChildren();
    const clipId = `specx-plot-clip-${chartId}`;

    // Vertical layout: title, legend rows, plot, x tick labels, x title.
    let top = 8;
    if (title) {
      svgLabel(drawing, title, {
        class: "specx-plot-title",
        x: width / 2,
        y: 20,
        "text-anchor": "middle",
        "font-size": 14,
        "font-weight": "bold",
      });
      top = 30;
    }
    const legendItems = series.map((one) => {
      const dropped = xKind === "log" || yKind === "log" ? droppedByLog(one, xKind, yKind) : 0;
      const label = dropped > 0 ? `${one.name} (${dropped} points ≤ 0 not shown)` : one.name;
      return { one, label, width: 28 + textWidth(label) + 14 };
    });
    const legend = svgElement("g", { class: "specx-plot-legend" }, drawing);
    let legendX = 60;
    let legendRow = 0;
    for (const [position, item] of legendItems.entries()) {
      // The last row keeps room to say how many series it leaves out.
      const more = legendItems.length - position;
      const reserve = legendRow === LEGEND_ROWS - 1 && more > 1 ? 110 : 0;
      if (legendX + item.width > width - 10 - reserve && legendX > 60) {
        if (legendRow === LEGEND_ROWS - 1) {
          svgLabel(legend, `and ${more} more series`, {
            class: "specx-plot-legend-more",
            x: legendX,
            y: top + 10 + legendRow * 16,
            fill: "#666666",
          });
          break;
        }
        legendX = 60;
        legendRow++;
      }
      const y = top + 10 + legendRow * 16;
      const entry = svgElement(
        "g",
        { class: "specx-plot-legend-item", "data-series": item.one.name },
        legend,
      );
      svgElement(
        "line",
        {
          x1: legendX,
          x2: legendX + 22,
          y1: y - 4,
          y2: y - 4,
          stroke: item.one.color,
          "stroke-width": 2,
          ...(item.one.dash ? { "stroke-dasharray": item.one.dash } : {}),
        },
        entry,
      );
      svgLabel(entry, item.label, { x: legendX + 28, y });
      legendX += item.width;
    }
    if (legendItems.length > 0) top += (legendRow + 1) * 16 + 4;
    top += 6;
    const bottom = height - 46;
    const plotHeight = Math.max(20, bottom - top);

    const yTicks = yKind === "log" ? logTicks(view.y[0], view.y[1], plotHeight / 40) : [];
    const yTickValues =
      yKind === "log" ? yTicks : linearTicks(view.y[0], view.y[1], Math.max(2, plotHeight / 45));
    const yTickLabels = formatTicks(yTickValues, yKind === "log");
    const labelWidth = Math.max(20, ...yTickLabels.map((label) => textWidth(label)));
    const left = Math.ceil(labelWidth + 12 + (yLabel ? 20 : 4));
    const plotWidth = Math.max(20, width - left - 16);
    plot = { left, top, width: plotWidth, height: plotHeight };
    xScale = createScale(xKind, view.x, [left, left + plotWidth]);
    yScale = createScale(yKind, view.y, [top + plotHeight, top]);
    const xTickValues =
      xKind === "log"
        ? logTicks(view.x[0], view.x[1], plotWidth / 70)
        : linearTicks(view.x[0], view.x[1], Math.max(2, plotWidth / 90));
    const xTickLabels = formatTicks(xTickValues, xKind === "log");

    // Frame, grid and ticks.
    const axes = svgElement("g", { class: "specx-plot-axes" }, drawing);
    svgElement(
      "rect",
      {
        x: left,
        y: top,
        width: plotWidth,
        height: plotHeight,
        fill: "#ffffff",
        stroke: "#888888",
      },
      axes,
    );
    const xAxis = svgElement("g", { class: "specx-plot-x-axis" }, axes);
    const chartTickOptions = { insideOnly: true, grid: true };
    drawXTicks(
      xAxis,
      plot,
      { values: xTickValues, labels: xTickLabels, scale: xScale },
      chartTickOptions,
    );
    const yAxis = svgElement("g", { class: "specx-plot-y-axis" }, axes);
    drawYTicks(
      yAxis,
      plot,
      { values: yTickValues, labels: yTickLabels, scale: yScale },
      chartTickOptions,
    );
    drawAxisTitles(axes, plot, { x: xLabel, y: yLabel, xTitleBaseline: height - 10 });

    // The lines, clipped to the plot area.
    const defs = svgElement("defs", {}, drawing);
    const clip = svgElement("clipPath", { id: clipId }, defs);
    svgElement("rect", { x: left, y: top, width: plotWidth, height: plotHeight }, clip);
    const lines = svgElement(
      "g",
      { class: "specx-plot-lines", "clip-path": `url(#${clipId})` },
      drawing,
    );
    for (const one of series) {
      const group = svgElement("g", { class: "specx-plot-series", "data-series": one.name }, lines);
      const { lines: polylines, isolated } = decimatedLines(
        one.x,
        one.y,
        xScale,
        yScale,
        left + plotWidth,
      );
      for (const points of polylines) {
        svgElement(
          "polyline",
          {
            points,
            fill: "none",
            stroke: one.color,
            "stroke-width": 1.5,
            "stroke-linejoin": "round",
            ...(one.dash ? { "stroke-dasharray": one.dash } : {}),
          },
          group,
        );
      }
      const dots: [number, number][] = [...isolated];
      if (Math.min(one.x.length, one.y.length) <= DOTS_UP_TO) {
        for (let index = 0; index < Math.min(one.x.length, one.y.length); index++) {
          const x = xScale.map(one.x[index] as number);
          const y = yScale.map(one.y[index] as number);
          if (Number.isFinite(x) && Number.isFinite(y)) dots.push([x, y]);
        }
      }
      for (const [x, y] of dots) {
        svgElement("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 2, fill: one.color }, group);
      }
    }

    // Markers: what `specx stats` finds, over the lines.
    const markerLayer = svgElement(
      "g",
      { class: "specx-plot-markers", "clip-path": `url(#${clipId})` },
      drawing,
    );
    const markerLabels = svgElement("g", { class: "specx-plot-marker-labels" }, drawing);
    const labelRows: number[] = [];
    const sortedMarkers = [...markers].sort(
      (a, b) =>
        (a.kind === "span" ? a.from : a.x) - (b.kind === "span" ? b.from : b.x) ||
        a.label.localeCompare(b.label),
    );
    for (const marker of sortedMarkers) {
      const color = marker.color ?? MARKER_COLOR;
      const group = svgElement(
        "g",
        { class: "specx-plot-marker", "data-kind": marker.kind, "data-label": marker.label },
        markerLayer,
      );
      if (marker.kind === "vertical") {
        const x = xScale.map(marker.x);
        if (!(x >= left && x <= left + plotWidth)) continue;
        svgElement(
          "line",
          {
            x1: x,
            x2: x,
            y1: top,
            y2: top + plotHeight,
            stroke: color,
            "stroke-dasharray": "5 3",
            "stroke-width": 1,
          },
          group,
        );
        // Labels of close markers go on lower rows rather than over each other.
        const labelWidth = textWidth(marker.label, 11) + 6;
        let row = 0;
        while ((labelRows[row] ?? Number.NEGATIVE_INFINITY) > x) row++;
        labelRows[row] = x + labelWidth;
        svgLabel(
          markerLabels,
          marker.label,
          {
            class: "specx-plot-marker-label",
            "data-label": marker.label,
            x: x + 3,
            y: top + 12 + row * 13,
            "font-size": 11,
            fill: color,
          },
          true,
        );
      } else if (marker.kind === "span") {
        const x1 = xScale.map(marker.from);
        const x2 = xScale.map(marker.to);
        const y = yScale.map(marker.y);
        if (![x1, x2, y].every(Number.isFinite)) continue;
        svgElement("line", { x1, x2, y1: y, y2: y, stroke: color, "stroke-width": 1.5 }, group);
        for (const x of [x1, x2]) {
          svgElement("line", { x1: x, x2: x, y1: y - 4, y2: y + 4, stroke: color }, group);
        }
        svgLabel(
          markerLabels,
          marker.label,
          {
            class: "specx-plot-marker-label",
            "data-label": marker.label,
            x: Math.min(Math.max((x1 + x2) / 2, left + 20), left + plotWidth - 20),
            y: y - 6,
            "text-anchor": "middle",
            "font-size": 11,
            fill: color,
          },
          true,
        );
      } else {
        const x = xScale.map(marker.x);
        const y = yScale.map(marker.y);
        if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
        svgElement(
          "circle",
          { cx: x, cy: y, r: 4, fill: "none", stroke: color, "stroke-width": 1.5 },
          group,
        );
        if (x >= left && x <= left + plotWidth && y >= top && y <= top + plotHeight) {
          svgLabel(
            markerLabels,
            marker.label,
            // Left of the dot: vertical markers label to the right of their line.
            {
              class: "specx-plot-marker-label",
              "data-label": marker.label,
              x: x - 7,
              y: y - 6,
              "text-anchor": "end",
              "font-size": 11,
              fill: color,
            },
            true,
          );
        }
      }
    }
    if (series.every((one) => drawableCount(one, xKind, yKind) === 0)) {
      svgLabel(drawing, series.length === 0 ? "No data" : "No point can be drawn on these scales", {
        class: "specx-plot-empty",
        x: left + plotWidth / 2,
        y: top + plotHeight / 2,
        "text-anchor": "middle",
        fill: "#666666",
      });
    }

    for (const [name, value] of Object.entries({
      x: left,
      y: top,
      width: plotWidth,
      height: plotHeight,
    })) {
      area.setAttribute(name, String(value));
    }
    svg.append(overlay);
    placeReadout();
  };

  // Drawing is deferred to the next frame for pointer and wheel events (several per frame).
  let frame = 0;
  const drawSoon = () => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  };

  const changed = () => {
    options.onViewChange?.(getView());
  };

  const getView = (): PlotView => ({ x: [...view.x], y: [...view.y] });

  const setViewIfUsable = (next: PlotView, soon: boolean) => {
    if (!usableDomain(next.x, xKind) || !usableDomain(next.y, yKind)) return;
    view = { x: [...next.x], y: [...next.y] };
    zoomed = true;
    if (soon) drawSoon();
    else draw();
    changed();
  };

  const resetZoom = () => {
    view = autoView();
    zoomed = false;
    draw();
    changed();
  };

  // Cursor readout: the nearest point in pixels, over every series.
  const nearest = (px: number, py: number): CursorReadout | null => {
    let best: CursorReadout | null = null;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const one of series) {
      const count = Math.min(one.x.length, one.y.length);
      for (let index = 0; index < count; index++) {
        const dx = xScale.map(one.x[index] as number) - px;
        const dy = yScale.map(one.y[index] as number) - py;
        const distance = dx * dx + dy * dy;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = { series: one.name, index, x: one.x[index] as number, y: one.y[index] as number };
        }
      }
    }
    return best;
  };

  const readoutWords = (readout: CursorReadout) =>
    `${readout.series}: ${xLabel || "x"} = ${formatNumber(readout.x)}, ${yLabel || "y"} = ${formatNumber(readout.y)}`;

  let announce = 0;
  function placeReadout() {
    if (current === null) {
      cursorDot.setAttribute("visibility", "hidden");
      readoutText.textContent = "";
      return;
    }
    const x = xScale.map(current.x);
    const y = yScale.map(current.y);
    const inside =
      x >= plot.left && x <= plot.left + plot.width && y >= plot.top && y <= plot.top + plot.height;
    cursorDot.setAttribute("cx", String(x));
    cursorDot.setAttribute("cy", String(y));
    cursorDot.setAttribute("visibility", inside ? "visible" : "hidden");
    readoutText.textContent = readoutWords(current);
    readoutText.setAttribute("x", String(plot.left + plot.width - 6));
    readoutText.setAttribute("y", String(plot.top + plot.height - 8));
    readoutText.setAttribute("text-anchor", "end");
  }
  const setReadout = (readout: CursorReadout | null) => {
    current = readout;
    placeReadout();
    // Screen readers get the point once the pointer rests, not every move.
    clearTimeout(announce);
    announce = window.setTimeout(() => {
      live.textContent = current === null ? "" : readoutWords(current);
    }, 250);
  };

  // Pointer: drag a rectangle to zoom, shift-drag or middle-drag to pan.
  let drag: {
    mode: "zoom" | "pan";
    pointer: number;
    x: number;
    y: number;
    start: PlotView;
  } | null = null;
  const insidePlot = (point: { x: number; y: number }) =>
    point.x >= plot.left &&
    point.x <= plot.left + plot.width &&
    point.y >= plot.top &&
    point.y <= plot.top + plot.height;
  const clampToPlot = (point: { x: number; y: number }) => ({
    x: Math.min(Math.max(point.x, plot.left), plot.left + plot.width),
    y: Math.min(Math.max(point.y, plot.top), plot.top + plot.height),
  });

  const onPointerDown = (event: PointerEvent) => {
    const point = localPoint(svg, event, width, height);
    if (!insidePlot(point) || (event.button !== 0 && event.button !== 1)) return;
    event.preventDefault();
    svg.focus({ preventScroll: true });
    const mode = event.button === 1 || event.shiftKey ? "pan" : "zoom";
    drag = { mode, pointer: event.pointerId, x: point.x, y: point.y, start: getView() };
    svg.setPointerCapture?.(event.pointerId);
    if (mode === "pan") svg.classList.add("specx-plot-panning");
  };
  const onPointerMove = (event: PointerEvent) => {
    const point = localPoint(svg, event, width, height);
    if (drag === null || drag.pointer !== event.pointerId) {
      if (insidePlot(point)) setReadout(nearest(point.x, point.y));
      return;
    }
    if (drag.mode === "zoom") {
      const end = clampToPlot(point);
      const flat = Math.abs(end.y - drag.y) < 5;
      zoomBox.setAttribute("x", String(Math.min(drag.x, end.x)));
      zoomBox.setAttribute("width", String(Math.abs(end.x - drag.x)));
      zoomBox.setAttribute("y", String(flat ? plot.top : Math.min(drag.y, end.y)));
      zoomBox.setAttribute("height", String(flat ? plot.height : Math.abs(end.y - drag.y)));
      zoomBox.setAttribute("visibility", "visible");
      return;
    }
    const start = drag.start;
    const xShift = -(point.x - drag.x) / plot.width;
    const yShift = (point.y - drag.y) / plot.height;
    setViewIfUsable(
      { x: panDomain(start.x, xKind, xShift), y: panDomain(start.y, yKind, yShift) },
      true,
    );
  };
  const onPointerUp = (event: PointerEvent) => {
    if (drag === null || drag.pointer !== event.pointerId) return;
    const finished = drag;
    drag = null;
    svg.classList.remove("specx-plot-panning");
    zoomBox.setAttribute("visibility", "hidden");
    if (finished.mode !== "zoom") return;
    const end = clampToPlot(localPoint(svg, event, width, height));
    const wide = Math.abs(end.x - finished.x) >= 5;
    const tall = Math.abs(end.y - finished.y) >= 5;
    if (!wide) return;
    const x: [number, number] = [
      xScale.invert(Math.min(finished.x, end.x)),
      xScale.invert(Math.max(finished.x, end.x)),
    ];
    const y: [number, number] = tall
      ? [yScale.invert(Math.max(finished.y, end.y)), yScale.invert(Math.min(finished.y, end.y))]
      : [...view.y];
    setViewIfUsable({ x, y }, false);
  };
  const onWheel = (event: WheelEvent) => {
    const point = localPoint(svg, event, width, height);
    if (!insidePlot(point) || event.deltaY === 0) return;
    event.preventDefault();
    const factor = event.deltaY < 0 ? 0.8 : 1.25;
    // Shift zooms x only, Alt y only.
    const x = event.altKey ? view.x : zoomDomain(view.x, xKind, xScale.invert(point.x), factor);
    const y = event.shiftKey ? view.y : zoomDomain(view.y, yKind, yScale.invert(point.y), factor);
    setViewIfUsable({ x, y }, true);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const centerX = xScale.invert(plot.left + plot.width / 2);
    const centerY = yScale.invert(plot.top + plot.height / 2);
    let next: PlotView | null = null;
    switch (event.key) {
      case "+":
      case "=":
        next = {
          x: zoomDomain(view.x, xKind, centerX, 0.8),
          y: zoomDomain(view.y, yKind, centerY, 0.8),
        };
        break;
      case "-":
      case "_":
        next = {
          x: zoomDomain(view.x, xKind, centerX, 1.25),
          y: zoomDomain(view.y, yKind, centerY, 1.25),
        };
        break;
      case "ArrowLeft":
        next = { x: panDomain(view.x, xKind, -0.1), y: view.y };
        break;
      case "ArrowRight":
        next = { x: panDomain(view.x, xKind, 0.1), y: view.y };
        break;
      case "ArrowUp":
        next = { x: view.x, y: panDomain(view.y, yKind, 0.1) };
        break;
      case "ArrowDown":
        next = { x: view.x, y: panDomain(view.y, yKind, -0.1) };
        break;
      case "0":
        event.preventDefault();
        resetZoom();
        return;
      case "[":
      case "]": {
        // Steps the readout through the points of its series, for keyboard and screen reader use.
        event.preventDefault();
        const one = series.find((candidate) => candidate.name === current?.series) ?? series[0];
        if (one === undefined) return;
        const count = Math.min(one.x.length, one.y.length);
        let index = current?.series === one.name ? current.index : -1;
        const step = event.key === "]" ? 1 : -1;
        for (let tries = 0; tries < count; tries++) {
          index = (((index + step) % count) + count) % count;
          if (drawable(xKind, one.x[index] as number) && drawable(yKind, one.y[index] as number)) {
            setReadout({
              series: one.name,
              index,
              x: one.x[index] as number,
              y: one.y[index] as number,
            });
            return;
          }
        }
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    setViewIfUsable(next, false);
  };
  const onDoubleClick = (event: MouseEvent) => {
    if (!insidePlot(localPoint(svg, event, width, height))) return;
    event.preventDefault();
    resetZoom();
  };
  const onLeave = () => {
    if (drag === null) setReadout(null);
  };
  svg.addEventListener("pointerdown", onPointerDown);
  svg.addEventListener("pointermove", onPointerMove);
  svg.addEventListener("pointerup", onPointerUp);
  svg.addEventListener("pointercancel", onPointerUp);
  svg.addEventListener("pointerleave", onLeave);
  svg.addEventListener("wheel", onWheel, { passive: false });
  svg.addEventListener("keydown", onKeyDown);
  svg.addEventListener("dblclick", onDoubleClick);
  // The middle button would start the browser's autoscroll.
  svg.addEventListener("auxclick", (event) => event.preventDefault());

  let observer: ResizeObserver | null = null;
  if (followWidth && typeof ResizeObserver !== "undefined") {
    observer = new ResizeObserver(() => {
      const next = Math.max(200, Math.floor(container.clientWidth));
      if (next !== width && container.clientWidth > 0) {
        width = next;
        drawSoon();
      }
    });
    observer.observe(container);
  }

  setSeriesData(options.series ?? []);
  view = autoView();
  draw();

  const chart: LineChart = {
    element: wrapper,
    svg,
    setSeries(given, keep = {}) {
      setSeriesData(given);
      current = null;
      // A zoomed view stays when asked (stepping through MCA rows); otherwise the data's own.
      if (!(keep.keepView === true && zoomed)) {
        view = autoView();
        zoomed = false;
      }
      draw();
      changed();
    },
    setMarkers(given) {
      markers = [...given];
      draw();
    },
    setScale(scales) {
      xKind = scales.x ?? xKind;
      yKind = scales.y ?? yKind;
      view = autoView();
      zoomed = false;
      draw();
      changed();
    },
    setLabels(labels) {
      title = labels.title ?? title;
      xLabel = labels.xLabel ?? xLabel;
      yLabel = labels.yLabel ?? yLabel;
      draw();
    },
    setView(next) {
      setViewIfUsable(next, false);
    },
    resetZoom,
    getView,
    plotted(): PlottedSeries[] {
      return series.map((one) => ({
        name: one.name,
        color: one.color,
        x: Float64Array.from(one.x),
        y: Float64Array.from(one.y),
        shown: drawableCount(one, xKind, yKind),
      }));
    },
    readout: () => (current === null ? null : { ...current }),
    resize(nextWidth, nextHeight) {
      width = Math.max(200, Math.round(nextWidth));
      if (nextHeight !== undefined) height = Math.max(120, Math.round(nextHeight));
      draw();
    },
    toSvg: () => svgText(svg),
    toPng: (scale = 2) => svgToPng(svgText(svg), width, height, scale),
    destroy() {
      destroyed = true;
      if (frame !== 0) cancelAnimationFrame(frame);
      clearTimeout(announce);
      observer?.disconnect();
      wrapper.remove();
    },
  };
  return chart;
}
