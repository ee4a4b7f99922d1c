/**
 * The page of test/plot.browser.test.ts: the plot components, bundled on their own, for the
 * test to drive through `window.specxPlot`.
 */
import * as plot from "../../src/plot/index.js";

declare global {
  interface Window {
    specxPlot: typeof plot;
  }
}

window.specxPlot = plot;
