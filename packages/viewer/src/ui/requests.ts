/** What the UI modules need of the worker client (src/client.ts's ViewerWorker.request). */
import type { ProgressCallback } from "../client.js";
import type { Answers, Request } from "../protocol.js";

export type Ask = <T extends Request["type"]>(
  request: Extract<Request, { type: T }>,
  onProgress?: ProgressCallback,
) => Promise<Answers[T]>;
