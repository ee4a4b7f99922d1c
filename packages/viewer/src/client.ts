/**
 * The page's side of the parsing worker: a promise per request, with progress while a file is
 * indexed. The worker answers in order; each answer carries its request's id.
 *
 * ```ts
 * const worker = new ViewerWorker(new URL("./worker.js", import.meta.url));
 * const overview = await worker.request(
 *   { type: "open", fileId: 1, source: { kind: "blob", name: file.name, blob: file } },
 *   (bytes, total) => (bar.value = bytes / total),
 * );
 * const [x, y] = await worker.request({ type: "columns", fileId: 1, index: 0, columns: [0, 3] });
 * ```
 */
import type { Answers, Request, RequestMessage, ResponseMessage } from "./protocol.js";

/** Called while a file is indexed: bytes of the file covered so far, of `total`. */
export type ProgressCallback = (bytes: number, total: number) => void;

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  onProgress: ProgressCallback | undefined;
}

/** The parsing worker, as promises. */
export class ViewerWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  /** Starts the worker from its module's URL (`worker.js` beside the page's script). */
  constructor(url: URL | string) {
    this.worker = new Worker(url, { type: "module" });
    this.worker.onmessage = (event: MessageEvent<ResponseMessage>) => this.receive(event.data);
    // A worker that fails to load or dies fails every request, now and later.
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.fail(new Error(`the parsing worker failed: ${event.message || "it did not load"}`));
    };
    this.worker.onmessageerror = () =>
      this.fail(new Error("an answer of the worker was unreadable"));
  }

  /**
   * Sends one request; resolves with its answer (typed by the request's `type`), or rejects with
   * the worker's one-line reason. `onProgress` hears how far an `open` has indexed.
   */
  request<R extends Request>(
    request: R,
    onProgress?: ProgressCallback,
  ): Promise<Answers[R["type"]]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Answers[R["type"]]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject, onProgress });
      const message: RequestMessage = { id, ...request };
      try {
        this.worker.postMessage(message);
      } catch (error) {
        // A source that cannot be cloned to the worker, say.
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Ends the worker; requests still waiting are rejected. */
  terminate(): void {
    this.worker.terminate();
    this.fail(new Error("the parsing worker was stopped"));
  }

  private receive(message: ResponseMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if ("progress" in message) {
      pending.onProgress?.(message.progress.bytes, message.progress.total);
      return;
    }
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.value as never);
    else pending.reject(new Error(message.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
