/**
 * bluesky's 0MQ transport for tests, played by Python as bluesky plays it:
 * `python/zmq_forwarder.py` is `bluesky-0MQ-proxy` (SUB in port → PUB out port) and
 * `python/zmq_publisher.py` frames documents as bluesky's `Publisher` does. Both run with
 * {@link pythonInterpreter} (Debian's python3-zmq, python3-msgpack, python3-msgpack-numpy) and
 * listen on 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { pythonInterpreter } from "./index.js";

const forwarderScript = fileURLToPath(new URL("../python/zmq_forwarder.py", import.meta.url));
const publisherScript = fileURLToPath(new URL("../python/zmq_publisher.py", import.meta.url));

/** A running forwarder: its ports, and how to stop it. */
export interface Forwarder {
  inPort: number;
  outPort: number;
  /** Where a `Publisher` connects: `tcp://127.0.0.1:<in>`. */
  inUrl: string;
  /** Where a `RemoteDispatcher` connects: `tcp://127.0.0.1:<out>`. */
  outUrl: string;
  process: ChildProcess;
  /** Kills it (SIGKILL by default, as a crash would) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the forwarder; resolves once both ports are bound. Ports default to free ones; pass
 * the ports of a stopped forwarder to restart it in its place.
 */
export async function startForwarder(
  ports: { inPort?: number; outPort?: number } = {},
): Promise<Forwarder> {
  const child = spawn(
    pythonInterpreter(),
    [
      forwarderScript,
      "--in-port",
      String(ports.inPort ?? 0),
      "--out-port",
      String(ports.outPort ?? 0),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (text) => {
      lines.close();
      resolve(text);
    });
    child.once("exit", (code) =>
      reject(new Error(`zmq_forwarder.py exited with ${code}: ${stderr}`)),
    );
    child.once("error", reject);
  });
  const { in: inPort, out: outPort } = JSON.parse(line) as { in: number; out: number };
  return {
    inPort,
    outPort,
    inUrl: `tcp://127.0.0.1:${inPort}`,
    outUrl: `tcp://127.0.0.1:${outPort}`,
    process: child,
    async stop(signal: NodeJS.Signals = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** How `zmq_publisher.py` sends (see its docstring for the actions). */
export interface PublisherOptions {
  /** Where to connect (or bind, with {@link bind}), e.g. a forwarder's `inUrl`. */
  address: string;
  bind?: boolean;
  prefix?: string;
  serializer?: "msgpack" | "json" | "pickle";
  /** Documents per second; 0 or absent: as fast as Python can. */
  rate?: number;
  /**
   * Seconds to wait after connecting, for the PUB/SUB join (default 1): 0MQ drops what a PUB
   * sends before the subscription reached it, and a loaded machine is slow to join.
   */
  joinWait?: number;
  /** ZMQ_SNDHWM of the PUB socket (0MQ's default 1000). */
  sendHighWaterMark?: number;
  /**
   * In order: `stream:PATH`, `synthetic:RUNS:EVENTS`, `numpy`, `serializer:NAME`, `prefix:P`,
   * `garbage`, `no-spaces`, `truncated`, `wrong-shape`, `huge:BYTES`, `sleep:SECONDS`.
   */
  actions: readonly string[];
}

/** What the publisher says it sent. */
export interface PublisherReport {
  frames: number;
  documents: number;
  bytes: number;
  seconds: number;
}

/** A running publisher: `done` resolves with its report when it exits, rejects if it fails. */
export interface RunningPublisher {
  process: ChildProcess;
  done: Promise<PublisherReport>;
}

/** Starts `zmq_publisher.py` with these options. */
export function startPublisher(options: PublisherOptions): RunningPublisher {
  const args = [publisherScript, "--address", options.address];
  if (options.bind === true) args.push("--bind");
  if (options.prefix !== undefined) args.push("--prefix", options.prefix);
  if (options.serializer !== undefined) args.push("--serializer", options.serializer);
  if (options.rate !== undefined) args.push("--rate", String(options.rate));
  if (options.joinWait !== undefined) args.push("--join-wait", String(options.joinWait));
  if (options.sendHighWaterMark !== undefined) {
    args.push("--send-hwm", String(options.sendHighWaterMark));
  }
  args.push("--", ...options.actions);
  const child = spawn(pythonInterpreter(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const done = new Promise<PublisherReport>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve(JSON.parse(stdout.trim().split("\n").at(-1) as string));
      else reject(new Error(`zmq_publisher.py exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
  return { process: child, done };
}

/** Runs `zmq_publisher.py` to its end. */
export function runPublisher(options: PublisherOptions): Promise<PublisherReport> {
  return startPublisher(options).done;
}
