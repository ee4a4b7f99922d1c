/**
 * MCA spectra (`@A`, `@A1`, … with backslash continuations) and their `#@` metadata
 * (docs/spec-format.md §8).
 */
import { decodeByteString } from "../parse/bytes.js";
import { type SpectrumRefs, withoutContinuation } from "./lines.js";
import {
  readValue,
  readValuesFromBytes,
  readValuesInto,
  splitWords,
  type ValueKind,
} from "./text.js";
import type {
  McaChannels,
  McaData,
  McaDeclaration,
  McaDevice,
  McaRoi,
  McaSpectrum,
} from "./types.js";

/** One spectrum as read from the scan's lines. */
export interface SpectrumRecord {
  device: string;
  line: number;
  /** Number of data rows before it: set once the table is built. */
  afterRow: number;
  /** Number of values: the record's are the next `count` of {@link SpectraRead.values}. */
  count: number;
  /** True when its last line ends in a backslash (MCA_UNTERMINATED). */
  unterminated: boolean;
  /** The line of its last part. */
  endLine: number;
}

/** Every spectrum of a scan, read: values, and what reading them found. */
export interface SpectraRead {
  records: SpectrumRecord[];
  /** Every value of every spectrum, in order, in one exact buffer. */
  values: Float64Array;
  /** Lines of the spectra that were not valid UTF-8, ascending. */
  latin1Lines: number[];
  /** Tokens that read as NaN (text or `None`), in order, as (line, message). */
  badValues: { line: number; message: string }[];
}

/** The scratch buffer spectra are read into, reused from scan to scan up to this many values. */
const SCRATCH_VALUES_KEPT = 1 << 20;
let valueScratch = new Float64Array(0);

/**
 * Reads the values of every spectrum of a block. With `fromBytes`, a spectrum of ASCII lines is
 * read straight from the bytes (the parts of its lines between blanks, each line's continuation
 * backslash left out); anything else, and every spectrum without `fromBytes`, is read as before
 * the fast path: its lines decoded, joined with their backslashes turned into blanks, and split.
 * Both give the same values and findings (test/fast-path.test.ts compares them on every corpus
 * file and fixture).
 */
export function readSpectra(refs: SpectrumRefs, fromBytes: boolean): SpectraRead {
  const { bytes, count, lines, firstPart, starts, ends } = refs;
  const records: SpectrumRecord[] = [];
  const latin1Lines: number[] = [];
  const badValues: { line: number; message: string }[] = [];
  if (count === 0) return { records, values: new Float64Array(0), latin1Lines, badValues };
  // Room for the most values the lines can hold: one per byte and blank.
  let room = 0;
  for (let r = 0; r < count; r++) {
    let length = 0;
    for (let p = firstPart[r] as number; p < (firstPart[r + 1] as number); p++) {
      length += (ends[p] as number) - (starts[p] as number);
    }
    room += (length + 1) >>> 1;
  }
  // Into reused room straight away; else into the scratch, and copied at their count.
  if (!refs.reusedNumbers && valueScratch.length < room) valueScratch = new Float64Array(room);
  const scratch = refs.reusedNumbers ? refs.allocateNumbers(room) : valueScratch;
  let filled = 0;
  let device = "";
  for (let r = 0; r < count; r++) {
    const line = lines[r] as number;
    const first = firstPart[r] as number;
    const last = (firstPart[r + 1] as number) - 1;
    const badBefore = badValues.length;
    const report = (token: string, name: string) =>
      badValues.push({ line, message: `'${token}' in spectrum ${name} reads as NaN` });
    let record = fromBytes
      ? readSpectrumBytes(bytes, first, last, starts, ends, scratch, filled, device, report)
      : null;
    if (record === null) {
      // What the bytes reported is reported again by the text.
      badValues.length = badBefore;
      record = readSpectrumText(refs, first, last, line, scratch, filled, latin1Lines, report);
    }
    device = record.device;
    records.push({
      device,
      line,
      afterRow: 0,
      count: record.count,
      unterminated: record.unterminated,
      endLine: line + last - first,
    });
    filled += record.count;
  }
  let values = scratch.subarray(0, filled);
  if (!refs.reusedNumbers) {
    values = refs.allocateNumbers(filled);
    values.set(scratch.subarray(0, filled));
  }
  // A very large scan must not keep its scratch's size in memory for good.
  if (valueScratch.length > SCRATCH_VALUES_KEPT) valueScratch = new Float64Array(0);
  return { records, values, latin1Lines, badValues };
}

/** What reading one spectrum gave. */
interface SpectrumValues {
  device: string;
  count: number;
  unterminated: boolean;
}

/**
 * Reads parts `[first, last]` of a spectrum from the bytes into `values` from `at`, or returns
 * null when they are not all ASCII or a part before the last does not end in a backslash (which
 * the lexer never gives): the text path decides those. `previous` is the last device name, reused
 * when the bytes spell it again.
 */
function readSpectrumBytes(
  bytes: Uint8Array,
  first: number,
  last: number,
  starts: Int32Array,
  ends: Int32Array,
  values: Float64Array,
  at: number,
  previous: string,
  onText: (token: string, device: string) => void,
): SpectrumValues | null {
  // The device: `@` and every byte up to a blank or a backslash, as `/^@[^\t \\]*/` finds it.
  const start = starts[first] as number;
  const lineEnd = ends[first] as number;
  let deviceEnd = start + 1;
  for (; deviceEnd < lineEnd; deviceEnd++) {
    const c = bytes[deviceEnd] as number;
    if (c === 9 || c === 32 || c === 92) break;
    if (c >= 0x80) return null;
  }
  let device = previous;
  if (!sameAscii(bytes, start, deviceEnd, previous)) {
    device = "";
    for (let i = start; i < deviceEnd; i++) device += String.fromCharCode(bytes[i] as number);
  }
  let filled = at;
  let unterminated = false;
  const onOther = (token: string, kind: ValueKind) => {
    if (kind === "text" || kind === "none") onText(token, device);
  };
  for (let p = first; p <= last; p++) {
    const from = p === first ? deviceEnd : (starts[p] as number);
    const to = ends[p] as number;
    let trimmed = to;
    while (trimmed > from && (bytes[trimmed - 1] === 32 || bytes[trimmed - 1] === 9)) trimmed--;
    const backslash = trimmed > from && bytes[trimmed - 1] === 92;
    if (!backslash && p < last) return null;
    unterminated = backslash;
    const read = readValuesFromBytes(
      bytes,
      from,
      backslash ? trimmed - 1 : to,
      values,
      filled,
      onOther,
    );
    if (read < 0) return null;
    filled += read;
  }
  return { device, count: filled - at, unterminated };
}

/** True when `bytes[start, end)` spells `text`. */
function sameAscii(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = start; i < end; i++) {
    if (bytes[i] !== text.charCodeAt(i - start)) return false;
  }
  return true;
}

/**
 * Reads parts `[first, last]` of a spectrum as text: each line decoded (UTF-8, else Latin-1), the
 * device name cut off the first, each line's trailing backslash turned into a blank before the
 * next is appended, and the values split from the joined text.
 */
function readSpectrumText(
  refs: SpectrumRefs,
  first: number,
  last: number,
  line: number,
  values: Float64Array,
  at: number,
  latin1Lines: number[],
  onText: (token: string, device: string) => void,
): SpectrumValues {
  const { bytes, starts, ends, byteString } = refs;
  const parts: string[] = [];
  let device = "@A";
  for (let p = first; p <= last; p++) {
    const decoded = decodeByteString(byteString(bytes.subarray(starts[p], ends[p])));
    if (decoded.latin1Fallback) latin1Lines.push(line + p - first);
    let text = decoded.text;
    if (p === first) {
      // The key is the first word (`@A`, `@A1`, `@AMCA`, `@ketek`): a tag stuck to `@A` is part
      // of the device's name, never a first value.
      device = /^@[^\t \\]*/.exec(text)?.[0] ?? "@A";
      text = text.slice(device.length);
    } else {
      const previous = parts.length - 1;
      parts[previous] = withoutContinuation(parts[previous] as string, " ");
    }
    parts.push(text);
  }
  const ending = parts[parts.length - 1] as string;
  const cut = withoutContinuation(ending, " ");
  parts[parts.length - 1] = cut;
  const count = readValuesInto(parts.join(""), values, at, (token, kind) => {
    if (kind === "text" || kind === "none") onText(token, device);
  });
  return { device, count, unterminated: cut !== ending };
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
  read: SpectraRead,
  controls: McaControl[],
  report: McaReport,
): McaData | null {
  const { records } = read;
  if (records.length === 0 && controls.length === 0) return null;
  for (const bad of read.badValues) report("MCA_BAD_VALUE", bad.line, bad.message);
  // Every spectrum is a view of one exact buffer for the scan: one allocation.
  let offset = 0;
  const spectra: McaSpectrum[] = records.map((record) => {
    const values = read.values.subarray(offset, offset + record.count);
    offset += record.count;
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
