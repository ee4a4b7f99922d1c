/** The options and results of the conversion, and what its builders share about one scan. */
import type { DocValue, NamedDocument } from "@specx/documents";
import type { Scan, SpecFile } from "@specx/spec-parser";

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

/** One run converted from a file, with where it sits. */
export interface ConvertedRun {
  /** The scan key, or `header<n>:<line>` / `<key>:<line>` for a run SPEC kept only the end of. */
  key: string;
  /** Index of the file header the run sits under, or null before any header. */
  header: number | null;
  documents: NamedDocument[];
}

/** What every builder of one scan's run needs to know: the scan, its writer, its uids. */
export interface ScanRun {
  file: SpecFile;
  scan: Scan;
  /** Written by apstools (v1 or v2; see `scanWriter`). */
  bluesky: boolean;
  /** Written by apstools' v1 SpecWriterCallback. */
  v1: boolean;
  /** The v1 rows' cells as Python values, or null for other writers. */
  v1Rows: DocValue[][] | null;
  /** The writer's offset from UTC in seconds. */
  offset: number;
  /** The uid of a document of the run: UUIDv5 of the scan's content, key and `role`. */
  uidFor: (role: string) => string;
  startUid: string;
}

/** The documents of one stream of a run, and its event count for the stop (null: none given). */
export interface StreamDocuments {
  name: string;
  documents: NamedDocument[];
  events: number | null;
}
