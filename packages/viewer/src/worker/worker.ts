/**
 * The parsing worker's entry. `onmessage` is set before anything else loads: the parser is
 * imported lazily, so a message posted right after `new Worker()` waits for it instead of
 * being dropped while the worker's modules still load. Requests are answered one at a time,
 * in the order they came (see handle.ts; the shapes are protocol.ts's).
 */
import type { RequestMessage, ResponseMessage } from "../protocol.js";

/** The dedicated worker's global scope, as far as this entry uses it. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<RequestMessage>) => void) | null;
  postMessage(message: ResponseMessage, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const implementation = import("./handle.js");
const post = (message: ResponseMessage, transfer: ArrayBuffer[]) =>
  scope.postMessage(message, transfer);

scope.onmessage = (event) => {
  const message = event.data;
  implementation.then(
    ({ handle }) => handle(message, post),
    (error: unknown) =>
      post({ id: message.id, ok: false, error: `the parser did not load: ${String(error)}` }, []),
  );
};
