/**
 * Builds `dist/specx.cjs`, the whole CLI in one CommonJS file, and V8's code cache for it, which
 * bin/specx.cjs loads (docs/performance.md, "CLI start-up"). Runs after `tsc -b` in the package's
 * build, from the compiled ES modules of dist/.
 *
 * - chevrotain comes from the single-module build its package ships, as parse/chevrotain.ts loads
 *   it, here resolved at build time instead of by `import.meta.resolve` and a top-level await.
 * - `import.meta.url` in each module becomes the URL of that module's own file in dist/, so
 *   that `createRequire(import.meta.url)` (shard.ts, png.ts, job-server.ts) resolves from there.
 * - Comments and whitespace go, names stay: a stack trace still names its functions. Characters
 *   past ASCII are escaped.
 * - Node's built-in modules load when a module that uses them first runs (see LAZY_BUILTIN).
 * - The code cache is written after a warm-up run of the everyday commands on a small SPEC file,
 *   so it holds the functions they compile, not only the top level.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(packageDir, "dist");
const require = createRequire(import.meta.url);
const loader = require("../bin/specx.cjs");

/** A small file in the layout SPEC writes: a header, a scan with positioners, one with spectra. */
const WARM_UP_SPEC = `#F warm-up.spec
#E 1700000000
#D Tue Nov 14 22:13:20 2023
#C sample  User = specx
#O0 tth  th  chi
#o0 tth th chi

#S 1 ascan  th 0 1 4 0.1
#D Tue Nov 14 22:13:21 2023
#T 0.1  (Seconds)
#G0 0 0 1 0
#Q 1 0 0
#P0 10.5 5.25 90
#N 4
#L th  Epoch  Seconds  det
0 1 0.1 100
0.25 2 0.1 180.5
0.5 3 0.1 240
0.75 4 0.1 170.25
1 5 0.1 95
#C Tue Nov 14 22:13:30 2023.  Scan aborted after 5 points.

#S 2 timescan  0.1 0
#D Tue Nov 14 22:14:00 2023
#P0 10.5 5.25 90
#@MCA 16C
#@CHANN 8 0 7 1
#@CALIB 0 1 0
#N 2
#L Epoch  det
@A 1 2 3 4 5 6 7 8
1 10
@A 2 3 5 8 13 21 34 55
2 12
`;

/**
 * Node's built-in modules, each behind a CommonJS module of the bundle, so that it is required
 * when a module that imports it first runs, not all at the start: rolldown puts the imports of an
 * external module at the top of the bundle, and `specx info` would load worker_threads, zlib and
 * child_process (some 15 ms) for nothing.
 */
const LAZY_BUILTIN = "\0lazy-builtin:";

/** parallel.ts, compiled: its workers start bin/worker.cjs, which loads this bundle. */
const PARALLEL_MODULE = /cli[\\/]dist[\\/]parallel\.js$/;

/**
 * Workers of the bundled CLI load the bundle with its code cache too (bin/worker.cjs) instead of
 * the ES modules of dist/worker.js: a worker is ready some 0.1 s sooner. The build fails if
 * parallel.ts no longer names its worker as expected.
 */
function bundledWorker(code) {
  const original = 'new URL("./worker.js", import.meta.url)';
  if (!code.includes(original)) {
    throw new Error("parallel.js no longer names its worker as bundle.mjs expects");
  }
  return code.replace(
    original,
    'require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", "bin", "worker.cjs"))',
  );
}

/** The path of chevrotain's single-module build, once the bundler has found it. */
let chevrotainSingleModule;

/**
 * chevrotain's first lexer fills a table of 65,536 character codes one entry at a time, in code
 * V8 has not compiled yet: 13 ms of every start on this machine (docs/performance.md). The same
 * table, filled by runs of equal entries, takes 0.3 ms. The build fails if chevrotain's code
 * changed, so that an upgrade looks at this again.
 */
function fillCharCodeTableByRanges(code) {
  const original = `charCodeToOptimizedIdxMap = new Array(65536);
    for (let i = 0; i < 65536; i++) {
      charCodeToOptimizedIdxMap[i] = i > 255 ? 255 + ~~(i / 255) : i;
    }`;
  const byRanges = `charCodeToOptimizedIdxMap = new Uint16Array(65536);
    for (let i = 0; i < 256; i++) charCodeToOptimizedIdxMap[i] = i;
    for (let k = 1; k * 255 < 65536; k++) {
      charCodeToOptimizedIdxMap.fill(255 + k, Math.max(256, k * 255), Math.min(65536, (k + 1) * 255));
    }`;
  if (!code.includes(original)) {
    throw new Error("chevrotain's character code table is no longer filled as bundle.mjs expects");
  }
  return code.replace(original, byRanges);
}

/** parse/chevrotain.ts, compiled: replaced by a static re-export of the single-module build. */
const CHEVROTAIN_LOADER = /spec-parser[\\/]dist[\\/]parse[\\/]chevrotain\.js$/;

const build = await rolldown({
  input: join(dist, "cli.js"),
  platform: "node",
  // resvg is a native addon, required only when a PNG is drawn. The NeXus writer loads h5wasm,
  // an ES module with top-level await and a .wasm, which a script run by vm cannot import: it
  // stays out, and bin/specx.cjs runs `to-nexus` from the ES modules.
  // `record` imports @specx/live-stream (zeromq, a native addon) only when it runs, also from the
  // ES modules.
  external: [
    "@resvg/resvg-js",
    /^@specx\/nexus(\/|$)/,
    /^h5wasm(\/|$)/,
    /^@specx\/live-stream(\/|$)/,
    /^zeromq(\/|$)/,
  ],
  logLevel: "warn",
  plugins: [
    {
      name: "specx-bundle",
      resolveId(source, importer) {
        if (!source.startsWith("node:")) return null;
        if (importer?.startsWith(LAZY_BUILTIN)) return { id: source, external: true };
        return `${LAZY_BUILTIN}${source}`;
      },
      async load(id) {
        if (id.startsWith(LAZY_BUILTIN)) {
          return `module.exports = require(${JSON.stringify(id.slice(LAZY_BUILTIN.length))});`;
        }
        if (!CHEVROTAIN_LOADER.test(id)) return null;
        // As parse/chevrotain.ts finds it: beside the package entry, one folder up.
        const entry = await this.resolve("chevrotain", id);
        if (!entry) throw new Error(`chevrotain is not found from ${id}`);
        chevrotainSingleModule = join(dirname(entry.id), "..", "chevrotain.mjs");
        return [
          'export const chevrotainBuild = "single-module";',
          `export { createToken, EmbeddedActionsParser, Lexer } from ${JSON.stringify(chevrotainSingleModule)};`,
        ].join("\n");
      },
      transform(code, id) {
        if (id === chevrotainSingleModule) return fillCharCodeTableByRanges(code);
        if (PARALLEL_MODULE.test(id)) code = bundledWorker(code);
        if (!code.includes("import.meta.url")) return null;
        const ownFile = JSON.stringify(relative(dist, id).split("\\").join("/"));
        return code.replaceAll(
          "import.meta.url",
          `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${ownFile})).href`,
        );
      },
    },
  ],
});
await build.write({
  file: loader.ownBundle.bundle,
  format: "cjs",
  codeSplitting: false,
  minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
});
await build.close();
writeFileSync(loader.ownBundle.bundle, asciiOnly(readFileSync(loader.ownBundle.bundle, "utf8")));

// What the bundle holds, for bin/specx.cjs to tell a bundle older than a later `tsc -b`.
const buildInfo = [packageDir, ...workspaceDependencies(packageDir)].map((dir) =>
  relative(dist, join(dir, "tsconfig.tsbuildinfo")),
);
writeFileSync(loader.ownBundle.sources, `${JSON.stringify({ buildInfo }, null, 2)}\n`);

await writeCodeCache();

/**
 * `source` with each character past ASCII written as a `\u` escape, which means the same in a
 * string, template, regular expression or name: V8 then holds the source as one byte per
 * character, half the memory to read and hash on every start.
 */
function asciiOnly(source) {
  return source.replace(
    /[^\0-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The directories of the workspace packages `dir` depends on, directly or not. */
function workspaceDependencies(dir, seen = new Set()) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    // The NeXus writer and the live stream are not in the bundle (see `external`), nor the
    // viewer, whose site `view` serves as files: their builds do not make it stale.
    if (
      !name.startsWith("@specx/") ||
      name === "@specx/nexus" ||
      name === "@specx/viewer" ||
      name === "@specx/live-stream"
    ) {
      continue;
    }
    const depDir = join(packageDir, "..", name.slice("@specx/".length));
    if (seen.has(depDir) || !statSync(join(depDir, "package.json"), { throwIfNoEntry: false })) {
      continue;
    }
    seen.add(depDir);
    workspaceDependencies(depDir, seen);
  }
  return seen;
}

/** Runs the everyday commands once in the bundle, then saves what V8 compiled. */
async function writeCodeCache() {
  rmSync(loader.ownBundle.codeCache, { force: true });
  const { exports, script } = loader.loadBundle(false);
  const folder = mkdtempSync(join(tmpdir(), "specx-bundle-"));
  const file = join(folder, "warm-up.spec");
  writeFileSync(file, WARM_UP_SPEC);
  let errors = "";
  const io = {
    stdout: () => {},
    stderr: (text) => {
      errors += text;
    },
    readInput: (path) => new Uint8Array(readFileSync(path)),
    env: {},
  };
  try {
    for (const args of [
      ["info", file],
      ["stats", file, "--json"],
      ["validate", file],
      ["show", file, "1"],
      ["inspect", file, "--json"],
      ["print", file],
    ]) {
      const status = await exports.main(["node", "specx", ...args], io);
      if (status !== 0)
        throw new Error(`warm-up: specx ${args.join(" ")} exited with ${status}: ${errors}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  writeFileSync(loader.ownBundle.codeCache, script.createCachedData());
}
