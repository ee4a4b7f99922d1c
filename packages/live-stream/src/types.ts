/**
 * The contract of a live document stream: its options and the items it yields.
 */
import type { DocRecord, DocumentName } from "@specx/documents";

/** How to reach bluesky's 0MQ documents, and the limits that keep memory bounded. */
export interface StreamOptions {
  /**
   * `tcp://HOST:PORT`. Without {@link bind}: a proxy's out port, connected to as bluesky's
   * `RemoteDispatcher` does. With it: the address a `Publisher` connects to.
   */
  url: string;
  /** Bind a SUB socket at {@link url}, as the proxy's in port, so a `Publisher` can point straight at us. Default false. */
  bind?: boolean;
  /**
   * Only frames whose prefix equals this one (bluesky's `RemoteDispatcher(prefix=...)`); the
   * empty string, the default, takes every frame whatever its prefix. May not contain a space.
   */
  prefix?: string;
  /**
   * Frames larger than this are refused by libzmq before they are buffered (ZMQ_MAXMSGSIZE):
   * libzmq drops the connection that sent one. Default {@link DEFAULT_MAX_FRAME_BYTES}.
   */
  maxFrameBytes?: number;
  /**
   * Frames libzmq may queue for us before it drops new ones (ZMQ_RCVHWM), default
   * {@link DEFAULT_HIGH_WATER_MARK}. PUB/SUB drops rather than blocks when a reader falls behind.
   */
  highWaterMark?: number;
  /** Ends the iteration cleanly, as {@link DocumentStream.close} does. */
  signal?: AbortSignal;
}

/** The serializations of a payload that are read; pickle is refused. */
export type PayloadFormat = "msgpack" | "json";

/** Why a frame was not turned into a document. */
export type RefusalCode = "pickle" | "malformed" | "wrong-shape" | "too-large";

/** One document, decoded into @specx/documents' value model. */
export interface DocumentItem {
  kind: "document";
  name: DocumentName;
  doc: DocRecord;
  /** The frame's prefix (bluesky's `Publisher(prefix=...)`), `""` by default. */
  prefix: string;
  format: PayloadFormat;
  /** The frame's size. */
  bytes: number;
}

/** A frame that was not a document, with a one-line reason. */
export interface RefusedItem {
  kind: "refused";
  code: RefusalCode;
  reason: string;
  /** The frame's prefix when it has one, else `""`. */
  prefix: string;
  /** The frame's size (for `too-large`, the limit that was crossed). */
  bytes: number;
}

/** A change of the socket's connections, from zeromq's socket monitor. */
export interface StatusItem {
  kind: "status";
  /**
   * `listening`: bound and waiting for publishers; `connected`: a peer is there (the proxy,
   * or a publisher when bound); `disconnected`: a peer went away (with `connect`, 0MQ
   * reconnects by itself and a `connected` follows when it is back).
   */
  state: "listening" | "connected" | "disconnected";
  address: string;
  /** Why, when there is more to say than the state. */
  reason?: string;
}

export type StreamItem = DocumentItem | RefusedItem | StatusItem;

/** The stream: iterate it once; `close()` (or the signal) ends the iteration. */
export interface DocumentStream extends AsyncIterable<StreamItem> {
  /** Closes the socket; a pending iteration ends without error. Safe to call more than once. */
  close(): Promise<void>;
}

/** 64 MiB: far above any document bluesky sends, far below what would strain memory. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** 0MQ's own default for ZMQ_RCVHWM, which bluesky's RemoteDispatcher keeps. */
export const DEFAULT_HIGH_WATER_MARK = 1000;
