/**
 * The Plot panel: x and y choices among the scan's columns, log scales, SPEC's statistics
 * (peak, FWHM, CEN, COM from the worker's `stats`, as `specx stats` computes them) marked on the
 * chart and listed, an overlay of one column across several selected scans, and the exports.
 */
import { createLineChart } from "../plot/index.js";
import type { ChartMarker, LineChart, LineSeries, PlottedSeries } from "../plot/types.js";
import type { PeakStats, ScanDetail } from "../protocol.js";
import { byId, formatNumber, h } from "./dom.js";
import type { Ask } from "./requests.js";

/** A scan as the panel plots it. */
export interface PlotScan {
  fileId: number;
  detail: ScanDetail;
}

/** What the test hook reads of the panel. */
export interface PlotState {
  mode: "scan" | "overlay" | "none";
  x: string | null;
  y: string[];
  /** Keys of the scans plotted (one outside an overlay). */
  scans: string[];
  stats: PeakStats | null;
  plotted(): PlottedSeries[];
}

export class PlotPanel {
  private readonly xSelect = byId<HTMLSelectElement>("plot-x");
  private readonly ySelect = byId<HTMLSelectElement>("plot-y");
  private readonly logY = byId<HTMLInputElement>("plot-logy");
  private readonly logX = byId<HTMLInputElement>("plot-logx");
  private readonly showStats = byId<HTMLInputElement>("plot-stats");
  private readonly note = byId("overlay-note");
  private readonly statsList = byId("stats");
  private readonly chart: LineChart;
  private scan: PlotScan | null = null;
  private overlay: PlotScan[] = [];
  private generation = 0;
  private statsValue: PeakStats | null = null;
  private drawn: { mode: PlotState["mode"]; x: string | null; y: string[]; scans: string[] } = {
    mode: "none",
    x: null,
    y: [],
    scans: [],
  };
  /** Settles when the last draw has finished (the test hook waits on it). */
  settled: Promise<void> = Promise.resolve();

  private readonly ask: Ask;

  constructor(ask: Ask) {
    this.ask = ask;
    this.chart = createLineChart(byId("chart"), { height: 380, ariaLabel: "Scan plot" });
    for (const control of [this.xSelect, this.ySelect]) {
      control.addEventListener("change", () => this.redraw());
    }
    for (const control of [this.logX, this.logY]) {
      control.addEventListener("change", () => {
        this.chart.setScale({
          x: this.logX.checked ? "log" : "linear",
          y: this.logY.checked ? "log" : "linear",
        });
      });
    }
    this.showStats.addEventListener("change", () => this.applyMarkers());
  }

  get lineChart(): LineChart {
    return this.chart;
  }

  state(): PlotState {
    return {
      ...this.drawn,
      y: [...this.drawn.y],
      scans: [...this.drawn.scans],
      stats: this.statsValue,
      plotted: () => this.chart.plotted(),
    };
  }

  /** Shows a scan: its columns as choices, SPEC's default plot (first column vs last). */
  setScan(scan: PlotScan | null): void {
    this.scan = scan;
    this.overlay = [];
    const aliases = scan?.detail.aliases ?? [];
    const previousX = this.xSelect.selectedOptions[0]?.text;
    const previousY = [...this.ySelect.selectedOptions].map((option) => option.text);
    this.xSelect.replaceChildren(
      ...aliases.map((name, index) => h("option", { value: index, text: name })),
    );
    this.ySelect.replaceChildren(
      ...aliases.map((name, index) => h("option", { value: index, text: name })),
    );
    this.ySelect.size = Math.min(6, Math.max(2, aliases.length));
    if (scan !== null && scan.detail.defaultX >= 0) {
      // Keep the user's choice when the next scan has the same columns (stepping through scans).
      const keepX = previousX !== undefined && aliases.includes(previousX);
      const keepY = previousY.length > 0 && previousY.every((name) => aliases.includes(name));
      const sameColumns = keepX && keepY && this.lastAliases.join("\t") === aliases.join("\t");
      this.xSelect.value = String(sameColumns ? aliases.indexOf(previousX) : scan.detail.defaultX);
      const ys = sameColumns
        ? previousY.map((name) => aliases.indexOf(name))
        : [scan.detail.defaultY];
      for (const option of this.ySelect.options)
        option.selected = ys.includes(Number(option.value));
    }
    this.lastAliases = aliases;
    this.redraw();
  }

  private lastAliases: string[] = [];

  /** Overlays the chosen y column across these scans (two or more), else plots the one scan. */
  setOverlay(scans: PlotScan[]): void {
    this.overlay = scans.length > 1 ? scans : [];
    this.redraw();
  }

  private redraw(): void {
    const generation = ++this.generation;
    this.settled = this.draw(generation).catch((error: unknown) => {
      if (generation === this.generation) this.showNote(`Cannot plot: ${String(error)}`);
    });
  }

  private showNote(text: string): void {
    this.note.textContent = text;
    this.note.hidden = text === "";
  }

  private async draw(generation: number): Promise<void> {
    const scan = this.scan;
    const x = Number(this.xSelect.value);
    const ys = [...this.ySelect.selectedOptions].map((option) => Number(option.value));
    this.statsValue = null;
    if (scan === null || scan.detail.defaultX < 0 || this.xSelect.value === "" || ys.length === 0) {
      this.chart.setSeries([]);
      this.chart.setMarkers([]);
      this.renderStats();
      this.drawn = { mode: "none", x: null, y: [], scans: [] };
      this.showNote(
        scan === null ? "" : scan.detail.defaultX < 0 ? "This scan has no data points." : "",
      );
      return;
    }
    const nameOf = (index: number) => scan.detail.aliases[index] ?? `column ${index + 1}`;
    const xName = nameOf(x);
    const yNames = ys.map(nameOf);
    if (this.overlay.length > 1) {
      await this.drawOverlay(generation, xName, yNames[0] ?? xName);
      return;
    }
    const columns = await this.ask({
      type: "columns",
      fileId: scan.fileId,
      index: scan.detail.index,
      columns: [x, ...ys],
    });
    const stats = await this.ask({
      type: "stats",
      fileId: scan.fileId,
      index: scan.detail.index,
      x,
      y: ys[0] ?? x,
    });
    if (generation !== this.generation) return;
    const [xs, ...yColumns] = columns as [Float64Array, ...Float64Array[]];
    const series: LineSeries[] = yColumns.map((values, at) => ({
      name: yNames[at] ?? "",
      x: xs,
      y: values,
    }));
    this.statsValue = stats;
    this.chart.setLabels({
      title: `Scan ${scan.detail.key}: ${scan.detail.command}`,
      xLabel: xName,
      yLabel: yNames.join(", "),
    });
    this.chart.setSeries(series);
    this.applyMarkers();
    this.showNote("");
    this.drawn = { mode: "scan", x: xName, y: yNames, scans: [scan.detail.key] };
  }

  private async drawOverlay(generation: number, xName: string, yName: string): Promise<void> {
    const series: LineSeries[] = [];
    const missing: string[] = [];
    for (const other of this.overlay) {
      const x = other.detail.aliases.indexOf(xName);
      const y = other.detail.aliases.indexOf(yName);
      if (x < 0 || y < 0 || other.detail.points === 0) {
        missing.push(other.detail.key);
        continue;
      }
      const pair = await this.ask({
        type: "columns",
        fileId: other.fileId,
        index: other.detail.index,
        columns: [x, y],
      });
      if (generation !== this.generation) return;
      const [xs, values] = pair as [Float64Array, Float64Array];
      series.push({ name: `${other.detail.key} ${yName}`, x: xs, y: values });
    }
    if (generation !== this.generation) return;
    this.chart.setLabels({
      title: `${yName} across ${series.length} scans`,
      xLabel: xName,
      yLabel: yName,
    });
    this.chart.setSeries(series);
    this.chart.setMarkers([]);
    this.renderStats();
    this.showNote(
      `Overlay of ${yName} against ${xName} across scans ${this.overlay.map((s) => s.detail.key).join(", ")}` +
        (missing.length > 0 ? `; not in scans ${missing.join(", ")}` : ""),
    );
    this.drawn = {
      mode: "overlay",
      x: xName,
      y: [yName],
      scans: this.overlay.filter((s) => !missing.includes(s.detail.key)).map((s) => s.detail.key),
    };
  }

  private applyMarkers(): void {
    const stats = this.statsValue;
    const markers: ChartMarker[] = [];
    if (stats !== null && this.showStats.checked && this.overlay.length <= 1) {
      markers.push({ kind: "point", x: stats.peak.x, y: stats.peak.y, label: "peak" });
      if (Number.isFinite(stats.fwhm) && stats.fwhm > 0) {
        markers.push({
          kind: "span",
          from: stats.lower,
          to: stats.upper,
          y: stats.halfMaximum,
          label: `FWHM ${formatNumber(stats.fwhm)}`,
        });
      }
      if (Number.isFinite(stats.cen))
        markers.push({ kind: "vertical", x: stats.cen, label: "CEN" });
      if (stats.com !== null && Number.isFinite(stats.com)) {
        markers.push({ kind: "vertical", x: stats.com, label: "COM" });
      }
    }
    this.chart.setMarkers(markers);
    this.renderStats();
  }

  private renderStats(): void {
    const stats = this.statsValue;
    if (stats === null || !this.showStats.checked || this.overlay.length > 1) {
      this.statsList.replaceChildren();
      return;
    }
    const items: [string, number | null][] = [
      ["Peak at", stats.peak.x],
      ["Peak", stats.peak.y],
      ["FWHM", stats.fwhm],
      ["CEN", stats.cen],
      ["COM", stats.com],
    ];
    this.statsList.replaceChildren(
      ...items.map(([label, value]) =>
        h("div", {}, h("dt", { text: label }), h("dd", { text: formatNumber(value) })),
      ),
    );
  }
}
