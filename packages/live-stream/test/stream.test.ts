/**
 * The document stream on real 0MQ sockets, fed by bluesky's framing and bluesky's proxy as
 * Python plays them (`@specx/test-support/zmq`), everything on 127.0.0.1.
 */
import { type AddressInfo, createServer, type Socket } from "node:net";
import { detectFormat, floatValue, type NamedDocument, readDocumentStream } from "@specx/documents";
import { referenceBytes, referencePath, referenceStreams } from "@specx/test-support";
import { type Forwarder, runPublisher, startForwarder } from "@specx/test-support/zmq";
import { afterEach, describe, expect, it } from "vitest";
import { type CountingDocumentStream, openDocumentStream, PICKLE_ADVICE } from "../src/index.js";
import { Collector } from "./collector.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function forwarder(ports?: { inPort: number; outPort: number }): Promise<Forwarder> {
  const started = await startForwarder(ports);
  cleanups.push(() => started.stop());
  return started;
}

function open(options: Parameters<typeof openDocumentStream>[0]): {
  stream: CountingDocumentStream;
  collector: Collector;
} {
  const stream = openDocumentStream(options);
  cleanups.push(() => stream.close());
  return { stream, collector: new Collector(stream) };
}

/** A stream connected to the forwarder's out port, once its subscription is in place. */
async function subscribed(
  proxy: Forwarder,
  prefix?: string,
): Promise<{ stream: CountingDocumentStream; collector: Collector }> {
  const opened = open({ url: proxy.outUrl, ...(prefix === undefined ? {} : { prefix }) });
  await opened.collector.waitForStatus("connected");
  return opened;
}

/** The reference documents of one stream file, read by @specx/documents. */
function referenceDocuments(path: string): NamedDocument[] {
  return readDocumentStream(referenceBytes(path), detectFormat(path) ?? "json");
}

function received(collector: Collector): NamedDocument[] {
  return collector.documents().map((item) => [item.name, item.doc]);
}

const streams = referenceStreams();
const allReferenceDocuments = streams.flatMap(referenceDocuments);

describe("a stream through bluesky's proxy", () => {
  it.each(["msgpack", "json"] as const)(
    "gives exactly the documents of every reference stream, sent as %s",
    async (serializer) => {
      const proxy = await forwarder();
      const { collector, stream } = await subscribed(proxy);
      const began = performance.now();
      const report = await runPublisher({
        address: proxy.inUrl,
        serializer,
        // 0MQ drops what a slow reader cannot take; a pace keeps this test about content.
        rate: 1000,
        actions: streams.map((path) => `stream:${referencePath(path)}`),
      });
      expect(report.documents).toBe(allReferenceDocuments.length);
      await collector.waitForDocuments(allReferenceDocuments.length);
      const seconds = (performance.now() - began) / 1000;
      console.log(
        `${serializer}: ${allReferenceDocuments.length} documents (${report.bytes} bytes) from ${streams.length} reference streams in ${seconds.toFixed(2)} s`,
      );
      expect(received(collector)).toEqual(allReferenceDocuments);
      expect(collector.refused()).toEqual([]);
      expect(collector.documents().every((item) => item.format === serializer)).toBe(true);
      expect(stream.counts).toMatchObject({
        frames: allReferenceDocuments.length,
        documents: allReferenceDocuments.length,
      });
    },
  );

  it("decodes msgpack-numpy arrays and scalars sent by a Publisher", async () => {
    const proxy = await forwarder();
    const { collector } = await subscribed(proxy);
    await runPublisher({ address: proxy.inUrl, actions: ["numpy"] });
    await collector.waitForDocuments(4);
    const event = collector.documents().find((item) => item.name === "event");
    expect(event?.doc.data).toEqual({
      // Integral floats stay floats (PyFloat), as everywhere in @specx/documents.
      spectrum: [1.5, 2, -0.25, 1e300].map(floatValue),
      det: 0.5,
      counts: 12345678901234,
    });
  });

  it("filters by prefix as RemoteDispatcher does; no prefix takes every frame", async () => {
    const proxy = await forwarder();
    const onlyA = await subscribed(proxy, "hutch-a");
    const everything = await subscribed(proxy);
    const a = "synthetic/streams/syn-session.json";
    const b = "apstools/streams/uid-3ab777ae.json";
    await Promise.all([
      runPublisher({
        address: proxy.inUrl,
        prefix: "hutch-a",
        actions: [`stream:${referencePath(a)}`],
      }),
      runPublisher({
        address: proxy.inUrl,
        prefix: "hutch-b",
        actions: [`stream:${referencePath(b)}`],
      }),
      // A prefix that merely starts like ours is someone else's.
      runPublisher({
        address: proxy.inUrl,
        prefix: "hutch-ab",
        actions: [`stream:${referencePath(b)}`],
      }),
    ]);
    const total = referenceDocuments(a).length + 2 * referenceDocuments(b).length;
    await everything.collector.waitForDocuments(total);
    await onlyA.collector.waitForDocuments(referenceDocuments(a).length);
    expect(received(onlyA.collector)).toEqual(referenceDocuments(a));
    expect(onlyA.collector.documents().every((item) => item.prefix === "hutch-a")).toBe(true);
    const byPrefix = (prefix: string) =>
      everything.collector
        .documents()
        .filter((item) => item.prefix === prefix)
        .map((item): NamedDocument => [item.name, item.doc]);
    expect(byPrefix("hutch-a")).toEqual(referenceDocuments(a));
    expect(byPrefix("hutch-b")).toEqual(referenceDocuments(b));
    expect(byPrefix("hutch-ab")).toEqual(referenceDocuments(b));
    expect(onlyA.stream.counts.frames).toBe(referenceDocuments(a).length);
  });

  it("refuses a pickle publisher once, with the advice, then reads a msgpack publisher", async () => {
    const proxy = await forwarder();
    const { collector, stream } = await subscribed(proxy);
    await runPublisher({ address: proxy.inUrl, serializer: "pickle", actions: ["synthetic:2:5"] });
    const path = "suitcase/documents/scan.jsonl";
    await runPublisher({ address: proxy.inUrl, actions: [`stream:${referencePath(path)}`] });
    await collector.waitForDocuments(referenceDocuments(path).length);
    expect(collector.refused()).toEqual([
      {
        kind: "refused",
        code: "pickle",
        reason: PICKLE_ADVICE,
        prefix: "",
        bytes: expect.any(Number),
      },
    ]);
    expect(stream.counts.refused.pickle).toBe(2 * (3 + 5));
    expect(received(collector)).toEqual(referenceDocuments(path));
    // Once the prefix sent a readable document, a pickle publisher is reported again.
    await runPublisher({ address: proxy.inUrl, serializer: "pickle", actions: ["synthetic:1:1"] });
    await collector.waitFor(() => collector.refused().length === 2);
    expect(stream.counts.refused.pickle).toBe(2 * (3 + 5) + 4);
  });

  it("refuses garbage, truncated msgpack and wrong shapes with reasons, and goes on", async () => {
    const proxy = await forwarder();
    const { collector, stream } = await subscribed(proxy);
    const path = "synthetic/streams/syn-values.json";
    await runPublisher({
      address: proxy.inUrl,
      actions: [
        "garbage",
        "no-spaces",
        "truncated",
        "wrong-shape",
        `stream:${referencePath(path)}`,
      ],
    });
    await collector.waitForDocuments(referenceDocuments(path).length);
    expect(collector.refused().map((item) => [item.code, item.reason])).toEqual([
      [
        "malformed",
        expect.stringMatching(
          /^event: the msgpack payload does not decode: invalid type byte 0xc1/,
        ),
      ],
      ["malformed", expect.stringMatching(/^not a bluesky frame/)],
      [
        "malformed",
        expect.stringMatching(/^start: the msgpack payload does not decode: truncated input/),
      ],
      ["wrong-shape", "event: the payload is an array of 3 items, not a document (a map)"],
      ["wrong-shape", '"not_a_document" is not an event-model document name'],
    ]);
    expect(stream.counts.refused).toEqual({
      pickle: 0,
      malformed: 3,
      "wrong-shape": 2,
      "too-large": 0,
    });
    expect(received(collector)).toEqual(referenceDocuments(path));
  });

  it("reports a 100 MB frame without buffering it, reconnects, and goes on", async () => {
    const proxy = await forwarder();
    const { collector, stream } = await subscribed(proxy);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 5);
    await runPublisher({ address: proxy.inUrl, actions: ["synthetic:1:2", "huge:100000000"] });
    // What the proxy sends while we are away is lost (PUB/SUB): publish again once we are back.
    await collector.waitFor((items) => {
      const refusal = items.findIndex((item) => item.kind === "refused");
      return (
        refusal >= 0 &&
        items.slice(refusal).some((item) => item.kind === "status" && item.state === "connected")
      );
    });
    const path = "suitcase/documents/count_1.jsonl";
    await runPublisher({ address: proxy.inUrl, actions: [`stream:${referencePath(path)}`] });
    const expected = [...syntheticRun(2), ...referenceDocuments(path)];
    await collector.waitForDocuments(expected.length);
    clearInterval(sampler);
    console.log(
      `100 MB frame: RSS grew by ${((rssPeak - rssBefore) / 2 ** 20).toFixed(1)} MiB at most`,
    );
    expect(rssPeak - rssBefore).toBeLessThan(50 * 2 ** 20);
    expect(collector.refused()).toEqual([
      expect.objectContaining({ code: "too-large", bytes: 64 * 2 ** 20 }),
    ]);
    expect(stream.counts.refused["too-large"]).toBe(1);
    expect(collector.statuses().map((item) => item.state)).toEqual([
      "connected",
      "disconnected",
      "connected",
    ]);
    expect(received(collector).map(([name, doc]) => [name, doc.uid])).toEqual(
      expected.map(([name, doc]) => [name, doc.uid]),
    );
  });

  it("comes back when the proxy is killed and restarted mid-stream", async () => {
    const proxy = await forwarder();
    const { collector } = await subscribed(proxy);
    const first = "apstools/streams/uid-3ab777ae.json";
    const second = "apstools/streams/uid-f05b6684.json";
    await runPublisher({ address: proxy.inUrl, actions: [`stream:${referencePath(first)}`] });
    await collector.waitForDocuments(referenceDocuments(first).length);
    const before = collector.items.length;
    await proxy.stop("SIGKILL");
    await collector.waitForStatus("disconnected", before);
    const again = await forwarder({ inPort: proxy.inPort, outPort: proxy.outPort });
    await collector.waitForStatus("connected", before);
    await runPublisher({ address: again.inUrl, actions: [`stream:${referencePath(second)}`] });
    const all = [...referenceDocuments(first), ...referenceDocuments(second)];
    await collector.waitForDocuments(all.length);
    expect(received(collector)).toEqual(all);
    expect(collector.statuses().map((item) => item.state)).toEqual([
      "connected",
      "disconnected",
      "connected",
    ]);
    expect(collector.refused()).toEqual([]);
  });
});

describe("a stream bound for a Publisher, with no proxy", () => {
  async function bound(): Promise<{
    collector: Collector;
    stream: CountingDocumentStream;
    url: string;
  }> {
    const opened = open({ url: "tcp://127.0.0.1:*", bind: true });
    await opened.collector.waitForStatus("listening");
    const listening = opened.collector.statuses()[0];
    return { ...opened, url: listening?.address ?? "" };
  }

  it("gives exactly the documents a Publisher sends, msgpack then JSON", async () => {
    const { collector, url } = await bound();
    expect(url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const path = "apstools/streams/440-624e776a.msgpack";
    await runPublisher({ address: url, rate: 1000, actions: [`stream:${referencePath(path)}`] });
    await runPublisher({
      address: url,
      serializer: "json",
      rate: 1000,
      actions: [`stream:${referencePath(path)}`],
    });
    await collector.waitForDocuments(2 * referenceDocuments(path).length);
    expect(received(collector)).toEqual([...referenceDocuments(path), ...referenceDocuments(path)]);
    // The second publisher's goodbye may come after its last document.
    await collector.waitFor(
      () => collector.statuses().filter((item) => item.state === "disconnected").length >= 2,
    );
    expect(collector.statuses().map((item) => item.state)).toEqual([
      "listening",
      "connected",
      "disconnected",
      "connected",
      "disconnected",
    ]);
  });

  it("drops a publisher that sends a 100 MB frame and takes it back when it reconnects", async () => {
    const { collector, url } = await bound();
    const path = "suitcase/documents/count_3.jsonl";
    await runPublisher({
      address: url,
      actions: ["synthetic:1:1", "huge:100000000", "sleep:2", `stream:${referencePath(path)}`],
    });
    const expected = [...syntheticRun(1), ...referenceDocuments(path)];
    await collector.waitForDocuments(expected.length);
    expect(received(collector).map(([, doc]) => doc.uid)).toEqual(
      expected.map(([, doc]) => doc.uid),
    );
    const disconnects = collector.statuses().filter((item) => item.state === "disconnected");
    expect(disconnects[0]?.reason).toMatch(/a frame over the size limit/);
  });

  it("rejects the first next() when the address is taken", async () => {
    const { url } = await bound();
    const second = openDocumentStream({ url, bind: true });
    cleanups.push(() => second.close());
    await expect(second[Symbol.asyncIterator]().next()).rejects.toThrow();
  });
});

describe("a peer that is not 0MQ", () => {
  it("is reported once with the handshake's failure, however often libzmq retries", async () => {
    let connections = 0;
    let enoughRetries: () => void = () => {};
    const retried = new Promise<void>((resolve) => {
      enoughRetries = resolve;
    });
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      if (++connections === 5) enoughRetries();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const { collector, stream } = open({ url: `tcp://127.0.0.1:${port}` });
    await retried;
    await collector.waitForStatus("disconnected");
    expect(collector.items).toEqual([
      {
        kind: "status",
        state: "disconnected",
        address: `tcp://127.0.0.1:${port}`,
        reason: expect.stringMatching(/failed the 0MQ handshake/),
      },
    ]);
    expect(stream.counts.refused["too-large"]).toBe(0);
  });
});

describe("ending a stream", () => {
  it("close() ends a pending iteration without error", async () => {
    const proxy = await forwarder();
    const { collector, stream } = await subscribed(proxy);
    await stream.close();
    await expect(collector.finished).resolves.toBeUndefined();
    await stream.close();
  });

  it("an AbortSignal ends it, also one aborted before the first item", async () => {
    const controller = new AbortController();
    const { collector } = open({ url: "tcp://127.0.0.1:1", signal: controller.signal });
    controller.abort();
    await expect(collector.finished).resolves.toBeUndefined();
    const aborted = openDocumentStream({ url: "tcp://127.0.0.1:1", signal: AbortSignal.abort() });
    const items: unknown[] = [];
    for await (const item of aborted) items.push(item);
    expect(items).toEqual([]);
  });

  it("breaking out of for-await closes the socket", async () => {
    const stream = openDocumentStream({ url: "tcp://127.0.0.1:*", bind: true });
    for await (const item of stream) {
      expect(item).toMatchObject({ kind: "status", state: "listening" });
      break;
    }
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it("refuses bad options with a reason", () => {
    expect(() => openDocumentStream({ url: "127.0.0.1:5578" })).toThrow(/not a 0MQ address/);
    expect(() => openDocumentStream({ url: "tcp://127.0.0.1:5578", prefix: "a b" })).toThrow(
      /space/,
    );
    expect(() => openDocumentStream({ url: "tcp://127.0.0.1:5578", maxFrameBytes: 0 })).toThrow(
      /maxFrameBytes/,
    );
    expect(() => openDocumentStream({ url: "tcp://127.0.0.1:5578", highWaterMark: 1.5 })).toThrow(
      /highWaterMark/,
    );
  });
});

/** The names and uids of zmq_publisher.py's `synthetic:1:EVENTS` run. */
function syntheticRun(events: number): NamedDocument[] {
  const docs: NamedDocument[] = [
    ["start", { uid: "synthetic-start-0" }],
    ["descriptor", { uid: "synthetic-descriptor-0" }],
  ];
  for (let seq = 1; seq <= events; seq++) docs.push(["event", { uid: `synthetic-event-0-${seq}` }]);
  docs.push(["stop", { uid: "synthetic-stop-0" }]);
  return docs;
}
