/**
 * Plot components for the viewer: DOM and SVG only, no chart library, nothing about SPEC
 * (the page decides what to plot). Everything the page uses is exported from here.
 *
 * Line chart: `createLineChart(container, { series, markers, title, xLabel, yLabel, xScale,
 * yScale })` appends a wrapper `div.specx-plot-line` holding an inline `<svg role="img">`
 * (focusable) and a visually hidden `aria-live` readout. Series are `{ name, x, y }` with
 * Float64Arrays; NaN breaks the line; a log axis leaves out values ≤ 0 and says how many in the
 * legend. Markers: `{ kind: "vertical", x, label }` (peak, CEN, COM), `{ kind: "span", from,
 * to, y, label }` (FWHM at half maximum), `{ kind: "point", x, y, label }` (the peak).
 * Use: drag a rectangle to zoom (a flat one zooms x only), the wheel zooms around the
 * pointer (Shift: x only, Alt: y only), shift-drag or the middle button pans, double-click or
 * `0` resets; with focus, `+`/`-` zoom, arrows pan, `[`/`]` step the readout through the points.
 * The nearest point is read out in the chart and to screen readers. `setSeries(series,
 * { keepView: true })` keeps a zoomed view across new data (MCA rows); the legend shows three
 * rows at most and says how many series it leaves out.
 *
 * Image view: `createImageView(container, { width, height, values, x, y, title, valueLabel,
 * colorScale })` draws a mesh (row-major `[slow][fast]`) on a canvas, one pixel per point, row 0
 * at the bottom, with axes from the motor positions (missing ones continue the measured step),
 * a colour bar and a hover readout (arrow keys move it). NaN, and ≤ 0 on a log colour scale,
 * show grey.
 *
 * Export: `chart.toSvg()` / `view.toSvg()` give standalone SVG text (also `svgText(svg)`),
 * `toPng()` a PNG blob (also `svgToPng(text)`), `download(blobOrText, fileName, mime)` saves.
 *
 * CSS: the components add one `<style id="specx-plot-style">` to the document head (classes
 * `specx-plot-*`); the page needs no stylesheet for them. They size themselves: give the
 * container a width (the chart follows it) or pass `width`/`height`.
 */
export { COLOR_MAP_TABLE, colorMapRgb, SERIES_PALETTE, seriesStyle } from "./colors.js";
export { canvasToPng, download, svgText, svgToPng } from "./export.js";
export { createImageView } from "./image-view.js";
export { createLineChart } from "./line-chart.js";
export {
  createScale,
  extentOf,
  paddedDomain,
  panDomain,
  type Scale,
  zoomDomain,
} from "./scales.js";
export { formatNumber, formatTick, formatTicks, linearTicks, logTicks, niceStep } from "./ticks.js";
export type {
  AxisScale,
  ChartMarker,
  CursorReadout,
  ImageAxis,
  ImageReadout,
  ImageView,
  ImageViewOptions,
  LineChart,
  LineChartOptions,
  LineSeries,
  PlottedSeries,
  PlotView,
  PointMarker,
  SpanMarker,
  VerticalMarker,
} from "./types.js";
