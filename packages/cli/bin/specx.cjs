#!/usr/bin/env node
/**
 * The `specx` binary. Committed, not built: npm links bin/ before dist/ exists.
 *
 * It runs the CLI from `dist/specx.cjs`, the whole CLI in one file (scripts/bundle.mjs), compiled
 * with V8's code cache for that file (`dist/specx.cjs.cache`): one file read instead of some forty
 * ES modules resolved and compiled, and no compiling of what the cache holds. On an everyday file
 * this takes 50 ms off every run (docs/performance.md, "CLI start-up"). Node 20 has no compile
 * cache for ES modules; `vm.Script` takes one for a script, hence CommonJS here.
 *
 * Without a bundle, or with one older than a later `tsc -b` of the packages it holds, the CLI runs
 * from its ES modules (`dist/cli.js`): same code, slower start.
 */
"use strict";
const { readFileSync, statSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const { Script } = require("node:vm");

/**
 * The files of a bundle in `dist`: the bundle, V8's code cache of it (written by
 * scripts/bundle.mjs after a warm-up run), and what it was built from (the `tsc -b` build info of
 * each package it holds, relative to `dist`).
 */
function bundleFiles(dist) {
  const bundle = join(dist, "specx.cjs");
  return { dist, bundle, codeCache: `${bundle}.cache`, sources: `${bundle}.json` };
}

const ownBundle = bundleFiles(join(__dirname, "..", "dist"));

/**
 * A build info written more than this after the bundle means `tsc -b` ran since: the bundle is
 * stale. The margin covers a build cache that restores all outputs at once, in any order.
 */
const STALE_AFTER_MS = 1000;

/** True when the bundle exists and no package it holds was compiled after it. */
function bundleIsCurrent(files = ownBundle) {
  let bundleTime;
  let sources;
  try {
    bundleTime = statSync(files.bundle).mtimeMs;
    sources = JSON.parse(readFileSync(files.sources, "utf8")).buildInfo;
  } catch {
    return false;
  }
  for (const relative of sources) {
    try {
      if (statSync(join(files.dist, relative)).mtimeMs > bundleTime + STALE_AFTER_MS) return false;
    } catch {
      // An installed package has no build info beside it: nothing to compare.
    }
  }
  return true;
}

/**
 * Compiles and runs the bundle; returns its exports (`main`, as `dist/cli.js` exports it) and the
 * compiled script, whose code cache scripts/bundle.mjs writes, and whether V8 took the cache
 * ("accepted"; "rejected" by another Node or V8 flags, and then compiled from the source).
 */
function loadBundle(useCodeCache = true, files = ownBundle) {
  const source = readFileSync(files.bundle, "utf8");
  let cachedData;
  if (useCodeCache) {
    try {
      cachedData = readFileSync(files.codeCache);
    } catch {
      // No cache: V8 compiles the source, as for any script.
    }
  }
  // The wrapper Node gives a CommonJS module, so the bundle sees the same five names.
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: files.bundle, cachedData });
  const bundle = { exports: {} };
  const { bundle: file, dist } = files;
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dist);
  const codeCache =
    cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "accepted";
  return { exports: bundle.exports, script, codeCache };
}

async function run() {
  // A reader that stops early (`specx print big.spec | head`) is not an error: exit quietly.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  // `to-nexus` imports h5wasm, an ES module with top-level await, which the bundle cannot do
  // (Node 20 has no import() in a vm.Script): it runs from the ES modules, workers included.
  // So does `record`, which imports zeromq, a native addon, through @specx/live-stream.
  const fromModules = process.argv[2] === "to-nexus" || process.argv[2] === "record";
  const loaded = !fromModules && bundleIsCurrent() ? loadBundle() : undefined;
  const { main } = loaded ? loaded.exports : await import("../dist/cli.js");
  if (process.env.SPECX_REPORT_LOADER === "1") {
    // For tests and the bench: which way this run loaded the CLI.
    const how = loaded ? `bundle, code cache ${loaded.codeCache}` : "modules";
    process.stderr.write(`specx: loaded from ${how}\n`);
  }
  const status = await main(process.argv);
  // All said: end here rather than let Node take the heap apart first (15 to 25 ms on an
  // everyday file, docs/performance.md). Only when nothing waits to be written, as on Linux,
  // where writes to files and pipes finish before they return; else Node ends when they are out.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) {
    process.exit(status);
  }
  process.exitCode = status;
}

if (require.main === module) {
  run();
} else {
  module.exports = { bundleFiles, bundleIsCurrent, loadBundle, ownBundle };
}
