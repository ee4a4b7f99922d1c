/**
 * Test helper: consumes a document stream in the background, keeps every item, and lets a test
 * wait until the items seen so far satisfy a condition (the test's timeout bounds the wait).
 */
import type {
  DocumentItem,
  DocumentStream,
  RefusedItem,
  StatusItem,
  StreamItem,
} from "../src/index.js";

interface Waiter {
  until: (items: readonly StreamItem[]) => boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Collector {
  readonly items: StreamItem[] = [];
  /** `performance.now()` when each item arrived, for the figures tests log. */
  readonly arrivals: number[] = [];
  /** How many of the items are documents (kept as they arrive: tests wait on it often). */
  documentCount = 0;
  /** Settles when the iteration ends; rejects with its error. */
  readonly finished: Promise<void>;
  private readonly waiters = new Set<Waiter>();
  private ended = false;

  constructor(stream: DocumentStream) {
    this.finished = (async () => {
      try {
        for await (const item of stream) {
          this.items.push(item);
          this.arrivals.push(performance.now());
          if (item.kind === "document") this.documentCount++;
          for (const waiter of this.waiters) {
            if (waiter.until(this.items)) {
              this.waiters.delete(waiter);
              waiter.resolve();
            }
          }
        }
      } finally {
        this.ended = true;
        for (const waiter of this.waiters) waiter.reject(new Error("the stream ended first"));
        this.waiters.clear();
      }
    })();
    this.finished.catch(() => {});
  }

  /** Resolves as soon as `until(items)` holds. */
  waitFor(until: (items: readonly StreamItem[]) => boolean): Promise<void> {
    if (until(this.items)) return Promise.resolve();
    if (this.ended) return Promise.reject(new Error("the stream ended first"));
    return new Promise((resolve, reject) => this.waiters.add({ until, resolve, reject }));
  }

  /** Resolves once `count` documents arrived in all. */
  waitForDocuments(count: number): Promise<void> {
    return this.waitFor(() => this.documentCount >= count);
  }

  /** Resolves when a status of this state arrives after the first `after` items. */
  waitForStatus(state: StatusItem["state"], after = 0): Promise<void> {
    return this.waitFor((items) =>
      items.slice(after).some((item) => item.kind === "status" && item.state === state),
    );
  }

  documents(): DocumentItem[] {
    return documentsOf(this.items);
  }

  refused(): RefusedItem[] {
    return this.items.filter((item): item is RefusedItem => item.kind === "refused");
  }

  statuses(): StatusItem[] {
    return this.items.filter((item): item is StatusItem => item.kind === "status");
  }
}

function documentsOf(items: readonly StreamItem[]): DocumentItem[] {
  return items.filter((item): item is DocumentItem => item.kind === "document");
}
