/** MCA spectra (`@A`, `@A1`, … with backslash continuations) and their `#@` metadata (notes §8). */
import { readValue, readValuesInto, splitWords } from "./text.js";
import type { McaChannels, McaData, McaDevice, McaRoi, McaSpectrum } from "./types.js";

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
  text: string;
  line: number;
}

/** Receives findings as (code, line, message). */
export type McaReport = (code: "MCA_BAD_VALUE", line: number | null, message: string) => void;

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

  const linesOf = (key: string) => controls.filter((control) => control.key === key);
  const calibrations = linesOf("@CALIB").map((control) => readCalibration(control.text));
  const channels = linesOf("@CHANN").map((control) => readChannels(control.text));
  const times = linesOf("@CTIME").map((control) =>
    splitWords(control.text).map((t) => readValue(t).value),
  );

  const deviceNames = [...new Set(spectra.map((spectrum) => spectrum.device))];
  const devices: McaDevice[] = deviceNames.map((name, i) => ({
    name,
    spectra: spectra
      .filter((spectrum) => spectrum.device === name)
      .map((spectrum) => spectrum.values),
    // One line per device when there are several, else the single line applies to every device.
    calibration: calibrations[i] ?? calibrations[0] ?? null,
    channels: channels[i] ?? channels[0] ?? null,
    times: times[i] ?? times[0] ?? null,
  }));
  const layout = linesOf("@MCA")[0]?.text.trim() ?? null;
  const rois = linesOf("@ROI").flatMap((control) => readRoi(control.text, control.line) ?? []);
  return { devices, spectra, rois, layout };
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
