/**
 * Writes the tree of ../tree/nodes.ts into an HDF5 file with h5wasm, HDF5's C library compiled
 * to WebAssembly (the same code can run in a browser). Every type is given explicitly: h5wasm
 * guesses int32 for integral JavaScript numbers (docs/nexus.md).
 */
import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from "h5wasm";
import type { Attributes, Group, Value } from "../tree/nodes.js";

/** The h5wasm module once its WebAssembly is ready. */
export type H5Module = typeof import("h5wasm");

let loading: Promise<H5Module> | null = null;

/** Loads h5wasm's Node build (file paths are host paths: it is built with NODERAWFS). */
export function loadH5wasm(): Promise<H5Module> {
  loading ??= import("h5wasm/node").then(async (module) => {
    const h5 = (module.default ?? module) as unknown as H5Module & { ready: Promise<unknown> };
    await h5.ready;
    return h5;
  });
  return loading;
}

/**
 * The h5wasm the package pins, and the HDF5 it is built on: h5wasm has no call that tells, so
 * test/versions.test.ts checks both against the installed package.
 */
export const H5WASM_VERSION = "0.10.3";
export const HDF5_VERSION = "2.0.0";

/**
 * Datasets larger than this many values are written in slices of about this size: the wasm heap
 * stops at 2 GiB, and one call copies its whole argument into it.
 */
export const SLICE_VALUES = 1 << 20;

/** An HDF5 file open for writing; `close()` it in `finally` or HDF5 leaves it unreadable. */
export class Hdf5Writer {
  readonly #file: H5File;

  constructor(h5: H5Module, path: string) {
    // Creation order tracked: viewers list S1, S2, … S10 as the file has them (fix #17).
    this.#file = new h5.File(path, "w", { track_order: true });
  }

  /** Sets attributes of the root group. */
  writeRootAttributes(attrs: Attributes): void {
    writeAttributes(this.#file, attrs);
  }

  /** Writes `group` as `/name`, then its links (their targets exist by then). */
  writeGroup(name: string, group: Group): void {
    const links: { parent: H5Group; name: string; target: string }[] = [];
    writeChildren(this.#file.create_group(name, true), group, links);
    for (const { parent, name: linkName, target } of links)
      parent.create_hard_link(target, linkName);
  }

  flush(): void {
    this.#file.flush();
  }

  close(): void {
    this.#file.close();
  }
}

function writeChildren(
  target: H5Group,
  group: Group,
  links: { parent: H5Group; name: string; target: string }[],
): void {
  writeAttributes(target, group.attrs);
  for (const [name, node] of group.children) {
    if (node.kind === "group") writeChildren(target.create_group(name, true), node, links);
    else if (node.kind === "link") links.push({ parent: target, name, target: node.target });
    else writeAttributes(writeDataset(target, name, node.value), node.attrs);
  }
}

function writeDataset(parent: H5Group, name: string, value: Value): H5Dataset {
  if (value.type === "text") {
    const dtype = value.charset === "ascii" ? "A" : null;
    if (value.shape.length === 0) {
      return parent.create_dataset({ name, data: value.data[0] ?? "", dtype });
    }
    return parent.create_dataset({ name, data: value.data, shape: value.shape, dtype });
  }
  const data = typed(value);
  if (value.shape.length > 0 && data.length > SLICE_VALUES) {
    return writeInSlices(parent, name, data, value.shape, value.type === "float64" ? "<d" : "<q");
  }
  return parent.create_dataset({
    name,
    data,
    shape: value.shape,
    dtype: value.type === "float64" ? "<d" : "<q",
  });
}

/** A large array: created empty and chunked, then grown and written a block of rows at a time. */
function writeInSlices(
  parent: H5Group,
  name: string,
  data: Float64Array | BigInt64Array,
  shape: number[],
  dtype: string,
): H5Dataset {
  const [rows = 0, ...rest] = shape;
  const rowSize = rest.reduce((a, b) => a * b, 1);
  const rowsPerSlice = Math.max(1, Math.floor(SLICE_VALUES / rowSize));
  const empty = dtype === "<d" ? new Float64Array(0) : new BigInt64Array(0);
  const dataset = parent.create_dataset({
    name,
    data: empty,
    shape: [0, ...rest],
    maxshape: [null, ...rest],
    chunks: [Math.min(rowsPerSlice, Math.max(1, rows)), ...rest],
    dtype,
  });
  for (let row = 0; row < rows; row += rowsPerSlice) {
    const end = Math.min(rows, row + rowsPerSlice);
    dataset.resize([end, ...rest]);
    dataset.write_slice([[row, end]], data.subarray(row * rowSize, end * rowSize));
  }
  return dataset;
}

function typed(value: Exclude<Value, { type: "text" }>): Float64Array | BigInt64Array {
  if (value.type === "int64") return int64Array(value.data);
  return value.data instanceof Float64Array ? value.data : Float64Array.from(value.data);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Integers as int64 without a BigInt per value (millions of MCA counts made one BigInt each took
 * seconds, most of it in the garbage collector): the two 32-bit halves of each, written directly.
 * A value that is not a safe integer goes through BigInt, which throws as before.
 */
function int64Array(data: Float64Array | number[]): BigInt64Array {
  const out = new BigInt64Array(data.length);
  const halves = new Int32Array(out.buffer);
  for (let i = 0; i < data.length; i++) {
    const n = data[i] as number;
    if (!LITTLE_ENDIAN || !Number.isSafeInteger(n)) {
      out[i] = BigInt(n);
      continue;
    }
    const high = Math.floor(n / 4294967296);
    halves[2 * i] = n - high * 4294967296;
    halves[2 * i + 1] = high;
  }
  return out;
}

function writeAttributes(target: H5Group | H5Dataset, attrs: Attributes): void {
  for (const [name, value] of attrs) {
    if (value.type === "text") {
      const dtype = value.charset === "ascii" ? "A" : null;
      if (value.shape.length === 0) target.create_attribute(name, value.data[0] ?? "", null, dtype);
      else target.create_attribute(name, value.data, value.shape, dtype);
    } else {
      target.create_attribute(
        name,
        typed(value),
        value.shape,
        value.type === "float64" ? "<d" : "<q",
      );
    }
  }
}
