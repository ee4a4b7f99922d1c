/** The plot components' public shapes (see index.ts for how the page uses them). */

/** How an axis maps values: log axes leave out values ≤ 0 (the chart says how many). */
export type AxisScale = "linear" | "log";

/** One y series against its own x (overlays from several scans need not share x). */
export interface LineSeries {
  name: string;
  x: Float64Array;
  y: Float64Array;
  /** A CSS colour; by default the next colour of {@link SERIES_PALETTE}. */
  color?: string;
}

/** A vertical line across the plot at `x` (peak, CEN, COM), labelled at its top. */
export interface VerticalMarker {
  kind: "vertical";
  x: number;
  label: string;
  color?: string;
}

/** A horizontal segment from `from` to `to` at height `y` (the FWHM at half maximum). */
export interface SpanMarker {
  kind: "span";
  from: number;
  to: number;
  y: number;
  label: string;
  color?: string;
}

/** A dot at (`x`, `y`) (the peak). */
export interface PointMarker {
  kind: "point";
  x: number;
  y: number;
  label: string;
  color?: string;
}

export type ChartMarker = VerticalMarker | SpanMarker | PointMarker;

/** A visible domain, in data units, each as [low, high]. */
export interface PlotView {
  x: [number, number];
  y: [number, number];
}

/** The point nearest to the pointer (or the keyboard cursor). */
export interface CursorReadout {
  series: string;
  /** Index of the point in the series' arrays. */
  index: number;
  x: number;
  y: number;
}

/** A series as the chart holds it: every point given, whatever decimation drew. */
export interface PlottedSeries {
  name: string;
  color: string;
  x: Float64Array;
  y: Float64Array;
  /** Points that can be drawn on the current scales (finite, and > 0 on a log axis). */
  shown: number;
}

export interface LineChartOptions {
  series?: LineSeries[];
  markers?: ChartMarker[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xScale?: AxisScale;
  yScale?: AxisScale;
  /** Size in CSS pixels; by default the container's width (followed on resize) and 360. */
  width?: number;
  height?: number;
  /** What the chart is ("Scan plot"): its accessible name starts with it, then says the title, series and axes. */
  ariaLabel?: string;
  /** Called after every zoom, pan or reset. */
  onViewChange?: (view: PlotView) => void;
}

export interface LineChart {
  /** The wrapper (holds the <svg> and the screen-reader readout). */
  readonly element: HTMLElement;
  /** The chart itself: export it with `svgText(chart.svg)`. */
  readonly svg: SVGSVGElement;
  /** Replaces every series and resets the zoom (`keepView`: a zoomed view stays, as when stepping through MCA rows). */
  setSeries(series: LineSeries[], options?: { keepView?: boolean }): void;
  setMarkers(markers: ChartMarker[]): void;
  /** Changes the scales (only those given) and resets the zoom. */
  setScale(scales: { x?: AxisScale; y?: AxisScale }): void;
  setLabels(labels: { title?: string; xLabel?: string; yLabel?: string }): void;
  /** Shows this domain (zoom from code). */
  setView(view: PlotView): void;
  resetZoom(): void;
  getView(): PlotView;
  /** The data of each series, exactly as given (copies). */
  plotted(): PlottedSeries[];
  /** The last cursor readout, or null. */
  readout(): CursorReadout | null;
  resize(width: number, height?: number): void;
  /** Standalone SVG text of the chart. */
  toSvg(): string;
  /** A PNG of the chart, `scale` device pixels per CSS pixel. */
  toPng(scale?: number): Promise<Blob>;
  destroy(): void;
}

/** One image axis: the motor's name and its positions (one per pixel, or one per point). */
export interface ImageAxis {
  label: string;
  values: Float64Array;
}

export interface ImageViewOptions {
  /** Pixels per row (fast motor points) and rows (slow motor points). */
  width: number;
  height: number;
  /** Row-major values, `[slow][fast]`: value of row r, column c at `r * width + c`. Missing ones are NaN. */
  values: Float64Array;
  /** Fast motor: `width` positions, or one per point (`width * height`, the first row's are used). */
  x: ImageAxis;
  /** Slow motor: `height` positions, or one per point (every `width`-th is used). */
  y: ImageAxis;
  title?: string;
  /** The quantity shown (colour bar title). */
  valueLabel?: string;
  colorScale?: AxisScale;
  /** Size of the whole view in CSS pixels; by default 520 × 400. */
  displayWidth?: number;
  displayHeight?: number;
}

/** What the pointer is over in an image. */
export interface ImageReadout {
  column: number;
  row: number;
  x: number;
  y: number;
  value: number;
}

export interface ImageView {
  readonly element: HTMLElement;
  /** The <svg> holding the axes and the colour bar (the image canvas lies over it). */
  readonly svg: SVGSVGElement;
  /** The image itself, one canvas pixel per data point, row 0 at the bottom. */
  readonly canvas: HTMLCanvasElement;
  setData(options: ImageViewOptions): void;
  setColorScale(scale: AxisScale): void;
  /** The colour map's RGBA for a value on the current colour scale (NaN and out-of-scale: [0,0,0,0]). */
  colorOf(value: number): [number, number, number, number];
  readout(): ImageReadout | null;
  /** Standalone SVG: the image as an embedded PNG, with axes and the colour bar. */
  toSvg(): string;
  toPng(scale?: number): Promise<Blob>;
  destroy(): void;
}
