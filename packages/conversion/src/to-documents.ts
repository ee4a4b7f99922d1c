/**
 * SPEC scan → bluesky event-model documents (notes/documents.md §5): one scan is one run —
 * start, a `label_start_motor` stream from `#O`/`#P`, a `primary` stream from the data (with MCA
 * spectra as array data, or an `mca` stream when they do not pair with rows), and stop.
 *
 * Bluesky-written files (apstools) come back as the run they were written from, as far as SPEC
 * holds it: the start uid from `#C … uid =`, start keys from `#MD`, `Epoch_float` as event time,
 * `#U label = value` cells restored, end comments as exit status and event counts. Other uids
 * are UUIDv5 of the scan's content and key, so a re-run gives the same uids.
 */
import {
  type DocValue,
  isDocObject,
  type NamedDocument,
  PyFloat,
  PyTuple,
  pyTuple,
  toNumber,
} from "@specx/documents";
import {
  type FileHeader,
  isApstools,
  readDate,
  readValue,
  type Scan,
  type SpecFile,
  scanWriter,
  splitWords,
} from "@specx/spec-parser";
import { v1Cells, v1Hints, v1PlanType } from "./apstools-v1.js";
import { asFloat, dataKeyFor, descriptor, event, safeKey, toEpoch, uniqueKeys } from "./build.js";
import { cellReader, literal, numberFromToken } from "./literal.js";
import { planFromCommand, unquotedCommand } from "./plan-command.js";
import { suitcaseRun } from "./suitcase.js";
import { sha1Hex, uuid5 } from "./uuid.js";

type Doc = Record<string, DocValue>;

/** Options of {@link scanToDocuments}. */
export interface ToDocumentsOptions {
  /** Recorded as `spec.source_path` (the file as read). */
  sourcePath?: string;
  /** Add the `spec` provenance key to start (default true); round-trip comparisons turn it off. */
  provenance?: boolean;
  /**
   * The writer's offset from UTC in seconds (east positive). Default: inferred per header from
   * `#D` and `#E`, rounded to 15 minutes; UTC without a header.
   */
  utcOffset?: number;
}

/** Writer settings that reproduce a bluesky-written file's header (for SPEC → documents → SPEC). */
export interface ScanHeaderSettings {
  fileName: string;
  /** The header's `#E` as Python wrote it (int, or float kept a float), or null. */
  epoch: number | PyFloat | null;
  /** True when the scan has no header (apstools' newfile() bug writes such files). */
  headerless: boolean;
  identity: { user: string; host: string } | null;
  /** Fixed UTC offset as `Etc/GMT±h` when it is a whole number of hours, else null. */
  timeZone: string | null;
}

/** Converts one scan to the documents of one run. Never throws on content. */
export function scanToDocuments(
  file: SpecFile,
  scan: Scan,
  options: ToDocumentsOptions = {},
): NamedDocument[] {
  const writer = scanWriter(scan);
  const bluesky = isApstools(writer);
  // apstools' v1 layout keeps plan details outside #MD and writes Python values into the rows.
  const v1 = writer === "apstools-v1";
  const v1Rows = v1 ? v1Cells(scan) : null;
  const header = scan.header;
  const offset = options.utcOffset ?? inferUtcOffset(header);
  const contentName = `${sha1Hex(new TextEncoder().encode(scan.lines.map((l) => l.text + l.eol).join("")))}:${scan.key}`;
  const uidFor = (role: string) => uuid5(`${contentName}:${role}`);
  const uidComment = scan.comments.find((c) => /uid = [0-9a-fA-F-]{8,}/.test(c.text));
  const startUid = /uid = ([0-9a-fA-F-]+)/.exec(uidComment?.text ?? "")?.[1] ?? uidFor("start");

  if (writer === "suitcase") {
    const time = toEpoch(scan.date, offset) ?? header?.epoch ?? 0;
    const spec =
      options.provenance !== false ? { spec: provenance(file, scan, options.sourcePath) } : {};
    return suitcaseRun(scan, time, uidFor, spec);
  }

  // Columns: bluesky's synthetic Epoch/Epoch_float become event times, not data.
  const { data } = scan;
  const epochFloat = data.names.indexOf("Epoch_float");
  const epoch = data.names.indexOf("Epoch");
  const dropped = new Set(bluesky && epochFloat >= 0 ? [epoch, epochFloat] : []);

  // Times.
  const scanDate = toEpoch(scan.date, offset);
  const firstAfterHeader =
    header !== null &&
    file.scanEntries[scan.index - 1]?.headerIndex !== file.scanEntries[scan.index]?.headerIndex;
  const headerEpoch = header ? headerEpochValue(header) : null;
  let startTime: number | PyFloat;
  const relative = (row: number): number | null => {
    if (v1Rows && epochFloat >= 0) return toNumber(v1Rows[row]?.[epochFloat]) ?? null;
    if (bluesky && epochFloat >= 0) return data.columns[epochFloat]?.[row] ?? null;
    if (bluesky && epoch >= 0) return data.columns[epoch]?.[row] ?? null;
    return null;
  };
  if (
    bluesky &&
    headerEpoch !== null &&
    firstAfterHeader &&
    scanDate !== null &&
    Math.abs(scanDate - Number(headerEpoch)) < 1
  ) {
    startTime = headerEpoch;
  } else if (bluesky && scanDate !== null) {
    // v2 writes the uid comment at the first event; v1 at the start, which says nothing new.
    const uidDate =
      uidComment && !v1 ? toEpoch(readDate(uidComment.text.split(".  ")[0] ?? ""), offset) : null;
    const first = relative(0);
    let low = scanDate;
    let high = scanDate + 1;
    if (uidDate !== null && first !== null && Number.isFinite(first)) {
      low = Math.max(low, uidDate - first);
      high = Math.min(high, uidDate - first + 1);
    }
    // The last event also precedes the stop, whose second the end comments give.
    const last = relative(data.rows - 1);
    const endComment = scan.comments.find((c) => /\. {2}exit_status = /.test(c.text));
    const endDate = endComment
      ? toEpoch(readDate(endComment.text.split(".  ")[0] ?? ""), offset)
      : null;
    if (endDate !== null && last !== null && Number.isFinite(last) && endDate + 1 - last > low) {
      high = Math.min(high, endDate + 1 - last);
    }
    startTime = low < high ? (low + high) / 2 : scanDate;
  } else {
    startTime = scanDate ?? (headerEpoch !== null ? Number(headerEpoch) : 0);
  }
  const eventTimes: number[] = [];
  for (let row = 0; row < data.rows; row++) {
    const rel = relative(row);
    let time: number;
    if (rel !== null && Number.isFinite(rel)) time = Number(startTime) + rel;
    else if (
      !bluesky &&
      epoch >= 0 &&
      headerEpoch !== null &&
      Number.isFinite(data.columns[epoch]?.[row] ?? Number.NaN)
    ) {
      time = Number(headerEpoch) + (data.columns[epoch]?.[row] as number);
    } else
      time =
        Number(startTime) + row * (scan.preset?.kind === "time" ? (scan.preset.value ?? 0) : 0);
    // Event times never decrease and never precede the start (SPEC clocks and #D's 1 s do).
    eventTimes.push(Math.max(time, eventTimes[row - 1] ?? Number.NEGATIVE_INFINITY));
  }
  if (eventTimes.length > 0 && (eventTimes[0] as number) < Number(startTime))
    startTime = eventTimes[0] as number;

  // Start.
  // `#E` keeps the kind Python wrote it in; any other time is a float.
  const start: Doc = {
    uid: startUid,
    time: startTime === headerEpoch ? startTime : asFloat(startTime),
  };
  if (scan.number !== null) start.scan_id = scan.number;
  const metadata = metadataValues(scan);
  // Data keys of the primary columns, decided first: start.motors and detectors name them.
  const columnIndexes = data.names.map((_, i) => i).filter((i) => !dropped.has(i));
  const keys = uniqueKeys(columnIndexes.map((i) => data.aliases[i] ?? `col${i + 1}`));
  const labelKeys = new Map<string, string>();
  columnIndexes.forEach((column, k) => {
    const label = data.names[column];
    if (label !== undefined && !labelKeys.has(label)) labelKeys.set(label, keys[k] as string);
  });
  if (bluesky) {
    if (v1) Object.assign(start, v1StartKeys(scan, metadata));
    for (const [key, value] of Object.entries(metadata)) {
      if (key !== "uid" && key !== "time" && key !== "scan_id") start[safeKey(key)] = value;
    }
  } else {
    Object.assign(start, plainStartKeys(scan, labelKeys, keys), metadata);
  }
  coerceStartTypes(start);
  if (options.provenance !== false) {
    start[start.spec === undefined ? "spec" : "_spec"] = provenance(file, scan, options.sourcePath);
  }

  const documents: NamedDocument[] = [["start", start]];
  const numEvents: Doc = {};
  // One push per document: push(...list) overflows the call stack for 200,000 of them.
  if (bluesky) for (const document of externalDocuments(scan)) documents.push(document);

  // label_start_motor from #O/#P.
  if (scan.positioners.length > 0) {
    const keys = uniqueKeys(scan.positioners.map((p) => p.mnemonic ?? p.name));
    const descriptorUid = uidFor("descriptor:label_start_motor");
    const dataKeys: Doc = {};
    const eventData: Doc = {};
    scan.positioners.forEach((p, i) => {
      const key = keys[i] as string;
      dataKeys[key] = {
        dtype: "number",
        shape: [],
        source: `SPEC:${p.mnemonic ?? p.name}`,
        spec_label: p.name,
        object_name: key,
      };
      eventData[key] = numberFromToken(p.raw, p.value);
    });
    documents.push(
      [
        "descriptor",
        descriptor(descriptorUid, startUid, Number(startTime), "label_start_motor", dataKeys, keys),
      ],
      [
        "event",
        event(uidFor("event:label_start_motor:1"), descriptorUid, 1, Number(startTime), eventData),
      ],
    );
    numEvents.label_start_motor = 1;
  }

  // primary from the data rows (and MCA spectra that pair with them).
  const cellValues = bluesky && !v1 ? userCells(scan) : new Map<string, DocValue>();
  const cellValue = cellReader(scan);
  const primaryKeys: Doc = {};
  const rowsData: Doc[] = Array.from({ length: data.rows }, () => ({}));
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
      (rowsData[row] as Doc)[key] = value;
    });
    primaryKeys[key] = {
      ...dataKeyFor(values),
      source: `SPEC:${label}`,
      spec_label: label,
      object_name: key,
    };
  });
  const mca = scan.mca;
  const devices = mca?.devices ?? [];
  // Each device must have one spectrum per row: the total alone may match when a duplicated or
  // lost line gave one device more spectra than rows and another fewer.
  const pairedMca =
    devices.length > 0 &&
    data.rows > 0 &&
    devices.every((device) => device.spectra.length === data.rows);
  if (pairedMca) {
    const mcaKeys = uniqueKeys(
      devices.map((d) => mcaKeyOf(d.name)),
      new Set(keys),
    );
    devices.forEach((device, d) => {
      const key = mcaKeys[d] as string;
      const spectra = device.spectra.map(spectrumValue);
      spectra.forEach((values, row) => {
        (rowsData[row] as Doc)[key] = values;
      });
      primaryKeys[key] = mcaDataKey(device.spectra, key);
    });
  }
  const primaryUid = uidFor("descriptor:primary");
  const primaryTime = eventTimes[0] ?? Number(startTime);
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
  if (hasPrimary) documents.push(["descriptor", primary]);
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
  if (hasPrimary) numEvents.primary = data.rows;

  // MCA spectra that do not pair with rows: a stream of their own, one event per spectrum.
  if (!pairedMca && mca && mca.spectra.length > 0) {
    for (const device of devices) {
      const stream = devices.length === 1 ? "mca" : mcaStreamOf(device.name);
      const descriptorUid = uidFor(`descriptor:${stream}`);
      documents.push([
        "descriptor",
        descriptor(
          descriptorUid,
          startUid,
          primaryTime,
          stream,
          { mca: mcaDataKey(device.spectra, "mca") },
          ["mca"],
        ),
      ]);
      device.spectra.forEach((spectrum, i) => {
        const time = eventTimes[Math.min(i, eventTimes.length - 1)] ?? primaryTime;
        documents.push([
          "event",
          event(uidFor(`event:${stream}:${i + 1}`), descriptorUid, i + 1, time, {
            mca: spectrumValue(spectrum),
          }),
        ]);
      });
      numEvents[stream] = device.spectra.length;
    }
  }

  documents.push([
    "stop",
    stopDocument(
      scan,
      bluesky,
      offset,
      uidFor("stop"),
      startUid,
      Math.max(Number(startTime), eventTimes[eventTimes.length - 1] ?? 0),
      numEvents,
    ),
  ]);
  return documents;
}

/** Converts every scan of a file (or the chosen ones) to runs. */
export function fileToRuns(
  file: SpecFile,
  options: ToDocumentsOptions & { scans?: string[] } = {},
): ConvertedRun[] {
  if (options.scans) {
    return options.scans.flatMap((key) => {
      const scan = file.scan(key);
      return scan
        ? [
            {
              key,
              header: scan.header?.index ?? null,
              documents: scanToDocuments(file, scan, options),
            },
          ]
        : [];
    });
  }
  // The whole file, in order: a header or a scan may also carry the end comments of runs that
  // had no primary stream (apstools appends them wherever it is), which become runs of their own.
  const runs: ConvertedRun[] = [];
  let scanIndex = 0;
  let headerIndex = 0;
  for (const block of file.blocks) {
    if (block.kind === "header") {
      const header = file.header(headerIndex++);
      let groups = endGroups(header.comments);
      const previous = runs[runs.length - 1];
      if (previous && resumesInterruptedScan(previous, header)) {
        // apstools bug #9: a motor stream that arrived mid-scan made it write this header
        // between two rows; the rows and the end comments after it belong to that scan.
        previous.documents = resumeScan(previous.documents, header, groups[0], options);
        groups = groups.slice(1);
      }
      groups.forEach((group, i) => {
        const motors = i === 0 && scanIndex === 0 ? [...header.motorNames.values()].flat() : [];
        runs.push({
          key: `header${header.index + 1}:${group.line}`,
          header: header.index,
          documents: runWithoutPrimary(group, header, motors, options),
        });
      });
    } else if (block.kind === "scan") {
      const scan = file.scanAt(scanIndex++);
      if (!scan) continue;
      runs.push({
        key: scan.key,
        header: scan.header?.index ?? null,
        documents: scanToDocuments(file, scan, options),
      });
      if (isApstools(scanWriter(scan))) {
        for (const group of endGroups(scan.comments).slice(1)) {
          runs.push({
            key: `${scan.key}:${group.line}`,
            header: scan.header?.index ?? null,
            documents: runWithoutPrimary(group, scan.header, [], options),
          });
        }
      }
    }
  }
  return runs;
}

/**
 * True when `header` holds data rows and follows a bluesky scan that has not ended, and each row
 * holds the scan's columns as apstools writes them (Epoch, Epoch_float, then one value per data
 * key); rows of another width are not that run's, and stay out of it.
 */
function resumesInterruptedScan(previous: ConvertedRun, header: FileHeader): boolean {
  const stop = previous.documents[previous.documents.length - 1];
  const primary = previous.documents.find(
    ([name, doc]) => name === "descriptor" && (doc as Doc).name === "primary",
  )?.[1] as Doc | undefined;
  const rows = header.lines.filter((line) => line.kind === "data");
  const width = 2 + Object.keys((primary?.data_keys as Doc | undefined) ?? {}).length;
  return (
    primary !== undefined &&
    stop?.[0] === "stop" &&
    (stop[1] as Doc).spec_truncated === true &&
    rows.length > 0 &&
    rows.every((line) => splitWords(line.text).length === width)
  );
}

/**
 * Continues an interrupted run with the rows of the header block that cut it: the header's
 * motors as a label_start_motor descriptor (it arrived mid-scan), the rows as further events,
 * and the header's first end-comment group as the run's stop.
 */
function resumeScan(
  documents: NamedDocument[],
  header: FileHeader,
  group: EndGroup | undefined,
  options: ToDocumentsOptions,
): NamedDocument[] {
  const out = documents.slice(0, -1);
  const oldStop = documents[documents.length - 1]?.[1] as Doc;
  const start = out[0]?.[1] as Doc;
  const primary = out.find(
    ([name, doc]) => name === "descriptor" && (doc as Doc).name === "primary",
  )?.[1] as Doc;
  const primaryEvents = out.filter(
    ([name, doc]) => name === "event" && (doc as Doc).descriptor === primary.uid,
  );
  const lastEvent = primaryEvents[primaryEvents.length - 1]?.[1] as Doc | undefined;
  const base = `${String(start.uid)}:resumed:${header.line}`;
  const motors = [...header.motorNames.values()].flat();
  const numEvents = { ...(oldStop.num_events as Doc) };
  if (motors.length > 0) {
    const time = Number(lastEvent?.time ?? start.time);
    out.push([
      "descriptor",
      namedMotors(uuid5(`${base}:descriptor`), String(start.uid), time, motors),
    ]);
    numEvents.label_start_motor = 0;
  }
  // The rows: the same columns as the scan's, Epoch columns giving the time.
  const labels = Object.entries(primary.data_keys as Doc).map(
    ([key, dataKey]) => [key, (dataKey as Doc).spec_label] as const,
  );
  const scanLabels = ["Epoch", "Epoch_float", ...labels.map(([, label]) => label)];
  let seqNum = primaryEvents.length;
  // The stop follows the last row, resumed rows included (their Epoch_float may be later).
  let lastTime = Number(oldStop.time);
  for (const line of header.lines.filter((l) => l.kind === "data")) {
    const tokens = splitWords(line.text);
    const data: Doc = {};
    let relative = 0;
    tokens.forEach((token, i) => {
      const label = scanLabels[i];
      const value = numberFromToken(token, readValue(token).value);
      if (label === "Epoch_float") relative = Number(value);
      const key = labels.find(([, l]) => l === label)?.[0];
      if (key !== undefined) data[key] = value;
    });
    seqNum++;
    const time = Number(start.time) + relative;
    if (time > lastTime) lastTime = time;
    out.push([
      "event",
      event(uuid5(`${base}:event:${seqNum}`), String(primary.uid), seqNum, time, data),
    ]);
  }
  numEvents.primary = seqNum;
  const stop: Doc = { ...oldStop, num_events: numEvents };
  if (lastTime > Number(oldStop.time)) stop.time = asFloat(lastTime);
  delete stop.spec_truncated;
  delete stop.reason;
  if (group) {
    stop.exit_status = ["success", "abort", "fail"].includes(group.status) ? group.status : "fail";
    stop.spec_num_events = group.counts;
    const endDate = toEpoch(readDate(group.date), options.utcOffset ?? inferUtcOffset(header));
    if (endDate !== null) stop.time = asFloat(Math.max(Number(stop.time), endDate + 0.5));
  }
  out.push(["stop", stop]);
  return out;
}

/**
 * A label_start_motor descriptor for motors known only by their `#O` names (a header's): no
 * event follows, since SPEC kept no positions for them.
 */
function namedMotors(uid: string, runStart: string, time: number, motors: string[]): Doc {
  const keys = uniqueKeys(motors);
  const dataKeys: Doc = {};
  keys.forEach((key, i) => {
    const name = motors[i] as string;
    dataKeys[key] = {
      dtype: "number",
      shape: [],
      source: `SPEC:${name}`,
      spec_label: name,
      object_name: key,
    };
  });
  return descriptor(uid, runStart, time, "label_start_motor", dataKeys, keys);
}

/** One run converted from a file, with where it sits. */
export interface ConvertedRun {
  /** The scan key, or `header<n>:<line>` / `<key>:<line>` for a run SPEC kept only the end of. */
  key: string;
  /** Index of the file header the run sits under, or null before any header. */
  header: number | null;
  documents: NamedDocument[];
}

/** The `#C <date>.  num_events_<s> = n` … `exit_status = X` groups of bluesky end comments. */
interface EndGroup {
  counts: Doc;
  status: string;
  date: string;
  line: number;
}

function endGroups(comments: readonly { text: string; line: number }[]): EndGroup[] {
  const groups: EndGroup[] = [];
  let counts: Doc = {};
  for (const comment of comments) {
    const counted = /^(.*?)\. {2}num_events_(\S+) = (\d+)$/.exec(comment.text);
    if (counted) counts[counted[2] as string] = Number(counted[3]);
    const status = /^(.*?)\. {2}exit_status = (\S+)$/.exec(comment.text);
    if (status) {
      groups.push({
        counts,
        status: status[2] as string,
        date: status[1] as string,
        line: comment.line,
      });
      counts = {};
    }
  }
  return groups;
}

/**
 * A run of which SPEC kept only its end comments (it had no primary stream): a start and a stop
 * carrying the counts. The first run of a file also keeps the header's motor names, since they
 * came from its label_start_motor stream.
 */
function runWithoutPrimary(
  group: EndGroup,
  header: FileHeader | null,
  motors: string[],
  options: ToDocumentsOptions,
): NamedDocument[] {
  const time = toEpoch(readDate(group.date), options.utcOffset ?? inferUtcOffset(header)) ?? 0;
  const base = `${header?.fileName ?? ""}:${header?.line ?? 0}:${group.line}:${group.date}`;
  const uid = uuid5(`${base}:start`);
  const start: Doc = { uid, time: asFloat(time) };
  if (options.provenance !== false) {
    start.spec = {
      note: "a run without a primary stream: SPEC kept only its end comments",
      line: group.line,
    };
  }
  const documents: NamedDocument[] = [["start", start]];
  const numEvents: Doc = {};
  if (motors.length > 0) {
    documents.push(["descriptor", namedMotors(uuid5(`${base}:descriptor`), uid, time, motors)]);
    numEvents.label_start_motor = 0;
  }
  const status = ["success", "abort", "fail"].includes(group.status) ? group.status : "fail";
  documents.push([
    "stop",
    {
      uid: uuid5(`${base}:stop`),
      run_start: uid,
      time: asFloat(time + 0.5),
      exit_status: status,
      num_events: numEvents,
      spec_num_events: group.counts,
    },
  ]);
  return documents;
}

/** Writer settings that reproduce the header a bluesky-written scan sits under. */
export function headerSettings(scan: Scan): ScanHeaderSettings {
  const header = scan.header;
  const program = header?.comments[0]?.text ?? "";
  // `s`: with `.` stopping at U+2028, a comment holding one after many "  host = " was retried
  // from each of them to its end.
  const who = /^Blue[sS]ky {2}user = (.*) {2}host = (.*)$/s.exec(program);
  const offset = inferUtcOffset(header);
  const hours = offset / 3600;
  return {
    fileName: header?.fileName ?? "",
    epoch: header ? headerEpochValue(header) : null,
    headerless: header === null,
    identity: who ? { user: who[1] ?? "", host: who[2] ?? "" } : null,
    timeZone: Number.isInteger(hours)
      ? hours === 0
        ? "UTC"
        : `Etc/GMT${hours > 0 ? "-" : "+"}${Math.abs(hours)}`
      : null,
  };
}

/** A comment the v1 writer took from spec_comment(): its text, time and place in the scan. */
export interface WriterComment {
  text: string;
  /** Seconds since the epoch, from the comment's date. */
  time: number;
  /** True after the `#N` line (made while the run was open), false before (made before it). */
  afterData: boolean;
}

const WRITER_OWN_COMMENT =
  /\. {2}(plan_type = |uid = |num_events_\S+ = \d+$|exit_status = )|^no data column labels identified$/;

/**
 * The spec_comment() lines of a scan written by apstools' v1 writer: every dated `#C` line other
 * than the writer's own plan_type, uid and end lines.
 */
export function v1UserComments(
  scan: Scan,
  utcOffset: number = inferUtcOffset(scan.header),
): WriterComment[] {
  const countLine = scan.control("N")[0]?.line ?? Number.POSITIVE_INFINITY;
  const comments: WriterComment[] = [];
  for (const comment of scan.comments) {
    if (WRITER_OWN_COMMENT.test(comment.text)) continue;
    const separator = comment.text.indexOf(".  ");
    const time =
      separator > 0 ? toEpoch(readDate(comment.text.slice(0, separator)), utcOffset) : null;
    if (time === null) continue;
    comments.push({
      text: comment.text.slice(separator + 3),
      time,
      afterData: comment.line > countLine,
    });
  }
  return comments;
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

/** The writer's UTC offset from a header: `#D` read as UTC minus `#E`, rounded to 15 minutes. */
export function inferUtcOffset(header: FileHeader | null): number {
  const epoch = header?.epoch;
  const fields = header?.date?.fields;
  if (epoch === null || epoch === undefined || !fields) return 0;
  const asUtc =
    Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) /
    1000;
  return Math.round((asUtc - epoch) / 900) * 900;
}

// ---------------------------------------------------------------------------------------------

/** `#E` as Python wrote it: an int, or a float (kept a float when integral). */
function headerEpochValue(header: FileHeader): number | PyFloat | null {
  const line = header.controls.find((c) => c.key === "E");
  const token = splitWords(line?.text ?? "")[0];
  if (!token || header.epoch === null) return null;
  return /[.eE]/.test(token) && Number.isInteger(header.epoch)
    ? new PyFloat(header.epoch)
    : header.epoch;
}

/** The keys of the columns after `Epoch`. */
function keysAfter(keys: string[], columns: number[], epochColumn: number): string[] {
  return keys.filter((_, k) => (columns[k] as number) > epochColumn);
}

/**
 * v1 start keys outside `#MD`: plan_type from its comment, and plan_name and plan_args read
 * back from the `#S` command (unless `#MD` has them).
 */
function v1StartKeys(scan: Scan, metadata: Doc): Doc {
  const keys: Doc = {};
  const planType = v1PlanType(scan);
  if (planType !== undefined && metadata.plan_type === undefined) keys.plan_type = planType;
  if (metadata.plan_name === undefined) {
    const plan = planFromCommand(scan.command, { quotedStrings: !unquotedCommand(scan.command) });
    if (plan) {
      keys.plan_name = plan.plan_name;
      if (plan.plan_args !== undefined && metadata.plan_args === undefined)
        keys.plan_args = plan.plan_args;
    }
  }
  return keys;
}

/**
 * Descriptor hints that make apstools' column choice (motors, Epoch, Epoch_float, the rest, the
 * detectors with the first moved last) give back the `#L` order of a bluesky-written scan: the
 * first motor names the columns before `Epoch`, and the first detector the shortest tail of
 * columns that holds every detector that is itself a column, in the order apstools claimed them.
 */
function columnHints(start: Doc, keys: string[], columns: number[], epochColumn: number): Doc {
  const hints: Doc = {};
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

/** `#U externals: {…}` (apstools): the run's resource and datum documents, restored. */
function externalDocuments(scan: Scan): NamedDocument[] {
  const line = scan.control("U").find((c) => c.text.startsWith(" externals: "));
  const externals = line ? literal(line.text.slice(" externals: ".length)) : null;
  if (!isDocObject(externals)) return [];
  const documents: NamedDocument[] = [];
  for (const value of Object.values(externals)) {
    if (!isDocObject(value)) continue;
    const { _document_type_: kind, ...doc } = value;
    if (kind === "resource" || kind === "datum") documents.push([kind, doc]);
  }
  return documents;
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

function metadataValues(scan: Scan): Doc {
  const values: Doc = {};
  for (const [key, text] of Object.entries(scan.metadataText))
    values[key] = sanitizeDeep(literal(text));
  return values;
}

/** The argument layout of SPEC's standard scan macros (notes/documents.md §5.2). */
const MACROS: Record<
  string,
  { motors: number; perMotor: 3 | 4; kind: "scan" | "mesh" | "time" | "count" }
> = {
  ascan: { motors: 1, perMotor: 3, kind: "scan" },
  dscan: { motors: 1, perMotor: 3, kind: "scan" },
  a2scan: { motors: 2, perMotor: 3, kind: "scan" },
  d2scan: { motors: 2, perMotor: 3, kind: "scan" },
  a3scan: { motors: 3, perMotor: 3, kind: "scan" },
  d3scan: { motors: 3, perMotor: 3, kind: "scan" },
  a4scan: { motors: 4, perMotor: 3, kind: "scan" },
  d4scan: { motors: 4, perMotor: 3, kind: "scan" },
  mesh: { motors: 2, perMotor: 4, kind: "mesh" },
  dmesh: { motors: 2, perMotor: 4, kind: "mesh" },
  hklmesh: { motors: 2, perMotor: 4, kind: "mesh" },
  timescan: { motors: 0, perMotor: 3, kind: "time" },
  loopscan: { motors: 0, perMotor: 3, kind: "time" },
  ct: { motors: 0, perMotor: 3, kind: "count" },
};

/**
 * Start keys for a plain SPEC scan, from its `#S` command and `#T`: plan_name, plan_args of the
 * standard macros (numbers as numbers), num_points, motors and detectors as data keys, and the
 * plot hints (the scanned motors, or time for counts).
 */
function plainStartKeys(scan: Scan, columnKeys: Map<string, string>, keysInOrder: string[]): Doc {
  const words = splitWords(scan.command);
  const planName = words[0] ?? "";
  const keys: Doc = { plan_name: planName };
  const arg = (i: number): DocValue => {
    const word = words[1 + i];
    if (word === undefined) return null;
    const { value, kind } = readValue(word);
    return kind === "integer" || kind === "number" ? value : word;
  };
  const macro = MACROS[planName];
  let motorNames: string[] = [];
  if (macro?.kind === "scan" || macro?.kind === "mesh") {
    const { motors: n, perMotor } = macro;
    motorNames = Array.from({ length: n }, (_, m) => words[1 + m * perMotor] ?? "");
    const planArgs: Doc = {
      motors: motorNames,
      starts: motorNames.map((_, m) => arg(m * perMotor + 1)),
      stops: motorNames.map((_, m) => arg(m * perMotor + 2)),
    };
    let points: number | null = null;
    if (macro.kind === "scan") {
      planArgs.intervals = arg(n * 3);
      planArgs.count_time = arg(n * 3 + 1);
      const intervals = planArgs.intervals;
      if (typeof intervals === "number" && Number.isInteger(intervals)) {
        keys.num_intervals = intervals;
        points = intervals + 1;
      }
    } else {
      const intervals = motorNames.map((_, m) => arg(m * 4 + 3));
      planArgs.intervals = intervals;
      planArgs.count_time = arg(n * 4);
      if (intervals.every((v) => typeof v === "number" && Number.isInteger(v))) {
        points = intervals.reduce((product: number, v) => product * ((v as number) + 1), 1);
      }
    }
    if (points !== null) keys.num_points = points;
    keys.plan_args = planArgs;
  } else if (macro?.kind === "time") {
    keys.plan_args =
      planName === "loopscan" ? { num: arg(0), count_time: arg(1) } : { count_time: arg(0) };
    if (planName === "loopscan" && typeof arg(0) === "number") keys.num_points = arg(0);
  } else if (macro?.kind === "count") {
    keys.plan_args = { count_time: arg(0) };
    keys.num_points = 1;
  }
  if (scan.preset?.kind === "time" && scan.preset.value !== null)
    keys.count_time = scan.preset.value;

  // Motors as data keys: the #S mnemonic, through #o/#O, names a #L column.
  const nameOf = new Map(scan.positioners.map((p) => [p.mnemonic ?? p.name, p.name]));
  let motorKeys = motorNames
    .map((m) => columnKeys.get(m) ?? columnKeys.get(nameOf.get(m) ?? ""))
    .filter((k): k is string => k !== undefined);
  // Without a mnemonic-to-label path (old files have no #o), SPEC's convention holds: the
  // scanned motors are the first columns.
  if (motorKeys.length < motorNames.length) motorKeys = keysInOrder.slice(0, motorNames.length);
  if (motorKeys.length > 0) keys.motors = motorKeys;
  const detector = keysInOrder[keysInOrder.length - 1];
  if (detector !== undefined) keys.detectors = [detector];
  if (macro?.kind === "time" || macro?.kind === "count")
    keys.hints = { dimensions: [[["time"], "primary"]] };
  else if (motorKeys.length > 0)
    keys.hints = { dimensions: motorKeys.map((k) => [[k], "primary"]) };
  const owner = /User = (\S+)/.exec(scan.header?.comments[0]?.text ?? "")?.[1];
  if (owner) keys.owner = owner;
  return keys;
}

/** Schema-fixed types: sample/owner/group/project/data_session strings, data_groups string[], scan_id int. */
function coerceStartTypes(start: Doc): void {
  for (const key of ["sample", "owner", "group", "project", "data_session"]) {
    const value = start[key];
    if (
      value !== undefined &&
      typeof value !== "string" &&
      !(key === "sample" && isDocObject(value))
    ) {
      start[key] = pythonish(value);
    }
  }
  if (start.data_groups !== undefined && !Array.isArray(start.data_groups))
    start.data_groups = [pythonish(start.data_groups)];
  if (Array.isArray(start.data_groups))
    start.data_groups = start.data_groups.map((v) => (typeof v === "string" ? v : pythonish(v)));
}

function pythonish(value: DocValue): string {
  return typeof value === "string"
    ? value
    : (JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "None");
}

function provenance(file: SpecFile, scan: Scan, sourcePath: string | undefined): Doc {
  const header = scan.header;
  const byFamily = (family: string) => scan.control(family).map((c) => c.text.trim());
  const spec: Doc = {
    key: scan.key,
    command: scan.command,
    file: header?.fileName ?? null,
    epoch: header?.epoch ?? null,
    date: scan.date?.raw ?? null,
    file_comments: header?.comments.map((c) => c.text) ?? [],
    comments: scan.comments.map((c) => ({ text: c.text, row: c.afterRow })) as DocValue,
    G: Object.fromEntries([...scan.geometry].map(([row, values]) => [`G${row}`, values])),
    Q: scan.hkl ?? [],
    U: byFamily("U"),
    V: sanitizeDeep(scan.unicat as DocValue),
    unnamed_positions: scan.unnamedPositions,
    diagnostics: scan.diagnostics.map((d) => `${d.line}: ${d.code} ${d.message}`),
    file_scan_count: file.scanCount,
  };
  if (scan.preset)
    spec[scan.preset.kind === "time" ? "T" : "M"] = {
      value: scan.preset.value,
      counter: scan.preset.counter,
    };
  if (sourcePath !== undefined) spec.source_path = sourcePath;
  return sanitizeDeep(spec) as Doc;
}

function stopDocument(
  scan: Scan,
  bluesky: boolean,
  offset: number,
  uid: string,
  runStart: string,
  lastTime: number,
  numEvents: Doc,
): Doc {
  const stop: Doc = { uid, run_start: runStart, time: asFloat(lastTime), exit_status: "success" };
  const reported: Doc = {};
  let endDate: number | null = null;
  let endLine: number | null = null;
  for (const comment of scan.comments) {
    const counted = /\. {2}num_events_(\S+) = (\d+)$/.exec(comment.text);
    if (counted) reported[counted[1] as string] = Number(counted[2]);
    const status = /\. {2}exit_status = (\S+)$/.exec(comment.text);
    if (status) {
      stop.exit_status = ["success", "abort", "fail"].includes(status[1] as string)
        ? (status[1] as string)
        : "fail";
      endDate = toEpoch(readDate(comment.text.split(".  ")[0] ?? ""), offset);
      endLine = comment.line;
      break;
    }
  }
  if (bluesky && endLine === null) {
    // The writer stopped before the run's end (apstools crashes, or a run cut short): no end lines.
    stop.exit_status = "fail";
    stop.reason = "the SPEC scan has no end comments";
    stop.spec_truncated = true;
  }
  if (scan.aborted) {
    stop.exit_status = "abort";
    stop.reason = scan.comments.find((c) => /Scan aborted after/.test(c.text))?.text ?? "";
  }
  if (endDate !== null) stop.time = asFloat(Math.max(lastTime, endDate + 0.5));
  stop.num_events = numEvents;
  if (bluesky && Object.keys(reported).length > 0) stop.spec_num_events = reported;
  return stop;
}

function mcaDataKey(spectra: Float64Array[], key: string): Doc {
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

/** Dict keys at any depth without `.` or `/`, which the event-model schemas forbid. */
function sanitizeDeep(value: DocValue): DocValue {
  if (value instanceof PyTuple) return pyTuple(value.map(sanitizeDeep));
  if (Array.isArray(value)) return value.map(sanitizeDeep);
  if (isDocObject(value)) {
    const out: Doc = {};
    for (const [key, item] of Object.entries(value))
      out[key.replace(/[./]/g, "_")] = sanitizeDeep(item);
    return out;
  }
  return value;
}
