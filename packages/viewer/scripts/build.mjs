// Builds the static site into dist/site/ (or the folder given as `--outdir DIR`, which tests use
// so as not to replace dist/site under another test): the page's script and the parsing worker as
// two esbuild entries in one folder (client.ts starts `new URL("./worker.js", import.meta.url)`),
// plus the HTML and CSS. Run after `tsc -b` (package script `build`). Prints each file's raw and
// gzip size, the figures the README states.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdirFlag = process.argv.indexOf("--outdir");
const site =
  outdirFlag >= 0 && process.argv[outdirFlag + 1]
    ? resolve(process.argv[outdirFlag + 1])
    : join(root, "dist", "site");

rmSync(site, { recursive: true, force: true });
mkdirSync(site, { recursive: true });

await build({
  entryPoints: {
    main: join(root, "src", "ui", "main.ts"),
    worker: join(root, "src", "worker", "worker.ts"),
  },
  outdir: site,
  bundle: true,
  // esm: the parser's chevrotain loader has a top-level await (docs: no iife build).
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  logLevel: "warning",
});
for (const name of ["index.html", "style.css"]) {
  copyFileSync(join(root, "src", "ui", name), join(site, name));
}

const rows = readdirSync(site)
  .filter((name) => !name.endsWith(".map"))
  .sort()
  .map((name) => {
    const bytes = readFileSync(join(site, name));
    return {
      name,
      raw: statSync(join(site, name)).size,
      gzip: gzipSync(bytes, { level: 9 }).length,
    };
  });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const width = Math.max(...rows.map((row) => row.name.length));
console.log(`${site} (gzip -9, node:zlib)`);
for (const row of rows) {
  console.log(
    `  ${row.name.padEnd(width)}  ${kb(row.raw).padStart(9)}  gzip ${kb(row.gzip).padStart(8)}`,
  );
}
const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), {
  raw: 0,
  gzip: 0,
});
console.log(
  `  ${"total".padEnd(width)}  ${kb(total.raw).padStart(9)}  gzip ${kb(total.gzip).padStart(8)}`,
);
