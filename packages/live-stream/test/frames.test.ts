/**
 * Frames as bluesky's Publisher makes them, produced by Python (python3-zmq's sibling packages
 * msgpack and msgpack-numpy, as a beamline has them) and decoded here.
 */
import { floatValue } from "@specx/documents";
import { python } from "@specx/test-support";
import { describe, expect, it } from "vitest";
import { decodeFrame, PICKLE_ADVICE, payloadFormat, splitFrame } from "../src/index.js";

/** Runs Python code that defines `frames` (a dict of label → bytes) and returns them. */
function pythonFrames(code: string): Record<string, Uint8Array> {
  const script = `
import base64, functools, json, pickle, sys
import msgpack, msgpack_numpy, numpy as np
packb = functools.partial(msgpack.packb, default=msgpack_numpy.encode)
def frame(prefix, name, payload):
    # bluesky.callbacks.zmq.Publisher.__call__
    return bytes(prefix) + b" " + name.encode() + b" " + payload
${code}
print(json.dumps({k: base64.b64encode(v).decode() for k, v in frames.items()}))
`;
  const encoded = JSON.parse(python(script)) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(encoded).map(([label, text]) => [
      label,
      new Uint8Array(Buffer.from(text, "base64")),
    ]),
  );
}

const frames = pythonFrames(`
event = {"uid": "e 1", "descriptor": "d 1", "seq_num": 3, "time": 1.5,
         "data": {"spectrum": np.array([1.5, 2.0, -0.25], dtype="<f8"), "det": np.float32(0.5),
                  "counts": np.int64(12345678901234), "image": np.arange(6, dtype=">i4").reshape(2, 3),
                  "flag": np.bool_(True), "name": "with  two spaces"},
         "timestamps": {"spectrum": 1.0}}
frames = {
    "msgpack": frame(b"", "event", packb(event | {"data": event["data"]})),
    "prefixed": frame(b"hutch-a", "start", packb({"uid": "s", "time": 2.0, "scan_id": 7})),
    "bytes-prefix": frame(b"\\xff\\xfe", "stop", packb({"uid": "x"})),
    "bytes-keys": frame(b"", "start", packb({b"uid": "s", b"time": 1.0, "hints": {b"dimensions": []}})),
    "json": frame(b"", "start", json.dumps({"uid": "s", "nan": float("nan"), "big": 12345678901234567890, "one": 1.0}).encode()),
    "pickle": frame(b"", "start", pickle.dumps({"uid": "s", "time": 1.0})),
    "pickle-0": frame(b"", "start", pickle.dumps({"uid": "s"}, protocol=0)),
    "empty-map": frame(b"", "start", packb({})),
    "truncated": frame(b"", "start", packb({"uid": "s", "time": 1.0})[:-3]),
    "garbage": frame(b"", "event", b"\\xc1\\xc1\\xc1"),
    "no-spaces": b"nospacesatall",
    "one-space": b" event",
    "array": frame(b"", "event", packb([1, 2, 3])),
    "unknown-name": frame(b"", "RunStart", packb({"uid": "s"})),
    "bad-utf8-name": b" st\\xffrt " + packb({}),
    "json-array": frame(b"", "event", json.dumps([1, 2]).encode()),
    "bad-json": frame(b"", "event", b'{"uid": '),
}
`);

function get(label: string): Uint8Array {
  const bytes = frames[label];
  if (bytes === undefined) throw new Error(`no frame ${label}`);
  return bytes;
}

describe("splitFrame", () => {
  it("splits at the first two spaces, as frame.split(b' ', 2)", () => {
    const parts = splitFrame(get("prefixed"));
    expect(Buffer.from(parts?.prefix ?? []).toString()).toBe("hutch-a");
    expect(Buffer.from(parts?.name ?? []).toString()).toBe("start");
    expect(parts?.payload[0]).toBe(0x83);
    expect(splitFrame(get("no-spaces"))).toBeUndefined();
    expect(splitFrame(get("one-space"))).toBeUndefined();
  });
});

describe("decodeFrame", () => {
  it("decodes msgpack with msgpack-numpy arrays and scalars (bytes keys)", () => {
    const item = decodeFrame(get("msgpack"));
    expect(item).toMatchObject({ kind: "document", name: "event", prefix: "", format: "msgpack" });
    if (item.kind !== "document") return;
    expect(item.bytes).toBe(get("msgpack").length);
    expect(item.doc.uid).toBe("e 1");
    expect(item.doc.data).toEqual({
      spectrum: [1.5, floatValue(2), -0.25],
      det: 0.5,
      counts: 12345678901234,
      image: [
        [0, 1, 2],
        [3, 4, 5],
      ],
      flag: true,
      name: "with  two spaces",
    });
  });

  it("keeps the prefix, as text, also when it is not UTF-8", () => {
    expect(decodeFrame(get("prefixed"))).toMatchObject({
      kind: "document",
      name: "start",
      prefix: "hutch-a",
      doc: { uid: "s", time: floatValue(2), scan_id: 7 },
    });
    expect(decodeFrame(get("bytes-prefix"))).toMatchObject({
      kind: "document",
      prefix: "\u00ff\u00fe",
    });
  });

  it("reads bytes map keys (Python dicts keyed by bytes) as text", () => {
    expect(decodeFrame(get("bytes-keys"))).toMatchObject({
      kind: "document",
      doc: { uid: "s", time: floatValue(1), hints: { dimensions: [] } },
    });
  });

  it("decodes JSON as Python's json wrote it (NaN, big ints, integral floats)", () => {
    const item = decodeFrame(get("json"));
    expect(item).toMatchObject({ kind: "document", name: "start", format: "json" });
    if (item.kind !== "document") return;
    expect(item.doc.nan).toBeNaN();
    expect(item.doc.big).toBe(12345678901234567890n);
    expect(item.doc.one).toEqual(floatValue(1));
  });

  it("refuses pickle (protocol 2 and later) with the two lines that configure the Publisher", () => {
    const item = decodeFrame(get("pickle"));
    expect(item).toMatchObject({ kind: "refused", code: "pickle", reason: PICKLE_ADVICE });
    expect(PICKLE_ADVICE).toContain(
      "Publisher(address, serializer=functools.partial(msgpack.packb, default=msgpack_numpy.encode))",
    );
    // Protocol 0 has no 0x80 opcode: it is refused too, as a payload that does not decode.
    expect(decodeFrame(get("pickle-0"))).toMatchObject({ kind: "refused", code: "malformed" });
  });

  it("reads a lone 0x80 as msgpack's empty map, not pickle", () => {
    expect(payloadFormat(new Uint8Array([0x80]))).toBe("msgpack");
    expect(decodeFrame(get("empty-map"))).toMatchObject({ kind: "document", doc: {} });
  });

  it.each([
    ["truncated", "malformed", /truncated input/],
    ["garbage", "malformed", /invalid type byte 0xc1/],
    ["no-spaces", "malformed", /not a bluesky frame/],
    ["one-space", "malformed", /not a bluesky frame/],
    ["bad-utf8-name", "malformed", /not UTF-8/],
    ["bad-json", "malformed", /JSON payload does not decode/],
    ["array", "wrong-shape", /an array of 3 items, not a document/],
    ["json-array", "wrong-shape", /an array of 2 items, not a document/],
    ["unknown-name", "wrong-shape", /"RunStart" is not an event-model document name/],
  ])("refuses %s as %s, with its reason", (label, code, reason) => {
    const item = decodeFrame(get(label));
    expect(item).toMatchObject({ kind: "refused", code, bytes: get(label).length });
    if (item.kind === "refused") expect(item.reason).toMatch(reason);
  });

  it("never throws on any byte string", () => {
    const whole = get("msgpack");
    for (let cut = 0; cut <= whole.length; cut++) {
      const item = decodeFrame(whole.subarray(0, cut));
      expect(["document", "refused"]).toContain(item.kind);
      if (cut < whole.length) expect(item.kind).toBe("refused");
    }
  });
});
