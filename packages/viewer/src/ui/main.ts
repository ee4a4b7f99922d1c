/**
 * The viewer page: opens SPEC files (picker, drop, or the files `specx view` names in
 * /files.json), indexes them in the parsing worker (src/worker/) with a progress bar each, and
 * shows the scan list, a scan's plot, details, MCA spectra, mesh image, the file's diagnostics
 * and its raw text. Nothing is uploaded: the worker reads the user's files in place.
 *
 * Test hook `window.specxViewer` (read-only; the browser tests in test/page.test.ts use it beside
 * real clicks and keys):
 * - `files`: each open file `{ fileId, name, size, overview, error, ready }`, `ready` a promise of
 *   its FileOverview (src/protocol.ts) once indexed;
 * - `current`: `{ fileId, index, key }` of the scan shown, or null; `selection`: selected indices;
 * - `plot()`: `{ mode, x, y, scans, stats, plotted() }`, `plotted()` being the chart's series;
 * - `mca()`, `mesh()`: what the MCA and mesh panels show;
 * - `idle()`: a promise that settles when the last opened scan and every panel have drawn.
 */
import { ViewerWorker } from "../client.js";
import { download } from "../plot/index.js";
import type { FileOverview, FileSource, ScanDetail } from "../protocol.js";
import { showDetails } from "./details.js";
import { rangeAround, showDiagnostics, showRawText } from "./diagnostics.js";
import { byId, formatSize, h, wireTabs } from "./dom.js";
import { McaPanel, type McaState } from "./mca-panel.js";
import { MeshPanel, type MeshState } from "./mesh-panel.js";
import { PlotPanel, type PlotScan, type PlotState } from "./plot-panel.js";
import type { Ask } from "./requests.js";
import { ScanList } from "./scan-list.js";

interface OpenFile {
  fileId: number;
  name: string;
  size: number;
  overview: FileOverview | null;
  error: string | null;
  ready: Promise<FileOverview>;
  /** The scan shown and the scans selected when this file was last in front. */
  current: number;
  selection: number[];
}

export interface ViewerHook {
  readonly files: readonly Readonly<Omit<OpenFile, "current" | "selection">>[];
  readonly current: { fileId: number; index: number; key: string } | null;
  readonly selection: readonly number[];
  plot(): PlotState;
  mca(): McaState;
  mesh(): MeshState;
  idle(): Promise<void>;
}

declare global {
  interface Window {
    specxViewer: ViewerHook;
  }
}

const client = new ViewerWorker(new URL("./worker.js", import.meta.url));
const ask: Ask = (request, onProgress) => client.request(request, onProgress);

const files = new Map<number, OpenFile>();
const details = new Map<string, Promise<ScanDetail>>();
let nextFileId = 1;
let front: OpenFile | null = null;
let shown: PlotScan | null = null;
let opening: Promise<void> = Promise.resolve();
let overlaying: Promise<void> = Promise.resolve();

const status = byId("status");
const fileTabs = byId("file-tabs");
const closeButton = byId<HTMLButtonElement>("close-file");
const title = byId("scan-title");
const subtitle = byId("scan-subtitle");

const plotPanel = new PlotPanel(ask);
const mcaPanel = new McaPanel(ask);
const meshPanel = new MeshPanel(ask);
const selectView = wireTabs(byId("view-tabs"));
const scanList = new ScanList({
  open: (index) => {
    if (front !== null) openScan(front, index);
  },
  select: (indices) => {
    if (front === null) return;
    front.selection = indices;
    overlaying = updateOverlay(front);
  },
});

function detailOf(file: OpenFile, index: number): Promise<ScanDetail> {
  const key = `${file.fileId}:${index}`;
  let detail = details.get(key);
  if (detail === undefined) {
    detail = ask({ type: "scan", fileId: file.fileId, index });
    details.set(key, detail);
    detail.catch(() => details.delete(key));
  }
  return detail;
}

function setStatus(text: string): void {
  status.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Opening files
// ---------------------------------------------------------------------------------------------

function progressBar(name: string): {
  element: HTMLElement;
  update(bytes: number, total: number): void;
} {
  const fill = h("div");
  const bar = h(
    "div",
    {
      class: "progress-bar",
      role: "progressbar",
      "aria-label": `Indexing ${name}`,
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "aria-valuenow": 0,
    },
    fill,
  );
  const label = h("span", { text: "0 %" });
  const element = h("div", { class: "progress-item" }, h("span", { text: name }), bar, label);
  return {
    element,
    update(bytes, total) {
      const percent = total > 0 ? Math.min(100, Math.round((bytes / total) * 100)) : 0;
      bar.setAttribute("aria-valuenow", String(percent));
      bar.setAttribute("aria-valuetext", `${percent} % of ${formatSize(total)}`);
      fill.style.width = `${percent}%`;
      label.textContent = `${percent} %`;
    },
  };
}

function openSources(sources: FileSource[]): void {
  for (const source of sources) {
    const fileId = nextFileId++;
    const size = source.kind === "blob" ? source.blob.size : source.size;
    const progress = progressBar(source.name);
    byId("progress").append(progress.element);
    setStatus(`Indexing ${source.name}…`);
    const file: OpenFile = {
      fileId,
      name: source.name,
      size,
      overview: null,
      error: null,
      current: -1,
      selection: [],
      ready: ask({ type: "open", fileId, source }, (bytes, total) => progress.update(bytes, total)),
    };
    files.set(fileId, file);
    renderFileTabs();
    file.ready.then(
      (overview) => {
        file.overview = overview;
        progress.element.remove();
        setStatus(
          `${overview.name}: ${overview.scans.length} scans, ${overview.diagnostics.length} diagnostics`,
        );
        renderFileTabs();
        if (front === null || front === file) showFile(file);
      },
      (error: unknown) => {
        file.error = String(error);
        progress.element.remove();
        setStatus(`Cannot open ${source.name}: ${file.error}`);
        renderFileTabs();
      },
    );
    if (front === null) showFile(file);
  }
}

function renderFileTabs(): void {
  fileTabs.replaceChildren(
    ...[...files.values()].map((file) => {
      const state =
        file.error !== null
          ? " (failed)"
          : file.overview === null
            ? " (indexing…)"
            : ` (${file.overview.scans.length})`;
      const chosen = file === front;
      return h(
        "button",
        {
          type: "button",
          role: "tab",
          class: "file-tab",
          id: `file-tab-${file.fileId}`,
          "aria-selected": String(chosen),
          "aria-controls": "scans",
          tabindex: chosen ? 0 : -1,
          "data-file": file.fileId,
          title: `${file.name}, ${formatSize(file.size)}`,
        },
        file.name,
        h("span", { class: "badge", text: state }),
      );
    }),
  );
  closeButton.hidden = front === null;
  closeButton.textContent = front === null ? "Close this file" : `Close ${front.name}`;
}

fileTabs.addEventListener("click", (event) => {
  const tab = (event.target as HTMLElement).closest<HTMLElement>("[data-file]");
  const file = files.get(Number(tab?.dataset.file));
  if (file !== undefined) showFile(file);
});
fileTabs.addEventListener("keydown", (event) => {
  const list = [...files.values()];
  const at = front === null ? -1 : list.indexOf(front);
  if (at < 0 || !["ArrowLeft", "ArrowRight"].includes(event.key)) return;
  event.preventDefault();
  const next = list[(at + (event.key === "ArrowRight" ? 1 : list.length - 1)) % list.length];
  if (next === undefined) return;
  showFile(next);
  document.getElementById(`file-tab-${next.fileId}`)?.focus();
});
closeButton.addEventListener("click", () => {
  if (front === null) return;
  const closing = front;
  files.delete(closing.fileId);
  for (const key of [...details.keys()]) {
    if (key.startsWith(`${closing.fileId}:`)) details.delete(key);
  }
  ask({ type: "close", fileId: closing.fileId }).catch(() => undefined);
  front = null;
  const next = [...files.values()][0];
  if (next !== undefined) showFile(next);
  else clearView();
  renderFileTabs();
  setStatus(`Closed ${closing.name}`);
});

function clearView(): void {
  shown = null;
  enableExports();
  scanList.show(null);
  title.textContent = "No scan open";
  subtitle.textContent = "";
  showDetails(null);
  plotPanel.setScan(null);
  mcaPanel.setScan(null);
  meshPanel.setScan(null);
  showDiagnostics([], () => undefined);
  byId("raw-text").replaceChildren();
  setPanelAvailable("tab-mca", false);
  setPanelAvailable("tab-mesh", false);
}

/** Brings a file to the front: its scan list, diagnostics, and its last (or first) scan. */
function showFile(file: OpenFile): void {
  front = file;
  renderFileTabs();
  if (file.overview === null) {
    clearView();
    title.textContent = file.error === null ? `Indexing ${file.name}…` : `Cannot open ${file.name}`;
    subtitle.textContent = file.error ?? "";
    return;
  }
  const overview = file.overview;
  const first = overview.scans.findIndex((scan) => scan.points > 0);
  const current = file.current >= 0 ? file.current : Math.max(0, first);
  scanList.show(overview, current, file.selection.length > 0 ? file.selection : [current]);
  showDiagnostics(overview.diagnostics, (line) => openLine(file, line));
  if (overview.scans.length > 0) openScan(file, current);
  else {
    clearViewOfScan();
    title.textContent = `${overview.name}: no scans`;
  }
}

function clearViewOfScan(): void {
  shown = null;
  enableExports();
  showDetails(null);
  plotPanel.setScan(null);
  mcaPanel.setScan(null);
  meshPanel.setScan(null);
}

// ---------------------------------------------------------------------------------------------
// A scan
// ---------------------------------------------------------------------------------------------

function setPanelAvailable(tabId: string, available: boolean): void {
  const tab = byId<HTMLButtonElement>(tabId);
  tab.hidden = !available;
  if (!available && tab.getAttribute("aria-selected") === "true") selectView("tab-plot");
}

function openScan(file: OpenFile, index: number): void {
  file.current = index;
  if (file.selection.length <= 1) file.selection = [index];
  scanList.setCurrent(index, file.selection.length > 1);
  opening = (async () => {
    const detail = await detailOf(file, index);
    if (front !== file || file.current !== index) return;
    const scan: PlotScan = { fileId: file.fileId, detail };
    shown = scan;
    enableExports();
    title.textContent = `Scan ${detail.key}`;
    subtitle.textContent = `${detail.command}${detail.date ? ` · ${detail.date}` : ""} · ${detail.points} points · line ${detail.line}`;
    showDetails(detail);
    plotPanel.setScan(scan);
    mcaPanel.setScan(scan);
    meshPanel.setScan(scan);
    setPanelAvailable("tab-mca", detail.mca !== null);
    setPanelAvailable("tab-mesh", detail.mesh !== null);
    if (file.selection.length > 1) {
      overlaying = updateOverlay(file);
      await overlaying;
    }
  })().catch((error: unknown) => setStatus(`Cannot show scan: ${String(error)}`));
}

async function updateOverlay(file: OpenFile): Promise<void> {
  const indices = file.selection;
  if (indices.length < 2) {
    plotPanel.setOverlay([]);
    return;
  }
  const scans = await Promise.all(indices.map((index) => detailOf(file, index)));
  if (front !== file || file.selection !== indices) return;
  plotPanel.setOverlay(scans.map((detail) => ({ fileId: file.fileId, detail })));
  selectView("tab-plot");
}

/** Shows the raw text around `line`; a failure is said in the status line. */
function openLine(file: OpenFile, line: number): void {
  const { from, to } = rangeAround(line, file.overview?.lineCount ?? line);
  selectView("tab-raw");
  ask({ type: "lines", fileId: file.fileId, from, to }).then(
    (answer) => {
      if (front !== file) return;
      showRawText(answer, line);
      // The diagnostic's button is now hidden: keep the keyboard in the raw text panel.
      byId("raw-line").focus();
      setStatus(`Line ${line}: ${answer.lines[line - answer.from] ?? ""}`);
    },
    (error: unknown) => setStatus(`Cannot read line ${line}: ${String(error)}`),
  );
}

byId("raw-go").addEventListener("click", () => {
  const line = Number(byId<HTMLInputElement>("raw-line").value);
  if (front?.overview && Number.isInteger(line) && line >= 1) openLine(front, line);
});
byId<HTMLInputElement>("raw-line").addEventListener("keydown", (event) => {
  if (event.key === "Enter") byId("raw-go").click();
});

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

const exportButtons = ["export-csv", "export-jsonl", "export-png", "export-svg"].map((id) =>
  byId<HTMLButtonElement>(id),
);

/** Exports need a scan shown. */
function enableExports(): void {
  for (const button of exportButtons) button.disabled = shown === null;
}

function exportName(extension: string): string {
  const stem = (front?.name ?? "scan").replace(/\.[^.]*$/, "") || "scan";
  const key = shown?.detail.key ?? "plot";
  return `${stem}_${key}.${extension}`;
}

/** Runs an export; a failure is said in the status line (never an unhandled rejection). */
function onExport(id: string, run: (scan: PlotScan) => Promise<void>): void {
  byId(id).addEventListener("click", () => {
    if (shown === null) return;
    run(shown).then(
      () => setStatus(`Saved ${byId(id).textContent ?? ""} of scan ${shown?.detail.key ?? ""}`),
      (error: unknown) => setStatus(`Export failed: ${String(error)}`),
    );
  });
}

onExport("export-csv", async (scan) => {
  const csv = await ask({ type: "csv", fileId: scan.fileId, index: scan.detail.index });
  download(csv, exportName("csv"), "text/csv");
});
onExport("export-jsonl", async (scan) => {
  const documents = await ask({ type: "jsonl", fileId: scan.fileId, index: scan.detail.index });
  download(documents.text, documents.fileName, "application/x-ndjson");
});
onExport("export-svg", async () => {
  download(plotPanel.lineChart.toSvg(), exportName("svg"), "image/svg+xml");
});
onExport("export-png", async () => {
  download(await plotPanel.lineChart.toPng(2), exportName("png"), "image/png");
});
enableExports();

// ---------------------------------------------------------------------------------------------
// File picker, drag and drop, and the files `specx view` serves
// ---------------------------------------------------------------------------------------------

const picker = byId<HTMLInputElement>("file");
picker.addEventListener("change", () => {
  const chosen = [...(picker.files ?? [])];
  // Choosing the same file again fires no change event unless the value is cleared.
  picker.value = "";
  openSources(chosen.map((blob) => ({ kind: "blob", name: blob.name, blob })));
});

const dropZone = byId("drop");
let dragDepth = 0;
document.addEventListener("dragenter", (event) => {
  if (!event.dataTransfer?.types.includes("Files")) return;
  dragDepth++;
  document.body.classList.add("dragging");
});
document.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) document.body.classList.remove("dragging");
});
document.addEventListener("dragover", (event) => {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
});
document.addEventListener("drop", (event) => {
  event.preventDefault();
  dragDepth = 0;
  document.body.classList.remove("dragging");
  dropZone.classList.remove("over");
  const dropped = [...(event.dataTransfer?.files ?? [])];
  if (dropped.length > 0)
    openSources(dropped.map((blob) => ({ kind: "blob", name: blob.name, blob })));
});

async function openServedFiles(): Promise<void> {
  let listed: unknown;
  try {
    const response = await fetch("/files.json", { cache: "no-store" });
    // 404: a static host, not `specx view`: no files to open.
    if (!response.ok) return;
    listed = await response.json();
  } catch {
    return;
  }
  if (!Array.isArray(listed)) return;
  const sources: FileSource[] = [];
  for (const item of listed) {
    if (
      typeof item?.name === "string" &&
      typeof item?.url === "string" &&
      typeof item?.size === "number"
    ) {
      const path = typeof item.path === "string" ? { path: item.path } : {};
      sources.push({ kind: "url", name: item.name, url: item.url, size: item.size, ...path });
    }
  }
  openSources(sources);
}

// ---------------------------------------------------------------------------------------------
// The test hook
// ---------------------------------------------------------------------------------------------

window.specxViewer = Object.freeze({
  get files() {
    return [...files.values()].map(({ fileId, name, size, overview, error, ready }) =>
      Object.freeze({ fileId, name, size, overview, error, ready }),
    );
  },
  get current() {
    if (shown === null) return null;
    return { fileId: shown.fileId, index: shown.detail.index, key: shown.detail.key };
  },
  get selection() {
    return [...(front?.selection ?? [])];
  },
  plot: () => plotPanel.state(),
  mca: () => mcaPanel.state(),
  mesh: () => meshPanel.state(),
  async idle() {
    // A panel may start a new draw while another settles: wait until nothing changes.
    for (;;) {
      const pending = [opening, overlaying, plotPanel.settled, mcaPanel.settled, meshPanel.settled];
      await Promise.allSettled(pending);
      const now = [opening, overlaying, plotPanel.settled, mcaPanel.settled, meshPanel.settled];
      if (now.every((promise, at) => promise === pending[at])) return;
    }
  },
});

void openServedFiles();
