/**
 * @specx/live-stream: bluesky's live document streams as async iterables of `(name, doc)`.
 *
 * bluesky's `Publisher` sends each document as one 0MQ frame, `prefix name payload`, to a
 * `bluesky-0MQ-proxy`; {@link openDocumentStream} reads them as the proxy's consumers do
 * (`RemoteDispatcher`), or binds the proxy's in port itself. msgpack (with msgpack-numpy) and
 * JSON payloads become documents of @specx/documents' value model; pickle, malformed and
 * oversized frames become refusals with a reason, and connection changes status items.
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
