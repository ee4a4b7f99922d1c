/** The versions written to `/@h5wasm_version` and `/@HDF5_Version` are those installed. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { H5WASM_VERSION, HDF5_VERSION } from "@specx/nexus";
import { expect, it } from "vitest";

/** h5wasm's folder, found as Node finds packages: node_modules of this folder or a parent. */
function h5wasmDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", "h5wasm");
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error("h5wasm is not installed");
  }
}

it("names the installed h5wasm and the HDF5 compiled into it", () => {
  const dir = h5wasmDir();
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  expect(pkg.version).toBe(H5WASM_VERSION);
  const glue = readFileSync(join(dir, "dist", "node", "hdf5_util.js"));
  expect(glue.includes(`HDF5 Version: ${HDF5_VERSION}`)).toBe(true);
});
