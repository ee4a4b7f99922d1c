/**
 * SPEC → documents → SPEC for files written from bluesky runs (apstools, suitcase-specfile): the runs a file holds, read as
 * documents, written again with the settings the file shows (its `#F` text, `#E`, user/host line,
 * time zone and writer layout), so that the same bytes come back.
 */
import { type Scan, type SpecFile, scanWriter } from "@specx/spec-parser";
import {
  type ApstoolsV1Layout,
  createSpecWriter,
  flavorOf,
  type HeaderSettings,
  type SpecWriterOptions,
  type TextSink,
} from "@specx/spec-writer";
import { runsOf } from "./file-to-runs.js";
import { unquotedCommand } from "./plan-command.js";
import { headerSettings, v1UserComments } from "./writer-settings.js";

/**
 * Writer options that reproduce the file a scan was read from: its `#F` text, `#E`, user/host
 * line and time zone, in apstools' own layout (strict), and no header for a headerless file.
 * With them, documents read from a SpecWriterCallback2 file are written back byte for byte.
 */
export function writerOptionsFromSpec(scan: Scan): SpecWriterOptions {
  const settings = headerSettings(scan);
  return {
    fileName: settings.fileName,
    strictApstools: true,
    ...(settings.timeZone !== null ? { timeZone: settings.timeZone } : {}),
    ...(settings.identity !== null ? { identity: settings.identity } : {}),
    ...(settings.epoch !== null ? { fileEpoch: settings.epoch } : {}),
    ...(settings.headerless
      ? { existing: { nonEmpty: true, endsWithNewline: true, lastScanNumber: 0, headerMotors: [] } }
      : {}),
  };
}

/**
 * The variations of the v1 layout that the scans under one header show (apstools 1.1 and
 * older wrote no `#O`/`#P` rows, `BlueSky`, sometimes no `#MD uid`, `#N` as the row count, and
 * unquoted strings in the command).
 */
export function v1LayoutOf(scans: Scan[]): Partial<ApstoolsV1Layout> {
  const header = scans[0]?.header ?? null;
  const program = /^(Blue[sS]ky) /.exec(header?.comments[0]?.text ?? "")?.[1];
  const countRows = scans.some((scan) => {
    const count = Number(scan.control("N")[0]?.text.trim());
    return count === scan.data.rows && count !== scan.labels.length;
  });
  return {
    ...(program !== undefined ? { program } : {}),
    motorLines: header === null || header.controls.some((c) => c.family === "O"),
    metadataUid: scans.some((scan) => scan.control("MD").some((c) => /^\s*uid = /.test(c.text))),
    countRows,
    quotedCommandStrings: !scans.some((scan) => unquotedCommand(scan.command)),
  };
}

/**
 * SPEC → documents → SPEC: reads every run of a file written by apstools (SpecWriterCallback2,
 * or the v1 SpecWriterCallback) or by suitcase-specfile as documents and writes them again with the file's own header
 * settings, starting a header block wherever the file had one. Comments that v1 files carry from
 * spec_comment() are not documents; they go through the writer's comment() as they did when the
 * file was written. For such files the result is the same bytes (see the package README for the
 * layouts that are not reproduced).
 */
export function rewriteSpecFile(
  file: SpecFile,
  sink: TextSink,
  fallbackIdentity = { user: "", host: "" },
): void {
  const first = file.scanAt(0);
  if (!first) return;
  const flavor = flavorOf(scanWriter(first)) ?? "apstools";
  const v1 = flavor === "apstools-v1";
  const scansUnder = new Map<number | null, Scan[]>();
  for (let i = 0; i < file.scanCount; i++) {
    const scan = file.scanAt(i);
    if (!scan) continue;
    const key = scan.header?.index ?? null;
    scansUnder.set(key, [...(scansUnder.get(key) ?? []), scan]);
  }
  const options = writerOptionsFromSpec(first);
  const specWriter = createSpecWriter(sink, {
    ...options,
    flavor,
    identity: options.identity ?? fallbackIdentity,
    ...(v1 ? { v1Layout: v1LayoutOf(scansUnder.get(first.header?.index ?? null) ?? []) } : {}),
  });
  const sessionOf = (scans: Scan[]): HeaderSettings => {
    const scan = scans[0];
    if (!scan) return {};
    const settings = headerSettings(scan);
    return {
      ...(settings.epoch !== null ? { fileEpoch: settings.epoch } : {}),
      ...(settings.identity !== null ? { identity: settings.identity } : {}),
      ...(v1 ? { v1Layout: v1LayoutOf(scans) } : {}),
    };
  };
  let header: number | null | undefined;
  for (const run of runsOf(file, { provenance: false })) {
    if (header !== undefined && run.header !== header)
      specWriter.newHeader(sessionOf(scansUnder.get(run.header) ?? []));
    header = run.header;
    const comments = v1 ? userCommentsOf(file, run.key) : [];
    for (const c of comments.filter((c) => !c.afterData)) specWriter.comment(c.text, c.time);
    for (const [name, doc] of run.documents) {
      if (name === "stop")
        for (const c of comments.filter((c) => c.afterData)) specWriter.comment(c.text, c.time);
      specWriter.receive(name, doc);
    }
  }
}

function userCommentsOf(file: SpecFile, key: string) {
  const scan = file.scan(key);
  return scan ? v1UserComments(scan) : [];
}
