#!/usr/bin/env python3
"""Send bluesky documents over 0MQ exactly as bluesky's ``Publisher`` frames them.

Usage: zmq_publisher.py --address tcp://127.0.0.1:PORT [--bind] [--prefix P]
           [--serializer msgpack|json|pickle] [--rate DOCS_PER_S] [--join-wait S]
           [--send-hwm N] ACTION...

bluesky's ``Publisher`` (bluesky/callbacks/zmq.py) owns a PUB socket that connects to the
proxy's in port and sends one frame per document:
``prefix + b" " + name.encode() + b" " + serializer(doc)``. This script does the same with the
serializers a beamline would pass: ``msgpack`` is
``functools.partial(msgpack.packb, default=msgpack_numpy.encode)``, ``json`` is
``json.dumps(doc).encode()``, ``pickle`` is ``pickle.dumps`` (bluesky's default).

ACTIONs run in order:
  stream:PATH          every [name, doc] of a document file (.json, .json.gz, .jsonl, .msgpack)
  synthetic:RUNS:EVENTS  RUNS runs of one scalar detector, EVENTS events each
  numpy                one run whose event data holds numpy arrays and numpy scalars
  serializer:NAME      switch the serializer for the following actions
  prefix:P             switch the prefix ("prefix:" for none)
  garbage              a frame whose payload is not msgpack (type byte 0xc1)
  no-spaces            a frame with no spaces at all
  truncated            a msgpack start document cut in half
  wrong-shape          a msgpack array where the document should be, and an unknown name
  huge:BYTES           one frame of BYTES bytes (an event whose payload is a msgpack bin)
  sleep:SECONDS        pause

--rate paces documents (not the faults) on an absolute schedule; 0 sends as fast as Python
can. --join-wait sleeps after connecting so that the PUB/SUB join completes before the first
frame (0MQ drops what a PUB sends before its peer subscribed). Binds and connects only to what
--address names (use 127.0.0.1). Prints one JSON line at the end:
{"frames", "documents", "bytes", "seconds"}.
"""
import argparse
import functools
import gzip
import json
import pickle
import sys
import time

import msgpack
import msgpack_numpy
import numpy as np
import zmq

SERIALIZERS = {
    "msgpack": functools.partial(msgpack.packb, default=msgpack_numpy.encode),
    "json": lambda doc: json.dumps(doc).encode(),
    "pickle": pickle.dumps,
}


def read_stream(path):
    """The [name, doc] pairs of a document file, in file order."""
    opener = gzip.open if path.endswith(".gz") else open
    plain = path[:-3] if path.endswith(".gz") else path
    with opener(path, "rb") as handle:
        data = handle.read()
    if plain.endswith(".msgpack"):
        unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
        unpacker.feed(data)
        items = list(unpacker)
    elif plain.endswith(".jsonl"):
        items = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
    else:
        items = json.loads(data.decode())
    for item in items:
        if isinstance(item, dict):
            yield item["name"], item["doc"]
        else:
            name, doc = item
            yield name, doc


def synthetic_runs(runs, events):
    """RUNS runs of EVENTS events of one float detector and one motor."""
    for run in range(runs):
        start_uid = "synthetic-start-%d" % run
        descriptor_uid = "synthetic-descriptor-%d" % run
        now = 1_700_000_000.0 + run * 1000
        yield "start", {
            "uid": start_uid, "time": now, "scan_id": run + 1, "plan_name": "scan",
            "detectors": ["det"], "motors": ["motor"], "num_points": events,
            "hints": {"dimensions": [[["motor"], "primary"]]},
        }
        yield "descriptor", {
            "uid": descriptor_uid, "run_start": start_uid, "time": now, "name": "primary",
            "data_keys": {
                "motor": {"source": "SIM:motor", "dtype": "number", "shape": [], "precision": 3},
                "det": {"source": "SIM:det", "dtype": "number", "shape": []},
            },
            "object_keys": {"motor": ["motor"], "det": ["det"]},
            "configuration": {}, "hints": {"det": {"fields": ["det"]}},
        }
        for seq in range(1, events + 1):
            t = now + seq * 0.01
            yield "event", {
                "uid": "synthetic-event-%d-%d" % (run, seq), "descriptor": descriptor_uid,
                "time": t, "seq_num": seq,
                "data": {"motor": seq * 0.1, "det": float((seq * 7919) % 1000)},
                "timestamps": {"motor": t, "det": t}, "filled": {},
            }
        yield "stop", {
            "uid": "synthetic-stop-%d" % run, "run_start": start_uid, "time": now + events,
            "exit_status": "success", "reason": "", "num_events": {"primary": events},
        }


def numpy_run():
    """One run whose event data holds a numpy array and numpy scalars (msgpack-numpy maps)."""
    yield "start", {"uid": "numpy-start", "time": 1_700_000_000.5, "scan_id": 1, "plan_name": "count"}
    yield "descriptor", {
        "uid": "numpy-descriptor", "run_start": "numpy-start", "time": 1_700_000_001.0,
        "name": "primary",
        "data_keys": {
            "spectrum": {"source": "SIM:mca", "dtype": "array", "shape": [4]},
            "det": {"source": "SIM:det", "dtype": "number", "shape": []},
            "counts": {"source": "SIM:counts", "dtype": "integer", "shape": []},
        },
        "configuration": {},
    }
    yield "event", {
        "uid": "numpy-event-1", "descriptor": "numpy-descriptor", "time": 1_700_000_002.0,
        "seq_num": 1,
        "data": {
            "spectrum": np.array([1.5, 2.0, -0.25, 1e300]),
            "det": np.float32(0.5),
            "counts": np.int64(12345678901234),
        },
        "timestamps": {"spectrum": 1_700_000_002.0, "det": 1_700_000_002.0, "counts": 1_700_000_002.0},
    }
    yield "stop", {"uid": "numpy-stop", "run_start": "numpy-start", "time": 1_700_000_003.0,
                   "exit_status": "success", "num_events": {"primary": 1}}


class Sender:
    def __init__(self, socket, prefix, serializer, rate):
        self.socket = socket
        self.prefix = prefix
        self.serializer = serializer
        self.rate = rate
        self.frames = 0
        self.documents = 0
        self.bytes = 0
        self.begun = time.perf_counter()

    def raw(self, frame):
        self.socket.send(frame)
        self.frames += 1
        self.bytes += len(frame)

    def head(self, name):
        return self.prefix + b" " + name.encode() + b" "

    def document(self, name, doc):
        if self.rate > 0:
            due = self.begun + self.documents / self.rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        # As bluesky's Publisher.__call__: prefix, name and the serialized document.
        self.raw(self.head(name) + SERIALIZERS[self.serializer](doc))
        self.documents += 1


def run_action(sender, action):
    kind, _, argument = action.partition(":")
    if kind == "stream":
        for name, doc in read_stream(argument):
            sender.document(name, doc)
    elif kind == "synthetic":
        runs, events = (int(part) for part in argument.split(":"))
        for name, doc in synthetic_runs(runs, events):
            sender.document(name, doc)
    elif kind == "numpy":
        for name, doc in numpy_run():
            sender.document(name, doc)
    elif kind == "serializer":
        if argument not in SERIALIZERS:
            raise SystemExit("unknown serializer %r" % argument)
        sender.serializer = argument
    elif kind == "prefix":
        sender.prefix = argument.encode()
    elif kind == "garbage":
        sender.raw(sender.head("event") + b"\xc1 not msgpack")
    elif kind == "no-spaces":
        sender.raw(b"garbage-without-any-space")
    elif kind == "truncated":
        packed = SERIALIZERS["msgpack"]({"uid": "truncated", "time": 1.0, "plan_name": "count", "scan_id": 1})
        sender.raw(sender.head("start") + packed[: len(packed) // 2])
    elif kind == "wrong-shape":
        sender.raw(sender.head("event") + SERIALIZERS["msgpack"]([1, 2, 3]))
        sender.raw(sender.head("not_a_document") + SERIALIZERS["msgpack"]({"uid": "x"}))
    elif kind == "huge":
        size = int(argument)
        head = sender.head("event")
        body = size - len(head) - 5
        sender.raw(head + b"\xc6" + body.to_bytes(4, "big") + bytes(body))
    elif kind == "sleep":
        time.sleep(float(argument))
    else:
        raise SystemExit("unknown action %r" % action)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", required=True)
    parser.add_argument("--bind", action="store_true", help="bind instead of connecting")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--serializer", default="msgpack", choices=sorted(SERIALIZERS))
    parser.add_argument("--rate", type=float, default=0.0, help="documents per second, 0: unpaced")
    parser.add_argument("--join-wait", type=float, default=1.0)
    parser.add_argument("--send-hwm", type=int, default=1000, help="ZMQ_SNDHWM (0MQ's default 1000)")
    parser.add_argument("actions", nargs="*")
    args = parser.parse_args()

    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.SNDHWM, args.send_hwm)
    socket.setsockopt(zmq.LINGER, 5000)
    if args.bind:
        socket.bind(args.address)
    else:
        socket.connect(args.address)
    time.sleep(args.join_wait)
    sender = Sender(socket, args.prefix.encode(), args.serializer, args.rate)
    for action in args.actions:
        run_action(sender, action)
    seconds = time.perf_counter() - sender.begun
    socket.close()
    context.term()
    print(json.dumps({"frames": sender.frames, "documents": sender.documents,
                      "bytes": sender.bytes, "seconds": round(seconds, 3)}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
