import type { LineChart, LineChartOptions } from "./types.js";

/** Placeholder while the chart is written: the signature is final. */
export function createLineChart(
  _container: HTMLElement,
  _options: LineChartOptions = {},
): LineChart {
  throw new Error("createLineChart: not yet implemented");
}
