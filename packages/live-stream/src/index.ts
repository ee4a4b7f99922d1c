/**
 * @specx/live-stream: bluesky's live document streams as async iterables of `(name, doc)`.
 *
 * bluesky's `Publisher` sends each document as one 0MQ frame, `prefix name payload`, to a
 * `bluesky-0MQ-proxy`; {@link openDocumentStream} reads them as the proxy's consumers do
 * (`RemoteDispatcher`), or binds the proxy's in port itself. msgpack (with msgpack-numpy) and
 * JSON payloads become documents of @specx/documents' value model; pickle, malformed and
 * oversized frames become refusals with a reason, and connection changes status items.
 *
 * With `appendFileSync` of node:fs and `createSpecWriter` of @specx/spec-writer (the README
 * has the whole module, which test/example.test.ts runs):
 *
 * ```ts
 * const fileName = "live.spec";
 * const writer = createSpecWriter({ write: (text) => appendFileSync(fileName, text) }, { fileName });
 * const stream = openDocumentStream({ url: "tcp://127.0.0.1:5578" });
 * process.once("SIGINT", () => stream.close());
 *
 * for await (const item of stream) {
 *   if (item.kind === "document") writer.receive(item.name, item.doc);
 *   else if (item.kind === "refused") console.error(`refused (${item.code}): ${item.reason}`);
 *   else console.error(`${item.state}: ${item.address}`);
 * }
 * ```
 *
 * Pickle is refused once per prefix, an oversized frame is reported as `too-large` when
 * connected to a proxy (libzmq drops the connection; the stream connects again), and PUB/SUB
 * loses frames a slow reader cannot take: see README.md.
 */
export { decodeFrame, PICKLE_ADVICE, payloadFormat, splitFrame } from "./frames.js";
export {
  type CountingDocumentStream,
  openDocumentStream,
  type StreamCounts,
} from "./stream.js";
export {
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_MAX_FRAME_BYTES,
  type DocumentItem,
  type DocumentStream,
  type PayloadFormat,
  type RefusalCode,
  type RefusedItem,
  type StatusItem,
  type StreamItem,
  type StreamOptions,
} from "./types.js";
