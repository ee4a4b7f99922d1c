/**
 * The NeXus tree in memory: groups, datasets, attributes and links with their HDF5 types made
 * explicit, so that what is written never depends on a library guessing types from values
 * (h5wasm makes `[1.0]` an int32). One scan's entry is built, written
 * and dropped before the next, so memory follows the largest scan, not the file.
 */

/** Numbers of one HDF5 type. `shape` `[]` is a scalar; otherwise its product is `data.length`. */
export interface NumericValue {
  type: "float64" | "int64";
  data: Float64Array | number[];
  shape: number[];
}

/** Strings: variable length, in the charset HDF5 records (ASCII is spec2nexus's dataset type). */
export interface TextValue {
  type: "text";
  charset: "ascii" | "utf-8";
  data: string[];
  shape: number[];
}

export type Value = NumericValue | TextValue;

/** Attributes by name, in creation order. */
export type Attributes = Map<string, Value>;

export interface Group {
  kind: "group";
  attrs: Attributes;
  /** Children by name, in creation order (the file tracks it: docs/nexus.md, fix #17). */
  children: Map<string, Node>;
}

export interface Dataset {
  kind: "dataset";
  value: Value;
  attrs: Attributes;
}

/** A hard link to another object of the same entry, by absolute path (written last). */
export interface Link {
  kind: "link";
  target: string;
}

export type Node = Group | Dataset | Link;

export function group(nxClass?: string): Group {
  const attrs: Attributes = new Map();
  if (nxClass !== undefined) attrs.set("NX_class", utf8(nxClass));
  return { kind: "group", attrs, children: new Map() };
}

export function dataset(value: Value, attrs?: Record<string, Value>): Dataset {
  return { kind: "dataset", value, attrs: new Map(Object.entries(attrs ?? {})) };
}

export function link(target: string): Link {
  return { kind: "link", target };
}

/** A scalar UTF-8 string: what h5py writes for every `str` attribute. */
export function utf8(text: string): TextValue {
  return { type: "text", charset: "utf-8", data: [text], shape: [] };
}

/** A vlen string array (`@axes` of a 2-D plot), in the given charset. */
export function texts(values: string[], charset: "ascii" | "utf-8" = "utf-8"): TextValue {
  return { type: "text", charset, data: values, shape: [values.length] };
}

export function float64(
  data: Float64Array | number[],
  shape: number[] = [data.length],
): NumericValue {
  return { type: "float64", data, shape };
}

export function int64(data: number[], shape: number[] = [data.length]): NumericValue {
  return { type: "int64", data, shape };
}

export function float64Scalar(value: number): NumericValue {
  return { type: "float64", data: [value], shape: [] };
}

export function int64Scalar(value: number): NumericValue {
  return { type: "int64", data: [value], shape: [] };
}

/**
 * Adds `node` under `parent` as `name`. A name already taken gets `_1`, `_2`, … (fix #16: spec2nexus
 * lets a later object replace an earlier one of the same cleaned name); returns the name used.
 */
export function add(parent: Group, name: string, node: Node): string {
  let used = name;
  for (let n = 1; parent.children.has(used); n++) used = `${name}_${n}`;
  parent.children.set(used, node);
  return used;
}

/** The child group `name` of `parent`, made with `nxClass` when it does not exist yet. */
export function subgroup(parent: Group, name: string, nxClass: string): Group {
  const existing = parent.children.get(name);
  if (existing?.kind === "group") return existing;
  const made = group(nxClass);
  add(parent, name, made);
  return made;
}
