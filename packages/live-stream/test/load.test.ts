/**
 * As fast as Python can send: PUB/SUB drops what a slow reader cannot take, so this checks what
 * must hold whatever the loss (what arrives was sent, once, in order, decoded) and logs the
 * figures (documents per second, loss, RSS). No assertion on time or on the amount of loss.
 */
import { referencePath } from "@specx/test-support";
import { runPublisher, startForwarder } from "@specx/test-support/zmq";
import { expect, it } from "vitest";
import { openDocumentStream, type StreamItem } from "../src/index.js";
import { Collector } from "./collector.js";

const RUNS = 10;
const EVENTS = 2000;

/** The stop of the marker stream (suitcase's count_1), sent after the burst. */
function isMarkerStop(item: StreamItem): boolean {
  return (
    item.kind === "document" &&
    item.name === "stop" &&
    !String(item.doc.uid).startsWith("synthetic-")
  );
}

/** The uids zmq_publisher.py's `synthetic:RUNS:EVENTS` sends, in order. */
function syntheticUids(runs: number, events: number): string[] {
  const uids: string[] = [];
  for (let run = 0; run < runs; run++) {
    uids.push(`synthetic-start-${run}`, `synthetic-descriptor-${run}`);
    for (let seq = 1; seq <= events; seq++) uids.push(`synthetic-event-${run}-${seq}`);
    uids.push(`synthetic-stop-${run}`);
  }
  return uids;
}

it("keeps what arrives whole and in order when Python sends as fast as it can", async () => {
  const proxy = await startForwarder();
  const stream = openDocumentStream({ url: proxy.outUrl, highWaterMark: 100_000 });
  const collector = new Collector(stream);
  try {
    await collector.waitForStatus("connected");
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    const report = await runPublisher({
      address: proxy.inUrl,
      actions: [`synthetic:${RUNS}:${EVENTS}`],
    });
    // A paced marker once the burst is through: its arrival means nothing more is in flight.
    const marker = "suitcase/documents/count_1.jsonl";
    const before = collector.documentCount;
    await runPublisher({
      address: proxy.inUrl,
      rate: 100,
      actions: [`stream:${referencePath(marker)}`],
    });
    await collector.waitFor(
      () =>
        collector.documentCount > before &&
        collector.items.at(-1)?.kind === "document" &&
        isMarkerStop(collector.items.at(-1) as StreamItem),
    );
    clearInterval(sampler);

    const sent = syntheticUids(RUNS, EVENTS);
    expect(report.documents).toBe(sent.length);
    const got = collector
      .documents()
      .map((item) => String(item.doc.uid))
      .filter((uid) => uid.startsWith("synthetic-"));
    // What arrives is a subsequence of what was sent: nothing invented, repeated or reordered.
    let cursor = 0;
    for (const uid of got) {
      while (cursor < sent.length && sent[cursor] !== uid) cursor++;
      expect(cursor, `${uid} out of order or never sent`).toBeLessThan(sent.length);
      cursor++;
    }
    expect(collector.refused()).toEqual([]);
    const seconds = report.seconds;
    const burstTimes = collector.items
      .map((item, index) => ({ item, at: collector.arrivals[index] ?? 0 }))
      .filter(
        ({ item }) => item.kind === "document" && String(item.doc.uid).startsWith("synthetic-"),
      )
      .map(({ at }) => at);
    const receiving = ((burstTimes.at(-1) ?? 0) - (burstTimes[0] ?? 0)) / 1000;
    console.log(
      `load ${new Date().toISOString().slice(0, 10)}: Python sent ${sent.length} documents in ${seconds} s ` +
        `(${Math.round(sent.length / seconds)}/s); received ${got.length} ` +
        `(${(100 * (1 - got.length / sent.length)).toFixed(1)}% lost) over ${receiving.toFixed(2)} s (${Math.round(got.length / receiving)}/s decoded); ` +
        `RSS grew by ${((rssPeak - rssBefore) / 2 ** 20).toFixed(1)} MiB at most`,
    );
  } finally {
    await stream.close();
    await proxy.stop();
  }
});
