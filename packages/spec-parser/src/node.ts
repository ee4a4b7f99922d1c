/**
 * @specx/spec-parser/node: SPEC files on disk. The file is read in chunks to build the index;
 * a scan's bytes are read when the scan is first asked for.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { ByteSource } from "./parse/indexer.js";
import { type ReadOptions, type RefreshReport, SpecFile } from "./spec-file.js";

export * from "./index.js";

/** A file on disk, read on demand. Every read opens and closes the file, so nothing leaks. */
export class FileSource implements ByteSource {
  readonly size: number;
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    const fd = openSync(path, "r");
    try {
      this.size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  }

  read(start: number, end: number): Uint8Array {
    const length = Math.max(0, Math.min(end, this.size) - start);
    const bytes = new Uint8Array(length);
    const fd = openSync(this.path, "r");
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, bytes, done, length - done, start + done);
        if (n === 0) break;
        done += n;
      }
      return done === length ? bytes : bytes.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  }
}

/** A SPEC file opened from disk, which can follow the file as it grows. */
export class SpecFileOnDisk extends SpecFile {
  readonly path: string;

  constructor(path: string, options: ReadOptions = {}) {
    super(new FileSource(path), options);
    this.path = path;
  }

  /**
   * Reads what was appended since the last look: the index is rebuilt from the start of the last
   * block, so the scan being written is updated in place. A last line without its terminator is
   * reported as `pending` and read again next time.
   */
  refresh(): RefreshReport {
    return this.refreshFrom(new FileSource(this.path));
  }
}

/**
 * Opens a SPEC file and indexes it; scans are interpreted on demand by key, number or position.
 * Throws only on I/O errors (missing file, permission), with the path in the message.
 */
export function openSpec(path: string, options: ReadOptions = {}): SpecFileOnDisk {
  try {
    return new SpecFileOnDisk(path, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read SPEC file ${path}: ${reason}`);
  }
}
