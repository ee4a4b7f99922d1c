/**
 * A mesh as a colour image: one canvas pixel per point (scaled without smoothing), over an
 * <svg> that holds the axes, the colour bar and the readout. The export puts the image into
 * the SVG as a PNG.
 */
import { drawAxisTitles, drawVerticalTitle, drawXTicks, drawYTicks } from "./axes.js";
import { COLOR_MAP_TABLE } from "./colors.js";
import { ensureStyles, liveRegion, localPoint, svgElement, svgLabel, textWidth } from "./dom.js";
import { svgText, svgToPng } from "./export.js";
import { createScale, drawable, extentOf, forward } from "./scales.js";
import { formatNumber, formatTicks, linearTicks, logTicks } from "./ticks.js";
import type { AxisScale, ImageReadout, ImageView, ImageViewOptions } from "./types.js";

const NAN_GREY = "#bdbdbd";
/** Largest side of the PNG that the SVG export embeds. */
const EXPORT_SIDE = 2048;

/**
 * A motor's position at each of `count` pixels: every `stride`-th given value. Positions a
 * stopped mesh never reached (missing or NaN) continue the measured ones' even step; with fewer
 * than two measured, the axis falls back to point indexes (`indexed`).
 */
export function axisPositions(
  values: Float64Array,
  count: number,
  stride: number,
): { positions: Float64Array; indexed: boolean } {
  const positions = new Float64Array(count).fill(Number.NaN);
  let first = -1;
  let last = -1;
  for (let index = 0; index < count; index++) {
    const value = values[index * stride];
    if (value === undefined || !Number.isFinite(value)) continue;
    positions[index] = value;
    if (first < 0) first = index;
    last = index;
  }
  if (count === 1 && first === 0) return { positions, indexed: false };
  if (first < 0 || first === last) {
    return { positions: Float64Array.from({ length: count }, (_, i) => i), indexed: true };
  }
  const step = ((positions[last] as number) - (positions[first] as number)) / (last - first);
  for (let index = 0; index < count; index++) {
    if (Number.isNaN(positions[index])) {
      positions[index] = (positions[first] as number) + (index - first) * step;
    }
  }
  return { positions, indexed: false };
}

/** The domain whose pixels are centred on the first and last positions. */
function edgeDomain(positions: Float64Array): [number, number] {
  const first = positions[0] ?? 0;
  const last = positions[positions.length - 1] ?? first;
  const step = positions.length > 1 && last !== first ? (last - first) / (positions.length - 1) : 1;
  return [first - step / 2, last + step / 2];
}

/** A count from a caller: a whole number ≥ 0 (NaN, negative or fractional sizes cannot crash the view). */
function count(value: unknown): number {
  const number = Math.floor(Number(value));
  return Number.isFinite(number) && number > 0 ? number : 0;
}

function float64(values: unknown): Float64Array {
  if (values instanceof Float64Array) return values;
  if (Array.isArray(values) || ArrayBuffer.isView(values)) {
    return Float64Array.from(values as ArrayLike<number>, Number);
  }
  return new Float64Array(0);
}

/** The options with sizes and arrays a view can always draw. */
function sanitized(options: ImageViewOptions): ImageViewOptions {
  return {
    ...options,
    width: count(options.width),
    height: count(options.height),
    values: float64(options.values),
    x: { label: String(options.x?.label ?? ""), values: float64(options.x?.values) },
    y: { label: String(options.y?.label ?? ""), values: float64(options.y?.values) },
  };
}

export function createImageView(container: HTMLElement, given: ImageViewOptions): ImageView {
  const initial = sanitized(given);
  ensureStyles(container.ownerDocument);
  const wrapper = document.createElement("div");
  wrapper.className = "specx-plot-image";
  const svg = svgElement("svg", {
    class: "specx-plot-svg",
    role: "img",
    tabindex: 0,
    "font-family": "sans-serif",
  });
  const canvas = document.createElement("canvas");
  canvas.className = "specx-plot-canvas";
  wrapper.append(svg, canvas);
  const live = liveRegion(wrapper);
  container.append(wrapper);

  let options = initial;
  let colorKind: AxisScale = initial.colorScale ?? "linear";
  let range: [number, number] = [0, 1];
  let xs: Float64Array = new Float64Array(0);
  let ys: Float64Array = new Float64Array(0);
  let xTitle = "";
  let yTitle = "";
  let plot = { left: 0, top: 0, width: 1, height: 1 };
  let current: ImageReadout | null = null;
  let readoutLabel: SVGTextElement | null = null;
  let destroyed = false;

  const displayWidth = () => options.displayWidth ?? 520;
  const displayHeight = () => options.displayHeight ?? 400;

  const colorOf = (value: number): [number, number, number, number] => {
    if (!drawable(colorKind, value)) return [0, 0, 0, 0];
    const low = forward(colorKind, range[0]);
    const high = forward(colorKind, range[1]);
    const t = high > low ? (forward(colorKind, value) - low) / (high - low) : 0.5;
    const level = Math.round(Math.min(1, Math.max(0, t)) * 255) * 4;
    return [
      COLOR_MAP_TABLE[level] as number,
      COLOR_MAP_TABLE[level + 1] as number,
      COLOR_MAP_TABLE[level + 2] as number,
      255,
    ];
  };

  const valueAt = (column: number, row: number) =>
    options.values[row * options.width + column] ?? Number.NaN;

  /** Paints the canvas: data row 0 at the bottom, as on a plot whose y rises upwards. */
  const paint = () => {
    const { width, height } = options;
    canvas.width = Math.max(1, width);
    canvas.height = Math.max(1, height);
    const context = canvas.getContext("2d");
    if (context === null || width < 1 || height < 1) return;
    const image = context.createImageData(width, height);
    for (let row = 0; row < height; row++) {
      const canvasRow = height - 1 - row;
      for (let column = 0; column < width; column++) {
        image.data.set(colorOf(valueAt(column, row)), (canvasRow * width + column) * 4);
      }
    }
    context.putImageData(image, 0, 0);
  };

  const colorBarImage = () => {
    const bar = document.createElement("canvas");
    bar.width = 1;
    bar.height = 256;
    const context = bar.getContext("2d");
    if (context === null) return "";
    const image = context.createImageData(1, 256);
    for (let level = 0; level < 256; level++) {
      image.data.set(COLOR_MAP_TABLE.subarray(level * 4, level * 4 + 4), (255 - level) * 4);
    }
    context.putImageData(image, 0, 0);
    return bar.toDataURL("image/png");
  };

  /** Finite values a log colour scale cannot show (they are drawn grey, like missing ones). */
  let hiddenByLog = 0;
  const logNote = () => (hiddenByLog > 0 ? `${hiddenByLog} values ≤ 0 shown grey` : "");

  const describe = () => {
    const what = options.valueLabel || "values";
    const x = options.x.label || "x";
    const y = options.y.label || "y";
    return `${options.title ? `${options.title}: ` : ""}image of ${what} over ${x} (${options.width} points) and ${y} (${options.height} points), ${
      colorKind === "log" ? "log colour scale, " : ""
    }from ${formatNumber(range[0])} to ${formatNumber(range[1])}${logNote() ? ` (${logNote()})` : ""}. Arrow keys move the readout.`;
  };

  const draw = () => {
    if (destroyed) return;
    const width = displayWidth();
    const height = displayHeight();
    const { width: columns, height: rows } = options;
    const total = columns * rows;
    const yStride = options.y.values.length >= total && columns > 1 ? columns : 1;
    const yAxis = axisPositions(options.y.values, rows, yStride);
    const xAxis = axisPositions(options.x.values, columns, 1);
    xs = xAxis.positions;
    ys = yAxis.positions;
    xTitle = xAxis.indexed ? `${options.x.label || "x"} (point index)` : options.x.label;
    yTitle = yAxis.indexed ? `${options.y.label || "y"} (point index)` : options.y.label;
    hiddenByLog = 0;
    if (colorKind === "log") {
      for (let index = 0; index < Math.min(total, options.values.length); index++) {
        const value = options.values[index] as number;
        if (Number.isFinite(value) && value <= 0) hiddenByLog++;
      }
    }
    range =
      extentOf([options.values.subarray(0, Math.min(total, options.values.length))], colorKind) ??
      (colorKind === "log" ? [1, 10] : [0, 1]);

    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("aria-label", describe());
    svg.replaceChildren();

    const top = options.title ? 32 : 12;
    const bottom = height - 58;
    const plotHeight = Math.max(20, bottom - top);
    const yDomain = edgeDomain(ys);
    const yTicks = linearTicks(yDomain[0], yDomain[1], Math.max(2, plotHeight / 45));
    const yLabels = formatTicks(yTicks, false);
    const colorTicks =
      colorKind === "log"
        ? logTicks(range[0], range[1], plotHeight / 40)
        : linearTicks(range[0], range[1], Math.max(2, plotHeight / 45));
    const colorLabels = formatTicks(colorTicks, colorKind === "log");
    const left = Math.ceil(
      Math.max(20, ...yLabels.map((label) => textWidth(label))) + 12 + (options.y.label ? 20 : 4),
    );
    const barWidth = 16;
    const right =
      14 +
      barWidth +
      8 +
      Math.max(20, ...colorLabels.map((label) => textWidth(label))) +
      (options.valueLabel ? 22 : 6);
    const plotWidth = Math.max(20, width - left - right);
    plot = { left, top, width: plotWidth, height: plotHeight };
    const xDomain = edgeDomain(xs);
    const xScale = createScale("linear", xDomain, [left, left + plotWidth]);
    const yScale = createScale("linear", yDomain, [top + plotHeight, top]);
    const xTicks = linearTicks(xDomain[0], xDomain[1], Math.max(2, plotWidth / 90));
    const xLabels = formatTicks(xTicks, false);

    svgElement("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }, svg);
    if (options.title) {
      svgLabel(svg, options.title, {
        class: "specx-plot-title",
        x: width / 2,
        y: 20,
        "text-anchor": "middle",
        "font-size": 14,
        "font-weight": "bold",
      });
    }
    // Grey shows through where a value is missing (transparent pixels).
    svgElement(
      "rect",
      {
        class: "specx-plot-image-background",
        x: left,
        y: top,
        width: plotWidth,
        height: plotHeight,
        fill: NAN_GREY,
      },
      svg,
    );
    svgElement("g", { class: "specx-plot-image-slot", "data-x": left, "data-y": top }, svg);
    svgElement(
      "rect",
      { x: left, y: top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#888888" },
      svg,
    );
    const axes = svgElement("g", { class: "specx-plot-axes" }, svg);
    drawXTicks(axes, plot, { values: xTicks, labels: xLabels, scale: xScale });
    drawYTicks(axes, plot, { values: yTicks, labels: yLabels, scale: yScale });
    drawAxisTitles(axes, plot, { x: xTitle, y: yTitle, xTitleBaseline: top + plotHeight + 36 });

    // The colour bar, high values at the top.
    const barLeft = left + plotWidth + 14;
    const bar = svgElement("g", { class: "specx-plot-colorbar" }, svg);
    svgElement(
      "image",
      {
        href: colorBarImage(),
        x: barLeft,
        y: top,
        width: barWidth,
        height: plotHeight,
        preserveAspectRatio: "none",
      },
      bar,
    );
    svgElement(
      "rect",
      { x: barLeft, y: top, width: barWidth, height: plotHeight, fill: "none", stroke: "#888888" },
      bar,
    );
    const barScale = createScale(colorKind, range, [top + plotHeight, top]);
    colorTicks.forEach((tick, index) => {
      const y = barScale.map(tick);
      if (!(y >= top - 0.5 && y <= top + plotHeight + 0.5)) return;
      svgElement(
        "line",
        { x1: barLeft + barWidth, x2: barLeft + barWidth + 4, y1: y, y2: y, stroke: "#888888" },
        bar,
      );
      svgLabel(bar, colorLabels[index] ?? "", {
        class: "specx-plot-tick",
        x: barLeft + barWidth + 7,
        y: y + 4,
      });
    });
    if (options.valueLabel) {
      drawVerticalTitle(bar, options.valueLabel, width - 8, top + plotHeight / 2);
    }
    if (logNote()) {
      svgLabel(svg, logNote(), {
        class: "specx-plot-note",
        x: width - 8,
        y: height - 6,
        "text-anchor": "end",
        fill: "#666666",
      });
    }
    readoutLabel = svgLabel(svg, "", {
      class: "specx-plot-readout",
      x: left,
      y: height - 6,
      "data-specx-export": "skip",
    });

    paint();
    canvas.style.left = `${left}px`;
    canvas.style.top = `${top}px`;
    canvas.style.width = `${plotWidth}px`;
    canvas.style.height = `${plotHeight}px`;
    showReadout();
  };

  const readoutWords = (readout: ImageReadout) =>
    `${options.x.label || "x"} = ${formatNumber(readout.x)}, ${options.y.label || "y"} = ${formatNumber(readout.y)}, ${
      options.valueLabel || "value"
    } = ${formatNumber(readout.value)}`;

  let announce = 0;
  function showReadout() {
    if (readoutLabel !== null) readoutLabel.textContent = current ? readoutWords(current) : "";
  }
  const setCell = (column: number, row: number) => {
    if (column < 0 || row < 0 || column >= options.width || row >= options.height) {
      current = null;
    } else {
      current = {
        column,
        row,
        x: xs[column] ?? Number.NaN,
        y: ys[row] ?? Number.NaN,
        value: valueAt(column, row),
      };
    }
    showReadout();
    clearTimeout(announce);
    announce = window.setTimeout(() => {
      live.textContent = current ? readoutWords(current) : "";
    }, 250);
  };

  const onPointerMove = (event: PointerEvent) => {
    const point = localPoint(svg, event, displayWidth(), displayHeight());
    const column = Math.floor(((point.x - plot.left) / plot.width) * options.width);
    const fromTop = Math.floor(((point.y - plot.top) / plot.height) * options.height);
    setCell(column, options.height - 1 - fromTop);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, 1],
      ArrowDown: [0, -1],
    };
    const move = moves[event.key];
    if (move === undefined || options.width < 1 || options.height < 1) return;
    event.preventDefault();
    const column = current ? current.column + move[0] : 0;
    const row = current ? current.row + move[1] : 0;
    setCell(
      Math.min(options.width - 1, Math.max(0, column)),
      Math.min(options.height - 1, Math.max(0, row)),
    );
  };
  svg.addEventListener("pointermove", onPointerMove);
  svg.addEventListener("pointerleave", () => setCell(-1, -1));
  svg.addEventListener("keydown", onKeyDown);

  /** The image scaled up without smoothing, as a PNG data URL (for the SVG export). */
  const exportImage = () => {
    const factor = Math.max(
      1,
      Math.min(
        Math.ceil(plot.width / Math.max(1, options.width)),
        Math.ceil(plot.height / Math.max(1, options.height)),
        Math.floor(EXPORT_SIDE / Math.max(1, options.width, options.height)),
      ),
    );
    const scaled = document.createElement("canvas");
    scaled.width = canvas.width * factor;
    scaled.height = canvas.height * factor;
    const context = scaled.getContext("2d");
    if (context === null) return canvas.toDataURL("image/png");
    context.imageSmoothingEnabled = false;
    context.drawImage(canvas, 0, 0, scaled.width, scaled.height);
    return scaled.toDataURL("image/png");
  };

  const toSvg = () => {
    const slot = svg.querySelector(".specx-plot-image-slot");
    const image = svgElement("image", {
      class: "specx-plot-image-data",
      href: exportImage(),
      x: plot.left,
      y: plot.top,
      width: plot.width,
      height: plot.height,
      preserveAspectRatio: "none",
      style: "image-rendering: pixelated",
    });
    slot?.append(image);
    try {
      return svgText(svg);
    } finally {
      image.remove();
    }
  };

  draw();

  return {
    element: wrapper,
    svg,
    canvas,
    setData(next) {
      options = sanitized(next);
      colorKind = next.colorScale ?? colorKind;
      current = null;
      draw();
    },
    setColorScale(scale) {
      colorKind = scale;
      draw();
    },
    colorOf,
    readout: () => (current === null ? null : { ...current }),
    toSvg,
    toPng: (scale = 2) => svgToPng(toSvg(), displayWidth(), displayHeight(), scale),
    destroy() {
      destroyed = true;
      clearTimeout(announce);
      wrapper.remove();
    },
  };
}
