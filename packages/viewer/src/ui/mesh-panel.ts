/** The Mesh panel: a two-motor mesh scan as an image of one chosen column (helper: createImageView). */
import { createImageView } from "../plot/index.js";
import type { ImageView } from "../plot/types.js";
import { byId, h } from "./dom.js";
import type { PlotScan } from "./plot-panel.js";
import type { Ask } from "./requests.js";

export interface MeshState {
  scan: string | null;
  column: string | null;
  width: number;
  height: number;
  values: number[];
}

export class MeshPanel {
  private readonly column = byId<HTMLSelectElement>("mesh-column");
  private readonly shape = byId("mesh-shape");
  private view: ImageView | null = null;
  private scan: PlotScan | null = null;
  private shown: MeshState = { scan: null, column: null, width: 0, height: 0, values: [] };
  private generation = 0;
  settled: Promise<void> = Promise.resolve();

  private readonly ask: Ask;

  constructor(ask: Ask) {
    this.ask = ask;
    this.column.addEventListener("change", () => this.load());
  }

  get imageView(): ImageView | null {
    return this.view;
  }

  state(): MeshState {
    return { ...this.shown, values: [...this.shown.values] };
  }

  setScan(scan: PlotScan | null): void {
    this.scan = scan?.detail.mesh ? scan : null;
    this.shown = { scan: null, column: null, width: 0, height: 0, values: [] };
    const mesh = this.scan?.detail.mesh ?? null;
    const aliases = this.scan?.detail.aliases ?? [];
    // The value columns: every column but the two motors; the last (the detector) by default.
    const choices = aliases
      .map((name, index) => ({ name, index }))
      .filter(({ index }) => index !== mesh?.fastColumn && index !== mesh?.slowColumn);
    this.column.replaceChildren(
      ...choices.map(({ name, index }) => h("option", { value: index, text: name })),
    );
    if (mesh === null || choices.length === 0) {
      this.shape.textContent = "";
      return;
    }
    this.column.value = String(choices[choices.length - 1]?.index ?? "");
    this.load();
  }

  private load(): void {
    const scan = this.scan;
    const mesh = scan?.detail.mesh;
    if (scan === null || !mesh) return;
    const generation = ++this.generation;
    const valueColumn = Number(this.column.value);
    this.settled = this.ask({
      type: "columns",
      fileId: scan.fileId,
      index: scan.detail.index,
      columns: [mesh.fastColumn, mesh.slowColumn, valueColumn],
    }).then((columns) => {
      if (generation !== this.generation) return;
      const [fast, slow, values] = columns as [Float64Array, Float64Array, Float64Array];
      const width = mesh.fastCount;
      const height = mesh.slowCount;
      // A stopped mesh has fewer points than its grid: the missing pixels are NaN.
      const grid = new Float64Array(width * height).fill(Number.NaN);
      grid.set(values.subarray(0, Math.min(values.length, grid.length)));
      const xs = new Float64Array(width).fill(Number.NaN);
      xs.set(fast.subarray(0, Math.min(width, fast.length)));
      const ys = new Float64Array(height).fill(Number.NaN);
      for (let row = 0; row < height && row * width < slow.length; row++) {
        ys[row] = slow[row * width] ?? Number.NaN;
      }
      const names = scan.detail.aliases;
      const nameOf = (index: number) => names[index] ?? `column ${index + 1}`;
      const options = {
        width,
        height,
        values: grid,
        x: { label: nameOf(mesh.fastColumn), values: xs },
        y: { label: nameOf(mesh.slowColumn), values: ys },
        title: `Scan ${scan.detail.key}: ${nameOf(valueColumn)}`,
        valueLabel: nameOf(valueColumn),
      };
      if (this.view === null) this.view = createImageView(byId("mesh-image"), options);
      else this.view.setData(options);
      this.shape.textContent = `${width} × ${height} points (${nameOf(mesh.fastColumn)} × ${nameOf(mesh.slowColumn)}), ${values.length} measured`;
      this.shown = {
        scan: scan.detail.key,
        column: nameOf(valueColumn),
        width,
        height,
        values: [...grid],
      };
    });
  }
}
