/**
 * MCA content: the `@A` spectra (writer.py's mca_spectra and mesh) and the `#@CHANN`, `#@CALIB`,
 * `#@CTIME`, `#@ROI` lines (spec_common.py's SPEC_MCA_* writers), under `instrument/MCA`.
 *
 * spec2nexus's encodings stay in the compatible style: `_mca_`, `_mca_channel_` and
 * `_mca_channel_scaled_x` in `data`, int64 spectra when their lines hold no `.`, the colon `@axes`.
 * The default style gives each device its own NXdata instead (docs/nexus.md, fix #7). Both styles
 * keep the fixes: 1-D channels and channel numbers as the uncalibrated scale (#3), no scan axis
 * claimed for spectra that do not match the rows one to one (#6), `#@ROI` written (#11).
 */
import type { McaDevice, Scan } from "@specx/spec-parser";
import {
  add,
  dataset,
  float64,
  type Group,
  group,
  int64,
  int64Scalar,
  link,
  type NumericValue,
  subgroup,
  texts,
  utf8,
} from "../tree/nodes.js";
import type { Layout } from "./data.js";
import type { EntryContext } from "./entry.js";
import { cleanName } from "./names.js";
import type { Style } from "./style.js";

/** One device's spectra as arrays: what both styles write. */
interface Spectra {
  /** spec2nexus's key: `mca` for `@A`, `mca1` for `@A1`; the cleaned name for other devices. */
  key: string;
  device: McaDevice;
  channels: number;
  /** True when every spectrum line is written without a `.` (spec2nexus then writes int64). */
  integer: boolean;
  scale: Float64Array;
}

/** Adds the spectra of `scan` to `data` (compatible style) or as NXdata groups of `entry`. */
export function writeSpectra(
  entry: Group,
  data: Group,
  scan: Scan,
  layout: Layout,
  { style, path }: EntryContext,
): void {
  const devices = (scan.mca?.devices ?? []).filter((device) => device.spectra.length > 0);
  if (devices.length === 0) return;
  const all = devices
    .map((device) => spectraOf(scan, device))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const spectra of all) {
    if (style.compat) writeIntoData(data, spectra, scan.data.rows, layout);
    else writeOwnGroup(entry, spectra, scan.data.rows, layout, path, all.length === 1);
  }
}

function spectraOf(scan: Scan, device: McaDevice): Spectra {
  const key =
    device.name === "@A"
      ? "mca"
      : device.name.startsWith("@A")
        ? `mca${device.name.slice(2)}`
        : cleanName(device.name.slice(1));
  let channels = 0;
  for (const spectrum of device.spectra) channels = Math.max(channels, spectrum.length);
  const calibration = device.calibration;
  let [a, b, c] = calibration ? [calibration.a, calibration.b, calibration.c] : [0, 0, 0];
  // No calibration, or an all-zero one: the channel number itself (fix #3; spec2nexus: all 1s).
  if (![a, b, c].every(Number.isFinite) || (a === 0 && b === 0 && c === 0)) [a, b, c] = [0, 1, 0];
  const scale = new Float64Array(channels);
  // a + k·(b + k·c), in this order: spec2nexus's numbers bit for bit.
  for (let k = 1; k <= channels; k++) scale[k - 1] = a + k * (b + k * c);
  return { key, device, channels, integer: writtenAsIntegers(scan, device), scale };
}

/** True when no line of the device's spectra holds a `.` and every value is an integer. */
function writtenAsIntegers(scan: Scan, device: McaDevice): boolean {
  for (const spectrum of device.spectra) {
    for (const value of spectrum) if (!Number.isInteger(value)) return false;
  }
  const first = scan.lines[0]?.line ?? 0;
  for (const spectrum of scan.mca?.spectra ?? []) {
    if (spectrum.device !== device.name) continue;
    for (let i = spectrum.line - first; i < scan.lines.length; i++) {
      const line = scan.lines[i];
      if (!line || (i > spectrum.line - first && line.kind !== "continuation")) break;
      if (line.text.includes(".")) return false;
    }
  }
  return true;
}

/**
 * Spectra `from` to `to` as one `[cells, channels]` array, NaN-padded up to `cells`: a view of the
 * parser's buffer when the spectra lie in it one after another (no copy of a large scan).
 */
function stacked(spectra: Spectra, from: number, to: number, cells: number): NumericValue {
  const list = spectra.device.spectra;
  const n = spectra.channels;
  const count = to - from;
  const complete = cells === count && list.slice(from, to).every((s) => s.length === n);
  const type = spectra.integer && complete ? "int64" : "float64";
  const head = list[from];
  if (complete && head && count > 0) {
    const view = new Float64Array(
      head.buffer,
      head.byteOffset,
      Math.min(count * n, (head.buffer.byteLength - head.byteOffset) / 8),
    );
    if (
      view.length === count * n &&
      list
        .slice(from, to)
        .every((s, i) => s.byteOffset === head.byteOffset + i * n * 8 && s.buffer === head.buffer)
    ) {
      return { type, data: view, shape: [count, n] };
    }
  }
  const out = new Float64Array(cells * n).fill(Number.NaN);
  for (let i = 0; i < count; i++) out.set(list[from + i] as Float64Array, i * n);
  return { type, data: out, shape: [cells, n] };
}

/** Whether the spectra match the rows one to one, and so may claim the scan's axes (fix #6). */
function matched(spectra: Spectra, rows: number): boolean {
  return spectra.device.spectra.length === rows;
}

/** spec2nexus's datasets in `data`, its colon `@axes` only where the spectra match the rows. */
function writeIntoData(data: Group, spectra: Spectra, rows: number, layout: Layout): void {
  const name = `_${spectra.key}_`;
  const channelName = `${name}channel_`;
  const count = spectra.device.spectra.length;
  const attrs: Record<string, NumericValue | ReturnType<typeof utf8>> = {};
  let value = stacked(spectra, 0, count, count);
  if (matched(spectra, rows)) {
    if (layout.kind === "mesh") {
      const cells = layout.slowCount * layout.fastCount;
      value = stacked(spectra, 0, count, cells);
      value.shape = [layout.slowCount, layout.fastCount, spectra.channels];
      attrs.axes = utf8(`${layout.slow}:${layout.fast}:${channelName}`);
    } else {
      attrs.axes = utf8(`${layout.axis}:${channelName}`);
    }
  }
  attrs.spec_name = utf8(name);
  attrs.units = utf8("counts");
  add(data, name, dataset(value, attrs));
  add(
    data,
    channelName,
    dataset(int64(channelNumbers(spectra.channels)), {
      spec_name: utf8(channelName),
      units: utf8("channel"),
    }),
  );
  add(
    data,
    `${name}channel_scaled_x`,
    dataset(float64(spectra.scale), {
      spec_name: utf8(`${name}channel_scaled_x`),
      units: utf8(""),
    }),
  );
}

function channelNumbers(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/**
 * The default style: one NXdata per device (fix #7), `mca` for a file's only device, else
 * `mca_<device>`. Spectra that match the rows are plotted against the scan's axes (hard links to
 * `data`'s); extra spectra go to `<group>_extra` against their own index (fix #6).
 */
function writeOwnGroup(
  entry: Group,
  spectra: Spectra,
  rows: number,
  layout: Layout,
  path: string,
  only: boolean,
): void {
  const groupName = only ? "mca" : `mca_${cleanName(spectra.device.name.slice(1))}`;
  const count = spectra.device.spectra.length;
  const withRows = count >= rows ? rows : 0;
  const mca = spectraGroup(spectra);
  if (withRows > 0 && layout.kind === "mesh") {
    const value = stacked(spectra, 0, withRows, layout.slowCount * layout.fastCount);
    value.shape = [layout.slowCount, layout.fastCount, spectra.channels];
    plotSpectra(mca, value, [layout.slow, layout.fast], path);
  } else if (withRows > 0 && layout.kind === "line") {
    plotSpectra(mca, stacked(spectra, 0, withRows, withRows), [layout.axis], path);
  } else {
    plotSpectra(mca, stacked(spectra, 0, count, count), ["."], path);
  }
  add(entry, groupName, mca);
  if (withRows === 0 || count === withRows) return;
  const extra = group("NXdata");
  extra.attrs.set("signal", utf8("_mca_"));
  extra.attrs.set("description", utf8(`${spectra.device.name} spectra beyond the scan's rows`));
  add(
    extra,
    "spectrum",
    dataset(int64(Array.from({ length: count - withRows }, (_, i) => withRows + i)), {
      long_name: utf8(`index among the ${spectra.device.name} spectra`),
    }),
  );
  add(extra, "_mca_channel_scaled_x", link(`${path}/${groupName}/_mca_channel_scaled_x`));
  plotSpectra(extra, stacked(spectra, withRows, count, count - withRows), ["spectrum"], null);
  add(entry, `${groupName}_extra`, extra);
}

/**
 * The signal `_mca_` against `axes` (`.` for none) then the channel scale. Axes of the scan are
 * linked from `data` when `path` is given. A single spectrum is written 1-D against the scale
 * alone: silx takes a `[1, n]` signal with an `n`-long axis for a scatter plot.
 */
function plotSpectra(
  target: Group,
  value: NumericValue,
  axes: string[],
  path: string | null,
): void {
  const points = value.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const plotted = points === 1 ? [] : axes;
  if (points === 1) value.shape = value.shape.slice(-1);
  add(target, "_mca_", dataset(value, { units: utf8("counts") }));
  target.attrs.set("axes", texts([...plotted, "_mca_channel_scaled_x"]));
  plotted.forEach((axis, i) => {
    if (axis === ".") return;
    if (path !== null) add(target, axis, link(`${path}/data/${axis}`));
    target.attrs.set(`${axis}_indices`, int64Scalar(i));
  });
  target.attrs.set("_mca_channel_scaled_x_indices", int64Scalar(plotted.length));
}

function spectraGroup(spectra: Spectra): Group {
  const mca = group("NXdata");
  mca.attrs.set("signal", utf8("_mca_"));
  mca.attrs.set("description", utf8(`${spectra.device.name} spectra`));
  add(
    mca,
    "_mca_channel_",
    dataset(int64(channelNumbers(spectra.channels)), { units: utf8("channel") }),
  );
  add(mca, "_mca_channel_scaled_x", dataset(float64(spectra.scale), { units: utf8("") }));
  return mca;
}

/**
 * `#@CHANN`, `#@CALIB`, `#@CTIME` (the last of each, as spec2nexus reads them) as `instrument/MCA`,
 * linked as `MCA`; `#@ROI` as `MCA/ROI/<name>` = `[first, last]` (fix #11: spec2nexus drops it).
 */
export function writeMcaMetadata(entry: Group, scan: Scan, { style, path }: EntryContext): void {
  const last = (key: string) =>
    scan.controls.filter((control) => control.key.toUpperCase() === key).at(-1);
  const words = (key: string) => last(key)?.text.trim().split(/\s+/) ?? null;
  const chann = words("@CHANN");
  const calib = words("@CALIB");
  const ctime = words("@CTIME");
  const rois = scan.mca?.rois ?? [];
  const mca = group(style.container);
  mca.attrs.set("description", utf8("MCA metadata"));
  const numbers = (tokens: string[]) => tokens.map(Number);
  if (chann && chann.length >= 4) {
    const [saved, first, lastSaved] = numbers(chann.slice(0, 3));
    const reduction = Number(chann[chann.length - 1]);
    if ([saved, first, lastSaved].every((n) => Number.isInteger(n)) && !Number.isNaN(reduction)) {
      add(mca, "number_saved", dataset(style.int(saved as number)));
      add(mca, "first_saved", dataset(style.int(first as number)));
      add(mca, "last_saved", dataset(style.int(lastSaved as number)));
      add(mca, "reduction_coef", dataset(style.float(reduction)));
    }
  }
  if (calib && calib.length >= 3) {
    const coefficients = numbers(calib.slice(0, 3));
    if (coefficients.every((n) => !Number.isNaN(n))) {
      ["a", "b", "c"].forEach((name, i) => {
        add(mca, `calib_${name}`, dataset(style.float(coefficients[i] as number)));
      });
    }
  }
  if (ctime && ctime.length === 3) {
    const times = numbers(ctime);
    if (times.every((n) => !Number.isNaN(n))) {
      ["preset_time", "elapsed_live_time", "elapsed_real_time"].forEach((name, i) => {
        add(mca, name, dataset(style.float(times[i] as number), { units: utf8("s") }));
      });
    }
  }
  if (rois.length > 0) {
    const roiGroup = subgroup(mca, "ROI", style.container);
    for (const roi of rois) {
      const attrs: Record<string, ReturnType<typeof utf8> | NumericValue> = {
        spec_name: utf8(roi.name),
      };
      if (roi.detector !== null) attrs.detector = int64Scalar(roi.detector);
      add(roiGroup, cleanName(roi.name), dataset(int64([roi.first, roi.last]), attrs));
    }
  }
  const devices = scan.mca?.devices ?? [];
  if (!style.compat && devices.length > 1) {
    // Fix #11: each device's own `#@CALIB`/`#@CHANN` (spec2nexus keeps one per scan).
    for (const device of devices) writeDeviceMetadata(mca, device, style);
  }
  if (mca.children.size === 0) return;
  // spec2nexus's `#@CALIB` writer alone leaves the group at `MCA`, with no link from `instrument`.
  const inInstrument = !style.compat || chann !== null || ctime !== null || rois.length > 0;
  if (!inInstrument) {
    add(entry, "MCA", mca);
    return;
  }
  mca.attrs.set("target", utf8(`${path}/instrument/MCA`));
  add(subgroup(entry, "instrument", "NXinstrument"), "MCA", mca);
  add(entry, "MCA", link(`${path}/instrument/MCA`));
}

/** One device's calibration and channels, as `MCA/<device>/calib_a…`, `number_saved…`. */
function writeDeviceMetadata(mca: Group, device: McaDevice, style: Style): void {
  const { calibration, channels } = device;
  if (!calibration && !channels) return;
  const own = subgroup(mca, cleanName(device.name.slice(1)), style.container);
  own.attrs.set("spec_name", utf8(device.name));
  if (calibration) {
    add(own, "calib_a", dataset(style.float(calibration.a)));
    add(own, "calib_b", dataset(style.float(calibration.b)));
    add(own, "calib_c", dataset(style.float(calibration.c)));
  }
  if (channels && [channels.total, channels.first, channels.last].every(Number.isInteger)) {
    add(own, "number_saved", dataset(style.int(channels.total)));
    add(own, "first_saved", dataset(style.int(channels.first)));
    add(own, "last_saved", dataset(style.int(channels.last)));
    add(own, "reduction_coef", dataset(style.float(channels.reduction)));
  }
}
