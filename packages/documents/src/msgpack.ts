/**
 * msgpack for documents: the suitcase-msgpack framing (concatenated `[name, doc]` objects),
 * msgpack-numpy arrays on reading, and Python-compatible bytes on writing.
 */
export { decodeMsgpack, decodeMsgpackStream } from "./msgpack-decode.js";
export { encodeMsgpack, MsgpackWriter } from "./msgpack-encode.js";
