/**
 * bluesky's 0MQ document stream as an async iterable: a SUB socket (npm `zeromq`) that connects
 * to a proxy's out port as `RemoteDispatcher` does, or binds the in port so a `Publisher` points
 * straight at it. Frames become documents or refusals (frames.ts); connection changes come from
 * zeromq's socket monitor. Memory is bounded by libzmq: at most `highWaterMark` queued frames of
 * at most `maxFrameBytes` each, and nothing queues on our side beyond one frame and a few
 * status changes.
 */
import { Subscriber } from "zeromq";
import { decodeFrame } from "./frames.js";
import {
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_MAX_FRAME_BYTES,
  type DocumentStream,
  type RefusalCode,
  type RefusedItem,
  type StatusItem,
  type StreamItem,
  type StreamOptions,
} from "./types.js";

/** What a stream has seen so far, refusals counted even when they are reported once. */
export interface StreamCounts {
  frames: number;
  documents: number;
  refused: Record<RefusalCode, number>;
}

/** A {@link DocumentStream} that also counts what it received. */
export interface CountingDocumentStream extends DocumentStream {
  /** Live counts (the same object throughout). */
  readonly counts: Readonly<StreamCounts>;
}

/** Status changes kept while nobody iterates; older ones are dropped beyond this. */
const MAX_PENDING_STATUS = 64;

/** Why a connection can go away under us: libzmq's monitor does not say. */
const DISCONNECT_REASON =
  "the peer closed the connection or went away, or it sent a frame over the size limit (libzmq drops such a connection)";

/**
 * After a disconnect that is not a protocol fault, libzmq schedules a reconnect at once and says
 * so (`connect:retry`); this long without one means it gave up on the connection.
 */
const RECONNECT_GRACE_MS = 250;

/**
 * Opens bluesky's document stream. The socket connects (or binds) at once, so frames queue in
 * libzmq from this call on; iterate the result once. Bad options throw here (TypeError or
 * RangeError); a failing bind rejects the first `next()`.
 *
 * Pickle frames are refused once per prefix: a prefix that sent pickle is reported again only
 * after a readable document of that prefix arrived. (Through a proxy the frames carry no
 * publisher identity; the prefix is the only name a publisher has. `counts` has every frame.)
 */
export function openDocumentStream(options: StreamOptions): CountingDocumentStream {
  const settings = checkOptions(options);
  const socket = new Subscriber({
    maxMessageSize: settings.maxFrameBytes,
    receiveHighWaterMark: settings.highWaterMark,
    linger: 0,
  });
  const counts: StreamCounts = {
    frames: 0,
    documents: 0,
    refused: { pickle: 0, malformed: 0, "wrong-shape": 0, "too-large": 0 },
  };
  const pendingStatus: StatusItem[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  /** Oversized frames noticed (by their dropped connection) and not yet yielded. */
  let pendingTooLarge = 0;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const pushStatus = (item: StatusItem) => {
    if (pendingStatus.length >= MAX_PENDING_STATUS) pendingStatus.shift();
    pendingStatus.push(item);
    notify();
  };

  const events = socket.events;
  events.on("bind", ({ address }) => pushStatus({ kind: "status", state: "listening", address }));
  // The ZMTP handshake, not the TCP connect: a 0MQ peer is really there.
  // Connections through the handshake and not yet gone; why the last one failed it; and the
  // reason last said for a connection that never came up (libzmq retries those every ~100 ms,
  // so the same reason is said once).
  let openConnections = 0;
  let handshakeFailure: string | undefined;
  let reportedFailure: string | undefined;
  events.on("handshake", ({ address }) => {
    openConnections++;
    handshakeFailure = undefined;
    reportedFailure = undefined;
    pushStatus({ kind: "status", state: "connected", address });
  });
  const onHandshakeError = ({ error }: { error: Error }) => {
    handshakeFailure = `the peer failed the 0MQ handshake (${error.message}): is it a 0MQ proxy?`;
  };
  events.on("handshake:error:protocol", onHandshakeError);
  events.on("handshake:error:other", onHandshakeError);
  let giveUpTimer: NodeJS.Timeout | undefined;
  events.on("connect:retry", () => {
    clearTimeout(giveUpTimer);
    giveUpTimer = undefined;
  });
  events.on("disconnect", ({ address }) => {
    const reason = handshakeFailure ?? DISCONNECT_REASON;
    const wasUp = openConnections > 0;
    if (wasUp) openConnections--;
    else if (reportedFailure === reason) return;
    else reportedFailure = reason;
    pushStatus({ kind: "status", state: "disconnected", address, reason });
    if (settings.bind || !wasUp) return;
    // libzmq reconnects after a network fault but not after a protocol fault, and the one a
    // bluesky proxy causes once the handshake is done is a frame over ZMQ_MAXMSGSIZE: report
    // it and connect again. (A peer that fails the handshake is left alone, as libzmq does.)
    clearTimeout(giveUpTimer);
    // The decision waits one more turn (setImmediate runs after the poll phase), so a
    // `connect:retry` already queued behind a busy event loop still cancels it.
    giveUpTimer = setTimeout(() => setImmediate(reconnectIfGivenUp), RECONNECT_GRACE_MS);
    giveUpTimer.unref();
  });
  const reconnectIfGivenUp = () => {
    if (giveUpTimer === undefined || closed) return;
    giveUpTimer = undefined;
    counts.refused["too-large"]++;
    pendingTooLarge++;
    notify();
    try {
      socket.disconnect(settings.url);
    } catch {
      // Already forgotten by libzmq: nothing to undo before connecting again.
    }
    socket.connect(settings.url);
  };

  // 0MQ filters on leading bytes; `prefix + " "` is exactly RemoteDispatcher's `prefix == ours`.
  socket.subscribe(settings.prefix === "" ? "" : `${settings.prefix} `);
  let ready: Promise<void>;
  if (settings.bind) {
    ready = socket.bind(settings.url);
    ready.catch(() => {}); // surfaced by the first next()
  } else {
    socket.connect(settings.url);
    ready = Promise.resolve();
  }

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(giveUpTimer);
    settings.signal?.removeEventListener("abort", onAbort);
    socket.close();
    notify();
  };
  const onAbort = () => void close();
  if (settings.signal?.aborted) void close();
  else settings.signal?.addEventListener("abort", onAbort, { once: true });

  const pickleReported = new Set<string>();

  async function* iterate(): AsyncGenerator<StreamItem, void, undefined> {
    try {
      await ready;
      let receiving: Promise<Buffer[]> | undefined;
      let received: Buffer[] | undefined;
      let receiveError: { error: unknown } | undefined;
      while (!closed) {
        if (receiveError !== undefined) throw receiveError.error;
        const status = pendingStatus.shift();
        if (status !== undefined) {
          yield status;
          continue;
        }
        if (pendingTooLarge > 0) {
          pendingTooLarge--;
          yield tooLarge();
          continue;
        }
        if (received !== undefined) {
          const [frame] = received;
          received = undefined;
          const item = frame === undefined ? undefined : take(frame);
          if (item !== undefined) yield item;
          continue;
        }
        if (receiving === undefined) {
          receiving = socket.receive();
          receiving.then(
            (message) => {
              received = message;
              receiving = undefined;
              notify();
            },
            (error: unknown) => {
              // Expected when the socket is closed under a pending receive; else it ends us.
              receiving = undefined;
              receiveError = { error };
              notify();
            },
          );
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } catch (error) {
      if (!closed) throw error;
    } finally {
      await close();
    }
  }

  function tooLarge(): RefusedItem {
    const limit = settings.maxFrameBytes;
    return {
      kind: "refused",
      code: "too-large",
      reason: `a frame over the ${limit}-byte limit (maxFrameBytes) came from ${settings.url}; libzmq dropped the connection without reading it, and it was connected again (frames sent meanwhile are lost)`,
      prefix: "",
      bytes: limit,
    };
  }

  /** Counts a frame; undefined for a pickle frame already reported for its prefix. */
  function take(frame: Uint8Array): StreamItem | undefined {
    counts.frames++;
    const item = decodeFrame(frame);
    if (item.kind === "document") {
      counts.documents++;
      pickleReported.delete(item.prefix);
      return item;
    }
    counts.refused[item.code]++;
    if (item.code !== "pickle") return item;
    if (pickleReported.has(item.prefix)) return undefined;
    pickleReported.add(item.prefix);
    return item;
  }

  let iterated = false;
  return {
    counts,
    close,
    [Symbol.asyncIterator]() {
      if (iterated) throw new Error("a document stream can be iterated only once");
      iterated = true;
      return iterate();
    },
  };
}

interface Settings {
  url: string;
  bind: boolean;
  prefix: string;
  maxFrameBytes: number;
  highWaterMark: number;
  signal: AbortSignal | undefined;
}

function checkOptions(options: StreamOptions): Settings {
  const { url, bind = false, prefix = "", signal } = options;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  if (typeof url !== "string" || !/^[a-z]+:\/\/./.test(url)) {
    throw new TypeError(`not a 0MQ address: ${JSON.stringify(url)} (expected tcp://HOST:PORT)`);
  }
  if (prefix.includes(" ")) {
    throw new RangeError(`a prefix may not contain a space: ${JSON.stringify(prefix)}`);
  }
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 1) {
    throw new RangeError(`maxFrameBytes must be a positive integer, got ${maxFrameBytes}`);
  }
  if (!Number.isSafeInteger(highWaterMark) || highWaterMark < 1) {
    throw new RangeError(`highWaterMark must be a positive integer, got ${highWaterMark}`);
  }
  return { url, bind, prefix, maxFrameBytes, highWaterMark, signal };
}
