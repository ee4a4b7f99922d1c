#!/usr/bin/env python3
"""Independent conformance oracle for SPEC data files.

Reads one SPEC data file and prints (to stdout, or to --out) the JSON
"expected" document used by the specx conformance suite:

    python3 conformance/tools/oracle.py ../shared/spec-corpus/CdOsO \
        > conformance/expected/CdOsO.json

It is deliberately small, written from the rules in docs/spec-format.md
(sections 1-8 and 11) and shares no code with the TypeScript parser. It uses
the Python standard library only (Python >= 3.9).

Rules implemented (see docs/spec-format.md for the reasoning):

* Lines: split on LF, CRLF or CR; the last line counts without a final EOL.
  Each line is decoded as UTF-8, falling back to Latin-1. A leading BOM is
  dropped. Line numbers are 1-based physical lines.
* Blocks: `#F` always starts a header block. `#E` starts a header block unless
  the current block is a header begun by `#F` that has no `#E` yet. `#S`
  followed by whitespace, a digit or end of line starts a scan. A block ends
  at the next block start. Lines before the first block are a preamble.
* Scan key "<number>.<m>", m = 1-based occurrence count of that number.
* `#L`, `#O`: TAB -> two spaces, split on runs of >= 2 spaces, with the
  single-space fallback of docs/spec-format.md §6.
* Data rows, wrapped rows (`#N N M`), MCA spectra (`@A`, `@A<n>` with `\`
  continuation), broken last rows with a glued `#C` (docs/spec-format.md §2.2).
* Positioners: `#O<n>` row n paired with `#P<n>` row n; names come from the
  scan's own `#O` lines, else the governing header, else the most recent
  earlier header that has `#O` lines.
* `#MD key = value` parsed with ast.literal_eval, raw text on failure.
"""

import argparse

import compact_json  # same directory: the committed formatting of expected files
import ast
import json
import math
import re
import sys
from collections import Counter

SOURCE = ("derived by conformance/tools/oracle.py from the file text; "
          "checked against notes/spec-format.md §11")

# --------------------------------------------------------------------------
# Line-level patterns
# --------------------------------------------------------------------------
RE_F = re.compile(r"^#F(?:\s|$)")
RE_E = re.compile(r"^#E(?:\s|$)")
RE_S = re.compile(r"^#S(?=\s|\d|$)")      # `#S1` counts, `#SAMPLE` does not
RE_L = re.compile(r"^#L(?:\s|$)")
RE_N = re.compile(r"^#N(?:\s|$)")
RE_O = re.compile(r"^#O(\d+)(.*)$")      # motor names, row n
RE_P = re.compile(r"^#P(\d+)(.*)$")      # motor positions, row n
RE_MD = re.compile(r"^#MD(?:\s|$)")
RE_C = re.compile(r"^#C(?:\s|$)")
RE_MCA_START = re.compile(r"^@A(\d*)(?=\s|$)")
RE_ABORT = re.compile(r"Scan aborted after (\d+) points\.")

# Number tokens (Python's float() is too lenient: it accepts "1_0", " 1").
RE_INT = re.compile(r"^[+-]?\d+$")
RE_FLOAT = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
RE_FORTRAN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[dD][+-]?\d+$")
NAN_WORDS = {"nan", "+nan", "-nan"}
POS_INF_WORDS = {"inf", "+inf", "infinity", "+infinity"}
NEG_INF_WORDS = {"-inf", "-infinity"}


def read_lines(path):
    """Return the physical lines of a file, without their line endings."""
    with open(path, "rb") as fh:
        raw = fh.read()
    parts = re.split(rb"\r\n|\r|\n", raw)
    if parts and parts[-1] == b"":
        parts.pop()                      # text ended with an EOL
    lines = []
    for part in parts:
        try:
            lines.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(part.decode("latin-1"))
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return lines


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------
def json_number(x):
    """Make a float JSON-safe: NaN / +-Infinity become strings."""
    if isinstance(x, float):
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
    return x


def to_value(token):
    """Convert one data/position token as in docs/spec-format.md §5.2."""
    low = token.lower()
    if RE_INT.match(token):
        return int(token)
    if RE_FLOAT.match(token):
        return json_number(float(token))
    if RE_FORTRAN.match(token):
        return json_number(float(re.sub("[dD]", "e", token)))
    if low in NAN_WORDS:
        return "NaN"
    if low in POS_INF_WORDS:
        return "Infinity"
    if low in NEG_INF_WORDS:
        return "-Infinity"
    return "NaN"                          # None and anything else


def jsonable(obj):
    """Convert a literal_eval result to JSON-compatible data, or raise."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return json_number(obj)
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        items = [jsonable(v) for v in obj]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(obj, dict):
        return {(k if isinstance(k, str) else str(k)): jsonable(v)
                for k, v in obj.items()}
    raise ValueError("not representable in JSON: %r" % type(obj))


def md_value(text):
    """Parse a `#MD` value: a Python literal, else the raw text."""
    try:
        return jsonable(ast.literal_eval(text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


# --------------------------------------------------------------------------
# Name splitting (docs/spec-format.md §6)
# --------------------------------------------------------------------------
def split_names(text):
    """TAB counts as two spaces; split on runs of >= 2 spaces; drop empties."""
    parts = re.split(r" {2,}", text.replace("\t", "  "))
    return [p.strip() for p in parts if p.strip()]


def single_space_candidate(names):
    """The single-space split of a one-token name list, else None."""
    if len(names) == 1 and re.search(r"\s", names[0]):
        return names[0].split()
    return None


# --------------------------------------------------------------------------
# Block structure (docs/spec-format.md §2.1)
# --------------------------------------------------------------------------
def find_blocks(lines):
    """Return a list of blocks: dict(kind, start, end, startsWith).

    start/end are 0-based line indexes, end exclusive. Lines before the first
    block (the preamble) belong to no block.
    """
    blocks = []
    cur = None
    for i, line in enumerate(lines):
        start = None
        if RE_F.match(line):
            start = ("header", "#F")
        elif RE_E.match(line):
            joins_current = (cur is not None and cur["kind"] == "header"
                             and cur["startsWith"] == "#F"
                             and not cur["hasE"])
            if joins_current:
                cur["hasE"] = True
            else:
                start = ("header", "#E")
        elif RE_S.match(line):
            start = ("scan", "#S")
        if start is None:
            continue
        if cur is not None:
            cur["end"] = i
        cur = {"kind": start[0], "startsWith": start[1], "start": i,
               "end": len(lines), "hasE": start[1] == "#E"}
        blocks.append(cur)
    return blocks


def header_info(lines, block):
    """Epoch and `#O` rows of one header block."""
    epoch = None
    o_rows = {}
    for line in lines[block["start"]:block["end"]]:
        if RE_E.match(line) and epoch is None:
            tokens = line[2:].split()
            if tokens:
                value = to_value(tokens[0])
                epoch = value if not isinstance(value, str) else None
        m = RE_O.match(line.lstrip())
        if m:
            o_rows[int(m.group(1))] = m.group(2)
    return {"epoch": epoch, "o_rows": o_rows}


# --------------------------------------------------------------------------
# Scan interpretation
# --------------------------------------------------------------------------
def parse_scan_line(line):
    """Number token and raw command of a `#S` line."""
    rest = line[2:]
    m = re.match(r"\s*(\S+)\s*(.*)$", rest, re.S)
    if not m:
        return None, ""
    # `#S1 cmd` and `#S  5  cmd` both work: the token is the first run of
    # non-whitespace after the key; the command is kept raw but right-trimmed.
    token, command = m.group(1), m.group(2)
    return token, command.rstrip()


def collect_rows(body, wrap):
    """Turn the data lines of a scan into rows.

    body: list of (text, comment) for the data lines in order, where comment
    is the `#...` text glued to the end of the line, or None. wrap is N of
    `#N N M` when rows are wrapped, else None. Returns a list of dicts with
    'tokens' and 'glued' (a comment was glued to the end of this fragment).
    """
    rows = []
    pending = []                          # tokens of a wrapped row
    for text, comment in body:
        tokens = text.split()
        if wrap:
            pending.extend(tokens)
            if len(pending) >= wrap or comment is not None:
                rows.append({"tokens": pending, "glued": comment is not None})
                pending = []
        else:
            rows.append({"tokens": tokens, "glued": comment is not None})
    if pending:
        rows.append({"tokens": pending, "glued": False})
    return rows


def most_common_width(rows):
    """Most common value count; ties go to the larger count."""
    counts = Counter(len(r["tokens"]) for r in rows)
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def drop_broken_rows(rows, width):
    """Remove the fragments of broken rows (docs/spec-format.md §2.2).

    A broken row ends with a fragment that has a `#C` glued to it; it consists
    of that fragment plus the consecutive short rows before it whose combined
    value count does not exceed the width. Only complete rows count.
    """
    if width is None:
        return rows
    keep = [True] * len(rows)
    for i, row in enumerate(rows):
        if not row["glued"] or len(row["tokens"]) >= width:
            continue
        keep[i] = False
        total = len(row["tokens"])
        j = i - 1
        while (j >= 0 and keep[j] and len(rows[j]["tokens"]) < width
               and total + len(rows[j]["tokens"]) <= width):
            total += len(rows[j]["tokens"])
            keep[j] = False
            j -= 1
    return [r for r, k in zip(rows, keep) if k]


def interpret_scan(lines, block, names_for_scan):
    """Build the expected JSON object of one scan (key filled in later)."""
    start, end = block["start"], block["end"]
    token, command = parse_scan_line(lines[start])
    scan_lines = lines[start + 1:end]
    has_l = any(RE_L.match(x.lstrip()) for x in scan_lines)

    labels_text = None
    n_values = []                         # numbers on the #N line
    o_rows, p_rows = {}, {}
    metadata = {}
    md_last = None                        # key of the last #MD line (or None)
    seen_l = False
    data = []                             # (text before any glued '#', comment)
    comments = []                         # #C texts, including glued ones
    spectra, channels = 0, None
    in_mca = False                        # previous MCA line ended with '\'

    for line in scan_lines:
        stripped = line.lstrip()
        if stripped.startswith("#"):
            # A control line (possibly indented); it leaves the MCA
            # continuation state untouched.
            if RE_L.match(stripped) and labels_text is None:
                labels_text = stripped[2:]
                seen_l = True
            elif RE_N.match(stripped):
                n_values = [int(t) for t in stripped[2:].split()
                            if RE_INT.match(t)]
            elif RE_MD.match(stripped):
                text = stripped[3:].lstrip(" \t")
                if " = " in text:
                    key, value = text.split(" = ", 1)
                    md_last = key.strip()
                    metadata[md_last] = value
                else:
                    md_last = None
                continue
            elif RE_C.match(stripped):
                comments.append(stripped)
            m = RE_O.match(stripped)
            if m:
                o_rows[int(m.group(1))] = m.group(2)
            m = RE_P.match(stripped)
            if m:
                p_rows[int(m.group(1))] = m.group(2)
            md_last = None
            continue
        if in_mca:                        # MCA continuation line (by state)
            if channels is not None and spectra == 1:
                channels += len(line.rstrip().rstrip("\\").split())
            in_mca = line.rstrip().endswith("\\")
            continue
        m = RE_MCA_START.match(stripped)
        if m:                             # start of one spectrum
            spectra += 1
            if spectra == 1:
                channels = len(stripped[m.end():].rstrip().rstrip("\\").split())
            in_mca = line.rstrip().endswith("\\")
            continue
        if stripped.startswith("@") or not stripped:
            continue                      # other '@' line, or blank line
        if md_last is not None and not seen_l and has_l:
            # bluesky: a non-# line between #MD and #L continues the value
            metadata[md_last] += "\n" + line
            continue
        if has_l and not seen_l:
            continue                      # text before #L is not data
        # A data line; a '#' after its first value starts a glued comment.
        pos = line.find("#")
        if pos >= 0:
            comments.append(line[pos:])
            data.append((line[:pos], line[pos:]))
        else:
            data.append((line, None))

    # Rows, wrapping and width.
    wrap = n_values[0] if len(n_values) >= 2 and n_values[1] < n_values[0] \
        else None
    rows = collect_rows(data, wrap)
    width = most_common_width(rows)
    if width is None and n_values:
        width = n_values[0]
    rows = drop_broken_rows(rows, width)

    # Labels with the single-space fallback.
    labels = split_names(labels_text) if labels_text is not None else []
    alt = single_space_candidate(labels)
    if alt is not None and width is not None and width != 1:
        labels = alt

    # Positioners: pair #O<n> with #P<n> by row.
    names_rows = o_rows if o_rows else names_for_scan
    positioners, unpaired, orphans = [], 0, 0
    for n in sorted(set(names_rows) | set(p_rows)):
        values = p_rows.get(n, "").split()
        names = split_names(names_rows.get(n, ""))
        alt = single_space_candidate(names)
        if alt is not None and len(alt) == len(values):
            names = alt
        paired = min(len(names), len(values))
        positioners.extend([name, to_value(v)]
                           for name, v in zip(names[:paired], values[:paired]))
        unpaired += len(names) - paired
        orphans += len(values) - paired

    # Abort comment.
    aborted_after = None
    for text in comments:
        m = RE_ABORT.search(text)
        if m:
            aborted_after = int(m.group(1))
            break

    def row_values(row):
        return [to_value(t) for t in row["tokens"]]

    number = int(token) if token and RE_INT.match(token) else None
    return {
        "key": None,
        "number": number,
        "line": start + 1,
        "command": command,
        "labels": labels,
        "rows": len(rows),
        "firstRow": row_values(rows[0]) if rows else None,
        "lastRow": row_values(rows[-1]) if rows else None,
        "positioners": positioners,
        "unpairedNames": unpaired,
        "orphanValues": orphans,
        "metadata": {k: md_value(v) for k, v in metadata.items()},
        "mca": ({"spectra": spectra, "channels": channels}
                if spectra else None),
        "aborted": aborted_after is not None,
        "abortedAfter": aborted_after,
        "_token": token,
    }


# --------------------------------------------------------------------------
# Whole file
# --------------------------------------------------------------------------
def oracle(path, name):
    lines = read_lines(path)
    blocks = find_blocks(lines)

    headers, scans = [], []
    current_header = None                 # index into headers
    occurrences = Counter()
    for block in blocks:
        if block["kind"] == "header":
            info = header_info(lines, block)
            headers.append({"line": block["start"] + 1,
                            "startsWith": block["startsWith"],
                            "epoch": info["epoch"],
                            "scanKeys": [],
                            "_o_rows": info["o_rows"]})
            current_header = len(headers) - 1
            continue
        # Motor names of the governing header, or of the most recent earlier
        # header that has any `#O` lines.
        names = {}
        if current_header is not None:
            for h in reversed(headers[:current_header + 1]):
                if h["_o_rows"]:
                    names = h["_o_rows"]
                    break
        scan = interpret_scan(lines, block, names)
        token = scan.pop("_token")
        ident = str(scan["number"]) if scan["number"] is not None \
            else (token or "")
        occurrences[ident] += 1
        scan["key"] = "%s.%d" % (ident, occurrences[ident])
        if current_header is not None:
            headers[current_header]["scanKeys"].append(scan["key"])
        scans.append(scan)

    for h in headers:
        del h["_o_rows"]
    return {
        "file": name,
        "source": SOURCE,
        "headerCount": len(headers),
        "scanCount": len(scans),
        "headers": headers,
        "scans": scans,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spec_file", help="SPEC data file to read")
    ap.add_argument("--name", help="file name to record (default: basename)")
    ap.add_argument("--out", help="write the JSON here instead of stdout")
    args = ap.parse_args(argv)
    name = args.name or re.split(r"[\\/]", args.spec_file)[-1]
    result = oracle(args.spec_file, name)
    text = compact_json.dump(result) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
