/**
 * SPEC scan → bluesky event-model documents (docs/documents.md §5): one scan is one run —
 * start, a `label_start_motor` stream from `#O`/`#P`, a `primary` stream from the data (with MCA
 * spectra as array data, or an `mca` stream when they do not pair with rows), and stop.
 *
 * Bluesky-written files (apstools) come back as the run they were written from, as far as SPEC
 * holds it: the start uid from `#C … uid =`, start keys from `#MD`, `Epoch_float` as event time,
 * `#U label = value` cells restored, end comments as exit status and event counts. Other uids
 * are UUIDv5 of the scan's content and key, so a re-run gives the same uids.
 *
 * This file is the orchestrator of one scan's run; each document comes from its own module:
 * times.ts (start and event times), start.ts, streams/motors.ts (label_start_motor),
 * streams/primary.ts, streams/mca.ts and stop.ts. suitcase.ts reads suitcase-specfile's layout.
 */
import type { NamedDocument } from "@specx/documents";
import { isApstools, type Scan, type SpecFile, scanWriter } from "@specx/spec-parser";
import { v1Cells } from "./apstools-v1.js";
import { toEpoch } from "./build.js";
import { externalDocuments } from "./externals.js";
import { provenance, startDocument } from "./start.js";
import { stopDocument } from "./stop.js";
import { mcaPairsWithRows, mcaStreams } from "./streams/mca.js";
import { motorStream } from "./streams/motors.js";
import { primaryColumns, primaryStream } from "./streams/primary.js";
import { suitcaseRun } from "./suitcase.js";
import { inferUtcOffset, runTimes } from "./times.js";
import type { ScanRun, StreamDocuments, ToDocumentsOptions } from "./types.js";
import { sha1Hex, uuid5 } from "./uuid.js";

/** Converts one scan to the documents of one run. Never throws on content. */
export function scanToDocuments(
  file: SpecFile,
  scan: Scan,
  options: ToDocumentsOptions = {},
): NamedDocument[] {
  const writer = scanWriter(scan);
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

  const run: ScanRun = {
    file,
    scan,
    bluesky: isApstools(writer),
    // apstools' v1 layout keeps plan details outside #MD and writes Python values into the rows.
    v1: writer === "apstools-v1",
    v1Rows: writer === "apstools-v1" ? v1Cells(scan) : null,
    offset,
    uidFor,
    startUid,
  };
  const columns = primaryColumns(run);
  const { startTime, eventTimes, headerEpoch } = runTimes(run, columns, uidComment);
  const start = startDocument(run, columns, startTime, headerEpoch, options);

  const documents: NamedDocument[] = [["start", start]];
  // One push per document: push(...list) overflows the call stack for 200,000 of them.
  if (run.bluesky) for (const document of externalDocuments(scan)) documents.push(document);
  const primaryTime = eventTimes[0] ?? Number(startTime);
  const pairedMca = mcaPairsWithRows(scan);
  const motors = motorStream(run, Number(startTime));
  const streams: StreamDocuments[] = [
    ...(motors ? [motors] : []),
    primaryStream(run, columns, start, eventTimes, primaryTime, pairedMca),
    ...(pairedMca ? [] : mcaStreams(run, eventTimes, primaryTime)),
  ];
  const numEvents: Record<string, number> = {};
  for (const stream of streams) {
    for (const document of stream.documents) documents.push(document);
    if (stream.events !== null) numEvents[stream.name] = stream.events;
  }
  documents.push([
    "stop",
    stopDocument(
      scan,
      run.bluesky,
      offset,
      uidFor("stop"),
      startUid,
      Math.max(Number(startTime), eventTimes[eventTimes.length - 1] ?? 0),
      numEvents,
    ),
  ]);
  return documents;
}
