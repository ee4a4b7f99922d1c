/**
 * @specx/nexus: SPEC files to NeXus/HDF5, the tree spec2nexus writes with its defects fixed
 * (docs/nexus.md), written with h5wasm.
 *
 * - {@link writeNexus}: a parsed file (or chosen scans) to an HDF5 file, with h5wasm loaded by
 *   {@link loadH5wasm}; `convertFile` in `@specx/nexus/node` adds the temporary name and rename.
 * - {@link buildEntry}: one scan as an NXentry tree in memory, before any HDF5 is written.
 */
export { type BuiltEntry, buildEntry, entryName } from "./build/entry.js";
export { cleanName } from "./build/names.js";
export { type Style, spec2nexusStyle, specxStyle } from "./build/style.js";
export {
  type ConvertOptions,
  type ConvertReport,
  type EntryReport,
  writeNexus,
} from "./convert.js";
export type { Attributes, Dataset, Group, Link, Node, Value } from "./tree/nodes.js";
export {
  type H5Module,
  H5WASM_VERSION,
  HDF5_VERSION,
  Hdf5Writer,
  loadH5wasm,
} from "./write/hdf5.js";
