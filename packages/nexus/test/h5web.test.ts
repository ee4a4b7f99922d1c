/**
 * h5web itself plots what `specx to-nexus` writes: a page made of h5web's own packages
 * (@h5web/app with the @h5web/h5wasm provider, test/h5web/main.js) opens a converted corpus file
 * in Debian's Chromium and must show the file's default plot, the NXdata's line, with no error.
 * The screenshot is the README's; SPECX_UPDATE_SCREENSHOTS=1 rewrites it, otherwise it goes to a
 * temporary folder so that a test run leaves the tree clean.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { convertFile, loadH5wasm } from "@specx/nexus/node";
import { corpusPath } from "@specx/test-support";
import { launchChromium, type ServedFolder, serveFolder } from "@specx/test-support/browser";
import { build } from "esbuild";
import type { File as H5File } from "h5wasm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CORPUS_FILE = "33bm_spec.dat";
const pageSource = fileURLToPath(new URL("./h5web/", import.meta.url));
const screenshotOfReadme = fileURLToPath(
  new URL("../../../docs/images/h5web-default-plot.png", import.meta.url),
);

/** What h5web should show for the file's default plot, read from the file with h5wasm. */
interface DefaultPlot {
  title: string;
  signalLabel: string;
  axisLabel: string;
}

/** The text of attribute `name` of the node at `path` (a 1-element array's element), or "". */
function attrText(file: H5File, path: string, name: string): string {
  const node = file.get(path);
  const value = node !== null && "attrs" in node ? node.attrs[name]?.value : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
}

/** A dataset's label as NeXus viewers write it: `long_name`, else the name with its `units`. */
function labelOf(file: H5File, path: string): string {
  const units = attrText(file, path, "units");
  const name = path.slice(path.lastIndexOf("/") + 1);
  return attrText(file, path, "long_name") || (units ? `${name} (${units})` : name);
}

/** The NXdata that the `default` attributes of `/` and of its entry lead to. */
async function readDefaultPlot(h5Path: string): Promise<DefaultPlot> {
  const h5 = await loadH5wasm();
  const file = new h5.File(h5Path, "r");
  const required = (path: string, name: string) => {
    const text = attrText(file, path, name);
    if (text === "") throw new Error(`${h5Path}: ${path} has no ${name} attribute`);
    return text;
  };
  try {
    const entry = `/${required("/", "default")}`;
    const data = `${entry}/${required(entry, "default")}`;
    const signalLabel = labelOf(file, `${data}/${required(data, "signal")}`);
    return {
      title: attrText(file, data, "title") || signalLabel,
      signalLabel,
      axisLabel: labelOf(file, `${data}/${required(data, "axes")}`),
    };
  } finally {
    file.close();
  }
}

/** What the page shows, read from h5web's DOM (accessible names, axis labels). */
interface Shown {
  visualization: string;
  figure: string;
  axisLabels: string[];
  canvases: number;
}

describe("h5web opens a converted file", () => {
  const folder = mkdtempSync(join(tmpdir(), "specx-h5web-"));
  const h5Name = CORPUS_FILE.replace(/\.[^.]*$/, ".h5");
  let server: ServedFolder | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // The page is built here, from h5web's packages as npm installed them: no build output in git.
    await build({
      entryPoints: [join(pageSource, "main.js")],
      outdir: folder,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      logLevel: "error",
    });
    copyFileSync(join(pageSource, "index.html"), join(folder, "index.html"));
    await convertFile(corpusPath(CORPUS_FILE), join(folder, h5Name));
    // The folder holds the page (index.html, main.js, main.css) and the converted file.
    server = await serveFolder(folder);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`shows the default plot of ${CORPUS_FILE}, with no error`, async () => {
    const expected = await readDefaultPlot(join(folder, h5Name));
    expect(expected.signalLabel).not.toBe("");
    expect(expected.axisLabel).not.toBe("");
    expect(expected.signalLabel).not.toBe(expected.axisLabel);

    const page = await (browser as Browser).newPage({ viewport: { width: 1200, height: 700 } });
    const errors: string[] = [];
    // The first error ends the wait for the plot at once, rather than at its timeout.
    let firstError: (reason: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      firstError = reject;
    });
    const record = (text: string) => {
      errors.push(text);
      firstError(new Error(text));
    };
    page.on("console", (message) => {
      if (message.type() === "error") record(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => record(`page: ${error.message}`));

    await page.goto(`${(server as ServedFolder).origin}/index.html?file=${h5Name}`);
    // h5web draws the line with WebGL in a canvas, the title and the axis labels in the DOM.
    const visualization = page.locator('[aria-label="Visualization"] [aria-selected="true"]');
    const figure = page.locator("figure");
    const axisLabels = figure.locator(".visx-axis-label");
    try {
      await Promise.race([
        failed,
        (async () => {
          await figure.locator("canvas").waitFor({ timeout: 60_000 });
          await axisLabels.nth(1).waitFor();
        })(),
      ]);
    } catch (error) {
      // Say what h5web showed instead (its error message, say) and what went wrong on the page.
      const text = (await page.locator("body").innerText()).replace(/\s+/g, " ").slice(0, 600);
      throw new Error(`no plot: ${String(error)}\npage: ${text}\nerrors: ${errors.join("\n")}`);
    }
    // Two frames, so that the line is drawn before the screenshot.
    await page.evaluate(
      "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))",
    );
    const shown: Shown = {
      visualization: ((await visualization.textContent()) ?? "").trim(),
      figure: (await figure.getAttribute("aria-label")) ?? "",
      axisLabels: (await axisLabels.allTextContents()).map((label) => label.trim()),
      canvases: await figure.locator("canvas").count(),
    };
    const screenshot =
      process.env.SPECX_UPDATE_SCREENSHOTS === "1"
        ? screenshotOfReadme
        : join(tmpdir(), "specx-h5web-default-plot.png");
    await page.screenshot({ path: screenshot });
    await page.close();

    expect(errors).toEqual([]);
    expect(shown).toEqual({
      visualization: "NX Line",
      figure: expected.title,
      axisLabels: expect.arrayContaining([expected.axisLabel, expected.signalLabel]),
      canvases: 1,
    });
    expect(existsSync(screenshot)).toBe(true);
  }, 120_000);
});
