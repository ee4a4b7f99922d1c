#!/usr/bin/env python3
"""Check suitcase-jsonl and suitcase-msgpack files the way databroker 1.x reads them.

Usage: databroker_check.py --schemas DIR FILE...

DIR holds the 12 event-model schema files (run_start.json, event.json, ...). Each FILE is a
``<start uid>.jsonl`` or ``<start uid>.msgpack`` file holding one run. The script reads it as
databroker's BlueskyJSONLCatalog / BlueskyMsgpackCatalog do (databroker/_drivers/jsonl.py and
msgpack.py of databroker 1.2.5), then checks:

* the first document is the start and the file is named ``<start uid>.<ext>``;
* the stop is where databroker looks for it (the last line of a .jsonl file; the last object
  of a .msgpack file), and nothing follows it;
* a .msgpack file holds only what suitcase-msgpack writes: start, descriptor, event_page,
  datum_page, resource, stop;
* every document, and every event and datum unpacked from a page, validates against its
  schema with jsonschema's Draft202012Validator, with tuples and numpy arrays counting as
  arrays (as event_model does);
* no int in a float column: a Python int (or int numpy value) in event or configuration data
  whose DataKey has dtype "number" (or "array" with a float dtype_numpy) is an error, the
  int/float trap that gives the column an int dtype in pandas/xarray;
* seq_num, scan_id and num_events are ints, and stop.num_events matches the events read.

It prints one JSON report to stdout:
  {"files": [{"path", "documents": {name: count}, "events": {stream: count}, "errors": [...]}],
   "ok": bool}
and exits 0 when every file is ok, 1 when one is not, 2 for a usage error or a missing module.

Needs Python 3 with the Debian packages python3-msgpack, python3-msgpack-numpy (which brings
python3-numpy) and python3-jsonschema.
"""

import argparse
import importlib
import json
import os
import sys
from collections import Counter

# (module, Debian package)
DEPENDENCIES = [
    ("numpy", "python3-numpy"),
    ("msgpack", "python3-msgpack"),
    ("msgpack_numpy", "python3-msgpack-numpy"),
    ("jsonschema", "python3-jsonschema"),
]

SCHEMA_NAMES = [
    "run_start", "event_descriptor", "event", "event_page", "run_stop", "resource",
    "datum", "datum_page", "stream_resource", "stream_datum", "bulk_events", "bulk_datum",
]

SCHEMA_OF = {
    "start": "run_start", "descriptor": "event_descriptor", "event": "event",
    "event_page": "event_page", "stop": "run_stop", "resource": "resource", "datum": "datum",
    "datum_page": "datum_page", "stream_resource": "stream_resource",
    "stream_datum": "stream_datum", "bulk_events": "bulk_events", "bulk_datum": "bulk_datum",
}

# What suitcase-msgpack writes.
MSGPACK_NAMES = {"start", "descriptor", "event_page", "datum_page", "resource", "stop"}

MAX_ERRORS_PER_FILE = 100
MAX_MESSAGE = 400


def import_dependencies():
    modules = {}
    missing = []
    for module, package in DEPENDENCIES:
        try:
            modules[module] = importlib.import_module(module)
        except ImportError:
            missing.append((module, package))
    if missing:
        names = ", ".join(module for module, _ in missing)
        packages = " ".join(package for _, package in missing)
        sys.stderr.write(
            f"databroker_check.py: missing Python module(s) {names} for {sys.executable}; "
            f"install the Debian package(s): apt-get install -y {packages}\n"
        )
        sys.exit(2)
    return modules


MODULES = import_dependencies()
numpy = MODULES["numpy"]
msgpack = MODULES["msgpack"]
msgpack_numpy = MODULES["msgpack_numpy"]
jsonschema = MODULES["jsonschema"]

# databroker/_drivers/msgpack.py
UNPACK_OPTIONS = dict(object_hook=msgpack_numpy.decode, raw=False, max_buffer_size=1_000_000_000)


def make_validators(directory):
    base = jsonschema.Draft202012Validator

    def is_array(checker, instance):
        return base.TYPE_CHECKER.is_type(instance, "array") or isinstance(
            instance, (tuple, numpy.ndarray)
        )

    validator_class = jsonschema.validators.extend(
        base, type_checker=base.TYPE_CHECKER.redefine("array", is_array)
    )
    validators = {}
    for name in SCHEMA_NAMES:
        path = os.path.join(directory, f"{name}.json")
        with open(path, encoding="utf-8") as file:
            validators[name] = validator_class(json.load(file))
    return validators


# --- reading, as databroker 1.x does ------------------------------------------------------


def jsonl_last_line(path):
    """databroker.core.tail(path) for n=1: the last line of the file, rstripped."""
    with open(path, "r", newline=None) as file:
        lines = file.readlines()
        newlines = file.newlines
    if not lines:
        return None
    if not isinstance(newlines, str):
        raise ValueError("multiple newline types found (databroker's tail() refuses the file)")
    return lines[-1].rstrip()


def read_jsonl(path, errors):
    # BlueskyJSONLCatalog._load: the first line is the start.
    with open(path, "r") as file:
        name, start_doc = json.loads(file.readline())
    if name != "start":
        errors.append(f"the first line is a {name!r}, not the start")
    # get_stop: the last line, if its name is 'stop'.
    stop_doc = None
    last_line = jsonl_last_line(path)
    if last_line:
        try:
            last_name, last_doc = json.loads(last_line)
        except json.JSONDecodeError:
            pass
        else:
            if last_name == "stop":
                stop_doc = last_doc
    if stop_doc is None:
        errors.append("the last line is not a stop: databroker sees no stop document")
    # gen(): every line as `name, doc = json.loads(line)`.
    documents = []
    with open(path, "r") as file:
        for line in file:
            name, doc = json.loads(line)
            documents.append((name, doc))
    return start_doc, stop_doc, documents


def read_msgpack(path, errors):
    # BlueskyMsgpackCatalog._load: the first object is the start.
    with open(path, "rb") as file:
        unpacker = msgpack.Unpacker(file, **UNPACK_OPTIONS)
        name, start_doc = next(unpacker)
    if name != "start":
        errors.append(f"the first object is a {name!r}, not the start")
    # get_stop: the first object named 'stop'.
    stop_doc = None
    with open(path, "rb") as file:
        for name, doc in msgpack.Unpacker(file, **UNPACK_OPTIONS):
            if name == "stop":
                stop_doc = doc
                break
    if stop_doc is None:
        errors.append("no stop object: databroker sees no stop document")
    # gen()
    with open(path, "rb") as file:
        documents = [(name, doc) for name, doc in msgpack.Unpacker(file, **UNPACK_OPTIONS)]
    return start_doc, stop_doc, documents


# --- pages ---------------------------------------------------------------------------------


def transpose_dict_of_lists(columns):
    keys = list(columns)
    return [dict(zip(keys, row)) for row in zip(*(columns[key] for key in keys))]


def unpack_event_page(page):
    """Like event_model.unpack_event_page."""
    rows = len(page["uid"])
    data = transpose_dict_of_lists(page["data"]) if page["data"] else [{}] * rows
    timestamps = transpose_dict_of_lists(page["timestamps"]) if page["timestamps"] else [{}] * rows
    filled = transpose_dict_of_lists(page.get("filled") or {}) or [{}] * rows
    for index in range(rows):
        yield {
            "descriptor": page["descriptor"],
            "uid": page["uid"][index],
            "time": page["time"][index],
            "seq_num": page["seq_num"][index],
            "data": data[index],
            "timestamps": timestamps[index],
            "filled": filled[index],
        }


def unpack_datum_page(page):
    """Like event_model.unpack_datum_page."""
    rows = len(page["datum_id"])
    kwargs = transpose_dict_of_lists(page["datum_kwargs"]) if page["datum_kwargs"] else [{}] * rows
    for index in range(rows):
        yield {
            "datum_id": page["datum_id"][index],
            "datum_kwargs": kwargs[index],
            "resource": page["resource"],
        }


# --- checks --------------------------------------------------------------------------------


def is_python_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def holds_int(value):
    """True when a float column's value holds an int anywhere."""
    if isinstance(value, (bool, numpy.bool_)):
        return False
    if is_python_int(value) or isinstance(value, numpy.integer):
        return True
    if isinstance(value, numpy.ndarray):
        return value.dtype.kind in "iu"
    if isinstance(value, (list, tuple)):
        return any(holds_int(item) for item in value)
    return False


def float_columns(data_keys):
    columns = set()
    for key, data_key in (data_keys or {}).items():
        if not isinstance(data_key, dict) or data_key.get("external"):
            continue
        dtype_numpy = data_key.get("dtype_numpy")
        float_array = (
            data_key.get("dtype") == "array"
            and isinstance(dtype_numpy, str)
            and dtype_numpy.lstrip("<>|=")[:1] == "f"
        )
        if data_key.get("dtype") == "number" or float_array:
            columns.add(key)
    return columns


def short(text):
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


class FileCheck:
    def __init__(self, path, validators):
        self.path = path
        self.validators = validators
        self.errors = []
        self.documents = Counter()
        self.events = Counter()
        self.descriptors = {}

    def error(self, message):
        self.errors.append(short(message))

    def validate(self, where, name, doc):
        schema = SCHEMA_OF.get(name)
        if schema is None:
            self.error(f"{where}: unknown document name {name!r}")
            return
        for error in self.validators[schema].iter_errors(doc):
            location = "/" + "/".join(str(part) for part in error.absolute_path)
            self.error(f"{where}: schema {schema}: {location}: {error.message}")

    def run(self):
        extension = os.path.splitext(self.path)[1]
        try:
            if extension == ".jsonl":
                start, stop, documents = read_jsonl(self.path, self.errors)
            elif extension == ".msgpack":
                start, stop, documents = read_msgpack(self.path, self.errors)
            else:
                self.error(f"unknown file type {extension!r} (expected .jsonl or .msgpack)")
                return
        except Exception as error:  # noqa: BLE001 - report whatever databroker would hit
            self.error(f"cannot read the file as databroker does: {type(error).__name__}: {error}")
            return
        if isinstance(start, dict):
            expected = f"{start.get('uid')}{extension}"
            if os.path.basename(self.path) != expected:
                self.error(f"the file name is {os.path.basename(self.path)!r}, expected {expected!r}")
        if documents and documents[-1][0] != "stop":
            self.error(f"the last document is a {documents[-1][0]!r}, not the stop")
        if sum(1 for name, _ in documents if name == "start") != 1:
            self.error("a file must hold exactly one start")
        for index, (name, doc) in enumerate(documents):
            self.document(index, name, doc, extension)
        if isinstance(stop, dict):
            self.check_num_events(stop)

    def document(self, index, name, doc, extension):
        where = f"document {index} ({name})"
        self.documents[name] += 1
        if extension == ".msgpack" and name not in MSGPACK_NAMES:
            self.error(f"{where}: suitcase-msgpack writes no {name!r} documents")
        if not isinstance(doc, dict):
            self.error(f"{where}: the document is a {type(doc).__name__}, not a dict")
            return
        self.validate(where, name, doc)
        if name == "start":
            scan_id = doc.get("scan_id")
            if scan_id is not None and not is_python_int(scan_id):
                self.error(f"{where}: scan_id is the {type(scan_id).__name__} {scan_id!r}, not an int")
        elif name == "descriptor":
            self.descriptor(where, doc)
        elif name == "event":
            self.event(where, doc)
        elif name == "event_page":
            try:
                events = list(unpack_event_page(doc))
            except (KeyError, TypeError) as error:
                self.error(f"{where}: cannot unpack: {type(error).__name__}: {error}")
                return
            for row, event in enumerate(events):
                self.validate(f"{where} row {row}", "event", event)
                self.event(f"{where} row {row}", event)
        elif name == "datum_page":
            try:
                datums = list(unpack_datum_page(doc))
            except (KeyError, TypeError) as error:
                self.error(f"{where}: cannot unpack: {type(error).__name__}: {error}")
                return
            for row, datum in enumerate(datums):
                self.validate(f"{where} row {row}", "datum", datum)
        elif name == "stop":
            for stream, count in (doc.get("num_events") or {}).items():
                if not is_python_int(count):
                    self.error(f"{where}: num_events[{stream!r}] is the {type(count).__name__} {count!r}, not an int")

    def descriptor(self, where, doc):
        self.descriptors[doc.get("uid")] = (doc.get("name"), float_columns(doc.get("data_keys")))
        for object_name, config in (doc.get("configuration") or {}).items():
            if not isinstance(config, dict):
                continue
            columns = float_columns(config.get("data_keys"))
            for key, value in (config.get("data") or {}).items():
                if key in columns and holds_int(value):
                    self.error(
                        f"{where}: configuration[{object_name!r}].data[{key!r}] holds the int "
                        f"{value!r} in a float column (int/float trap)"
                    )

    def event(self, where, event):
        stream, columns = self.descriptors.get(event.get("descriptor"), (None, set()))
        self.events[stream if isinstance(stream, str) else ""] += 1
        seq_num = event.get("seq_num")
        if not is_python_int(seq_num):
            self.error(f"{where}: seq_num is the {type(seq_num).__name__} {seq_num!r}, not an int")
        for key, value in (event.get("data") or {}).items():
            if key in columns and holds_int(value):
                self.error(
                    f"{where}: data[{key!r}] of stream {stream!r} holds the int {value!r} in a "
                    "float column (int/float trap)"
                )

    def check_num_events(self, stop):
        num_events = stop.get("num_events")
        if not isinstance(num_events, dict):
            return
        for stream, count in num_events.items():
            if count != self.events.get(stream, 0):
                self.error(
                    f"stop.num_events[{stream!r}] is {count!r}, but the file holds "
                    f"{self.events.get(stream, 0)} events of that stream"
                )

    def report(self):
        errors = self.errors
        if len(errors) > MAX_ERRORS_PER_FILE:
            errors = errors[:MAX_ERRORS_PER_FILE] + [f"... and {len(errors) - MAX_ERRORS_PER_FILE} more"]
        return {
            "path": self.path,
            "documents": dict(self.documents),
            "events": dict(self.events),
            "errors": errors,
        }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Check suitcase-jsonl / suitcase-msgpack files as databroker 1.x reads them."
    )
    parser.add_argument("--schemas", required=True, help="directory of the event-model schemas")
    parser.add_argument("files", nargs="*", help="<start uid>.jsonl or .msgpack files")
    args = parser.parse_args(argv)
    try:
        validators = make_validators(args.schemas)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"databroker_check.py: cannot load the schemas from {args.schemas}: {error}\n")
        return 2
    files = []
    for path in args.files:
        check = FileCheck(path, validators)
        check.run()
        files.append(check.report())
    ok = all(not file["errors"] for file in files)
    json.dump({"files": files, "ok": ok}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
