/**
 * The `primary` stream: one event per data row, a data key per `#L` column (bluesky's
 * `Epoch`/`Epoch_float` become event times instead), MCA spectra that pair with the rows as
 * array data, and the hints that give back a bluesky-written scan's column order.
 */
import type { DocRecord, DocValue, NamedDocument, RunStart } from "@specx/documents";
import type { Scan } from "@specx/spec-parser";
import { v1Hints } from "../apstools-v1.js";
import { dataKeyFor, descriptor, event, uniqueKeys } from "../build.js";
import { cellReader, literal } from "../literal.js";
import type { ScanRun, StreamDocuments } from "../types.js";
import { pairedMcaColumns } from "./mca.js";

/** The data columns of a scan and their data keys. */
export interface Columns {
  /** Column of `Epoch_float`, `Epoch` (-1: none). */
  epochFloat: number;
  epoch: number;
  /** The columns that are data (bluesky's Epoch columns are event times instead). */
  indexes: number[];
  /** The data key of each of `indexes`. */
  keys: string[];
  /** The data key of each `#L` label (the first column of a label). */
  labelKeys: Map<string, string>;
}

/**
 * The columns of a scan's primary stream. Data keys are decided before the start document,
 * whose motors and detectors name them.
 */
export function primaryColumns(run: ScanRun): Columns {
  const { data } = run.scan;
  // Columns: bluesky's synthetic Epoch/Epoch_float become event times, not data.
  const epochFloat = data.names.indexOf("Epoch_float");
  const epoch = data.names.indexOf("Epoch");
  const dropped = new Set(run.bluesky && epochFloat >= 0 ? [epoch, epochFloat] : []);
  const indexes = data.names.map((_, i) => i).filter((i) => !dropped.has(i));
  const keys = uniqueKeys(indexes.map((i) => data.aliases[i] ?? `col${i + 1}`));
  const labelKeys = new Map<string, string>();
  indexes.forEach((column, k) => {
    const label = data.names[column];
    if (label !== undefined && !labelKeys.has(label)) labelKeys.set(label, keys[k] as string);
  });
  return { epochFloat, epoch, indexes, keys, labelKeys };
}

/**
 * The primary stream: its descriptor (none for a v1 scan without columns) and an event per row,
 * at `eventTimes`. `pairedMca`: the MCA spectra pair with the rows and join their events.
 */
export function primaryStream(
  run: ScanRun,
  columns: Columns,
  start: RunStart,
  eventTimes: number[],
  primaryTime: number,
  pairedMca: boolean,
): StreamDocuments {
  const { scan, bluesky, v1, v1Rows, uidFor, startUid } = run;
  const { data } = scan;
  const { epochFloat, epoch, keys } = columns;
  const columnIndexes = columns.indexes;
  const cellValues = bluesky && !v1 ? userCells(scan) : new Map<string, DocValue>();
  const cellValue = cellReader(scan);
  const primaryKeys: DocRecord = {};
  const rowsData: DocRecord[] = Array.from({ length: data.rows }, () => ({}));
  columnIndexes.forEach((column, k) => {
    const key = keys[k] as string;
    const label = data.names[column] ?? key;
    const values: DocValue[] = [];
    for (let row = 0; row < data.rows; row++) {
      const cell = `${row}:${label}`;
      // A restored `#U` cell may be None (null), which must not fall back to the placeholder.
      if (v1Rows) values.push(v1Rows[row]?.[column] ?? null);
      else
        values.push(
          cellValues.has(cell) ? (cellValues.get(cell) as DocValue) : cellValue(row, column),
        );
    }
    values.forEach((value, row) => {
      (rowsData[row] as DocRecord)[key] = value;
    });
    primaryKeys[key] = {
      ...dataKeyFor(values),
      source: `SPEC:${label}`,
      spec_label: label,
      object_name: key,
    };
  });
  if (pairedMca) {
    for (const column of pairedMcaColumns(scan, keys)) {
      column.spectra.forEach((values, row) => {
        (rowsData[row] as DocRecord)[column.key] = values;
      });
      primaryKeys[column.key] = column.dataKey;
    }
  }
  const primaryUid = uidFor("descriptor:primary");
  const primary = descriptor(
    primaryUid,
    startUid,
    primaryTime,
    "primary",
    primaryKeys,
    Object.keys(primaryKeys),
  );
  if (v1) primary.hints = v1Hints(start, keysAfter(keys, columnIndexes, epoch));
  else if (bluesky && epochFloat >= 0)
    primary.hints = columnHints(start, keys, columnIndexes, epoch);
  // v1 writes a scan without a primary stream as `#N 0` and no `#L`.
  const hasPrimary = !(v1 && data.names.length === 0);
  const documents: NamedDocument[] = hasPrimary ? [["descriptor", primary]] : [];
  rowsData.forEach((rowData, row) => {
    documents.push([
      "event",
      event(
        uidFor(`event:primary:${row + 1}`),
        primaryUid,
        row + 1,
        eventTimes[row] as number,
        rowData,
      ),
    ]);
  });

  return { name: "primary", documents, events: hasPrimary ? data.rows : null };
}

/** The keys of the columns after `Epoch`. */
function keysAfter(keys: string[], columns: number[], epochColumn: number): string[] {
  return keys.filter((_, k) => (columns[k] as number) > epochColumn);
}

/**
 * Descriptor hints that make apstools' column choice (motors, Epoch, Epoch_float, the rest, the
 * detectors with the first moved last) give back the `#L` order of a bluesky-written scan: the
 * first motor names the columns before `Epoch`, and the first detector the shortest tail of
 * columns that holds every detector that is itself a column, in the order apstools claimed them.
 */
function columnHints(
  start: DocRecord,
  keys: string[],
  columns: number[],
  epochColumn: number,
): DocRecord {
  const hints: DocRecord = {};
  const before = keys.filter((_, k) => (columns[k] as number) < epochColumn);
  const after = keys.filter((_, k) => (columns[k] as number) > epochColumn);
  const names = (value: DocValue | undefined) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  const motors = names(start.positioners !== undefined ? start.positioners : start.motors);
  const detectors = names(start.detectors);
  for (const name of [...motors, ...detectors]) hints[name] = { fields: [] };
  const firstMotor = motors[0];
  if (firstMotor !== undefined && before.length > 0) hints[firstMotor] = { fields: before };
  const detectorColumns = detectors.filter((d) => after.includes(d));
  let length = 0;
  for (const d of detectorColumns) length = Math.max(length, after.length - after.indexOf(d));
  const tail = after.slice(after.length - length);
  const firstDetector = detectors[0];
  if (firstDetector !== undefined && tail.length > 0) {
    // apstools printed the claimed fields with the first one moved last: undo that rotation.
    hints[firstDetector] = { fields: [tail[tail.length - 1] as string, ...tail.slice(0, -1)] };
  }
  return hints;
}

/** `#U label = value` lines after a row (bluesky): the cell's real value. */
function userCells(scan: Scan): Map<string, DocValue> {
  const cells = new Map<string, DocValue>();
  for (const line of scan.control("U")) {
    if (line.key !== "U" || line.afterRow === null || line.afterRow < 1) continue;
    if (line.text.startsWith(" externals: ")) continue;
    const separator = line.text.indexOf(" = ");
    if (separator < 0) continue;
    const label = line.text.slice(0, separator).trim();
    const text = line.text.slice(separator + 3);
    cells.set(`${line.afterRow - 1}:${label}`, literal(text));
  }
  return cells;
}
