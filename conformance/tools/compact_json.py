"""Rewrites expected JSON files with scalar-only arrays on one line (smaller diffs, same data).

Usage: python3 conformance/tools/compact_json.py FILE.json...
"""
import json
import sys


def dump(value, indent=0):
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f'{pad} {json.dumps(k)}: {dump(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return json.dumps(value, ensure_ascii=False, allow_nan=False)
        if all(isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v) for v in value):
            return "[" + ", ".join(json.dumps(v, ensure_ascii=False, allow_nan=False) for v in value) + "]"
        items = [pad + " " + dump(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        with open(path, "w", encoding="utf-8") as f:
            f.write(dump(data) + "\n")
