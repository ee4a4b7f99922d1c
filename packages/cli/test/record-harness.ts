/**
 * What the `specx record` tests share: the real binary started as a child process, waited for
 * until it is connected (or bound), and stopped with a signal; and `from-docs` run the same way
 * in a folder of its own, so that `#F` (the output as given) is the same name in both files.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const bin = fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));

/** A fresh folder. */
export const scratch = (): string => mkdtempSync(join(tmpdir(), "specx-record-"));

/** A running `specx record`. */
export interface Recording {
  process: ChildProcess;
  /** Standard output and error so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once standard output has `lines` lines (finished runs), or after `timeoutMs`. */
  runs(lines: number, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (SIGINT by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Peak resident memory so far (VmHWM), in kB; null once the process is gone. */
  peakKiB(): number | null;
}

/**
 * Starts `specx record ARGS` in `cwd` (`--time-zone UTC` added) and resolves once it says it is
 * connected or listening.
 */
export async function startRecording(cwd: string, args: readonly string[]): Promise<Recording> {
  const child = spawn(process.execPath, [bin, "record", ...args, "--time-zone", "UTC"], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    wake();
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
    wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
    wake();
  });
  const until = async (ready: () => boolean, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!ready() && !gone && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  await until(() => /^specx: (connected|listening) /m.test(stderr), 20_000);
  if (!/^specx: (connected|listening) /m.test(stderr)) {
    child.kill("SIGKILL");
    throw new Error(`specx record did not start: ${stderr}`);
  }
  return {
    process: child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    runs: (lines, timeoutMs = 30_000) =>
      until(() => stdout.split("\n").length - 1 >= lines, timeoutMs),
    async stop(signal: NodeJS.Signals = "SIGINT") {
      if (!gone) child.kill(signal);
      return exited;
    },
    peakKiB() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
        return match ? Number(match[1]) : null;
      } catch {
        return null;
      }
    },
  };
}

/** `specx from-docs INPUTS -o NAME --time-zone UTC` in a folder of its own; the file's text. */
export function fromDocs(inputs: readonly string[], name: string, extra: string[] = []): string {
  const dir = join(scratch(), "from-docs");
  mkdirSync(dir);
  const result = spawnSync(
    process.execPath,
    [bin, "from-docs", ...inputs, "-o", name, "--time-zone", "UTC", ...extra],
    { cwd: dir, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`from-docs failed: ${result.stderr}`);
  return readFileSync(join(dir, name), "utf8");
}

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The fault lines of a recording's standard error: all but the opening line, connection
 * changes, the writer's warnings and the closing summary.
 */
export function faults(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter(
      (line) =>
        line !== "" &&
        !/^specx: (recording |connected |listening |disconnected |warning: |recorded )/.test(line),
    );
}
