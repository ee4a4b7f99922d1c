/** The MCA panel: one spectrum of the scan at a time, a slider over the data rows, log y by default. */
import { createLineChart } from "../plot/index.js";
import type { LineChart } from "../plot/types.js";
import type { Answers } from "../protocol.js";
import { byId, h } from "./dom.js";
import type { PlotScan } from "./plot-panel.js";
import type { Ask } from "./requests.js";

export interface McaState {
  scan: string | null;
  device: number;
  row: number;
  rows: number;
  channels: number[];
  counts: number[];
}

export class McaPanel {
  private readonly device = byId<HTMLSelectElement>("mca-device");
  private readonly row = byId<HTMLInputElement>("mca-row");
  private readonly rowOut = byId<HTMLOutputElement>("mca-row-out");
  private readonly logY = byId<HTMLInputElement>("mca-logy");
  private chart: LineChart | null = null;
  private scan: PlotScan | null = null;
  private shown: Answers["mca"] = null;
  private generation = 0;
  settled: Promise<void> = Promise.resolve();

  private readonly ask: Ask;

  constructor(ask: Ask) {
    this.ask = ask;
    this.row.addEventListener("input", () => this.load());
    this.device.addEventListener("change", () => this.load());
    this.logY.addEventListener("change", () =>
      this.chart?.setScale({ y: this.logY.checked ? "log" : "linear" }),
    );
  }

  get lineChart(): LineChart | null {
    return this.chart;
  }

  state(): McaState {
    return {
      scan: this.scan?.detail.key ?? null,
      device: Number(this.device.value || 0),
      row: this.shown?.row ?? -1,
      rows: this.shown?.rows ?? 0,
      channels: [...(this.shown?.channels ?? [])],
      counts: [...(this.shown?.counts ?? [])],
    };
  }

  /** Shows the first spectrum of a scan with MCA data (or clears the panel). */
  setScan(scan: PlotScan | null): void {
    this.scan = scan?.detail.mca ? scan : null;
    this.shown = null;
    const mca = this.scan?.detail.mca ?? null;
    this.device.replaceChildren(
      ...(mca?.devices ?? []).map((name, index) =>
        h("option", { value: index, text: name || `device ${index + 1}` }),
      ),
    );
    this.device.disabled = (mca?.devices.length ?? 0) < 2;
    this.row.max = String(Math.max(0, (mca?.spectra ?? 1) - 1));
    this.row.value = "0";
    this.row.disabled = mca === null || mca.spectra < 2;
    if (mca === null) {
      this.chart?.setSeries([]);
      this.rowOut.textContent = "";
      return;
    }
    this.load();
  }

  private load(): void {
    const scan = this.scan;
    if (scan === null) return;
    const generation = ++this.generation;
    this.chart ??= createLineChart(byId("mca-chart"), {
      height: 380,
      yScale: this.logY.checked ? "log" : "linear",
      ariaLabel: "MCA spectrum",
    });
    const chart = this.chart;
    this.settled = this.ask({
      type: "mca",
      fileId: scan.fileId,
      index: scan.detail.index,
      row: Number(this.row.value),
      device: Number(this.device.value || 0),
    })
      .then((answer) => {
        if (generation !== this.generation) return;
        this.shown = answer;
        if (answer === null) {
          chart.setSeries([]);
          this.rowOut.textContent = "no spectrum";
          return;
        }
        this.rowOut.textContent = `row ${answer.row + 1} of ${answer.rows}`;
        this.row.setAttribute("aria-valuetext", this.rowOut.textContent);
        chart.setLabels({
          title: `Scan ${scan.detail.key}: MCA spectrum, row ${answer.row + 1}`,
          xLabel: "channel",
          yLabel: "counts",
        });
        chart.setSeries([{ name: "counts", x: answer.channels, y: answer.counts }]);
      })
      .catch((error: unknown) => {
        this.rowOut.textContent = `cannot read the spectrum: ${String(error)}`;
      });
  }
}
