#!/usr/bin/env python3
"""A 0MQ forwarder exactly as ``bluesky-0MQ-proxy IN OUT`` runs it, on 127.0.0.1 only.

Usage: zmq_forwarder.py [--in-port N] [--out-port N]

bluesky's proxy (bluesky/callbacks/zmq.py ``Proxy``, started by bluesky/commandline/
zmq_proxy.py) binds a SUB socket on the in port, subscribed to everything, and a PUB socket on
the out port, and joins them with ``zmq.device(zmq.FORWARDER, ...)``. A port of 0 (the default)
takes a free one. Once both are bound it prints one JSON line, {"in": port, "out": port}, and
forwards until it is killed.
"""
import argparse
import json
import sys

import zmq


def bind(socket, port):
    if port == 0:
        return socket.bind_to_random_port("tcp://127.0.0.1")
    socket.bind("tcp://127.0.0.1:%d" % port)
    return port


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-port", type=int, default=0)
    parser.add_argument("--out-port", type=int, default=0)
    args = parser.parse_args()
    context = zmq.Context(1)
    frontend = context.socket(zmq.SUB)
    in_port = bind(frontend, args.in_port)
    frontend.setsockopt_string(zmq.SUBSCRIBE, "")
    backend = context.socket(zmq.PUB)
    out_port = bind(backend, args.out_port)
    print(json.dumps({"in": in_port, "out": out_port}))
    sys.stdout.flush()
    zmq.device(zmq.FORWARDER, frontend, backend)


if __name__ == "__main__":
    main()
