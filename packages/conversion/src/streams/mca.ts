/**
 * MCA spectra (`@A` lines, or a named device's): array data of the primary stream when each
 * device has one spectrum per row, else a stream of their own per device, one event a spectrum.
 */
import { type DocRecord, type DocValue, type NamedDocument, PyFloat } from "@specx/documents";
import type { Scan } from "@specx/spec-parser";
import { descriptor, event, safeKey, uniqueKeys } from "../build.js";
import type { ScanRun, StreamDocuments } from "../types.js";

/**
 * True when the spectra pair with the rows. Each device must have one spectrum per row: the
 * total alone may match when a duplicated or lost line gave one device more spectra than rows
 * and another fewer.
 */
export function mcaPairsWithRows(scan: Scan): boolean {
  const devices = scan.mca?.devices ?? [];
  return (
    devices.length > 0 &&
    scan.data.rows > 0 &&
    devices.every((device) => device.spectra.length === scan.data.rows)
  );
}

/** The primary columns of spectra that pair with the rows: a data key per device, not in `taken`. */
export function pairedMcaColumns(
  scan: Scan,
  taken: string[],
): { key: string; dataKey: DocRecord; spectra: DocValue[][] }[] {
  const devices = scan.mca?.devices ?? [];
  const mcaKeys = uniqueKeys(
    devices.map((d) => mcaKeyOf(d.name)),
    new Set(taken),
  );
  return devices.map((device, d) => {
    const key = mcaKeys[d] as string;
    return {
      key,
      dataKey: mcaDataKey(device.spectra, key),
      spectra: device.spectra.map(spectrumValue),
    };
  });
}

/** Spectra that do not pair with rows: a stream per device, one event per spectrum. */
export function mcaStreams(
  run: ScanRun,
  eventTimes: number[],
  primaryTime: number,
): StreamDocuments[] {
  const { scan, uidFor, startUid } = run;
  const mca = scan.mca;
  const devices = mca?.devices ?? [];
  if (!mca || mca.spectra.length === 0) return [];
  return devices.map((device) => {
    const stream = devices.length === 1 ? "mca" : mcaStreamOf(device.name);
    const descriptorUid = uidFor(`descriptor:${stream}`);
    const documents: NamedDocument[] = [
      [
        "descriptor",
        descriptor(
          descriptorUid,
          startUid,
          primaryTime,
          stream,
          { mca: mcaDataKey(device.spectra, "mca") },
          ["mca"],
        ),
      ],
    ];
    device.spectra.forEach((spectrum, i) => {
      const time = eventTimes[Math.min(i, eventTimes.length - 1)] ?? primaryTime;
      documents.push([
        "event",
        event(uidFor(`event:${stream}:${i + 1}`), descriptorUid, i + 1, time, {
          mca: spectrumValue(spectrum),
        }),
      ]);
    });
    return { name: stream, documents, events: device.spectra.length };
  });
}

/**
 * The data key of an MCA device's spectra: `mca`, `mca1` for SPEC's `@A`, `@A1`; a named device's
 * name (`@ketek` gives `ketek`).
 */
function mcaKeyOf(device: string): string {
  const numbered = /^@A(\d*)$/.exec(device);
  return numbered ? `mca${numbered[1]}` : safeKey(device.slice(1));
}

/** The stream of a device's spectra when they do not pair with rows and there are several devices. */
function mcaStreamOf(device: string): string {
  const numbered = /^@A(\d*)$/.exec(device);
  return numbered ? `mca${numbered[1] || "0"}` : `mca_${safeKey(device.slice(1))}`;
}

function mcaDataKey(spectra: Float64Array[], key: string): DocRecord {
  const channels = spectra[0]?.length ?? 0;
  const integer = spectra.every((s) => s.every((v) => Number.isInteger(v)));
  // Spectra of different lengths (a cut or damaged file) have a dimension of unknown length.
  const sameLength = spectra.every((s) => s.length === channels);
  return {
    dtype: "array",
    shape: [sameLength ? channels : null],
    dtype_numpy: integer ? "<i8" : "<f8",
    dims: ["channel"],
    source: "SPEC:@A",
    object_name: key,
  };
}

function spectrumValue(spectrum: Float64Array): DocValue[] {
  const integer = spectrum.every((v) => Number.isInteger(v));
  return Array.from(spectrum, (v) => (integer ? v : Number.isInteger(v) ? new PyFloat(v) : v));
}
