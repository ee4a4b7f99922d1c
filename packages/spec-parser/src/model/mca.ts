/**
 * MCA spectra (`@A`, `@A1`, … with backslash continuations) and their `#@` metadata
 * (docs/spec-format.md §8).
 */
import { readValue, readValuesInto, splitWords } from "./text.js";
import type {
  McaChannels,
  McaData,
  McaDeclaration,
  McaDevice,
  McaRoi,
  McaSpectrum,
} from "./types.js";

/** One spectrum record as collected from the scan's lines. */
export interface SpectrumRecord {
  device: string;
  /** The values text, continuation lines joined, backslashes removed. */
  text: string;
  line: number;
  afterRow: number;
}

/** One `#@…` line. */
export interface McaControl {
  /** Upper-cased key without `#`, e.g. `@CALIB`. */
  key: string;
  /** The key as written, e.g. `@ketek`: a declared device keeps its case. */
  name: string;
  text: string;
  line: number;
}

/** Receives findings as (code, line, message). */
export type McaReport = (
  code: "MCA_BAD_VALUE" | "MCA_CHANNELS_MISMATCH" | "MCA_DEVICE_UNWRITTEN",
  line: number | null,
  message: string,
) => void;

/**
 * SPEC's own `#@` keys (mca.mac, and ESRF's and PyMca's additions); any other `#@<name>` line
 * may declare a named device (docs/spec-format.md §4 and §8: `#@ketek %25C`).
 */
const SPEC_MCA_KEYS = /^@(?:MCA|CHANN|CALIB|CTIME|ROI|MCADEV|MCA_NB|SCA|DET(?:_?\d+)?)$/;

/** A layout as `#@MCA` writes it: values per line, `C` for backslash continuation (`%25C`). */
const LAYOUT = /^[\t ]*%?\d+C?[\t ]*$/i;

/** The per-device lines a declaration owns. */
const DEVICE_KEYS = ["@CALIB", "@CHANN", "@CTIME"] as const;

/** Builds the MCA data of a scan, or null when it has neither spectra nor `#@` lines. */
export function buildMca(
  records: SpectrumRecord[],
  controls: McaControl[],
  report: McaReport,
): McaData | null {
  if (records.length === 0 && controls.length === 0) return null;
  // Every spectrum is read into one scratch buffer sized for the most values the texts can hold,
  // then copied into one exact buffer for the scan: one pass over the text, one allocation.
  const room = records.reduce((sum, record) => sum + ((record.text.length + 1) >>> 1), 0);
  const scratch = new Float64Array(room);
  let filled = 0;
  const counts = records.map((record) => {
    const count = readValuesInto(record.text, scratch, filled, (token, kind) => {
      if (kind === "text" || kind === "none") {
        report(
          "MCA_BAD_VALUE",
          record.line,
          `'${token}' in spectrum ${record.device} reads as NaN`,
        );
      }
    });
    filled += count;
    return count;
  });
  const buffer = scratch.slice(0, filled);
  let offset = 0;
  const spectra: McaSpectrum[] = records.map((record, i) => {
    const count = counts[i] as number;
    const values = buffer.subarray(offset, offset + count);
    offset += count;
    return { device: record.device, values, line: record.line, afterRow: record.afterRow };
  });

  const written = new Set(spectra.map((spectrum) => spectrum.device));
  const { declarations, owned, shared } = readDeclarations(controls, written);
  const calibrations = shared.get("@CALIB") ?? [];
  const channels = shared.get("@CHANN") ?? [];
  const times = shared.get("@CTIME") ?? [];

  let undeclared = 0;
  const devices: McaDevice[] = [...written].map((name) => {
    const own = owned.get(name);
    // Lines no declaration owns go by position among the devices that have none: one line per
    // device when there are several, else the single line applies to every device.
    const i = own ? 0 : undeclared++;
    const pick = (key: (typeof DEVICE_KEYS)[number], shared: McaControl[]) =>
      own?.get(key) ?? shared[i] ?? shared[0];
    const calibration = pick("@CALIB", calibrations);
    const channel = pick("@CHANN", channels);
    const time = pick("@CTIME", times);
    return {
      name,
      spectra: spectra
        .filter((spectrum) => spectrum.device === name)
        .map((spectrum) => spectrum.values),
      calibration: calibration ? readCalibration(calibration.text) : null,
      channels: channel ? readChannels(channel.text) : null,
      times: time ? splitWords(time.text).map((t) => readValue(t).value) : null,
    };
  });
  for (const device of devices) checkChannels(device, spectra, report);
  for (const declaration of declarations) {
    if (!written.has(declaration.name)) {
      report(
        "MCA_DEVICE_UNWRITTEN",
        declaration.line,
        `#${declaration.name} declares an MCA device, but the scan holds no ${declaration.name} spectrum`,
      );
    }
  }
  const layout = controls.find((control) => control.key === "@MCA")?.text.trim() ?? null;
  const rois = controls
    .filter((control) => control.key === "@ROI")
    .flatMap((control) => readRoi(control.text, control.line) ?? []);
  return { devices, spectra, rois, layout, declarations };
}

/**
 * The named devices the `#@` lines declare, the `#@CALIB`/`#@CHANN`/`#@CTIME` lines each owns (the
 * first of each key after its declaration, before the next one), and the lines no declaration
 * owns, by key. An unknown `#@<name>` line is a declaration when its text is a layout or when the
 * scan holds spectra of that name; otherwise it is some other key, and owns nothing.
 */
function readDeclarations(
  controls: McaControl[],
  written: Set<string>,
): {
  declarations: McaDeclaration[];
  owned: Map<string, Map<string, McaControl>>;
  shared: Map<string, McaControl[]>;
} {
  const declarations: McaDeclaration[] = [];
  const owned = new Map<string, Map<string, McaControl>>();
  const shared = new Map<string, McaControl[]>();
  let owner: Map<string, McaControl> | null = null;
  for (const control of controls) {
    if (!SPEC_MCA_KEYS.test(control.key)) {
      if (LAYOUT.test(control.text) || written.has(control.name)) {
        declarations.push({ name: control.name, layout: control.text.trim(), line: control.line });
        owner = owned.get(control.name) ?? new Map();
        owned.set(control.name, owner);
      }
      continue;
    }
    if (!(DEVICE_KEYS as readonly string[]).includes(control.key)) continue;
    if (owner) {
      if (!owner.has(control.key)) owner.set(control.key, control);
      continue;
    }
    const list = shared.get(control.key) ?? [];
    list.push(control);
    shared.set(control.key, list);
  }
  return { declarations, owned, shared };
}

/**
 * Channel counts come from the values; a device's spectra must agree with its `#@CHANN` line,
 * or with each other when it has none. One finding per device.
 */
function checkChannels(device: McaDevice, spectra: McaSpectrum[], report: McaReport): void {
  const own = spectra.filter((spectrum) => spectrum.device === device.name);
  const expected = device.channels?.count ?? own[0]?.values.length;
  const odd = own.filter((spectrum) => spectrum.values.length !== expected);
  const first = odd[0];
  if (!first || expected === undefined) return;
  const lengths = [...new Set(odd.map((spectrum) => spectrum.values.length))].join(", ");
  const against = device.channels
    ? `#@CHANN gives ${expected} channels`
    : `the first holds ${expected}`;
  report(
    "MCA_CHANNELS_MISMATCH",
    first.line,
    `${odd.length} of ${own.length} ${device.name} spectra hold ${lengths} values; ${against}`,
  );
}

function readCalibration(text: string): McaDevice["calibration"] {
  const tokens = splitWords(text);
  const [a, b, c] = tokens.slice(0, 3).map((token) => readValue(token).value);
  return { a: a ?? Number.NaN, b: b ?? Number.NaN, c: c ?? 0, extra: tokens.slice(3).join(" ") };
}

function readChannels(text: string): McaChannels | null {
  const [total, first, last, reduction] = splitWords(text).map((token) => readValue(token).value);
  if (total === undefined || first === undefined || last === undefined) return null;
  const step = reduction && reduction > 0 ? reduction : 1;
  return { total, first, last, reduction: step, count: Math.floor((last - first) / step) + 1 };
}

/**
 * `#@ROI name first last [detector]`, read from the right because names may hold blanks and
 * parentheses: three trailing integers after a name are the 4-field form.
 */
export function readRoi(text: string, line: number): McaRoi | null {
  const tokens = splitWords(text);
  const isInteger = (token: string | undefined) => token !== undefined && /^[-+]?\d+$/.test(token);
  const n = tokens.length;
  if (n >= 5 && isInteger(tokens[n - 1]) && isInteger(tokens[n - 2]) && isInteger(tokens[n - 3])) {
    return {
      name: tokens.slice(0, n - 3).join(" "),
      first: Number(tokens[n - 3]),
      last: Number(tokens[n - 2]),
      detector: Number(tokens[n - 1]),
      line,
    };
  }
  if (n >= 3 && isInteger(tokens[n - 1]) && isInteger(tokens[n - 2])) {
    return {
      name: tokens.slice(0, n - 2).join(" "),
      first: Number(tokens[n - 2]),
      last: Number(tokens[n - 1]),
      detector: null,
      line,
    };
  }
  return null;
}
