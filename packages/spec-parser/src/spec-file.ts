/**
 * A SPEC file: its index of blocks (parse/indexer.ts: block ranges, nothing kept per line), with
 * headers and scans interpreted on demand. Indexing never interprets a scan; `scan()` reads the
 * block's lines into a line table of its own (parse/line-table.ts), interprets it and caches it.
 */
import { type Diagnostic, diagnostic } from "./diagnostics.js";
import { interpretHeader } from "./model/header.js";
import { readBlockLines, readLines } from "./model/lines.js";
import type { NumberArena } from "./model/number-arena.js";
import { interpretScan, readScanLine } from "./model/scan.js";
import type { FileHeader, Scan, SourceLine } from "./model/types.js";
import { hasBom } from "./parse/bytes.js";
import {
  type Block,
  type ByteSource,
  blockLines,
  type IndexExtent,
  type IndexProblem,
  indexSource,
  readByteString,
} from "./parse/indexer.js";
import type { LineTable } from "./parse/line-table.js";

/** What the index knows about a scan without interpreting it. */
export interface ScanEntry {
  /** Canonical key `n.m` (m-th occurrence of number n, from 1). */
  key: string;
  /** spec2nexus-style key: `n`, then `n.1`, `n.2` for repeats. */
  spec2nexusKey: string;
  /** Scan number, or null when `#S` has none. */
  number: number | null;
  /** 0-based position among the scans. */
  index: number;
  /** 1-based line of `#S`. */
  line: number;
  /** Byte offset of `#S`. */
  offset: number;
  /** The `#S` command text. */
  command: string;
  /** Index of the governing header in `headers`, or -1 before any header. */
  headerIndex: number;
}

/** What `refresh` found when the file had grown. */
export interface RefreshReport {
  /** False when the file was unchanged. */
  changed: boolean;
  /**
   * Keys of scans that did not exist before. A scan whose `#S` line is still incomplete is left
   * out until the line is complete: `#S 1` may yet become `#S 12`.
   */
  added: string[];
  /** Keys of scans that existed and grew (typically the last one, still being written). */
  updated: string[];
  /** True when the file had shrunk or been replaced, so it was indexed again from the start. */
  reset: boolean;
  /** Text of a last line that has no line terminator yet (it is re-read on the next refresh). */
  pending: string | null;
}

/** Options for reading a file. */
export interface ReadOptions {
  /**
   * Bytes read per indexing chunk (default 1 MiB); a chunk ends at a line start where no `#F`
   * header waits for its `#E`, and grows when it has none.
   */
  chunkBytes?: number;
  /**
   * Read data rows by the fast number path when every row of a scan is plain numbers (default
   * true). False reads every row token by token: the same model, slower; tests compare the two.
   */
  plainRows?: boolean;
}

/** How {@link SpecFile.scanAt} reads a scan. */
export interface ScanReadOptions {
  /**
   * Memory for the scan's numbers, reused by the next read into it (see {@link NumberArena}):
   * for a pass that lets each scan go before it reads the next.
   */
  arena?: NumberArena | undefined;
  /**
   * Read the scan's MCA spectra and `#@` lines (default true). False leaves them unread, for a
   * pass that looks at data columns only (`specx info`, `stats`, `export`): `scan.mca` is then
   * null and the scan has no MCA findings. On a file of spectra they are most of its numbers;
   * their lines are still told from data rows. Such a scan is not cached, and a cached scan is
   * returned whole.
   */
  spectra?: boolean | undefined;
}

/** Bytes at the start of the file remembered to notice a replaced (not grown) file. */
const FINGERPRINT_BYTES = 4096;
/** Largest scan block read into the reused buffer; a larger one is read into its own. */
const SCRATCH_LIMIT = 4 * 1024 * 1024;
/** Bytes of blocks lexed together when they are small (see `linesOf`). */
const LEXED_BATCH_BYTES = 64 * 1024;
/** Interpreted scans kept for reuse; older ones are interpreted again when asked for. */
const SCAN_CACHE_SIZE = 8;
/**
 * Most numbers (table cells and MCA channels) the cached scans may hold together; the scan read
 * last is kept whatever its size. A scan's numbers are one buffer outside V8's heap, which V8
 * frees at a young collection while the scan is young and otherwise only at a full one: eight
 * MCA scans of 1.6 MB each kept their buffers alive into the old generation, and the dead ones
 * then piled up until the next full collection (docs/performance.md).
 */
const SCAN_CACHE_NUMBERS = 256 * 1024;

/** A parsed SPEC file. Content never throws: defects are in `diagnostics`. */
export class SpecFile {
  private source: ByteSource;
  private extent: IndexExtent = { lines: 0, end: 0, lastLineStart: 0 };
  private blockList: Block[] = [];
  private problems: IndexProblem[] = [];
  private bomBytes = 0;
  private entryList: ScanEntry[] = [];
  private scanBlocks: Block[] = [];
  private headerBlocks: Block[] = [];
  private headerCache = new Map<number, FileHeader>();
  private scanCache = new Map<number, Scan>();
  /** Scans already checked for a later, longer copy (a re-interpreted scan is checked again). */
  private truncationChecked = new WeakSet<Scan>();
  private headerDiagnostics = new Map<number, Diagnostic[]>();
  private fingerprint: Uint8Array = new Uint8Array(0);
  private readonly chunkBytes: number | undefined;
  private readonly plainRows: boolean;
  private scanLookup: ScanLookup | null = null;
  /** Key of the last scan while its `#S` line lacks its terminator (see RefreshReport.added). */
  private unfinishedScanKey: string | null = null;
  private scratch = new Uint8Array(0);
  /** The lines last split and lexed (see `linesOf`); dropped whenever the blocks change. */
  private lexedLines: LineTable | null = null;

  /** Indexes `source` (the model is built lazily from the index). */
  constructor(source: ByteSource, options: ReadOptions = {}) {
    this.source = source;
    this.chunkBytes = options.chunkBytes;
    this.plainRows = options.plainRows ?? true;
    this.indexAll();
  }

  /** Indexes the whole source from scratch. */
  private indexAll(): void {
    const source = this.source;
    this.lexedLines = null;
    this.extent = { lines: 0, end: 0, lastLineStart: 0 };
    this.blockList = [];
    this.problems = [];
    this.entryList = [];
    this.headerCache.clear();
    this.scanCache.clear();
    this.truncationChecked = new WeakSet();
    this.headerDiagnostics.clear();
    this.fingerprint = source.read(0, Math.min(FINGERPRINT_BYTES, source.size)).slice();
    this.bomBytes = hasBom(this.fingerprint) ? 3 : 0;
    this.extent.end = this.bomBytes;
    this.extent.lastLineStart = this.bomBytes;
    indexSource(source, this.bomBytes, this.extent, this.blockList, this.problems, this.chunkBytes);
    this.collectBlocks(0);
    this.unfinishedScanKey = this.lastScanIfUnfinished();
  }

  /** True when the source still starts with the bytes indexed before (it grew, not changed). */
  private sameStart(source: ByteSource): boolean {
    const head = source.read(0, Math.min(this.fingerprint.length, source.size));
    if (head.length < this.fingerprint.length) return false;
    return head.every((byte, i) => byte === this.fingerprint[i]);
  }

  /** Size of the indexed content in bytes. */
  get byteLength(): number {
    return this.extent.end;
  }

  /** Number of physical lines. */
  get lineCount(): number {
    return this.extent.lines;
  }

  /** True when the file starts with a UTF-8 byte order mark (kept by `print`). */
  get bom(): boolean {
    return this.bomBytes > 0;
  }

  /** The blocks in file order: preamble, headers and scans, as line ranges. */
  get blocks(): readonly Block[] {
    return this.blockList;
  }

  /** Index entries of every scan, in file order; cheap, interprets nothing. */
  get scanEntries(): readonly ScanEntry[] {
    return this.entryList;
  }

  /** Number of scans. */
  get scanCount(): number {
    return this.entryList.length;
  }

  /** Every header block, interpreted. */
  get headers(): FileHeader[] {
    return this.headerBlocks.map((_, i) => this.header(i));
  }

  /** Every scan, interpreted (each is cached after the first access). */
  get scans(): Scan[] {
    return this.entryList.map((entry) => this.scanAt(entry.index) as Scan);
  }

  /** Lines before the first header or scan. */
  get preamble(): SourceLine[] {
    const first = this.blockList[0];
    if (first?.kind !== "preamble") return [];
    return this.readBlock(first).lines;
  }

  /**
   * Physical lines `from`..`to` (1-based, inclusive, clamped to the file) as the model reads them:
   * kind, offset, decoded text (UTF-8, else Latin-1) and terminator. Only the blocks that hold
   * them are read, so a line near the end of a file of hundreds of MB costs its block's bytes
   * (the browser viewer's raw text, packages/viewer/src/worker/session.ts).
   */
  sourceLines(from: number, to: number): SourceLine[] {
    const first = Math.max(1, Math.floor(from)) - 1;
    const end = Math.min(this.lineCount, Math.floor(to));
    const lines: SourceLine[] = [];
    const blocks = this.blockList;
    for (let i = blockIndexOfLine(blocks, first); i < blocks.length; i++) {
      const block = blocks[i] as Block;
      if (block.firstLine >= end) break;
      const table = this.linesOf(block);
      const part = readLines(
        this.source,
        table,
        Math.max(block.firstLine, first),
        Math.min(block.endLine, end),
      );
      for (const line of part.lines) lines.push(line);
    }
    return lines;
  }

  /**
   * The line table that holds `block`'s lines: split from its bytes and lexed. Small blocks are
   * lexed together with the blocks after them, up to LEXED_BATCH_BYTES, and the table is kept for
   * the next block read: a file of many short scans costs one lexer call per batch, not per scan.
   */
  private linesOf(block: Block): LineTable {
    const kept = this.lexedLines;
    if (kept && kept.first <= block.firstLine && block.endLine <= kept.count) return kept;
    const blocks = this.blockList;
    const first = blockIndexAt(blocks, block.start);
    let last = first;
    while (
      first >= 0 &&
      last + 1 < blocks.length &&
      (blocks[last + 1] as Block).end - block.start <= LEXED_BATCH_BYTES
    ) {
      last++;
    }
    const end = blocks[last] ?? block;
    const batch: Block = last > first ? { ...block, endLine: end.endLine, end: end.end } : block;
    const table = blockLines(this.source, batch, this.problems);
    this.lexedLines = table;
    return table;
  }

  /**
   * The headers before header `index`, nearest first, each interpreted when the iteration comes to
   * it: a scan seldom needs them, and reading them all for every scan of a file of many headers
   * read each header block again, out of order (05_02_test.dat: 22 headers, 15 ms).
   */
  private *headersBefore(index: number): Generator<FileHeader> {
    for (let h = index - 1; h >= 0; h--) yield this.header(h);
  }

  /** A block's lines, split from its bytes, lexed and decoded. */
  private readBlock(block: Block): ReturnType<typeof readLines> {
    const table = this.linesOf(block);
    return readLines(this.source, table, block.firstLine, block.endLine);
  }

  /**
   * The scan at 0-based position `index`, or undefined. With `arena`, a scan not in the file's
   * cache has its numbers (data columns, MCA values) read into the arena, valid until the next
   * read into it, and is not cached (see {@link NumberArena}); a cached scan is returned as it is.
   */
  scanAt(index: number, options: ScanReadOptions = {}): Scan | undefined {
    const cached = this.scanCache.get(index);
    if (cached) {
      // Most recently used last: the cache forgets the scan read longest ago.
      this.scanCache.delete(index);
      this.scanCache.set(index, cached);
    }
    const scan = cached ?? this.interpret(index, options.arena, options.spectra ?? true);
    if (scan && !this.truncationChecked.has(scan)) {
      this.truncationChecked.add(scan);
      this.flagTruncation(scan);
    }
    return scan;
  }

  /**
   * A scan by canonical key (`"3.1"`), by number (`3`, its first occurrence), or undefined.
   * Keys are strings: `"4.10"` and `"4.1"` are different scans.
   */
  scan(ref: string | number): Scan | undefined {
    const found =
      typeof ref === "number" ? this.lookup.byNumber.get(ref) : this.lookup.byKey.get(ref);
    return found === undefined ? undefined : this.scanAt(found);
  }

  /** A scan by its spec2nexus-style key (`"1"` is the first `#S 1`, `"1.1"` the second). */
  scanBySpec2nexusKey(key: string): Scan | undefined {
    const found = this.lookup.bySpec2nexusKey.get(key);
    return found === undefined ? undefined : this.scanAt(found);
  }

  /** Header block `index`, interpreted. */
  header(index: number): FileHeader {
    const cached = this.headerCache.get(index);
    if (cached) return cached;
    const block = this.headerBlocks[index] as Block;
    const { lines, latin1Lines } = this.readBlock(block);
    const diagnostics: Diagnostic[] = latin1Lines.map((line) =>
      diagnostic("DECODE_FALLBACK", line, null, "line is not valid UTF-8; read as Latin-1"),
    );
    const header = interpretHeader(index, lines, diagnostics);
    this.headerCache.set(index, header);
    this.headerDiagnostics.set(index, diagnostics);
    return header;
  }

  /** Findings about the file outside any scan: BOM, missing header, preamble and header lines. */
  get fileDiagnostics(): Diagnostic[] {
    const found: Diagnostic[] = [];
    if (this.bom)
      found.push(diagnostic("BOM", 1, null, "file starts with a UTF-8 byte order mark"));
    for (const problem of this.problems) {
      found.push(diagnostic("INTERNAL", problem.line + 1, null, problem.message));
    }
    const preamble = this.blockList[0];
    if (preamble?.kind === "preamble") {
      const { latin1Lines } = this.readBlock(preamble);
      for (const line of latin1Lines) {
        found.push(
          diagnostic("DECODE_FALLBACK", line, null, "line is not valid UTF-8; read as Latin-1"),
        );
      }
    }
    this.headerBlocks.forEach((_, i) => {
      this.header(i);
      for (const finding of this.headerDiagnostics.get(i) ?? []) found.push(finding);
    });
    const first = this.entryList[0];
    if (first && first.headerIndex < 0) {
      found.push(
        diagnostic(
          "NO_HEADER",
          first.line,
          null,
          "scans before any #F/#E header use their own #O lines",
        ),
      );
    }
    return found.sort(byLine);
  }

  /** Every finding: the file's, then each scan's, in line order. Interprets every scan. */
  get diagnostics(): Diagnostic[] {
    const all = this.fileDiagnostics;
    // Scan by scan, so that a large file never has every scan in memory at once. One push per
    // finding: push(...list) overflows the call stack for a scan of 200,000 findings.
    for (let i = 0; i < this.entryList.length; i++) {
      for (const finding of this.scanAt(i)?.diagnostics ?? []) all.push(finding);
    }
    return all.sort(byLine);
  }

  /** The file's bytes, rebuilt from the blocks: identical to what was read. */
  printBytes(): Uint8Array {
    const parts = Array.from(this.printParts());
    let length = 0;
    for (const part of parts) length += part.length;
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /**
   * {@link printBytes} a block at a time (the byte order mark first), each read when asked for:
   * a file on disk is written out without being held in memory.
   */
  *printParts(): Generator<Uint8Array, void, undefined> {
    if (this.bomBytes > 0) yield this.source.read(0, this.bomBytes);
    let expected = this.bomBytes;
    for (const block of this.blockList) {
      const { start, end } = block;
      // Blocks tile the file; a gap would be a bug that silently lost bytes.
      if (start !== expected)
        throw new Error(`internal: block at byte ${start}, expected ${expected}`);
      yield this.source.read(start, end);
      expected = end;
    }
  }

  /**
   * Re-reads a grown (or replaced) source: the index is rebuilt from the start of the last block,
   * so a scan still being written is updated in place and nothing is duplicated.
   */
  protected refreshFrom(source: ByteSource): RefreshReport {
    const previousEnd = this.extent.end;
    this.source = source;
    this.lexedLines = null;
    if (source.size === previousEnd) {
      return { changed: false, added: [], updated: [], reset: false, pending: this.pendingText() };
    }
    const before = new Map(
      this.entryList
        .filter((entry) => entry.key !== this.unfinishedScanKey)
        .map((entry) => [entry.key, this.blockBytes(entry.index)]),
    );
    const reset = source.size < previousEnd || !this.sameStart(source);
    if (reset) {
      this.indexAll();
    } else {
      const last = this.blockList.pop();
      const keptBlocks = this.blockList.length;
      const offset = last ? last.start : this.bomBytes;
      this.extent = { lines: last ? last.firstLine : 0, end: offset, lastLineStart: offset };
      indexSource(source, offset, this.extent, this.blockList, this.problems, this.chunkBytes);
      this.collectBlocks(keptBlocks);
      if (this.fingerprint.length < FINGERPRINT_BYTES) {
        this.fingerprint = source.read(0, Math.min(FINGERPRINT_BYTES, source.size)).slice();
      }
    }
    this.unfinishedScanKey = this.lastScanIfUnfinished();
    const added: string[] = [];
    const updated: string[] = [];
    for (const entry of this.entryList) {
      const bytes = before.get(entry.key);
      if (entry.key === this.unfinishedScanKey) continue;
      if (bytes === undefined) added.push(entry.key);
      else if (bytes !== this.blockBytes(entry.index)) updated.push(entry.key);
    }
    // A new scan may reveal an earlier one as a truncated copy: check those again.
    for (const key of added) {
      const index = this.lookup.byKey.get(key) as number;
      for (const earlier of this.lookup.repeats(this.entryList[index] as ScanEntry)) {
        if (earlier < index) this.scanCache.delete(earlier);
      }
    }
    return { changed: true, added, updated, reset, pending: this.pendingText() };
  }

  /** Key of the last scan when its `#S` line is the file's last line and has no terminator yet. */
  private lastScanIfUnfinished(): string | null {
    const last = this.entryList[this.entryList.length - 1];
    if (!last || last.line !== this.extent.lines) return null;
    return this.pendingText() === null ? null : last.key;
  }

  /** The last line's text when it has no terminator yet, else null. */
  private pendingText(): string | null {
    if (this.extent.lines === 0) return null;
    const end = this.extent.end;
    const last = this.source.read(end - 1, end)[0];
    if (last === 0x0a || last === 0x0d) return null;
    return readByteString(this.source, this.extent.lastLineStart, end);
  }

  /** Size of a scan's block in bytes: a line completed in place changes it, not the line count. */
  private blockBytes(scanIndex: number): number {
    const block = this.scanBlocks[scanIndex];
    return block ? block.end - block.start : 0;
  }

  /** The scan lookups, built on first use after the scan list changes. */
  private get lookup(): ScanLookup {
    this.scanLookup ??= new ScanLookup(this.entryList);
    return this.scanLookup;
  }

  /** Rebuilds the scan and header lists, keeping interpretations of blocks before `fromBlock`. */
  private collectBlocks(fromBlock: number): void {
    const keptScans = this.blockList
      .slice(0, fromBlock)
      .filter((block) => block.kind === "scan").length;
    const keptHeaders = this.blockList
      .slice(0, fromBlock)
      .filter((block) => block.kind === "header").length;
    for (const index of [...this.scanCache.keys()]) {
      if (index >= keptScans) {
        this.scanCache.delete(index);
      }
    }
    for (const index of [...this.headerCache.keys()]) {
      if (index >= keptHeaders) {
        this.headerCache.delete(index);
        this.headerDiagnostics.delete(index);
      }
    }
    this.entryList = this.entryList.slice(0, keptScans);
    this.scanLookup = null;
    this.scanBlocks = this.blockList.filter((block) => block.kind === "scan");
    this.headerBlocks = this.blockList.filter((block) => block.kind === "header");

    const occurrences = new Map<string, number>();
    for (const entry of this.entryList) {
      const token = entry.key.slice(0, entry.key.lastIndexOf("."));
      occurrences.set(token, (occurrences.get(token) ?? 0) + 1);
    }
    let headerIndex = -1;
    let scanIndex = 0;
    for (const block of this.blockList) {
      if (block.kind === "header") headerIndex++;
      if (block.kind !== "scan") continue;
      if (scanIndex >= keptScans) {
        const offset = block.start;
        // The indexer keeps every scan's #S line, so listing scans reads nothing again.
        const text = block.startText ?? "";
        const parts = readScanLine(text.replace(/[\r\n]+$/, ""));
        const token = parts.number === null ? parts.numberToken || "?" : String(parts.number);
        const occurrence = (occurrences.get(token) ?? 0) + 1;
        occurrences.set(token, occurrence);
        this.entryList.push({
          key: `${token}.${occurrence}`,
          spec2nexusKey: occurrence === 1 ? token : `${token}.${occurrence - 1}`,
          number: parts.number,
          index: scanIndex,
          line: block.firstLine + 1,
          offset,
          command: parts.command,
          headerIndex,
        });
      }
      scanIndex++;
    }
  }

  /**
   * A buffer of at least `bytes` bytes for reading a scan block, reused from scan to scan (a
   * fresh one per scan was most of the garbage); blocks above SCRATCH_LIMIT get their own.
   */
  private blockScratch(bytes: number): Uint8Array {
    if (bytes > SCRATCH_LIMIT) return new Uint8Array(0);
    if (this.scratch.length < bytes) {
      this.scratch = new Uint8Array(
        Math.min(SCRATCH_LIMIT, Math.max(bytes, 2 * this.scratch.length)),
      );
    }
    return this.scratch;
  }

  /**
   * Interprets scan `index`, and caches it unless its numbers are in `arena` or it is read
   * without its spectra.
   */
  private interpret(
    index: number,
    arena: NumberArena | undefined,
    withSpectra: boolean,
  ): Scan | undefined {
    const entry = this.entryList[index];
    const block = this.scanBlocks[index];
    if (!entry || !block) return undefined;
    const table = this.linesOf(block);
    arena?.startScan();
    const { lines, rows, spectra, latin1Lines } = readBlockLines(
      this.source,
      table,
      block.firstLine,
      block.endLine,
      this.blockScratch(block.end - block.start),
      arena,
    );
    const source = this.source;
    const scan = interpretScan({
      index,
      key: entry.key,
      spec2nexusKey: entry.spec2nexusKey,
      lines,
      rows,
      spectra,
      plainRows: this.plainRows,
      withSpectra,
      allLines: () => readLines(source, table, block.firstLine, block.endLine).lines,
      latin1Lines,
      header: entry.headerIndex >= 0 ? this.header(entry.headerIndex) : null,
      earlierHeaders: this.headersBefore(entry.headerIndex),
    });
    if (arena || !withSpectra) return scan;
    this.scanCache.set(index, scan);
    // Memory stays bounded however large the file: only the scans read last are kept.
    let numbers = 0;
    for (const cached of this.scanCache.values()) numbers += numbersHeld(cached);
    while (
      this.scanCache.size > SCAN_CACHE_SIZE ||
      (this.scanCache.size > 1 && numbers > SCAN_CACHE_NUMBERS)
    ) {
      const oldest = this.scanCache.keys().next().value as number;
      numbers -= numbersHeld(this.scanCache.get(oldest) as Scan);
      this.scanCache.delete(oldest);
    }
    return scan;
  }

  /**
   * Flags a scan whose `#S` line and date reappear later with more rows (docs/spec-format.md
   * §2.2).
   */
  private flagTruncation(scan: Scan): void {
    if (scan.aborted) return;
    const entry = this.entryList[scan.index] as ScanEntry;
    const laterIndex = this.lookup.nextRepeat(entry);
    if (laterIndex === undefined) return;
    const later = this.entryList[laterIndex] as ScanEntry;
    const copy = this.scanCache.get(later.index) ?? this.interpret(later.index, undefined, true);
    if (!copy || copy.date?.raw !== scan.date?.raw || copy.data.rows <= scan.data.rows) return;
    scan.possiblyTruncated = true;
    scan.diagnostics.push(
      diagnostic(
        "POSSIBLY_TRUNCATED",
        scan.line,
        scan.key,
        `scan ${later.key} repeats this #S line and date with ${copy.data.rows} rows (this copy has ${scan.data.rows})`,
      ),
    );
  }
}

/**
 * Maps from keys, numbers and `#S` lines to scan positions, so that finding a scan or the later
 * copies of a scan costs the same in a file of 50,000 scans as in one of 5.
 */
class ScanLookup {
  readonly byKey = new Map<string, number>();
  /** The first scan of each number. */
  readonly byNumber = new Map<number, number>();
  readonly bySpec2nexusKey = new Map<string, number>();
  /** Positions of the scans of each number and command, ascending. */
  private readonly byScanLine = new Map<string, number[]>();
  /** The position of the next scan with the same number and command, by position. */
  private readonly nextSame = new Map<number, number>();

  constructor(entries: readonly ScanEntry[]) {
    // The first scan wins where two share a key, as a search from the start would find.
    const setFirst = <K>(map: Map<K, number>, key: K, index: number) => {
      if (!map.has(key)) map.set(key, index);
    };
    for (const entry of entries) {
      setFirst(this.byKey, entry.key, entry.index);
      setFirst(this.bySpec2nexusKey, entry.spec2nexusKey, entry.index);
      if (entry.number !== null) setFirst(this.byNumber, entry.number, entry.index);
      const line = ScanLookup.scanLine(entry);
      const same = this.byScanLine.get(line);
      if (same) {
        this.nextSame.set(same[same.length - 1] as number, entry.index);
        same.push(entry.index);
      } else this.byScanLine.set(line, [entry.index]);
    }
  }

  /** Positions of every scan with the number and command of `entry`, itself included. */
  repeats(entry: ScanEntry): readonly number[] {
    return this.byScanLine.get(ScanLookup.scanLine(entry)) ?? [];
  }

  /**
   * The next scan with the number and command of `entry`, or undefined. A map, not a search of
   * the repeats: 100,000 scans of one `#S` line took seconds to check one by one.
   */
  nextRepeat(entry: ScanEntry): number | undefined {
    return this.nextSame.get(entry.index);
  }

  private static scanLine(entry: ScanEntry): string {
    return `${entry.number ?? "?"} ${entry.command}`;
  }
}

function byLine(a: Diagnostic, b: Diagnostic): number {
  return (a.line ?? 0) - (b.line ?? 0);
}

/** Index of the block that starts at byte `start` (binary search; blocks are in file order), or -1. */
function blockIndexAt(blocks: readonly Block[], start: number): number {
  let low = 0;
  let high = blocks.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = (blocks[middle] as Block).start;
    if (at === start) return middle;
    if (at < start) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Index of the block that holds 0-based line `line` (binary search over first lines), or 0. */
function blockIndexOfLine(blocks: readonly Block[], line: number): number {
  let low = 0;
  let high = blocks.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((blocks[middle] as Block).firstLine <= line) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** How many numbers a scan holds: its table's cells and its MCA channels. */
function numbersHeld(scan: Scan): number {
  let numbers = 0;
  for (const column of scan.data.columns) numbers += column.length;
  for (const spectrum of scan.mca?.spectra ?? []) numbers += spectrum.values.length;
  return numbers;
}
