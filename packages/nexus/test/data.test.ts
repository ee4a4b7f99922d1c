/**
 * The scan's NXdata and MCA content (src/build/data.ts, src/build/mca.ts): corpus scans and small
 * synthetic files, in memory and as written to HDF5 and read back by h5py and silx.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEntry, type Group, type Node, spec2nexusStyle, specxStyle } from "@specx/nexus";
import { convertFile } from "@specx/nexus/node";
import { parse, type Scan } from "@specx/spec-parser";
import { corpusBytes, corpusNames, corpusPath, python } from "@specx/test-support";
import { describe, expect, it } from "vitest";

function scanOf(text: string | Uint8Array, key: string): Scan {
  const file = parse(text);
  for (let i = 0; i < file.scanCount; i++) {
    const scan = file.scanAt(i);
    if (scan?.spec2nexusKey === key) return scan;
  }
  throw new Error(`no scan ${key}`);
}

function corpusScan(name: string, key: string): Scan {
  return scanOf(corpusBytes(name), key);
}

function at(group: Group, path: string): Node {
  let node: Node = group;
  for (const part of path.split("/")) {
    if (node.kind !== "group") throw new Error(`${path}: ${part} is under a non-group`);
    const next = node.children.get(part);
    if (!next) throw new Error(`${path}: no ${part}`);
    node = next;
  }
  return node;
}

function groupAt(group: Group, path: string): Group {
  const node = at(group, path);
  if (node.kind !== "group") throw new Error(`${path} is not a group`);
  return node;
}

function valueAt(group: Group, path: string) {
  const node = at(group, path);
  if (node.kind !== "dataset") throw new Error(`${path} is not a dataset`);
  return node.value;
}

function numbers(group: Group, path: string): number[] {
  return Array.from(valueAt(group, path).data as ArrayLike<number>);
}

function attr(group: Group, name: string): unknown {
  const value = group.attrs.get(name);
  if (!value) return undefined;
  const data = Array.from(value.data as ArrayLike<unknown>);
  return value.shape.length === 0 ? data[0] : data;
}

const entryOf = (scan: Scan, compat = false) =>
  buildEntry(scan, compat ? spec2nexusStyle : specxStyle).group;

function tempPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), "specx-nexus-data-")), name);
}

/** Reads `paths` of an HDF5 file with h5py: values as nested lists (NaN as null), attributes. */
function readBack(
  file: string,
  paths: string[],
): Record<string, { value: unknown; dtype: string | null; attrs: Record<string, unknown> }> {
  const code = `
import json, sys, h5py, numpy
def plain(v):
    if isinstance(v, bytes): return v.decode()
    if isinstance(v, numpy.ndarray): return [plain(x) for x in v.tolist()] if v.dtype == object else plain(v.tolist())
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, float) and v != v: return None
    if isinstance(v, numpy.generic): return plain(v.item())
    return v
out = {}
with h5py.File(sys.argv[1], "r") as f:
    for p in sys.argv[2:]:
        o = f[p]
        value = plain(o[()]) if isinstance(o, h5py.Dataset) else None
        out[p] = {"value": value, "dtype": str(o.dtype) if isinstance(o, h5py.Dataset) else None,
                  "attrs": {k: plain(v) for k, v in o.attrs.items()}}
print(json.dumps(out))
`;
  return JSON.parse(python(code, [file, ...paths]));
}

describe("1-D data", () => {
  it("writes one float64 column per label, a repeated label as its unique alias, @signal the last column itself (fix #18)", () => {
    const scan = corpusScan("02_03_setup.dat", "1");
    expect(scan.labels.filter((label) => label === "I0")).toHaveLength(2);
    for (const compat of [false, true]) {
      const data = groupAt(entryOf(scan, compat), "data");
      const i0 = at(data, "I0_1");
      expect(i0.kind === "dataset" && i0.attrs.get("spec_name")?.data[0]).toBe("I0_1");
      expect(numbers(data, "I0_1")).toEqual(Array.from(scan.column("I0_1") as Float64Array));
      expect(attr(data, "signal")).toBe("I0_1");
      expect(attr(data, "axes")).toBe(scan.data.aliases[0]);
      expect(valueAt(data, "I0").type).toBe("float64");
    }
    const compat = groupAt(entryOf(scan, true), "data");
    const indices = compat.attrs.get(`${scan.data.aliases[0]}_indices`);
    expect(indices).toMatchObject({ type: "int64", shape: [1], data: [0] });
  });

  it("keeps rows that spec2nexus drops: None and missing values are NaN (fix #19)", () => {
    const scan = corpusScan("05_02_test.dat", "1.5");
    const none = scan.data.special.find((value) => value.kind === "none");
    expect(none).toBeDefined();
    const data = groupAt(entryOf(scan, true), "data");
    const column = numbers(data, `${scan.data.aliases[none?.column ?? 0]}`);
    expect(column).toHaveLength(scan.data.rows);
    expect(column[none?.row ?? 0]).toBeNaN();

    const text = "#S 1  ascan  x 0 2  2 1\n#N 3\n#L x  y  z\n0 1 2\n1 None 4\n2 5\n";
    const short = groupAt(entryOf(scanOf(text, "1"), true), "data");
    expect(numbers(short, "x")).toEqual([0, 1, 2]);
    expect(numbers(short, "y")).toEqual([1, Number.NaN, 5]);
    expect(numbers(short, "z")).toEqual([2, 4, Number.NaN]);
  });
});

describe("hkl scans (fix #5)", () => {
  it("plot an hklscan against the indices that move, as spec2nexus does", () => {
    const data = groupAt(entryOf(corpusScan("lmn40.spe", "63"), true), "data");
    expect(corpusScan("lmn40.spe", "63").command).toMatch(/^hklscan/);
    expect(attr(data, "axes")).toBe("L");
    expect(data.attrs.get("L_indices")).toMatchObject({ shape: [1], data: [0] });
  });

  it("plot an hklscan that moves no index against its first column (lmn40 S244)", () => {
    const scan = corpusScan("lmn40.spe", "244");
    const data = groupAt(entryOf(scan, true), "data");
    expect(attr(data, "axes")).toBe("H");
    expect(data.attrs.has("_indices")).toBe(false);
  });

  it("read hscan, kscan and lscan by their own syntax", () => {
    const text =
      "#S 1  kscan  0 1  2 1\n#N 4\n#L H  K  L  det\n1 0 3 5\n1 0.5 3 6\n1 1 3 7\n" +
      "#S 2  hklscan  1 1.0  0 0.5  2 2  2 1\n#N 4\n#L H  K  L  det\n1 0 2 5\n1 0.25 2 6\n1 0.5 2 7\n";
    expect(attr(groupAt(entryOf(scanOf(text, "1")), "data"), "axes")).toBe("K");
    // 1 and 1.0 are the same number: only K moves.
    expect(attr(groupAt(entryOf(scanOf(text, "2")), "data"), "axes")).toBe("K");
  });
});

describe("meshes (fixes #1-#4)", () => {
  it("write a non-square mesh as a [slow, fast] image: data[i][j] is row i·(n1+1)+j, on disk", async () => {
    const scan = corpusScan("lmn40.spe", "14");
    const [, fastMotor, , , n1, slowMotor, , , n2] = scan.command.trim().split(/\s+/);
    expect([fastMotor, slowMotor]).toEqual(["H", "K"]);
    const fast = Number(n1) + 1;
    const slow = Number(n2) + 1;
    expect(fast).not.toBe(slow);
    const output = tempPath("mesh.h5");
    await convertFile(corpusPath("lmn40.spe"), output, { scans: ["14"] });
    const read = readBack(output, ["/S14/data", "/S14/data/H", "/S14/data/K", "/S14/data/NaI"]);
    const data = read["/S14/data"];
    expect(data?.attrs.axes).toEqual(["K", "H"]);
    expect(data?.attrs.K_indices).toBe(0);
    expect(data?.attrs.H_indices).toBe(1);
    const image = read["/S14/data/NaI"]?.value as (number | null)[][];
    expect(image).toHaveLength(slow);
    const nai = scan.column("NaI") as Float64Array;
    for (let i = 0; i < slow; i++) {
      expect(image[i]).toHaveLength(fast);
      for (let j = 0; j < fast; j++) {
        const row = i * fast + j;
        expect(image[i]?.[j]).toBe(row < scan.data.rows ? nai[row] : null);
      }
    }
    const h = scan.column("H") as Float64Array;
    const k = scan.column("K") as Float64Array;
    expect(read["/S14/data/H"]?.value).toEqual(Array.from(h.subarray(0, fast)));
    expect(read["/S14/data/K"]?.value).toEqual(Array.from({ length: slow }, (_, i) => k[i * fast]));
  });

  it("clean the axes' names, write hklmesh's fixed index, pad a stopped mesh's last line with NaN", () => {
    const text =
      "#S 1  mesh  Two Theta 0 2 2  m2 0 1 1  1\n#N 4\n#L Two Theta  m2  L  det\n" +
      "0 0 7 1\n1 0 7 2\n2 0 7 3\n0 1 7 4\n1 1 7 5\n" +
      "#S 2  hklmesh  H 0 2 2  K 0 1 1  1\n#N 4\n#L H  K  L  det\n" +
      "0 0 7 1\n1 0 7 2\n2 0 7 3\n0 1 7.5 4\n1 1 7 5\n2 1 7 6\n";
    // `Two Theta` as a mesh word is `Two`: no column, so the first column stands for it.
    const mesh = groupAt(entryOf(scanOf(text, "1"), true), "data");
    expect(attr(mesh, "axes")).toEqual(["m2", "Two_Theta"]);
    expect(attr(mesh, "m2_indices")).toBe(0);
    expect(attr(mesh, "Two_Theta_indices")).toBe(1);
    expect(valueAt(mesh, "det").shape).toEqual([2, 3]);
    expect(numbers(mesh, "det")).toEqual([1, 2, 3, 4, 5, Number.NaN]);
    expect(numbers(mesh, "m2")).toEqual([0, 1]);
    expect(numbers(mesh, "Two_Theta")).toEqual([0, 1, 2]);
    const hkl = groupAt(entryOf(scanOf(text, "2")), "data");
    expect(attr(hkl, "axes")).toEqual(["K", "H"]);
    expect(valueAt(hkl, "L")).toMatchObject({ shape: [], data: [7] });
    expect(valueAt(hkl, "det").shape).toEqual([2, 3]);
  });
});

const MCA_FILE = [
  "#S 1  ascan  tth 0 1  2 1",
  "#N 3",
  "#L tth  I0  det",
  "#@MCA %16C",
  "#@CHANN 4 0 3 1",
  "#@CALIB 1.5 0.25 0.001",
  "#@CTIME 10 9.5 10.2",
  "#@ROI Cu Ka 1 2",
  "@A 1.0 2 3 4",
  "0 10 100",
  "@A 5 6 7 8",
  "0.5 10 200",
  "@A 9 10 11 12",
  "1 10 300",
  "",
].join("\n");

describe("MCA spectra", () => {
  it("compat: _mca_ in data, int64 when no '.', the colon @axes; scaled x the channel number when uncalibrated (fix #3)", () => {
    const entry = entryOf(corpusScan("33id_spec.dat", "1"), true);
    const data = groupAt(entry, "data");
    const spectra = at(data, "_mca_");
    expect(spectra.kind === "dataset" && spectra.value).toMatchObject({
      type: "int64",
      shape: [41, 91],
    });
    expect(spectra.kind === "dataset" && spectra.attrs.get("axes")?.data).toEqual([
      "eta:_mca_channel_",
    ]);
    expect(valueAt(data, "_mca_channel_")).toMatchObject({ type: "int64", shape: [91] });
    expect(valueAt(data, "_mca_channel_scaled_x")).toMatchObject({ type: "float64", shape: [91] });
    expect(numbers(data, "_mca_channel_scaled_x")).toEqual(
      Array.from({ length: 91 }, (_, i) => i + 1),
    );
    expect(entry.children.has("mca")).toBe(false);
  });

  it("never claim the scan axis for more spectra than rows (fix #6, 33id S49: 58 spectra, 21 rows)", () => {
    const scan = corpusScan("33id_spec.dat", "49");
    expect([scan.data.rows, scan.mca?.spectra.length]).toEqual([21, 58]);
    const compat = at(groupAt(entryOf(scan, true), "data"), "_mca_");
    expect(compat.kind === "dataset" && compat.value.shape).toEqual([58, 91]);
    expect(compat.kind === "dataset" && compat.attrs.has("axes")).toBe(false);

    const entry = entryOf(scan);
    expect(groupAt(entry, "data").children.has("_mca_")).toBe(false);
    const mca = groupAt(entry, "mca");
    expect(attr(mca, "signal")).toBe("_mca_");
    expect(attr(mca, "axes")).toEqual(["sampleX", "_mca_channel_scaled_x"]);
    expect(at(mca, "sampleX")).toEqual({ kind: "link", target: "/S49/data/sampleX" });
    expect(valueAt(mca, "_mca_").shape).toEqual([21, 91]);
    const extra = groupAt(entry, "mca_extra");
    expect(valueAt(extra, "_mca_").shape).toEqual([37, 91]);
    expect(numbers(extra, "spectrum")).toEqual(Array.from({ length: 37 }, (_, i) => 21 + i));
    expect(attr(extra, "axes")).toEqual(["spectrum", "_mca_channel_scaled_x"]);
  });

  it("a mesh's spectra are a [slow, fast, channels] cube against the mesh's axes (33id S22)", () => {
    const scan = corpusScan("33id_spec.dat", "22");
    const mca = groupAt(entryOf(scan), "mca");
    expect(valueAt(mca, "_mca_").shape).toEqual([11, 11, 91]);
    expect(attr(mca, "axes")).toEqual(["chi", "eta", "_mca_channel_scaled_x"]);
    const cube = numbers(mca, "_mca_");
    const spectra = scan.mca?.devices[0]?.spectra ?? [];
    expect(cube.slice(13 * 91, 14 * 91)).toEqual(Array.from(spectra[13] as Float64Array));
  });

  it("writes a calibrated scale a + k·(b + k·c), float spectra, and #@CHANN/#@CALIB/#@CTIME/#@ROI under instrument/MCA", () => {
    const scan = scanOf(MCA_FILE, "1");
    const scale = [1, 2, 3, 4].map((k) => 1.5 + k * (0.25 + k * 0.001));
    const compat = entryOf(scan, true);
    const data = groupAt(compat, "data");
    expect(valueAt(data, "_mca_")).toMatchObject({ type: "float64", shape: [3, 4] });
    expect(numbers(data, "_mca_channel_scaled_x")).toEqual(scale);
    const meta = groupAt(compat, "instrument/MCA");
    expect(attr(meta, "NX_class")).toBe("NXnote");
    expect(attr(meta, "target")).toBe("/S1/instrument/MCA");
    expect(at(compat, "MCA")).toEqual({ kind: "link", target: "/S1/instrument/MCA" });
    expect(valueAt(meta, "number_saved")).toMatchObject({ type: "int64", shape: [1], data: [4] });
    expect(numbers(meta, "last_saved")).toEqual([3]);
    expect(valueAt(meta, "reduction_coef")).toMatchObject({ type: "float64", data: [1] });
    expect(numbers(meta, "calib_c")).toEqual([0.001]);
    expect(numbers(meta, "elapsed_live_time")).toEqual([9.5]);
    expect(valueAt(meta, "ROI/Cu_Ka")).toMatchObject({ type: "int64", data: [1, 2] });

    const entry = entryOf(scan);
    expect(attr(groupAt(entry, "instrument/MCA"), "NX_class")).toBe("NXcollection");
    const mca = groupAt(entry, "mca");
    expect(numbers(mca, "_mca_channel_scaled_x")).toEqual(scale);
    expect(numbers(mca, "_mca_")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe("several MCA devices", () => {
  const text = [
    "#S 1  ascan  tth 0 1  1 1",
    "#N 2",
    "#L tth  det",
    "#@CALIB 0 1 0",
    "#@CALIB 10 2 0",
    "@A1 1 2 3",
    "@A2 4 5 6",
    "0 100",
    "@A1 1 2 3",
    "@A2 4 5 6",
    "1 200",
    "",
  ].join("\n");

  it("each device its own NXdata and calibration (fixes #7, #11); compat keeps spec2nexus's names", () => {
    const scan = scanOf(text, "1");
    const entry = entryOf(scan);
    expect(numbers(groupAt(entry, "mca_A1"), "_mca_channel_scaled_x")).toEqual([1, 2, 3]);
    expect(numbers(groupAt(entry, "mca_A2"), "_mca_channel_scaled_x")).toEqual([12, 14, 16]);
    expect(attr(groupAt(entry, "mca_A2"), "axes")).toEqual(["tth", "_mca_channel_scaled_x"]);
    expect(valueAt(entry, "instrument/MCA/A1/calib_a")).toMatchObject({ shape: [], data: [0] });
    expect(valueAt(entry, "instrument/MCA/A2/calib_a")).toMatchObject({ shape: [], data: [10] });
    const data = groupAt(entryOf(scan, true), "data");
    expect(valueAt(data, "_mca1_")).toMatchObject({ type: "int64", shape: [2, 3] });
    expect(numbers(data, "_mca2_")).toEqual([4, 5, 6, 4, 5, 6]);
    expect(numbers(data, "_mca2_channel_")).toEqual([1, 2, 3]);
  });
});

describe("int64 on disk", () => {
  it("writes spectra counts as int64 exactly, negative and beyond 32 bits too", async () => {
    const text =
      "#S 1  ascan  tth 0 1  1 1\n#N 2\n#L tth  det\n@A -1 4294967296 -4294967297 9007199254740991\n0 100\n@A 0 1 2 3\n1 200\n";
    const input = tempPath("counts.spec");
    writeFileSync(input, text);
    const output = tempPath("counts.h5");
    await convertFile(input, output, { compat: "spec2nexus" });
    const read = readBack(output, ["/S1/data/_mca_"]);
    expect(read["/S1/data/_mca_"]).toMatchObject({
      dtype: "int64",
      value: [
        [-1, 4294967296, -4294967297, 9007199254740991],
        [0, 1, 2, 3],
      ],
    });
  });
});

/** The default plot of every entry, checked by h5py and silx as a reader would follow it. */
const DEFAULT_PLOT_CHECK = `
import json, sys, h5py, numpy
from silx.io import nxdata
def text(v):
    return v.decode() if isinstance(v, bytes) else v
def check(path):
    problems = []
    with h5py.File(path, "r") as f:
        for name in f:
            entry = f[name]
            default = text(entry.attrs.get("default"))
            if default is None or default not in entry:
                problems.append(f"{name}: @default names no NXdata"); continue
            group = entry[default]
            signal = text(group.attrs.get("signal"))
            if signal is None or signal not in group:
                problems.append(f"{name}: @signal {signal!r} names no dataset"); continue
            s = group[signal]
            if not numpy.issubdtype(s.dtype, numpy.number):
                problems.append(f"{name}: signal {signal} is not numeric")
            axes = group.attrs.get("axes")
            axes = [] if axes is None else [text(axes)] if isinstance(axes, (str, bytes)) else [text(a) for a in axes]
            for i, axis in enumerate(axes):
                if axis == ".": continue
                if axis not in group:
                    problems.append(f"{name}: axis {axis!r} names no dataset"); continue
                a = group[axis]
                dim = i if len(axes) == s.ndim else 0
                if not numpy.issubdtype(a.dtype, numpy.number) or a.ndim != 1 or a.shape[0] != s.shape[dim]:
                    problems.append(f"{name}: axis {axis} {a.dtype}{a.shape} against signal {s.shape}")
            for child in entry:
                g = entry[child]
                if isinstance(g, h5py.Group) and text(g.attrs.get("NX_class")) == "NXdata" and not nxdata.is_valid_nxdata(g):
                    problems.append(f"{name}: silx rejects {child}")
        found = nxdata.get_default(f)
        if found is None or not found.is_valid:
            problems.append("silx.io.nxdata.get_default finds no valid NXdata")
    return problems
print(json.dumps({p: check(p) for p in sys.argv[1:]}))
`;

describe("every corpus file's default plot", () => {
  it("is an NXdata whose signal and axes exist, are numeric and agree in length (h5py, silx)", {
    timeout: 900_000,
  }, async () => {
    const folder = mkdtempSync(join(tmpdir(), "specx-nexus-plots-"));
    const outputs: string[] = [];
    for (const name of corpusNames()) {
      const output = join(folder, `${name}.h5`);
      await convertFile(corpusPath(name), output);
      outputs.push(output);
    }
    const report = JSON.parse(python(DEFAULT_PLOT_CHECK, outputs)) as Record<string, string[]>;
    const problems = Object.entries(report).flatMap(([file, found]) =>
      found.map((problem) => `${file}: ${problem}`),
    );
    expect(problems.slice(0, 20)).toEqual([]);
    expect(Object.keys(report)).toHaveLength(corpusNames().length);
  });
});
