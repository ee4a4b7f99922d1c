/**
 * A worker thread of the bundled CLI (parallel.ts starts it in place of dist/worker.js when the
 * CLI runs from dist/specx.cjs, scripts/bundle.mjs): it loads the bundle with its code cache, as
 * bin/specx.cjs does, some 0.1 s sooner than the ES modules, and runs jobs as dist/worker.js does.
 */
"use strict";
const { loadBundle } = require("./specx.cjs");

const loaded = loadBundle();
if (process.env.SPECX_REPORT_LOADER === "1") {
  process.stderr.write(`specx worker: loaded from bundle, code cache ${loaded.codeCache}\n`);
}
loaded.exports.serveJobs();
