/**
 * Appending to a SPEC file on disk without ever harming it: one writer at a time (a lock file
 * beside it), whole blocks through an O_APPEND descriptor, and a block that fails half-written
 * (full disk, quota) cut off again, so the file only ever holds whole blocks.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";

/** Thrown when another writer holds the file's lock. */
export class SpecFileLockedError extends Error {}

/** Thrown when the file cannot be opened, written or closed; `code` is the system's (ENOSPC, …). */
export class SpecFileWriteError extends Error {
  readonly code: string | undefined;
  /** The system's reason in words (`no space left on the device (ENOSPC)`). */
  readonly why: string;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.code = errorCode(cause);
    this.why = cause === undefined || cause === null ? message : reason(cause);
  }
}

/** The system calls used for writing, replaceable so tests can make a disk fill up. */
export interface AppendIO {
  writeSync(fd: number, bytes: Uint8Array, offset: number, length: number): number;
}

const nodeIO: AppendIO = {
  writeSync: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length),
};

/** What a lock file holds: enough to tell the user who writes, and to notice a dead writer. */
interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** A lock file younger than this with unreadable content may still be being written. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * A file opened for appending whole blocks. Call `close()` when done; until then the file is
 * locked against other specx writers.
 */
export class AppendOnlyFile {
  readonly path: string;
  readonly lockPath: string;
  /** Notes for the user (a stale lock taken over). */
  readonly notes: string[] = [];
  private fd: number;
  private readonly sizeAtOpen: number;
  private size: number;
  private failure: string | null = null;
  private closed = false;
  private readonly io: AppendIO;

  /**
   * Takes the lock, then opens `path` for appending (creating it).
   * @throws SpecFileLockedError when another live writer holds the lock;
   *   SpecFileWriteError when the lock or the file cannot be created or opened.
   */
  constructor(path: string, io: AppendIO = nodeIO) {
    this.path = path;
    this.lockPath = `${path}.lock`;
    this.io = io;
    this.takeLock();
    try {
      this.fd = openSync(path, "a");
      this.sizeAtOpen = fstatSync(this.fd).size;
    } catch (error) {
      this.releaseLock();
      throw new SpecFileWriteError(`cannot open ${path} for appending: ${reason(error)}`, error);
    }
    this.size = this.sizeAtOpen;
  }

  /** Bytes in the file, as this writer knows it. */
  get byteLength(): number {
    return this.size;
  }

  /**
   * Appends `bytes` with as few writes as the system allows. When a write fails, what this block
   * wrote is cut off again, so the file ends where it ended before the block, and every later
   * append is refused: the blocks after a lost one would not make a valid scan.
   */
  append(bytes: Uint8Array): void {
    if (this.closed) throw new Error(`${this.path}: the writer is closed`);
    if (this.failure !== null) {
      throw new SpecFileWriteError(
        `${this.path}: not written after an earlier failure (${this.failure})`,
        undefined,
      );
    }
    let done = 0;
    try {
      while (done < bytes.length)
        done += this.io.writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      this.failure = reason(error);
      const restored = this.cutBackTo(this.size);
      throw new SpecFileWriteError(
        `cannot write to ${this.path}: ${this.failure}; ${
          restored
            ? `the file is left as it was before this block (${this.size} bytes)`
            : "the file could not be cut back and may end in a partial line"
        }`,
        error,
      );
    }
    this.size += bytes.length;
  }

  /** Cuts the file back to its size when opened: everything this writer appended is undone. */
  rollback(): boolean {
    this.size = this.sizeAtOpen;
    return this.cutBackTo(this.sizeAtOpen);
  }

  /** Flushes the file to the disk, closes it and releases the lock. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      syncIfPossible(this.fd);
      closeSync(this.fd);
    } catch (error) {
      throw new SpecFileWriteError(`cannot close ${this.path}: ${reason(error)}`, error);
    } finally {
      this.releaseLock();
    }
  }

  private cutBackTo(size: number): boolean {
    try {
      ftruncateSync(this.fd, size);
      return true;
    } catch {
      return false;
    }
  }

  /** Creates the lock file, taking over one whose writer is known to be gone. */
  private takeLock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.lockPath, "wx");
      } catch (error) {
        if (errorCode(error) !== "EEXIST") {
          throw new SpecFileWriteError(
            `cannot create the lock file ${this.lockPath}: ${reason(error)}`,
            error,
          );
        }
        const stale = this.staleLock();
        if (stale === null) continue; // removed meanwhile: try again
        if (stale === false) this.refuse();
        this.notes.push(`took over ${this.lockPath}, left by ${stale}, which is no longer running`);
        try {
          unlinkSync(this.lockPath);
        } catch (unlinkError) {
          if (errorCode(unlinkError) !== "ENOENT") throw lockError(this.lockPath, unlinkError);
        }
        continue;
      }
      const owner: LockOwner = {
        pid: process.pid,
        host: hostname(),
        since: new Date().toISOString(),
      };
      try {
        writeSync(fd, `${JSON.stringify(owner)}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    }
    this.refuse();
  }

  /**
   * Whether the existing lock's writer is gone: a description of it when it is, false when it
   * may be running, null when the lock vanished meanwhile.
   */
  private staleLock(): string | false | null {
    let text: string;
    try {
      text = readFileSync(this.lockPath, "utf8");
    } catch (error) {
      if (errorCode(error) === "ENOENT") return null;
      throw lockError(this.lockPath, error);
    }
    const owner = parseOwner(text);
    if (owner === null) {
      // Created but never filled: its writer died between the two steps, or is between them now.
      const age = Date.now() - mtimeOf(this.lockPath);
      return age > UNREADABLE_LOCK_GRACE_MS ? "a writer that left it empty" : false;
    }
    // A process on another machine cannot be checked: its lock stands.
    if (owner.host !== hostname() || isRunning(owner.pid)) return false;
    return `process ${owner.pid} (since ${owner.since})`;
  }

  private refuse(): never {
    let who = "another writer";
    try {
      const owner = parseOwner(readFileSync(this.lockPath, "utf8"));
      if (owner) who = `process ${owner.pid} on ${owner.host} (since ${owner.since})`;
    } catch {
      // Keep the general wording.
    }
    throw new SpecFileLockedError(
      `${this.path} is being written by ${who}; two writers would interleave their scans. If no writer is running, delete ${this.lockPath}`,
    );
  }

  private releaseLock(): void {
    try {
      const owner = parseOwner(readFileSync(this.lockPath, "utf8"));
      if (owner?.pid === process.pid && owner.host === hostname()) unlinkSync(this.lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

/** Flushes to the disk; devices and pipes that cannot be synced are left as they are. */
function syncIfPossible(fd: number): void {
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = errorCode(error);
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EROFS") throw error;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== "number" || typeof value.host !== "string") return null;
    return { pid: value.pid, host: value.host, since: String(value.since ?? "?") };
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === "EPERM";
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function lockError(lockPath: string, error: unknown): SpecFileWriteError {
  return new SpecFileWriteError(`cannot read the lock file ${lockPath}: ${reason(error)}`, error);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** What a system error means for the user, in words, with its code for searching. */
export function reason(error: unknown): string {
  const code = errorCode(error);
  const words: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EROFS: "the file system is read-only",
    EISDIR: "it is a directory",
    ENOENT: "no such file or directory",
    ENOTDIR: "a part of the path is not a directory",
    EFBIG: "the file is too large for the file system",
    EIO: "input/output error",
  };
  const known = code !== undefined ? words[code] : undefined;
  if (known) return `${known} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
