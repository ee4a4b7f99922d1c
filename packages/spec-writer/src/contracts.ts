/**
 * The writer's contracts: what every flavour offers ({@link SpecWriter}), what it is given (the
 * options, the file it continues) and where its text goes ({@link TextSink}). The flavours live in
 * `flavors/`; {@link createSpecWriter} in `spec-writer.ts` picks one.
 */
import type { DocRecord, DocValue } from "@specx/documents";
import type { WriterKind } from "@specx/spec-parser";

/**
 * The output layouts: apstools' SpecWriterCallback2, its older SpecWriterCallback, suitcase. They
 * are the writers the parser's `scanWriter` tells apart; `"apstools"` (the name of
 * `specx from-docs --flavor`) is its `"apstools-v2"`. {@link flavorOf} maps one to the other.
 */
export type Flavor = "apstools" | "apstools-v1" | "suitcase";

/** The flavour that writes a scan as `writer` did, or null for SPEC's own scans. */
export function flavorOf(writer: WriterKind): Flavor | null {
  if (writer === "spec") return null;
  return writer === "apstools-v2" ? "apstools" : writer;
}

/** What every flavour offers. */
export interface SpecWriter {
  /** Takes one document in stream order. */
  receive(name: string, doc: DocRecord): void;
  /** Adds a `#C` comment (apstools flavour; the suitcase layout has no place for one). */
  comment(text: string, time?: number): void;
  /** Warnings collected so far (values apstools could not write, ignored streams, …). */
  readonly warnings: readonly string[];
  /**
   * Starts a new file header block before the next scan, as a new writer session on the same
   * file does (apstools flavours); `settings` are that session's.
   */
  newHeader(settings?: HeaderSettings): void;
}

/** Where the writer's text goes. */
export interface TextSink {
  write(text: string): void;
}

/** What the writer needs to know about a file it continues. */
export interface ExistingFile {
  /** True when the file already has bytes. */
  nonEmpty: boolean;
  /** True when the last byte is a line terminator (or the file is empty). */
  endsWithNewline: boolean;
  /** Highest scan number in the file, or 0. */
  lastScanNumber: number;
  /** Motor names (`#O`) of the file's last header, or null when it has no header. */
  headerMotors: string[] | null;
}

/** Options every flavour takes (the suitcase flavour uses the file name and time zone). */
export interface WriterOptions {
  /** The `#F` text: the output file name as given. */
  fileName: string;
  /** IANA time zone for dates; default: the process's local zone (the TZ variable). */
  timeZone?: string;
  /** User and host for `#C Bluesky  user = … host = …` when a start has no `login_id`. */
  identity?: { user: string; host: string };
  /** The file being continued; omit for a new file. */
  existing?: ExistingFile;
  /**
   * Reproduce apstools' own output where it differs from specx's fixes: event pages are dropped
   * and multi-line metadata is written raw. NaN cannot crash here; it is written and warned about.
   */
  strictApstools?: boolean;
  /** Wall clock for comments without a time, in seconds (tests pin it). */
  now?: () => number;
  /** The `#E` value to write, instead of the first start time (to reproduce a file's header). */
  fileEpoch?: DocValue;
}

/** Options of {@link createSpecWriter}. */
export interface SpecWriterOptions extends WriterOptions {
  /** Output layout; default `apstools`. */
  flavor?: Flavor;
  /** Variations of older apstools versions (flavour `apstools-v1`). */
  v1Layout?: Partial<ApstoolsV1Layout>;
}

/** Variations of the v1 layout found in files of older apstools versions (docs/writer.md §7.1). */
export interface ApstoolsV1Layout {
  /** The header's program word: `Bluesky`, or `BlueSky` (apstools 1.1 and older). */
  program: string;
  /** `#O`/`#o` rows in the header and `#P` rows in scans (not written by apstools 1.1). */
  motorLines: boolean;
  /** An `#MD uid = …` line before the other metadata (missing in early apstools 1.1 files). */
  metadataUid: boolean;
  /** `#N` holds the number of rows instead of the number of columns (apstools issue #203). */
  countRows: boolean;
  /** Strings in the `#S` command are quoted (apstools 1.1 wrote `str(value)`). */
  quotedCommandStrings: boolean;
}

/** What a new header block may change: a new writer session on the same file. */
export interface HeaderSettings {
  /** The `#E` of the new header (v1 writes the wall clock at newfile()). */
  fileEpoch?: DocValue;
  identity?: { user: string; host: string };
  v1Layout?: Partial<ApstoolsV1Layout>;
}
