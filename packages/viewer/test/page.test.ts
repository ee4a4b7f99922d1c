/**
 * The viewer page in Debian's Chromium (playwright-core), built by scripts/build.mjs and served
 * from a small 127.0.0.1 server: every corpus file opened through the file input must give the
 * scan list `specx info --json` gives, a plot of the file's own columns, MCA spectra and a mesh
 * image (issue 18, acceptance 1); the CSV and jsonl downloads must equal `specx export` and
 * `specx to-docs` (acceptance 3); the README's screenshots are taken here (acceptance 5).
 * The page's read-only hook `window.specxViewer` (src/ui/main.ts) tells what it shows; the
 * actions are real clicks and keys. No console error or page error may happen in the whole run.
 *
 * Screenshots go to docs/images/viewer-*.png with SPECX_UPDATE_SCREENSHOTS=1, else to a
 * temporary folder, so that a test run leaves the tree clean.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusNames, corpusPath, fixturePath } from "@specx/test-support";
import { launchChromium, type ServedFolder, serveFolder } from "@specx/test-support/browser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileOverview, ScanRow } from "../src/protocol.js";
// The page's test hook, `window.specxViewer` (declared there for Window).
import type {} from "../src/ui/main.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
/** The site as this test builds it, in a folder of its own (dist/site is `specx view`'s). */
const siteDir = mkdtempSync(join(tmpdir(), "specx-viewer-site-"));
const specx = fileURLToPath(new URL("../../cli/bin/specx.cjs", import.meta.url));
const imagesDir = process.env.SPECX_UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL("../../../docs/images/", import.meta.url))
  : mkdtempSync(join(tmpdir(), "specx-viewer-shots-"));
/** A fixed window, so that the screenshots are the same from run to run. */
const VIEWPORT = { width: 1280, height: 800 };

/** Runs the real CLI; its standard output. */
function runSpecx(args: string[], input?: Buffer): string {
  const run = spawnSync(process.execPath, [specx, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    ...(input === undefined ? {} : { input }),
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`specx ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

interface InfoScan {
  key: string;
  number: number | null;
  command: string;
  date: string | null;
  points: number;
  columns: number;
}

/** `specx export --format json` of one scan: its labels and rows (null for NaN). */
interface ExportedScan {
  key: string;
  aliases: string[];
  rows: (number | null)[][];
}

function exported(file: string, key: string): ExportedScan {
  const [scan] = JSON.parse(
    runSpecx(["export", file, "--scan", key, "--format", "json"]),
  ) as ExportedScan[];
  if (scan === undefined) throw new Error(`${file}: no scan ${key}`);
  return scan;
}

const column = (scan: ExportedScan, at: number) => scan.rows.map((row) => row[at] ?? Number.NaN);

/**
 * Sent with every file of the site (served as a static host would: only the site's own files,
 * /files.json is 404, no file is preloaded), so that the page must work under this policy.
 */
const SITE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:",
};

/** Waits until the page has drawn everything it started. */
async function idle(page: Page): Promise<void> {
  await page.evaluate(() => window.specxViewer.idle());
}

/** Opens files through the file input and waits until each is indexed. */
async function openFiles(page: Page, paths: string[]): Promise<FileOverview[]> {
  const before = await page.evaluate(() => window.specxViewer.files.length);
  await page.setInputFiles("#file", paths);
  await page.waitForFunction((n) => window.specxViewer.files.length === n, before + paths.length);
  const overviews = await page.evaluate(async (from) => {
    const opened = window.specxViewer.files.slice(from);
    return Promise.all(opened.map((file) => file.ready));
  }, before);
  await idle(page);
  return overviews;
}

/** Brings a file to the front and opens the scan `index` by clicking its row. */
async function showScan(page: Page, overview: FileOverview, index: number): Promise<void> {
  await page.click(`#file-tab-${overview.fileId}`);
  await page.fill("#filter-text", "");
  await page.click(`#scan-table tr[data-index="${index}"] td.key`);
  await idle(page);
  const current = await page.evaluate(() => window.specxViewer.current);
  expect(current).toEqual({ fileId: overview.fileId, index, key: overview.scans[index]?.key });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(imagesDir, `viewer-${name}.png`) });
}

describe("the viewer page", () => {
  const problems: string[] = [];
  let server: ServedFolder | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let downloads: string;
  let origin = "";
  const names = corpusNames();
  let overviews: FileOverview[] = [];
  const byName = (name: string) => {
    const overview = overviews.find((o) => o.name === name);
    if (overview === undefined) throw new Error(`${name} is not open`);
    return overview;
  };

  beforeAll(async () => {
    // The site as the package builds it (after `tsc -b`, which the test run has done).
    const build = join(packageDir, "scripts", "build.mjs");
    execFileSync(process.execPath, [build, "--outdir", siteDir], { stdio: "pipe" });
    // `specx view` serves the package's own dist/site: build it when it is missing.
    if (!existsSync(join(packageDir, "dist", "site", "worker.js"))) {
      execFileSync(process.execPath, [build], { stdio: "pipe" });
    }
    downloads = mkdtempSync(join(tmpdir(), "specx-viewer-downloads-"));
    server = await serveFolder(siteDir, SITE_HEADERS);
    origin = server.origin;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    page = await context.newPage();
    page.on("console", (message) => {
      // The 404 of /files.json is the page's way to learn that no file is preloaded.
      const expected404 = message.location().url.endsWith("/files.json");
      if (message.type() === "error" && !expected404) {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("request", (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith("blob:")) {
        problems.push(`request left the machine: ${request.url()}`);
      }
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.specxViewer !== undefined);
    // Every corpus file at once, through the file input, as a user picks them.
    overviews = await openFiles(page, names.map(corpusPath));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(downloads, { recursive: true, force: true });
    rmSync(siteDir, { recursive: true, force: true });
    if (!process.env.SPECX_UPDATE_SCREENSHOTS) rmSync(imagesDir, { recursive: true, force: true });
  });

  it("lists every corpus file's scans as `specx info --json` does", async () => {
    const paths = names.map(corpusPath);
    const info = JSON.parse(runSpecx(["info", "--json", ...paths])) as {
      file: string;
      scans: InfoScan[];
    }[];
    expect(overviews.map((o) => o.name)).toEqual(names);
    for (const [at, overview] of overviews.entries()) {
      const summary = (scan: ScanRow | InfoScan) => ({
        key: scan.key,
        number: scan.number,
        command: scan.command,
        date: scan.date,
        points: scan.points,
        columns: scan.columns,
      });
      expect(overview.scans.map(summary), overview.name).toEqual(info[at]?.scans.map(summary));
    }
    // The list shows them: the first file's rows, as the table's cells.
    const first = overviews[0] as FileOverview;
    await page.click(`#file-tab-${first.fileId}`);
    const cells = await page.$$eval("#scan-table tbody tr", (rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "")),
    );
    expect(cells.map((row) => row[4])).toEqual(first.scans.map((scan) => String(scan.points)));
    expect(cells.map((row) => row[3])).toEqual(first.scans.map((scan) => scan.date ?? ""));
    expect(await page.textContent("#status")).toContain("scans");
    expect(problems).toEqual([]);
  });

  it("plots one scan of each file: its first column against its last, the file's own numbers", async () => {
    let plottedFiles = 0;
    for (const overview of overviews) {
      const index = overview.scans.findIndex((scan) => scan.points > 0 && scan.columns > 1);
      if (index < 0) continue;
      const scan = overview.scans[index] as ScanRow;
      await showScan(page, overview, index);
      const shown = await page.evaluate(() => {
        const plot = window.specxViewer.plot();
        return {
          mode: plot.mode,
          x: plot.x,
          y: plot.y,
          series: plot.plotted().map((s) => ({ name: s.name, x: [...s.x], y: [...s.y] })),
        };
      });
      const data = exported(corpusPath(overview.name), scan.key);
      const last = data.aliases.length - 1;
      expect(shown.mode, overview.name).toBe("scan");
      expect(shown.x).toBe(data.aliases[0]);
      expect(shown.y).toEqual([data.aliases[last]]);
      expect(shown.series).toHaveLength(1);
      expect(shown.series[0]?.x, `${overview.name} ${scan.key}`).toEqual(column(data, 0));
      expect(shown.series[0]?.y, `${overview.name} ${scan.key}`).toEqual(column(data, last));
      plottedFiles++;
    }
    expect(plottedFiles).toBeGreaterThanOrEqual(overviews.length - 1);
    expect(problems).toEqual([]);
  });

  it("moves through the list with the keyboard and overlays a column across selected scans", async () => {
    const overview = byName("33bm_spec.dat");
    await showScan(page, overview, 0);
    await page.focus(`#scan-table tr[data-index="0"]`);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await idle(page);
    expect(await page.evaluate(() => window.specxViewer.current?.key)).toBe(overview.scans[2]?.key);
    expect(await page.getAttribute(`#scan-table tr[data-index="2"]`, "aria-selected")).toBe("true");

    // Scans 1.1 and 3.1 are both `ascan th`: tick them beside 3.1.
    await page.click(`#scan-table tr[data-index="0"] td.key`);
    await page.click(`#scan-table tr[data-index="2"] td.key`, { modifiers: ["Control"] });
    await page.check(`#scan-table tr[data-index="4"] .overlay-check`);
    await idle(page);
    const overlay = await page.evaluate(() => {
      const plot = window.specxViewer.plot();
      return { mode: plot.mode, scans: plot.scans, series: plot.plotted().length };
    });
    expect(overlay.mode).toBe("overlay");
    expect(overlay.scans).toEqual([0, 2, 4].map((i) => overview.scans[i]?.key));
    expect(overlay.series).toBe(3);
    await shoot(page, "overlay");
    // A plain click ends the overlay.
    await page.click(`#scan-table tr[data-index="0"] td.key`);
    await idle(page);
    expect(await page.evaluate(() => window.specxViewer.plot().mode)).toBe("scan");

    // The filters: by command macro and by text.
    await page.selectOption("#filter-macro", "ascan");
    const ascans = overview.scans.filter((scan) => scan.macro === "ascan").length;
    expect(await page.locator("#scan-table tbody tr").count()).toBe(ascans);
    await page.selectOption("#filter-macro", "");
    await page.fill("#filter-text", "tth");
    const withTth = overview.scans.filter((scan) => scan.command.includes("tth")).length;
    expect(await page.locator("#scan-table tbody tr").count()).toBe(withTth);
    expect(await page.textContent("#scan-count")).toBe(
      `${withTth} of ${overview.scans.length} scans`,
    );
    await page.fill("#filter-text", "");
    expect(problems).toEqual([]);
  });

  it("shows SPEC's statistics on the plot, as specx stats computes them", async () => {
    const overview = byName("33bm_spec.dat");
    await showScan(page, overview, 0);
    const plot = await page.evaluate(() => {
      const state = window.specxViewer.plot();
      return { x: state.x, y: state.y, stats: state.stats };
    });
    const cli = JSON.parse(
      runSpecx(["stats", "--json", corpusPath("33bm_spec.dat"), "--scan", "1.1"]),
    ) as { files: { scans: { plot: Record<string, unknown> }[] }[] };
    const expected = cli.files[0]?.scans[0]?.plot;
    expect(expected).toBeDefined();
    expect({ x: plot.x, y: plot.y[0] }).toEqual({ x: expected?.x, y: expected?.y });
    expect({
      peak: plot.stats?.peak,
      fwhm: plot.stats?.fwhm,
      cen: plot.stats?.cen,
      com: plot.stats?.com,
    }).toEqual({
      peak: expected?.peak,
      fwhm: expected?.fwhm,
      cen: expected?.cen,
      com: expected?.com,
    });
    expect(await page.locator("#stats dd").count()).toBe(5);
    await shoot(page, "plot");
    expect(problems).toEqual([]);
  });

  it("shows a scan's header facts, positioners, #MD metadata and comments", async () => {
    const cells = (id: string) =>
      page.$$eval(`#${id} tbody tr`, (rows) =>
        rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent ?? "")),
      );
    const inspect = (name: string) =>
      (
        JSON.parse(runSpecx(["inspect", corpusPath(name), "--json"])) as {
          scans: {
            positioners: Record<string, number | null>;
            metadata: Record<string, unknown>;
          }[];
        }
      ).scans[0];
    // 33bm's scans have #O/#P positioners, the bluesky-written file's have #MD lines.
    await showScan(page, byName("33bm_spec.dat"), 0);
    await page.click("#tab-details");
    const positioners = await cells("details-positioners");
    const expectedPositioners = inspect("33bm_spec.dat")?.positioners ?? {};
    expect(positioners.map(([name]) => name)).toEqual(Object.keys(expectedPositioners));
    expect(positioners.map(([, , value]) => Number(value))).toEqual(
      Object.values(expectedPositioners).map((v) => Number((v ?? Number.NaN).toPrecision(6))),
    );

    const name = "usaxs-bluesky-specwritercallback.dat";
    await showScan(page, byName(name), 0);
    const metadata = await cells("details-metadata");
    expect(metadata.map(([key]) => key)).toEqual(Object.keys(inspect(name)?.metadata ?? {}));
    expect(await page.locator("#details-facts tr").count()).toBeGreaterThan(5);
    await shoot(page, "details");
    await page.click("#tab-plot");
    expect(problems).toEqual([]);
  });

  it("shows an MCA spectrum equal to `specx inspect --json --mca`", async () => {
    const name = "33id_spec.dat";
    const overview = byName(name);
    const index = overview.scans.findIndex((scan) => scan.hasMca && scan.points > 0);
    expect(index).toBeGreaterThanOrEqual(0);
    await showScan(page, overview, index);
    await page.click("#tab-mca");
    await idle(page);
    const inspected = JSON.parse(runSpecx(["inspect", corpusPath(name), "--json", "--mca"])) as {
      scans: { key: string; spectra: { device: string; values: (number | null)[] }[] }[];
    };
    const spectra = inspected.scans.find((scan) => scan.key === overview.scans[index]?.key)
      ?.spectra as { device: string; values: (number | null)[] }[];
    const first = await page.evaluate(() => window.specxViewer.mca());
    expect(first.row).toBe(0);
    expect(first.counts).toEqual(spectra[0]?.values.map((v) => v ?? Number.NaN));
    // The slider: the last row's spectrum.
    await page.focus("#mca-row");
    await page.keyboard.press("End");
    await idle(page);
    const lastRow = await page.evaluate(() => window.specxViewer.mca());
    expect(lastRow.row).toBe(lastRow.rows - 1);
    const ofDevice = spectra.filter((s) => s.device === spectra[0]?.device);
    expect(lastRow.counts).toEqual(ofDevice[lastRow.row]?.values.map((v) => v ?? Number.NaN));
    // The screenshot shows the row with the most counts, reached with the arrow keys.
    const totals = ofDevice.map((s) => s.values.reduce<number>((sum, v) => sum + (v ?? 0), 0));
    const busiest = totals.indexOf(Math.max(...totals));
    await page.keyboard.press("Home");
    for (let step = 0; step < busiest; step++) await page.keyboard.press("ArrowRight");
    await idle(page);
    const shown = await page.evaluate(() => window.specxViewer.mca());
    expect(shown.row).toBe(busiest);
    expect(shown.counts).toEqual(ofDevice[busiest]?.values.map((v) => v ?? Number.NaN));
    expect(problems).toEqual([]);
  });

  it("opens a dropped file; its MCA spectra follow the slider (the screenshot's)", async () => {
    // The corpus's spectra are all zero: this conformance fixture has a fluorescence peak.
    const name = "spaced_labels_mca_calib.spec";
    const dataTransfer = await page.evaluateHandle(
      ([base64, fileName]) => {
        const bytes = Uint8Array.from(atob(base64 as string), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], fileName as string));
        return transfer;
      },
      [readFileSync(fixturePath(name)).toString("base64"), name],
    );
    await page.dispatchEvent("#drop", "drop", { dataTransfer });
    await page.waitForFunction((n) => window.specxViewer.files.some((f) => f.name === n), name);
    const overview = await page.evaluate(
      (n) => window.specxViewer.files.find((f) => f.name === n)?.ready,
      name,
    );
    if (overview === undefined) throw new Error(`${name} did not open`);
    const index = overview.scans.findIndex((scan) => scan.hasMca);
    await showScan(page, overview, index);
    await page.click("#tab-mca");
    const inspected = JSON.parse(runSpecx(["inspect", fixturePath(name), "--json", "--mca"])) as {
      scans: { key: string; spectra: { values: (number | null)[] }[] }[];
    };
    const spectra = inspected.scans[index]?.spectra ?? [];
    expect(spectra.length).toBeGreaterThan(1);
    await page.focus("#mca-row");
    for (const [row, spectrum] of spectra.entries()) {
      if (row > 0) await page.keyboard.press("ArrowRight");
      await idle(page);
      const shown = await page.evaluate(() => window.specxViewer.mca());
      expect(shown.row).toBe(row);
      expect(shown.counts).toEqual(spectrum.values.map((v) => v ?? Number.NaN));
    }
    await shoot(page, "mca");
    // Closing it brings the first file to the front again.
    await page.click("#close-file");
    expect(await page.evaluate(() => window.specxViewer.files.map((f) => f.name))).toEqual(names);
    expect(await page.textContent("#status")).toBe(`Closed ${name}`);
    await idle(page);
    expect(problems).toEqual([]);
  });

  it("shows a mesh scan as an image of its grid's shape", async () => {
    const name = "lmn40.spe";
    const overview = byName(name);
    const index = overview.scans.findIndex((scan) => scan.isMesh && scan.points > 4);
    expect(index).toBeGreaterThanOrEqual(0);
    const scan = overview.scans[index] as ScanRow;
    await showScan(page, overview, index);
    await page.click("#tab-mesh");
    await idle(page);
    const mesh = await page.evaluate(() => window.specxViewer.mesh());
    // `mesh m1 a1 b1 n1 m2 a2 b2 n2 t`: n1 + 1 points per row, n2 + 1 rows.
    const words = scan.command.trim().split(/\s+/);
    expect(mesh.width).toBe(Number(words[4]) + 1);
    expect(mesh.height).toBe(Number(words[8]) + 1);
    expect(mesh.scan).toBe(scan.key);
    const data = exported(corpusPath(name), scan.key);
    const values = column(data, data.aliases.indexOf(mesh.column ?? ""));
    expect(mesh.values.slice(0, values.length)).toEqual(values);
    const canvas = await page.$eval("#mesh-image canvas", (c) => [
      (c as HTMLCanvasElement).width,
      (c as HTMLCanvasElement).height,
    ]);
    expect(canvas).toEqual([mesh.width, mesh.height]);
    await shoot(page, "mesh");
    expect(problems).toEqual([]);
  });

  it("lists the diagnostics, and a line's button opens the raw text at that line", async () => {
    const name = "33id_spec.dat";
    const overview = byName(name);
    await page.click(`#file-tab-${overview.fileId}`);
    await idle(page);
    await page.click("#tab-diagnostics");
    const rows = await page.locator("#diagnostics-table tbody tr").count();
    expect(rows).toBe(Math.min(overview.diagnostics.length, 2000));
    await shoot(page, "diagnostics");
    const target = overview.diagnostics.find((d) => d.line !== null && d.line > 30);
    expect(target).toBeDefined();
    const line = target?.line as number;
    await page.click(`#diagnostics-table button[data-line="${line}"] >> nth=0`);
    await page.waitForSelector("#raw-text .line.target");
    const shown = await page.$eval("#raw-text .line.target", (element) => ({
      number: element.getAttribute("data-line"),
      text: element.childNodes[1]?.textContent ?? "",
    }));
    const fileLines = readFileSync(corpusPath(name), "latin1").split(/\r?\n/);
    expect(shown.number).toBe(String(line));
    expect(shown.text).toBe(fileLines[line - 1]);
    expect(await page.locator("#raw-text .line").count()).toBeGreaterThanOrEqual(40);
    expect(await page.isVisible("#panel-raw")).toBe(true);
    await shoot(page, "raw-text");
    expect(problems).toEqual([]);
  });

  it("opens the files `specx view` names, read through range requests", async () => {
    const served = ["33id_spec.dat", "lmn40.spe"];
    const viewer = spawn(process.execPath, [specx, "view", ...served.map(corpusPath)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      // The first line is a contract: `specx view: http://127.0.0.1:PORT/ (N files; Ctrl-C to stop)`.
      const url = await new Promise<string>((resolve, reject) => {
        let text = "";
        viewer.stderr.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        viewer.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const found = /^specx view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
          if (found?.[1] !== undefined) resolve(found[1]);
        });
        viewer.once("exit", (code) => reject(new Error(`specx view ended (${code}): ${text}`)));
      });
      const context = await (browser as Browser).newContext({
        viewport: VIEWPORT,
        acceptDownloads: true,
      });
      const served_page = await context.newPage();
      served_page.on("console", (message) => {
        if (message.type() === "error") {
          problems.push(`specx view page: ${message.text()} (${message.location().url})`);
        }
      });
      served_page.on("pageerror", (error) => problems.push(`specx view page: ${error.message}`));
      await served_page.goto(url);
      await served_page.waitForFunction(
        (n) => window.specxViewer?.files.length === n,
        served.length,
      );
      const opened = await served_page.evaluate(() =>
        Promise.all(window.specxViewer.files.map((file) => file.ready)),
      );
      expect(opened.map((o) => o.name)).toEqual(served);
      for (const overview of opened) {
        expect(overview.scans).toEqual(byName(overview.name).scans);
        expect(overview.diagnostics).toEqual(byName(overview.name).diagnostics);
      }
      // The first file is in front, its first scan plotted from the served bytes.
      await served_page.evaluate(() => window.specxViewer.idle());
      const plotted = await served_page.evaluate(() => {
        const plot = window.specxViewer.plot();
        return { key: plot.scans[0], y: [...(plot.plotted()[0]?.y ?? [])] };
      });
      const data = exported(corpusPath(served[0] as string), plotted.key as string);
      expect(plotted.y).toEqual(column(data, data.aliases.length - 1));
      // A served file's path is known: its run names it, as `specx to-docs FILE` writes it.
      const [download] = await Promise.all([
        served_page.waitForEvent("download"),
        served_page.click("#export-jsonl"),
      ]);
      const runs = join(downloads, "served-runs");
      runSpecx([
        "to-docs",
        corpusPath(served[0] as string),
        "--scan",
        plotted.key as string,
        "--format",
        "jsonl",
        "-o",
        runs,
      ]);
      const [written] = readdirSync(runs);
      expect(download.suggestedFilename()).toBe(written);
      const downloaded = join(downloads, `served-${download.suggestedFilename()}`);
      await download.saveAs(downloaded);
      const text = readFileSync(downloaded, "utf8");
      expect(text).toContain(JSON.stringify(resolve(corpusPath(served[0] as string))));
      expect(text).toBe(readFileSync(join(runs, written as string), "utf8"));
      await context.close();
    } finally {
      viewer.kill("SIGTERM");
    }
    expect(problems).toEqual([]);
  });

  it("downloads a scan as `specx export --format csv` and `specx to-docs --format jsonl` write it", async () => {
    for (const [name, key] of [
      ["33bm_spec.dat", "1.1"],
      ["33id_spec.dat", "1.1"],
    ] as const) {
      const overview = byName(name);
      const index = overview.scans.findIndex((scan) => scan.key === key);
      await showScan(page, overview, index);
      await page.click("#tab-plot");

      const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
      const csvPath = join(downloads, csv.suggestedFilename());
      await csv.saveAs(csvPath);
      expect(readFileSync(csvPath, "utf8"), `${name} ${key} csv`).toBe(
        runSpecx(["export", corpusPath(name), "--scan", key, "--format", "csv"]),
      );

      const [jsonl] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#export-jsonl"),
      ]);
      const runs = join(downloads, `runs-${overview.fileId}`);
      // From standard input: the page cannot know the file's path, which the CLI records as
      // `spec.source_path` for a named file (src/worker/session.ts).
      runSpecx(
        ["to-docs", "-", "--scan", key, "--format", "jsonl", "-o", runs],
        readFileSync(corpusPath(name)),
      );
      const [written] = readdirSync(runs);
      expect(jsonl.suggestedFilename()).toBe(written);
      const jsonlPath = join(downloads, jsonl.suggestedFilename());
      await jsonl.saveAs(jsonlPath);
      expect(readFileSync(jsonlPath, "utf8"), `${name} ${key} jsonl`).toBe(
        readFileSync(join(runs, written as string), "utf8"),
      );

      const [svg] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
      const svgPath = join(downloads, svg.suggestedFilename());
      await svg.saveAs(svgPath);
      expect(readFileSync(svgPath, "utf8")).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
      const [png] = await Promise.all([page.waitForEvent("download"), page.click("#export-png")]);
      const pngPath = join(downloads, png.suggestedFilename());
      await png.saveAs(pngPath);
      expect([...readFileSync(pngPath).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
    expect(problems).toEqual([]);
  });
});
