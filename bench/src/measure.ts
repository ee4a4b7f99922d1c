/**
 * One specx measurement in a fresh process, so that peak memory is this task's alone:
 * `node bench/dist/measure.js MODE FILE` prints `{seconds, maxRssMb, ...}` as JSON.
 *
 * - `open`: open the file and list its scans (keys and commands);
 * - `data`: open, then read every scan's data columns, one scan at a time;
 * - `mca`: open, then read every MCA spectrum of every scan;
 * - `data-arena`, `mca-arena`: the same, every scan read into one NumberArena (its numbers reused
 *   by the next scan), as a pass that lets each scan go does;
 * - `write`: write FILE as one long run of `rows` events with the apstools writer, to a sink
 *   that only counts bytes (FILE is the row count);
 * - `write-baseline`: the same rows formatted by a plain loop (`String(n)` joined by spaces),
 *   the floor any SPEC writer in JavaScript stands on;
 * - `floor`: every number of FILE's data and spectrum lines read by the simplest loop there is
 *   (no model, no checks, decimals not exact): the floor any SPEC reader in JavaScript stands on.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { NumberArena, openSpec } from "@specx/spec-parser/node";
import { createSpecWriter } from "@specx/spec-writer";

interface Result {
  seconds: number;
  maxRssMb: number;
  [key: string]: number | string;
}

function measure(mode: string, arg: string): Result {
  const start = performance.now();
  const extra: Record<string, number> = {};
  if (mode === "open") {
    const file = openSpec(arg);
    let listed = 0;
    for (const entry of file.scanEntries) listed += entry.key.length > 0 ? 1 : 0;
    extra.scans = listed;
  } else if (mode === "data" || mode === "data-arena") {
    const file = openSpec(arg);
    const arena = mode === "data-arena" ? new NumberArena() : undefined;
    let cells = 0;
    let checksum = 0;
    for (let i = 0; i < file.scanCount; i++) {
      const columns = file.scanAt(i, { arena })?.data.columns ?? [];
      for (const column of columns) {
        cells += column.length;
        for (let r = 0; r < column.length; r++) checksum += column[r] as number;
      }
    }
    extra.cells = cells;
    extra.checksum = checksum;
  } else if (mode === "mca" || mode === "mca-arena") {
    const file = openSpec(arg);
    const arena = mode === "mca-arena" ? new NumberArena() : undefined;
    let spectra = 0;
    let channels = 0;
    for (let i = 0; i < file.scanCount; i++) {
      for (const spectrum of file.scanAt(i, { arena })?.mca?.spectra ?? []) {
        spectra++;
        channels += spectrum.values.length;
      }
    }
    extra.spectra = spectra;
    extra.channels = channels;
  } else if (mode === "floor") {
    Object.assign(extra, readNumbersFloor(arg));
  } else if (mode === "write" || mode === "write-baseline") {
    const rows = Number(arg);
    extra.rows = rows;
    extra.bytes = mode === "write" ? writeRun(rows) : writeBaseline(rows);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra };
}

const DETECTORS = ["I0", "I00", "diode", "scint", "mon", "signal"];

/** One run of `rows` primary events through the apstools writer. */
function writeRun(rows: number): number {
  let bytes = 0;
  const writer = createSpecWriter(
    { write: (text) => (bytes += text.length) },
    { fileName: "bench.spec", timeZone: "UTC", identity: { user: "bench", host: "bench" } },
  );
  const uid = "00000000-0000-4000-8000-000000000001";
  writer.receive("start", {
    uid,
    time: 1700000000.5,
    scan_id: 1,
    plan_name: "scan",
    detectors: DETECTORS,
    motors: ["theta"],
    plan_args: { detectors: DETECTORS, num: rows },
  });
  const dataKeys = Object.fromEntries(
    ["theta", ...DETECTORS].map((k) => [k, { dtype: "number", shape: [], source: `SIM:${k}` }]),
  );
  writer.receive("descriptor", {
    uid: "d1",
    run_start: uid,
    time: 1700000000.6,
    name: "primary",
    data_keys: dataKeys,
    object_keys: Object.fromEntries(Object.keys(dataKeys).map((k) => [k, [k]])),
    hints: {},
  });
  for (let i = 0; i < rows; i++) {
    const data: Record<string, number> = { theta: i * 0.001 };
    for (const [k, d] of DETECTORS.entries()) data[d] = (i * 7919 + k * 104729) % 1000003;
    writer.receive("event", {
      uid: `e${i}`,
      descriptor: "d1",
      seq_num: i + 1,
      time: 1700000001 + i * 0.1,
      data,
      timestamps: {},
    });
  }
  writer.receive("stop", {
    uid: "s1",
    run_start: uid,
    time: 1700000001 + rows * 0.1,
    exit_status: "success",
    num_events: { primary: rows },
  });
  return bytes;
}

/** The same rows as a plain loop would print them, without any of the writer's rules. */
function writeBaseline(rows: number): number {
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const cells = [String(i * 0.001), String(i), String(0.1 * i)];
    for (const k of DETECTORS.keys()) cells.push(String((i * 7919 + k * 104729) % 1000003));
    bytes += cells.join(" ").length + 1;
  }
  return bytes;
}

/**
 * The floor of reading: the file through one reused 1 MB window, every number of its lines that
 * do not start with `#` (rows and spectra, past their `@A`) parsed by one digit loop
 * into a new Float64Array per window, as a reader gives each scan its own memory. It checks
 * nothing and rounds decimals its own way; it is what specx's exact, checked reading is measured
 * against (docs/performance.md).
 */
function readNumbersFloor(path: string): { values: number; checksum: number } {
  const fd = openSync(path, "r");
  const size = fstatSync(fd).size;
  const window = Buffer.allocUnsafe(1 << 20);
  let values = 0;
  let checksum = 0;
  for (let position = 0; position < size; ) {
    const got = readSync(fd, window, 0, window.length, position);
    let end = got;
    // Whole lines only, unless one line is longer than the window.
    if (position + got < size) while (end > 1 && window[end - 1] !== 10) end--;
    if (end <= 1) end = got;
    const numbers = new Float64Array(end >>> 1);
    const count = floorNumbers(window, end, numbers);
    values += count;
    for (let i = 0; i < count; i++) checksum += numbers[i] as number;
    position += end;
  }
  closeSync(fd);
  return { values, checksum };
}

function floorNumbers(bytes: Uint8Array, end: number, numbers: Float64Array): number {
  let count = 0;
  let i = 0;
  while (i < end) {
    const c = bytes[i] as number;
    if ((c === 35 || c === 64) && (i === 0 || bytes[i - 1] === 10)) {
      // A control line is skipped whole; of a spectrum's first line, only its `@A`.
      const stop = c === 35 ? 10 : 32;
      while (i < end && bytes[i] !== stop) i++;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      const negative = c === 45;
      let value = negative ? 0 : c - 48;
      let scale = 0;
      let j = i + 1;
      for (; j < end; j++) {
        const b = bytes[j] as number;
        if (b >= 48 && b <= 57) {
          value = value * 10 + (b - 48);
          scale *= 10;
        } else if (b === 46) scale = 1;
        else break;
      }
      if (scale > 1) value /= scale;
      numbers[count++] = negative ? -value : value;
      i = j;
      continue;
    }
    i++;
  }
  return count;
}

const [mode = "", arg = ""] = process.argv.slice(2);
process.stdout.write(`${JSON.stringify(measure(mode, arg))}\n`);
