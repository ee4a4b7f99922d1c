#!/usr/bin/env python3
"""Generate the synthetic SPEC conformance fixtures and their expected results.

Usage:  python3 conformance/tools/make_fixtures.py [output-directory]

The default output directory is ``conformance/fixtures`` next to this ``tools``
folder.  Running the script rewrites every fixture (``<name>.spec``) and its
expected result (``<name>.spec.expected.json``) deterministically: no clock, no
randomness, standard library only.

Why a generator: the fixtures exercise byte-level details (CRLF, CR-only line
ends, a UTF-8 BOM, a lone Latin-1 byte, TABs, trailing spaces, a missing final
newline) that editors and git settings silently "fix".  Every line is therefore
built here as ``content bytes + EOL bytes`` and written in binary mode.

All content is invented, in the style of the real files described in
``docs/spec-format.md`` (sections 1-8); the fixtures correspond to the list
in section 12 of that page.

Shape of ``<name>.expected.json`` (fields the tests check):

* ``fixture``, ``purpose``: file name and the section-12 table row, as text.
* ``headerCount``: header blocks (started by ``#F``, or by ``#E`` outside an
  ``#F`` block).  ``scanCount``: number of ``#S`` blocks.
* ``scans[]``: ``key`` ("<number>.<1-based occurrence>"), ``number``,
  ``line`` (1-based physical line of the ``#S``), ``command`` (raw text after
  the number and the whitespace after it, trailing whitespace removed),
  ``labels`` (``#L`` split per notes section 6, duplicates kept, not renamed),
  ``rows`` (data rows in the table: every row with at least one value that is
  not a fragment of a broken row; short/long rows count, wrapped rows count
  once), ``firstRow``/``lastRow`` (values as written, not padded; special
  values as "NaN", "Infinity", "-Infinity"), ``positioners`` ([name, value]
  pairs, ``#O`` row n with ``#P`` row n), ``unnamedPositions`` (``#P`` values
  without a name), ``metadata`` (UNICAT ``#H``/``#V`` or ``#MD`` key->value;
  empty in all fixtures), ``mca`` (null or total spectra / channels of the
  first spectrum / distinct devices), ``aborted``/``abortedAfter``,
  ``diagnostics`` (codes that MUST be reported for the scan; others may
  appear).
* ``fileDiagnostics``: codes that must be reported outside any scan
  (header/preamble lines, BOM, NO_HEADER).
* ``extra``: fixture-specific facts.  Every fixture has ``eol``,
  ``finalNewline``, ``lineCount`` (physical lines) and ``byteCount``; some
  have ``mustNotReport`` (codes that would indicate a misparse).

The last section, "other writers", goes beyond the section-12 table: input
from SPEC writers other than the corpus's (CHESS, ESRF, APS 27, PyMca,
Sardana, older SPEC) -- MCA lines keyed by a device name, an ``@A`` key with a
tag (``@AMCA``), free text among the data rows, ``#O`` names in SPEC's
fixed-width fields.  Its expected files add:

* ``feature``: "other writers"; every check of the file is reported under it.
* per scan, ``textLines`` (lines among the data that are text, not rows:
  ``{line, text}`` in file order; an empty list says there are none) and, in
  the MCA fixtures, ``mcaDevices`` (devices in order of first spectrum, named
  by their key as written, ``@`` included: ``{name, spectra, channels}``,
  channels = the distinct channel counts of the device's spectra) and
  ``declaredDevices`` (names of the scan's ``#@<name>`` device declarations,
  in order; SPEC's own ``#@MCA``, ``#@CHANN``, ... declare nothing).
"""

import calendar
import datetime
import json
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "fixtures"

# ---------------------------------------------------------------------------
# small helpers: dates, numbers, deterministic pseudo-noise
# ---------------------------------------------------------------------------

UTC_OFFSET_HOURS = -6  # US Central standard time (APS, March 2014, before DST)


def T(h, m, s, day=4):
    """A local (naive) date-time on 2014-03-<day>; 4 March 2014 was a Tuesday."""
    return datetime.datetime(2014, 3, day, h, m, s)


def asc(t):
    """C asctime style as written by SPEC, zero-padded day: 'Tue Mar 04 10:15:02 2014'."""
    return t.strftime("%a %b %d %H:%M:%S %Y")


def epoch(t):
    """Unix epoch of a local time (local = UTC-6)."""
    return calendar.timegm(t.timetuple()) - UTC_OFFSET_HOURS * 3600


def iso_utc(ep):
    """ISO-8601 UTC text with milliseconds for an epoch (float allowed)."""
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=ep)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


class Noise:
    """Tiny deterministic LCG so the data look noisy but never change."""

    def __init__(self, seed):
        self.x = seed & 0x7FFFFFFF

    def next(self):
        self.x = (1103515245 * self.x + 12345) & 0x7FFFFFFF
        return self.x / 0x7FFFFFFF  # in [0, 1]

    def poisson_like(self, mean):
        """mean +- about sqrt(mean), as an int >= 0."""
        return max(0, int(round(mean + (self.next() - 0.5) * 2.0 * math.sqrt(mean + 1))))


def g(x):
    """Format a float like SPEC's %g output (6 significant digits)."""
    return "%g" % x


INT_RE = re.compile(r"[+-]?\d+")
FORTRAN_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[dD][+-]?\d+")


def val(tok):
    """Expected value of one raw data token (notes section 5.2), JSON-ready."""
    t = tok.strip()
    low = t.lower()
    if low in ("nan", "+nan"):
        return "NaN"
    if low in ("inf", "+inf", "infinity", "+infinity"):
        return "Infinity"
    if low in ("-inf", "-infinity"):
        return "-Infinity"
    if t == "None":
        return "NaN"
    if INT_RE.fullmatch(t):
        return int(t)
    if FORTRAN_RE.fullmatch(t):
        return float(t.replace("d", "e").replace("D", "e"))
    return float(t)  # anything else is a bug in this generator: let it raise


def vals(tokens):
    return [val(t) for t in tokens]


# ---------------------------------------------------------------------------
# the file builder: a list of (content bytes, EOL bytes)
# ---------------------------------------------------------------------------


class SpecFile:
    def __init__(self, name, eol="\n"):
        self.name = name
        self.eol = eol.encode("ascii")
        self.lines = []

    def add(self, text="", raw=None, eol=None):
        """Append one physical line; return its 1-based line number.

        ``raw`` (bytes) overrides ``text`` (encoded as UTF-8); ``eol`` overrides
        the file's default line terminator for this line."""
        content = raw if raw is not None else text.encode("utf-8")
        assert b"\n" not in content and b"\r" not in content, (self.name, content)
        self.lines.append([content, self.eol if eol is None else eol.encode("ascii")])
        return len(self.lines)

    def blank(self):
        return self.add("")

    @property
    def last(self):
        return len(self.lines)

    def to_bytes(self, bom=False, final_newline=True):
        if not final_newline:
            self.lines[-1][1] = b""
        body = b"".join(c + e for c, e in self.lines)
        return (b"\xef\xbb\xbf" if bom else b"") + body


# ---------------------------------------------------------------------------
# common building blocks in SPEC style
# ---------------------------------------------------------------------------

STD_MOTORS = [["Two Theta", "theta", "chi", "phi", "DCM Theta", "samx", "samy", "samz"]]
STD_MNEMONICS = ["tth th chi phi dcmth samx samy samz"]
STD_POSITIONS = [["20.1", "10.05", "-0.25", "45", "11.2034", "1.25", "-0.5", "3.0175"]]


def o_line(row_index, names):
    """SPEC writes '%8s' fields separated by two spaces (right-aligned names)."""
    return "#O%d " % row_index + "  ".join("%8s" % n for n in names)


def header(f, when, motors=STD_MOTORS, mnemonics=STD_MNEMONICS, title=None, extra=()):
    """#F #E #D #C (+ extra header lines) #O<n> [#o<n>]; returns the #F line number."""
    first = f.add("#F /home/epix/data/2014/0304/%s" % f.name)
    f.add("#E %d" % epoch(when))
    f.add("#D %s" % asc(when))
    f.add("#C %s  User = epix" % (title or f.name.rsplit(".", 1)[0]))
    for line in extra:
        f.add(raw=line) if isinstance(line, bytes) else f.add(line)
    for i, names in enumerate(motors):
        f.add(o_line(i, names))
    for i, mn in enumerate(mnemonics or ()):
        f.add("#o%d %s" % (i, mn))
    return first


def pairs(names_rows, value_rows):
    """Expected positioners: row n of names with row n of values (same length here)."""
    out = []
    for names, values in zip(names_rows, value_rows):
        assert len(names) == len(values)
        out.extend([n, val(v)] for n, v in zip(names, values))
    return out


def scan_head(f, number, command, when, labels, *, count="#T 1  (Seconds)", positions=STD_POSITIONS,
              pre=(), post_p=(), n=None, blank_before=True, s_text=None, label_text=None):
    """Blank line, #S, #D, [pre lines], #T/#M, #P<n>, [post_p lines], #N, #L; returns the #S line number.

    ``s_text`` replaces the whole '#S ...' line; ``label_text`` the text after '#L '."""
    if blank_before:
        f.blank()
    s_line = f.add(s_text if s_text is not None else "#S %s  %s" % (number, command))
    if when is not None:
        f.add("#D %s" % (asc(when) if isinstance(when, datetime.datetime) else when))
    for line in pre:
        f.add(raw=line) if isinstance(line, bytes) else f.add(line)
    if count:
        f.add(count)
    for i, p in enumerate(positions):
        f.add("#P%d %s" % (i, " ".join(p)))
    for line in post_p:
        f.add(line)
    f.add("#N %s" % (n if n is not None else len(labels)))
    f.add("#L " + (label_text if label_text is not None else "  ".join(labels)))
    return s_line


def rows_out(f, rows, sep=" "):
    for r in rows:
        f.add(sep.join(r))


def abort_comment(t, n):
    return "%s.  Scan aborted after %d points." % (asc(t), n)


def ascan_rows(start, step, npts, t0, seed, *, seconds="1", center=None, width=None, amp=4000,
               bg=30, i0=120000, extra_cols=0, epoch0=98):
    """Rows 'motor Epoch Seconds I0 [extra...] det' for a peak scan, as token lists."""
    nz = Noise(seed)
    center = start + step * (npts - 1) / 2 if center is None else center
    width = step * npts / 4 if width is None else width
    out = []
    for i in range(npts):
        x = start + step * i
        det = nz.poisson_like(bg + amp * math.exp(-((x - center) / width) ** 2))
        row = [g(round(x, 6)), str(epoch0 + t0 + 2 * i), seconds, str(nz.poisson_like(i0))]
        for k in range(extra_cols):
            row.append(str(nz.poisson_like(500 + 100 * k)))
        row.append(str(det))
        out.append(row)
    return out


# ---------------------------------------------------------------------------
# expected-result helpers
# ---------------------------------------------------------------------------


def exp_scan(key, line, command, labels, rows, *, positioners=(), unnamed=(), mca=None,
             aborted_after=None, diagnostics=(), metadata=None):
    number = key.split(".")[0]
    return {
        "key": key,
        "number": int(number) if number.lstrip("-").isdigit() else None,
        "line": line,
        "command": command,
        "labels": list(labels),
        "rows": len(rows),
        "firstRow": vals(rows[0]) if rows else None,
        "lastRow": vals(rows[-1]) if rows else None,
        "positioners": [list(p) for p in positioners],
        "unnamedPositions": [val(v) for v in unnamed],
        "metadata": dict(metadata or {}),
        "mca": mca,
        "aborted": aborted_after is not None,
        "abortedAfter": aborted_after,
        "diagnostics": list(diagnostics),
    }


def expected(f, data, purpose, header_count, scans, file_diags=(), extra=None):
    eol_of_first = f.lines[0][1].decode("ascii")
    ex = {
        "eol": eol_of_first,
        "finalNewline": data.endswith((b"\n", b"\r")),
        "lineCount": len(f.lines),
        "byteCount": len(data),
    }
    ex.update(extra or {})
    return {
        "fixture": f.name,
        "purpose": purpose,
        "headerCount": header_count,
        "scanCount": len(scans),
        "scans": scans,
        "fileDiagnostics": list(file_diags),
        "extra": ex,
    }


# ---------------------------------------------------------------------------
# the fixtures (one function each; each returns (name, bytes, expected dict))
# ---------------------------------------------------------------------------

FIXTURES = []


def fixture(fn):
    FIXTURES.append(fn)
    return fn


@fixture
def nan_inf():
    f = SpecFile("nan_inf.spec")
    header(f, T(10, 15, 2))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    # Scan 1: one special token per row in the detector column, exactly the
    # list of the section-12 table, in this order.
    special = ["nan", "NaN", "inf", "-inf", ".5", "-.5", "+1e3", "1E-3", "1d3", "None"]
    rows1 = ascan_rows(10, 0.1, 10, 0, 11, i0=120300)
    for r, tok in zip(rows1, special):
        r[-1] = tok
    s1 = scan_head(f, 1, "ascan  theta 10 10.9  9 1", T(10, 16, 40), labels)
    rows_out(f, rows1)
    # Scan 2: other spellings that must be accepted silently; '5.' and
    # '1.0000' must keep their raw text for a lossless rewrite.
    special2 = ["+inf", "INF", "-Inf", "5.", "1.0000"]
    rows2 = ascan_rows(11, 0.1, 5, 40, 12, i0=120300)
    for r, tok in zip(rows2, special2):
        r[-1] = tok
    s2 = scan_head(f, 2, "ascan  theta 11 11.4  4 1", T(10, 18, 2), labels)
    rows_out(f, rows2)
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.9  9 1", labels, rows1, positioners=pos,
                 diagnostics=["FORTRAN_EXPONENT", "NON_NUMERIC_TOKEN"]),
        exp_scan("2.1", s2, "ascan  theta 11 11.4  4 1", labels, rows2, positioners=pos),
    ]
    return f, data, expected(
        f, data,
        "Tokens nan NaN inf -inf .5 -.5 +1e3 1E-3 1d3 None read as NaN, NaN, +Infinity, -Infinity, "
        "0.5, -0.5, 1000, 0.001, 1000 (with diagnostic), NaN (with diagnostic); raw tokens kept.",
        1, scans, extra={
            "column": "det",
            "rawTokens": special,
            "values": vals(special),
            "diagnosedRows": {"FORTRAN_EXPONENT": 8, "NON_NUMERIC_TOKEN": 9},
            "rawTokensScan2": special2,
            "valuesScan2": vals(special2),
            "note": "diagnosedRows are 0-based row indices in scan 1.1; all 10 rows are kept; "
                    "no special value may become 0; scan 2.1 needs no diagnostic",
        })


@fixture
def tabs():
    f = SpecFile("tabs.spec")
    motors = [["Two Theta", "theta", "chi", "phi"], ["samx", "samy", "samz"]]
    f.add("#F /home/epix/data/2014/0304/tabs.spec")
    f.add("#E %d" % epoch(T(9, 2, 11)))
    f.add("#D %s" % asc(T(9, 2, 11)))
    f.add("#C tabs  User = epix")
    f.add("#O0 Two Theta\ttheta\tchi\tphi")          # TABs only
    f.add("#O1 samx\tsamy  samz")                    # TAB and two spaces mixed
    positions = [["10.5", "5.25", "0", "90"], ["1.5", "-0.75", "12.01"]]
    s1 = f.blank() + 1
    f.add("#S 1  ascan  theta 5 5.4  4 1")
    f.add("#D %s" % asc(T(9, 4, 30)))
    f.add("#T 0.5  (Seconds)")
    f.add("#P0 " + " ".join(positions[0]))
    f.add("#P1 " + "\t".join(positions[1]))          # TAB-separated values
    labels = ["theta", "Epoch", "Seconds", "Ion Ch 1", "Det Sum", "det"]
    f.add("#N 6")
    f.add("#L " + "\t".join(labels))                 # TAB-separated labels, names with single spaces
    rows = [
        ["5", "139", "0.5", "51234", "803", "412"],
        ["5.1", "141", "0.5", "51198", "815", "420"],
        ["5.2", "143", "0.5", "51177", "890", "455"],
        ["5.3", "145", "0.5", "51120", "1012", "519"],
        ["5.4", "147", "0.5", "51090", "1140", "583"],
    ]
    f.add("\t".join(rows[0]))
    f.add("\t" + "\t".join(rows[1]))                 # leading TAB
    f.add("\t".join(rows[2]) + "\t")                 # trailing TAB
    f.add(rows[3][0] + " \t" + "\t".join(rows[3][1:]))  # space + TAB
    f.add(rows[4][0] + "\t\t" + "\t".join(rows[4][1:]))  # two TABs
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "ascan  theta 5 5.4  4 1", labels, rows, positioners=pairs(motors, positions))]
    return f, data, expected(
        f, data, "TAB-separated #L and data rows: labels split at TABs, all rows read.", 1, scans, extra={
            "motorNames": [n for row in motors for n in row],
            "mustNotReport": ["ROW_TOO_SHORT", "ROW_TOO_LONG", "BROKEN_ROW", "LABEL_FALLBACK", "N_L_MISMATCH"],
            "note": "#O0 and #L use TABs only; #O1 mixes a TAB and two spaces; #P1 and the rows use TABs "
                    "(leading, trailing, doubled, mixed with a space)",
        })


@fixture
def single_col():
    f = SpecFile("single_col.spec")
    header(f, T(8, 30, 0))
    s1 = scan_head(f, 1, "timescan  1 0", T(8, 31, 10), ["Time"], count="#T 1  (Seconds)")
    rows1 = [["1"], ["2"]]
    rows_out(f, rows1)
    f.add("#C %s" % abort_comment(T(8, 31, 13), 2))
    s2 = scan_head(f, 2, "loopscan  3 0.5", T(8, 33, 0), ["det"], count="#T 0.5  (Seconds)")
    rows2 = [["1523"], ["1498"], ["1544"]]
    f.add(" 1523")      # leading space
    f.add("1498  ")     # trailing spaces
    f.add("1544")
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "timescan  1 0", ["Time"], rows1, positioners=pos, aborted_after=2),
        exp_scan("2.1", s2, "loopscan  3 0.5", ["det"], rows2, positioners=pos),
    ]
    return f, data, expected(f, data, "#N 1 with rows 1 and 2: one column, two rows.", 1, scans, extra={
        "columns": {"1.1": 1, "2.1": 1},
        "abortComment": abort_comment(T(8, 31, 13), 2),
        "mustNotReport": ["ROW_TOO_SHORT", "ROW_TOO_LONG", "N_L_MISMATCH"],
    })


def _cr_content(f):
    """Shared content of cr_only.spec and cr_only_lf.spec (identical apart from EOLs)."""
    motors = STD_MOTORS + [["tabx", "taby"]]
    positions = STD_POSITIONS + [["0.125", "-3.5"]]
    f.add("#F /home/epix/data/2014/0304/cr_only.spec")
    f.add("#E %d" % epoch(T(11, 0, 0)))
    f.add("#D %s" % asc(T(11, 0, 0)))
    f.add("#C cr_only  User = epix")
    for i, names in enumerate(motors):
        f.add(o_line(i, names))
    labels1 = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(10, 0.1, 6, 60, 21)
    s1 = scan_head(f, 1, "ascan  theta 10 10.5  5 1", T(11, 1, 0), labels1, positions=positions,
                   pre=["#G0 0 0 0 0 0 1 0 0 0 0 0 0 50 0 0 0 1 0 0 0 0", "#Q 1 0 0.5"])
    rows_out(f, rows1)
    labels2 = ["theta", "Two Theta", "Epoch", "I0", "det"]
    nz = Noise(22)
    rows2 = [[g(10 + 0.1 * i), g(20 + 0.2 * i), str(180 + 3 * i), "20000", str(nz.poisson_like(900 - 150 * i))]
             for i in range(3)]
    s2 = scan_head(f, 2, "a2scan  th 10 10.4  tth 20 20.8  4 2", T(11, 3, 0), labels2,
                   count="#M 20000  (I0)", positions=positions)
    rows_out(f, rows2)
    f.add("#C %s" % abort_comment(T(11, 3, 9), 3))
    pos = pairs(motors, positions)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.5  5 1", labels1, rows1, positioners=pos),
        exp_scan("2.1", s2, "a2scan  th 10 10.4  tth 20 20.8  4 2", labels2, rows2, positioners=pos,
                 aborted_after=3),
    ]
    return scans


@fixture
def cr_only():
    f = SpecFile("cr_only.spec", eol="\r")
    scans = _cr_content(f)
    data = f.to_bytes()
    return f, data, expected(
        f, data, "CR-only (old Mac) line ends: the same model as the LF version.", 1, scans, extra={
            "twin": "cr_only_lf.spec",
            "note": "a parse must equal the parse of cr_only_lf.spec except for the recorded EOLs; "
                    "no string may contain \\r",
        })


@fixture
def cr_only_lf():
    f = SpecFile("cr_only_lf.spec", eol="\n")
    scans = _cr_content(f)
    data = f.to_bytes()
    return f, data, expected(
        f, data, "LF twin of cr_only.spec (same content, LF line ends), to compare the two models.", 1, scans,
        extra={"twin": "cr_only.spec"})


@fixture
def crlf():
    f = SpecFile("crlf.spec", eol="\r\n")
    motors = STD_MOTORS
    f.add("#F /home/epix/data/2014/0304/crlf.spec")
    f.add("#E %d" % epoch(T(12, 0, 5)))
    f.add("#D %s" % asc(T(12, 0, 5)))
    f.add("#C crlf  User = epix")
    f.add(o_line(0, motors[0]) + "  ")                    # trailing spaces before CR LF
    f.add("#o0 " + STD_MNEMONICS[0] + " ")
    f.add("#J0 Seconds  I0  I00  det  ")
    f.add("#j0 sec I0 I00 det ")
    positions = [["20.1", "10.05", "-0.25", "45", "11.2034", "-1", "0.5", "0.16375"]]
    labels = ["samx", "Epoch", "Seconds", "I00", "I0", "I0", "det"]
    rows1 = ascan_rows(-1, 0.5, 5, 20, 31, extra_cols=2)
    # ascan_rows gives motor Epoch Seconds I0 x x det; make it I00 I0 I0 (duplicate I0 counter)
    for r in rows1:
        r[3], r[4], r[5] = r[4], r[3], r[3]
    f.blank()
    s1 = f.add("#S 1  ascan  samx -1 1  4 1")
    f.add("#D %s" % asc(T(12, 1, 0)))
    f.add("#T 1  (Seconds)")
    f.add("#P0 " + " ".join(positions[0]) + " ")          # trailing space before CR LF
    f.add("#N 7")
    f.add("#L " + "  ".join(labels))
    for i, r in enumerate(rows1):
        f.add(" ".join(r) + (" " if i % 2 == 0 else ""))   # trailing space on every other row
    positions2 = [["20.1", "10.05", "-0.25", "45", "11.2034", "0", "-1", "0.16375"]]
    rows2 = ascan_rows(-1, 0.5, 5, 60, 32, extra_cols=2)
    for r in rows2:
        r[3], r[4], r[5] = r[4], r[3], r[3]
    f.blank()
    s2 = f.add("#S 2  ascan  samy -1 1  4 1")
    f.add("#D %s" % asc(T(12, 2, 0)))
    f.add("#T 1  (Seconds)")
    f.add("#P0 " + " ".join(positions2[0]) + " ")
    f.add("#N 7")
    f.add("#L samy  Epoch  Seconds  I00  I0  I0  det  ")
    rows_out(f, rows2)
    data = f.to_bytes()
    labels2 = ["samy"] + labels[1:]
    scans = [
        exp_scan("1.1", s1, "ascan  samx -1 1  4 1", labels, rows1, positioners=pairs(motors, positions),
                 diagnostics=["DUPLICATE_LABEL"]),
        exp_scan("2.1", s2, "ascan  samy -1 1  4 1", labels2, rows2, positioners=pairs(motors, positions2),
                 diagnostics=["DUPLICATE_LABEL"]),
    ]
    return f, data, expected(
        f, data,
        "CRLF everywhere with trailing spaces before CR in #O/#P/#J lines and duplicate labels: no \\r in "
        "any string, no empty names, unique aliases, byte-exact rewrite keeps CRLF.", 1, scans, extra={
            "aliases": ["samx", "Epoch", "Seconds", "I00", "I0", "I0_1", "det"],
            "counterNames": ["Seconds", "I0", "I00", "det"],
            "counterMnemonics": ["sec", "I0", "I00", "det"],
            "motorMnemonics": STD_MNEMONICS[0].split(),
            "note": "every line ends with \\r\\n; no bare \\n or \\r; no parsed string may contain \\r",
        })


@fixture
def no_trailing_newline():
    f = SpecFile("no_trailing_newline.spec")
    header(f, T(13, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(10, 0.25, 5, 30, 41)
    s1 = scan_head(f, 1, "ascan  theta 10 11  4 1", T(13, 0, 30), labels)
    rows_out(f, rows1)
    rows2 = ascan_rows(11, 0.1, 6, 90, 42)
    s2 = scan_head(f, 2, "ascan  theta 11 11.5  5 1", T(13, 1, 30), labels)
    rows_out(f, rows2)
    data = f.to_bytes(final_newline=False)
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 11  4 1", labels, rows1, positioners=pos),
        exp_scan("2.1", s2, "ascan  theta 11 11.5  5 1", labels, rows2, positioners=pos),
    ]
    return f, data, expected(f, data, "Last data row without a final newline: the last row is counted.", 1, scans,
                             extra={"lastLine": " ".join(rows2[-1])})


@fixture
def trailing_L_spaces():
    f = SpecFile("trailing_L_spaces.spec")
    motors = [["Two Theta", "theta", "chi", "phi", "a"]]
    positions = [["20.1", "10.05", "-0.25", "45", "0"]]
    header(f, T(13, 30, 0), motors=motors, mnemonics=["tth th chi phi a"])
    rows1 = [["0", "17"], ["0.1", "25"], ["0.2", "31"], ["0.3", "22"]]
    s1 = scan_head(f, 1, "ascan  a 0 0.3  3 1", T(13, 31, 0), ["a", "b"], positions=positions,
                   label_text="a  b  ")
    rows_out(f, rows1)
    labels2 = ["Two Theta", "Seconds", "Ion Ch 1"]
    rows2 = [["20", "1", "51234"], ["20.2", "1", "51190"], ["20.4", "1", "51102"]]
    s2 = scan_head(f, 2, "ascan  tth 20 20.4  2 1", T(13, 32, 0), labels2, positions=positions,
                   label_text="Two Theta  Seconds  Ion Ch 1 \t")
    for r in rows2:
        f.add(" ".join(r) + "   ")    # rows with trailing spaces as well
    data = f.to_bytes()
    pos = pairs(motors, positions)
    scans = [
        exp_scan("1.1", s1, "ascan  a 0 0.3  3 1", ["a", "b"], rows1, positioners=pos),
        exp_scan("2.1", s2, "ascan  tth 20 20.4  2 1", labels2, rows2, positioners=pos),
    ]
    return f, data, expected(f, data, "#L a  b  (trailing spaces) gives exactly [a, b].", 1, scans, extra={
        "rawLabelText": {"1.1": "a  b  ", "2.1": "Two Theta  Seconds  Ion Ch 1 \t"},
        "mustNotReport": ["N_L_MISMATCH", "LABEL_FALLBACK", "SYNTHETIC_LABEL", "ROW_TOO_LONG"],
    })


@fixture
def hash_S_custom_key():
    f = SpecFile("hash_S_custom_key.spec")
    header(f, T(14, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(10, 0.1, 5, 20, 51)
    s1 = scan_head(f, 1, "ascan  theta 10 10.4  4 1", T(14, 0, 20), labels, pre=["#SAMPLE quartz"])
    sample1 = s1 + 2
    rows_out(f, rows1)
    rows2 = ascan_rows(10.5, 0.1, 5, 60, 52)
    s2 = scan_head(f, 2, "ascan  theta 10.5 10.9  4 1", T(14, 1, 0), labels)
    rows_out(f, rows2[:2])
    sample2 = f.add("#SAMPLE quartz")           # between data rows of scan 2
    rows_out(f, rows2[2:])
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.4  4 1", labels, rows1, positioners=pos),
        exp_scan("2.1", s2, "ascan  theta 10.5 10.9  4 1", labels, rows2, positioners=pos),
    ]
    return f, data, expected(
        f, data, "#SAMPLE quartz inside a scan is an unknown control line and does not start a new scan.", 1,
        scans, extra={
            "customKey": "SAMPLE",
            "customKeyText": "quartz",
            "customKeyLines": [sample1, sample2],
            "customKeyRow": {"2.1": 2},
            "mustNotReport": ["BAD_SCAN_NUMBER"],
            "note": "customKeyRow = number of data rows before the #SAMPLE line in that scan",
        })


@fixture
def S_two_spaces():
    f = SpecFile("S_two_spaces.spec")
    header(f, T(14, 30, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows5 = ascan_rows(10, 0.1, 5, 20, 61)
    s5 = scan_head(f, 5, None, T(14, 31, 0), labels, s_text="#S  5  ascan  theta 10 10.4  4 1")
    rows_out(f, rows5)
    rows6 = ascan_rows(11, 0.1, 5, 60, 62)
    s6 = scan_head(f, 6, None, T(14, 32, 0), labels, s_text="#S 6  ascan  theta 11 11.4  4 1  ")
    rows_out(f, rows6)
    labels7 = ["chi", "Epoch", "Seconds", "I0", "det"]
    rows7 = ascan_rows(-1.25, 0.5, 5, 100, 63)
    s7 = scan_head(f, 7, None, T(14, 33, 0), labels7, s_text="#S   7 dscan  chi -1 1  4 1")
    rows_out(f, rows7)
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("5.1", s5, "ascan  theta 10 10.4  4 1", labels, rows5, positioners=pos),
        exp_scan("6.1", s6, "ascan  theta 11 11.4  4 1", labels, rows6, positioners=pos),
        exp_scan("7.1", s7, "dscan  chi -1 1  4 1", labels7, rows7, positioners=pos),
    ]
    return f, data, expected(f, data, "#S  5  ascan ... (two spaces before the number) is scan number 5.", 1,
                             scans, extra={
                                 "rawSLines": ["#S  5  ascan  theta 10 10.4  4 1",
                                               "#S 6  ascan  theta 11 11.4  4 1  ",
                                               "#S   7 dscan  chi -1 1  4 1"],
                                 "mustNotReport": ["BAD_SCAN_NUMBER"],
                             })


def spectrum_tokens(n, seed, peak_at, amp, bg, first=None):
    """An MCA spectrum of n integer counts with one peak; optional fixed first value."""
    nz = Noise(seed)
    out = []
    for ch in range(n):
        mean = bg + amp * math.exp(-((ch - peak_at) / (n / 16.0)) ** 2)
        out.append(str(nz.poisson_like(mean)))
    if first is not None:
        out[0] = str(first)
    return out


def mca_lines(prefix, tokens, per_line):
    """'@A…' spectrum over several lines: backslash glued to the last value, continuation
    lines start with a space, the last line ends with a space (as SPEC writes them)."""
    chunks = [tokens[i:i + per_line] for i in range(0, len(tokens), per_line)]
    lines = []
    for i, ch in enumerate(chunks):
        text = (prefix + " " if i == 0 else " ") + " ".join(ch)
        text += "\\" if i < len(chunks) - 1 else " "
        lines.append(text)
    return lines


@fixture
def at_A1():
    f = SpecFile("at_A1.spec")
    header(f, T(15, 0, 0))
    labels = ["samx", "Epoch", "Seconds", "I0", "mca1", "mca2", "det"]
    positions = STD_POSITIONS
    s1 = scan_head(f, 1, "ascan  samx 0 1.5  3 1", T(15, 0, 40), labels,
                   post_p=["#@MCA 16C", "#@CHANN 32 0 31 1", "#@CALIB 0.1 0.05 0"])
    nz = Noise(71)
    rows, spectra, comment_line = [], [], None
    for i in range(4):
        sp1 = spectrum_tokens(32, 700 + i, 12, 40 + 10 * i, 2, first=3 + i)
        sp2 = spectrum_tokens(32, 800 + i, 20, 25 + 5 * i, 1, first=5 + i)
        spectra.append((1, sp1))
        spectra.append((2, sp2))
        for line in mca_lines("@A1", sp1, 16):
            f.add(line)
        if i == 2:
            # a comment containing '@' between the two spectra of one point
            comment_line = f.add("#C %s.  epix@wolf: mca2 re-armed." % asc(T(15, 1, 5)))
        for line in mca_lines("@A2", sp2, 16):
            f.add(line)
        row = [g(0.5 * i), str(40 + 2 * i), "1", str(nz.poisson_like(98000)),
               str(sum(map(int, sp1))), str(sum(map(int, sp2))), str(nz.poisson_like(700))]
        rows.append(row)
        f.add(" ".join(row))
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "ascan  samx 0 1.5  3 1", labels, rows, positioners=pairs(STD_MOTORS, positions),
                      mca={"spectra": 8, "channels": 32, "devices": 2})]
    return f, data, expected(
        f, data, "@A1 ... and @A2 ... spectra for every point: two devices, no bogus leading value.", 1, scans,
        extra={
            "devices": [1, 2],
            "spectraPerDevice": {"1": 4, "2": 4},
            "firstSpectrum": {"device": 1, "length": 32, "head": vals(spectra[0][1][:4]),
                              "sum": sum(map(int, spectra[0][1]))},
            "secondSpectrum": {"device": 2, "length": 32, "head": vals(spectra[1][1][:4]),
                               "sum": sum(map(int, spectra[1][1]))},
            "lastSpectrum": {"device": 2, "length": 32, "tail": vals(spectra[-1][1][-4:]),
                             "sum": sum(map(int, spectra[-1][1]))},
            "comment": {"line": comment_line, "text": "%s.  epix@wolf: mca2 re-armed." % asc(T(15, 1, 5)),
                        "commentRow": 2},
            "mustNotReport": ["MCA_ROW_MISMATCH", "ROW_TOO_SHORT", "BROKEN_ROW", "NON_NUMERIC_TOKEN"],
            "note": "each spectrum spans 2 lines (16 + 16 values, backslash glued, trailing space on the "
                    "last line); spectra precede their data row; continuation lines are not data rows",
        })


@fixture
def first_row_short():
    f = SpecFile("first_row_short.spec")
    header(f, T(15, 30, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "mon", "det"]
    rows1 = ascan_rows(10, 0.1, 6, 20, 81, extra_cols=1)
    rows1[0] = rows1[0][:4]               # first row: 4 of 6 values
    s1 = scan_head(f, 1, "ascan  theta 10 10.5  5 1", T(15, 31, 0), labels)
    rows_out(f, rows1)
    rows2 = ascan_rows(10.6, 0.1, 4, 60, 82, extra_cols=1)
    s2 = scan_head(f, 2, "ascan  theta 10.6 10.9  3 1", T(15, 32, 0), labels)
    rows_out(f, rows2)
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.5  5 1", labels, rows1, positioners=pos,
                 diagnostics=["ROW_TOO_SHORT"]),
        exp_scan("2.1", s2, "ascan  theta 10.6 10.9  3 1", labels, rows2, positioners=pos),
    ]
    return f, data, expected(f, data, "First row shorter than the rest: only that row is flagged, no row dropped.",
                             1, scans, extra={
                                 "rowWidths": {"1.1": [len(r) for r in rows1], "2.1": [len(r) for r in rows2]},
                                 "flaggedRowIndices": {"1.1": [0], "2.1": []},
                                 "firstRowPadded": vals(rows1[0]) + ["NaN", "NaN"],
                                 "mustNotReport": ["BROKEN_ROW", "ROW_TOO_LONG"],
                             })


@fixture
def extra_column():
    f = SpecFile("extra_column.spec")
    header(f, T(16, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows = ascan_rows(10, 0.1, 6, 20, 91)
    rows[3] = rows[3] + ["17"]            # one row with an extra value
    s1 = scan_head(f, 1, "ascan  theta 10 10.5  5 1", T(16, 0, 30), labels)
    rows_out(f, rows)
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "ascan  theta 10 10.5  5 1", labels, rows,
                      positioners=pairs(STD_MOTORS, STD_POSITIONS), diagnostics=["ROW_TOO_LONG"])]
    return f, data, expected(f, data, "One row with an extra value: the extra value is kept, with a diagnostic.", 1,
                             scans, extra={
                                 "longRowIndex": 3,
                                 "longRow": vals(rows[3]),
                                 "extraValues": [17],
                                 "rowWidths": [len(r) for r in rows],
                                 "mustNotReport": ["ROW_TOO_SHORT", "BROKEN_ROW"],
                             })


@fixture
def wide600():
    f = SpecFile("wide600.spec")
    header(f, T(16, 30, 0))
    labels = ["Time", "Epoch", "Seconds", "I0"] + ["ch%04d" % i for i in range(596)]
    assert len(labels) == 600
    rows = []
    for r in range(3):
        nz = Noise(1000 + r)
        row = [g(0.1 * (r + 1)), str(75 + r), "0.1", str(nz.poisson_like(12000))]
        row += [str(nz.poisson_like(20 + 300 * math.exp(-((i - 250) / 40.0) ** 2))) for i in range(596)]
        rows.append(row)
    s1 = scan_head(f, 1, "timescan  0.1 0", T(16, 31, 0), labels, count="#T 0.1  (Seconds)")
    rows_out(f, rows)
    f.add("#C %s" % abort_comment(T(16, 31, 4), 3))
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "timescan  0.1 0", labels, rows, positioners=pairs(STD_MOTORS, STD_POSITIONS),
                      aborted_after=3)]
    return f, data, expected(f, data, "600 columns (#N 600, 600 labels, 600 values per row) are read.", 1, scans,
                             extra={"columns": 600, "firstLabels": labels[:5], "lastLabel": labels[-1],
                                    "mustNotReport": ["ROW_TOO_SHORT", "ROW_TOO_LONG", "N_L_MISMATCH"]})


@fixture
def latin1():
    f = SpecFile("latin1.spec")
    # second header comment with a lone Latin-1 degree sign (0xB0): not valid UTF-8
    header(f, T(17, 0, 0), extra=[b"#C cryostat setpoint 25.0\xb0C"])
    hdr_line = 5
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(10, 0.1, 4, 20, 101)
    s1 = scan_head(f, 1, "ascan  theta 10 10.3  3 1", T(17, 1, 0), labels,
                   pre=[b"#C sample temperature 25.3\xb0C, heater off"])
    scan_c1 = s1 + 2
    rows_out(f, rows1)
    rows2 = ascan_rows(10.4, 0.1, 4, 60, 102)
    s2 = scan_head(f, 2, "ascan  theta 10.4 10.7  3 1", T(17, 2, 0), labels,
                   pre=["#C sample temperature 30.1\u00b0C, heater on"])   # proper UTF-8 C2 B0
    scan_c2 = s2 + 2
    rows_out(f, rows2)
    data = f.to_bytes()
    assert f.lines[hdr_line - 1][0].endswith(b"\xb0C") and f.lines[scan_c1 - 1][0].startswith(b"#C sample")
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.3  3 1", labels, rows1, positioners=pos,
                 diagnostics=["DECODE_FALLBACK"]),
        exp_scan("2.1", s2, "ascan  theta 10.4 10.7  3 1", labels, rows2, positioners=pos),
    ]
    return f, data, expected(
        f, data, "Latin-1 degree sign (byte B0) in #C lines: decoded, raw bytes kept, diagnostic.", 1, scans,
        file_diags=["DECODE_FALLBACK"], extra={
            "decodedLines": [
                {"line": hdr_line, "text": "#C cryostat setpoint 25.0\u00b0C", "rawHex": f.lines[hdr_line - 1][0].hex(),
                 "fallback": True},
                {"line": scan_c1, "text": "#C sample temperature 25.3\u00b0C, heater off",
                 "rawHex": f.lines[scan_c1 - 1][0].hex(), "fallback": True},
                {"line": scan_c2, "text": "#C sample temperature 30.1\u00b0C, heater on",
                 "rawHex": f.lines[scan_c2 - 1][0].hex(), "fallback": False},
            ],
            "note": "decode per line: lines %d and %d are not valid UTF-8 (lone 0xB0) and fall back to Latin-1; "
                    "line %d is valid UTF-8 (C2 B0) and must not be reported; a rewrite must reproduce all bytes"
                    % (hdr_line, scan_c1, scan_c2),
        })


@fixture
def bom():
    f = SpecFile("bom.spec")
    header(f, T(17, 30, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows = ascan_rows(10, 0.1, 5, 20, 111)
    s1 = scan_head(f, 1, "ascan  theta 10 10.4  4 1", T(17, 31, 0), labels)
    rows_out(f, rows)
    data = f.to_bytes(bom=True)
    scans = [exp_scan("1.1", s1, "ascan  theta 10 10.4  4 1", labels, rows,
                      positioners=pairs(STD_MOTORS, STD_POSITIONS))]
    return f, data, expected(f, data, "UTF-8 BOM before #F: the header is still recognised.", 1, scans,
                             file_diags=["BOM"], extra={
                                 "bom": True,
                                 "firstLine": "#F /home/epix/data/2014/0304/bom.spec",
                                 "headerEpoch": epoch(T(17, 30, 0)),
                                 "note": "line numbers count from the #F line (line 1); byteCount includes the "
                                         "3 BOM bytes; a rewrite must restore the BOM",
                             })


@fixture
def no_date():
    f = SpecFile("no_date.spec")
    header(f, T(10, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(10, 0.1, 4, 20, 121)
    s1 = scan_head(f, 1, "ascan  theta 10 10.3  3 1", None, labels)            # no #D at all
    rows_out(f, rows1)
    ep = epoch(T(10, 24, 5)) + 0.5
    rows2 = ascan_rows(10.4, 0.1, 4, 60, 122)
    s2 = scan_head(f, 2, "ascan  theta 10.4 10.7  3 1", "%.1f" % ep, labels)    # epoch #D
    rows_out(f, rows2)
    rows3 = ascan_rows(10.8, 0.1, 4, 100, 123)
    s3 = scan_head(f, 3, "ascan  theta 10.8 11.1  3 1", "Tue 2014/03/04 10:30:00", labels)  # non-standard
    rows_out(f, rows3)
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.3  3 1", labels, rows1, positioners=pos, diagnostics=["MISSING_DATE"]),
        exp_scan("2.1", s2, "ascan  theta 10.4 10.7  3 1", labels, rows2, positioners=pos),
        exp_scan("3.1", s3, "ascan  theta 10.8 11.1  3 1", labels, rows3, positioners=pos, diagnostics=["BAD_DATE"]),
    ]
    return f, data, expected(
        f, data, "A scan without #D and one with an epoch #D: date = null, epoch parsed.", 1, scans, extra={
            "dates": {"1.1": None, "2.1": {"raw": "%.1f" % ep, "epoch": ep, "utc": iso_utc(ep)}, "3.1": None},
            "rawDates": {"1.1": None, "2.1": "%.1f" % ep, "3.1": "Tue 2014/03/04 10:30:00"},
            "note": "scan 3.1 has a non-standard #D text (kept raw, date null, BAD_DATE)",
        })


@fixture
def dup_header_no_F():
    f = SpecFile("dup_header_no_F.spec")
    h1 = header(f, T(9, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(10, 0.1, 4, 20, 131)
    s1 = scan_head(f, 1, "ascan  theta 10 10.3  3 1", T(9, 1, 0), labels)
    rows_out(f, rows1)
    rows2 = ascan_rows(10.4, 0.1, 4, 60, 132)
    s2 = scan_head(f, 2, "ascan  theta 10.4 10.7  3 1", T(9, 2, 0), labels)
    rows_out(f, rows2)
    # a new header block starting with #E, directly after the data rows (no #F, no blank line)
    motors2 = [["Two Theta", "theta", "chi", "phi", "DCM Theta", "DCM Y1", "DCM Z2", "dslit bot"],
               ["samx", "samy", "samz"]]
    positions2 = [["20.3", "10.15", "-0.25", "45", "11.2034", "0.5", "-1.25", "2"], ["1.25", "-0.5", "3.0175"]]
    h2 = f.add("#E %d" % epoch(T(13, 0, 0)))
    f.add("#D %s" % asc(T(13, 0, 0)))
    f.add("#C dup_header_no_F  User = epix")
    f.add(o_line(0, motors2[0]))
    f.add(o_line(1, motors2[1]))
    rows3 = ascan_rows(10.8, 0.1, 4, 14500, 133)
    s3 = scan_head(f, 3, "ascan  theta 10.8 11.1  3 1", T(13, 1, 0), labels, positions=positions2)
    rows_out(f, rows3)
    rows4 = ascan_rows(1.0, 0.25, 5, 14540, 134)
    labels4 = ["samx", "Epoch", "Seconds", "I0", "det"]
    s4 = scan_head(f, 4, "ascan  samx 1 2  4 1", T(13, 2, 0), labels4, positions=positions2)
    rows_out(f, rows4)
    data = f.to_bytes()
    pos1 = pairs(STD_MOTORS, STD_POSITIONS)
    pos2 = pairs(motors2, positions2)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 10.3  3 1", labels, rows1, positioners=pos1),
        exp_scan("2.1", s2, "ascan  theta 10.4 10.7  3 1", labels, rows2, positioners=pos1),
        exp_scan("3.1", s3, "ascan  theta 10.8 11.1  3 1", labels, rows3, positioners=pos2),
        exp_scan("4.1", s4, "ascan  samx 1 2  4 1", labels4, rows4, positioners=pos2),
    ]
    return f, data, expected(
        f, data, "An #E header block directly after data rows starts a new header; later scans use its #O names.",
        2, scans, extra={
            "headers": [
                {"line": h1, "startsWith": "#F", "epoch": epoch(T(9, 0, 0)), "scanKeys": ["1.1", "2.1"]},
                {"line": h2, "startsWith": "#E", "epoch": epoch(T(13, 0, 0)), "scanKeys": ["3.1", "4.1"]},
            ],
            "scan2LastRowLine": h2 - 1,
        })


@fixture
def wrapped_rows():
    f = SpecFile("wrapped_rows.spec")
    pre = f.blank()                                   # leading blank line (preamble), no header at all
    labels = ["theta", "H", "K", "L", "Epoch", "Seconds", "I00", "mon", "trans", "filters", "corrdet",
              "imroi1", "signal", "I0", "I0"]
    assert len(labels) == 15
    unnamed = ["20.1", "10.05", "-0.25", "45", "11.2034", "1.25", "-0.5", "3.0175"]
    s1 = f.add("#S 1  ascan  theta 10 10.5  5 1")
    f.add("#D %s" % asc(T(10, 16, 40)))
    f.add("#T 1  (Seconds)")
    f.add("#P0 " + " ".join(unnamed))                  # #P0 without any #O anywhere
    f.add("#N 15 8")
    f.add("#L " + "  ".join(labels))
    nz = Noise(141)
    rows = []
    for i in range(6):
        th = 10 + 0.1 * i
        sig = nz.poisson_like(40 + 3000 * math.exp(-((i - 2.5) / 1.5) ** 2))
        i0 = nz.poisson_like(118000)
        row = [g(th), g(round(0.998 + 0.0001 * i, 6)), g(round(-0.0137 + 0.0007 * i, 6)), "11.0081",
               str(54 + 3 * i), "1", str(nz.poisson_like(860)), str(nz.poisson_like(2000)), "1", "0",
               g(round(sig * 1.02, 2)), str(nz.poisson_like(sig)), str(sig), str(i0), str(i0)]
        rows.append(row)
        f.add(" ".join(row[:8]))
        f.add(" ".join(row[8:]))
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "ascan  theta 10 10.5  5 1", labels, rows, unnamed=unnamed,
                      diagnostics=["P_WITHOUT_O", "DUPLICATE_LABEL"])]
    return f, data, expected(
        f, data, "#N 15 8 with every point on two lines (8 + 7 values), a duplicate label, #P0 without any #O, "
                 "a leading blank line and no header: 6 rows x 15 columns, unnamed positions with a diagnostic.",
        0, scans, file_diags=["NO_HEADER"], extra={
            "columns": 15,
            "valuesPerLine": 8,
            "physicalLinesPerRow": [8, 7],
            "aliases": labels[:-1] + ["I0_1"],
            "preambleLines": [pre],
            "header": None,
            "mustNotReport": ["ROW_TOO_SHORT", "ROW_TOO_LONG", "BROKEN_ROW", "N_L_MISMATCH"],
        })


@fixture
def broken_row_glued_comment():
    f = SpecFile("broken_row_glued_comment.spec")
    header(f, T(10, 5, 0))
    labels = ["Two Theta", "theta", "H", "K", "L", "Epoch", "Seconds", "I0", "I00", "mon", "trans", "filters",
              "corrdet"] + ["imroi%d" % i for i in range(1, 9)] + ["imsca%d" % i for i in range(1, 9)] + \
             ["temp_A", "temp_B", "ring_I", "elastic", "Kalpha", "pin", "diode", "vortex", "apd", "signal", "det"]
    assert len(labels) == 40
    K = 12

    def make_row(i, nz):
        th = 10 + 0.1 * i
        row = [g(round(2 * th, 4)), g(th), "1.0002", g(round(-0.02 + 0.002 * i, 5)), "3.0001",
               str(80 + 3 * i), "1", str(nz.poisson_like(119000)), str(nz.poisson_like(860)),
               str(nz.poisson_like(2000)), "1", "0", g(round(1.0 + 0.01 * i, 4))]
        row += [str(nz.poisson_like(400 + 50 * k)) for k in range(16)]
        row += ["24.98", "25.03", "102.3"]
        row += [str(nz.poisson_like(100 + 20 * k)) for k in range(8)]
        return row

    nz = Noise(151)
    rows = [make_row(i, nz) for i in range(K + 1)]
    s1 = scan_head(f, 1, "ascan  theta 10 12  20 1", T(10, 13, 40), labels)
    rows_out(f, rows[:K])
    broken = rows[K]
    frag1 = broken[:20]                      # the row being written when the scan was aborted
    frag2 = broken[20:22]                    # the rest of it, with the abort comment glued on
    abort_text = abort_comment(T(10, 15, 2), K)
    l_frag1 = f.add(" ".join(frag1))
    l_frag2 = f.add(" ".join(frag2) + "#C " + abort_text)
    labels2 = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows2 = ascan_rows(10, 0.5, 3, 700, 152)
    s2 = scan_head(f, 2, "ascan  theta 10 11  2 1", T(10, 17, 0), labels2)
    rows_out(f, rows2)
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 10 12  20 1", labels, rows[:K], positioners=pos, aborted_after=K,
                 diagnostics=["BROKEN_ROW", "GLUED_COMMENT"]),
        exp_scan("2.1", s2, "ascan  theta 10 11  2 1", labels2, rows2, positioners=pos),
    ]
    return f, data, expected(
        f, data, "A 40-column scan aborted after 12 points whose last row has about half its values and whose "
                 "fragment line carries the glued abort comment: 12 rows, one broken row, abort comment recovered.",
        1, scans, extra={
            "brokenRowTokens": frag1 + frag2,
            "brokenRowLines": [l_frag1, l_frag2],
            "abortComment": abort_text,
            "abortCommentLine": l_frag2,
            "gluedFragment": " ".join(frag2),
            "note": "the broken row is not a data row and not counted; its 22 tokens are reported raw",
        })


@fixture
def truncated_duplicate():
    f = SpecFile("truncated_duplicate.spec", eol="\r\n")
    header(f, T(10, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    rows1 = ascan_rows(9, 0.25, 5, 20, 161)
    s1 = scan_head(f, 1, "ascan  theta 9 10  4 1", T(10, 1, 0), labels)
    rows_out(f, rows1)
    full = ascan_rows(10, 0.1, 9, 60, 162)     # the 9 points measured before the abort
    cmd = "ascan  theta 10 11  10 1"
    s2a = scan_head(f, 2, cmd, T(10, 2, 0), labels)
    rows_out(f, full[:5])                       # truncated first copy: 5 rows, no comment
    s2b = scan_head(f, 2, cmd, T(10, 2, 0), labels, blank_before=False)   # directly after the last row
    rows_out(f, full)
    abort_text = abort_comment(T(10, 2, 25), 9)
    f.add("#C " + abort_text)
    rows3 = ascan_rows(11, 0.25, 5, 140, 163)
    s3 = scan_head(f, 3, "ascan  theta 11 12  4 1", T(10, 4, 0), labels)
    rows_out(f, rows3)
    data = f.to_bytes()
    pos = pairs(STD_MOTORS, STD_POSITIONS)
    scans = [
        exp_scan("1.1", s1, "ascan  theta 9 10  4 1", labels, rows1, positioners=pos),
        exp_scan("2.1", s2a, cmd, labels, full[:5], positioners=pos, diagnostics=["POSSIBLY_TRUNCATED"]),
        exp_scan("2.2", s2b, cmd, labels, full, positioners=pos, aborted_after=9),
        exp_scan("3.1", s3, "ascan  theta 11 12  4 1", labels, rows3, positioners=pos),
    ]
    return f, data, expected(
        f, data, "CRLF file where #S 2 appears twice, the first copy a truncated prefix of the second and the "
                 "second #S directly after the first copy's last row: two scans 2.1 and 2.2, 2.1 flagged.",
        1, scans, extra={
            "truncated": "2.1",
            "completeCopy": "2.2",
            "sharedPrefixRows": 5,
            "abortComment": abort_text,
            "mustNotReport": ["BROKEN_ROW"],
            "note": "never merge 2.1 and 2.2; 2.2 must not be flagged POSSIBLY_TRUNCATED",
        })


@fixture
def headerless_nan():
    f = SpecFile("headerless_nan.spec")
    motors_a = [["abs", "absx", "absz", "ath", "atth", "chi", "mth2", "mu"], ["phi", "s1dx"]]
    motors_b = [["abs", "absx", "absz", "ath", "atth", "chi", "mth2", "mu"], ["phi", "s1dx", "s1dy"]]
    pa = [["9.0", "1.5", "8.56255", "-7.90715", "-17.141", "-0.25", "12.4003", "0.0"], ["0.0", "0.5"]]
    pb = [["9.0", "1.5", "8.56255", "-7.90715", "-17.141", "-0.25", "12.5", "0.0"], ["0.0", "0.5", "0.25"]]
    labels = ["Pt_No", "mth2", "ct01", "ct02", "ct03", "dt"]
    scans, dates, first = [], {}, True

    def spock_scan(number, command, t, motors, positions, npts, seed):
        nonlocal first
        if not first:
            f.blank()
        first = False
        ep = epoch(t) + 0.25
        s = f.add("#S %d %s" % (number, command))          # spock: single space after the number
        f.add("#U p09user")
        f.add("#D %.2f" % ep)
        f.add("#C Acquisition started at %s" % t.strftime("%a %b %e %H:%M:%S %Y"))
        for i, names in enumerate(motors):
            f.add("#O%d %s" % (i, "  ".join(names)))
        for i, p in enumerate(positions):
            f.add("#P%d %s" % (i, " ".join(p)))
        f.add("#N %d" % len(labels))
        f.add("#L " + "  ".join(labels))
        nz = Noise(seed)
        start = float(command.split()[2]) + (12.4003 if command.startswith("dscan") else 0)
        stop = float(command.split()[3]) + (12.4003 if command.startswith("dscan") else 0)
        rows = []
        for i in range(npts):
            x = start + (stop - start) * i / max(1, npts - 1)
            rows.append([str(i), repr(round(x, 5)), "%.1f" % (1000 * 0.5), "%.1f" % nz.poisson_like(300),
                         "nan", repr(round(0.5 + 0.0123 * i, 4))])
        rows_out(f, rows)
        if npts:
            f.add("#C Acquisition ended at %s" % (t + datetime.timedelta(seconds=3 * npts)).strftime(
                "%a %b %e %H:%M:%S %Y"))
        dates["%d.1" % number] = {"raw": "%.2f" % ep, "epoch": ep, "utc": iso_utc(ep)}
        scans.append(exp_scan("%d.1" % number, s, command, labels, rows, positioners=pairs(motors, positions)))

    spock_scan(1, "dscan mth2 -0.01 0.01 4 0.5", T(10, 15, 2), motors_a, pa, 5, 171)
    spock_scan(2, "ascan mth2 12.0 12.5 10 0.5", T(10, 16, 30), motors_a, pa, 0, 172)   # header-only
    spock_scan(4, "ascan mth2 12.4 12.6 2 0.5", T(10, 20, 0), motors_b, pb, 3, 174)     # gap: no scan 3
    spock_scan(5, "ascan mth2 12.6 12.8 4 0.5", T(10, 21, 30), motors_b, pb, 0, 175)    # header-only
    f.blank()                                         # spock files end with "\n\n"
    data = f.to_bytes()
    return f, data, expected(
        f, data, "Spock-style file without #F/#E, per-scan #O/#P, epoch #D, an all-nan column, header-only "
                 "scans and a gap in the numbering: no header block, NaN (not 0), per-scan positioners.",
        0, scans, file_diags=["NO_HEADER"], extra={
            "nanColumn": "ct03",
            "nanColumnIndex": 4,
            "headerOnly": ["2.1", "5.1"],
            "scanNumbers": [1, 2, 4, 5],
            "dates": dates,
            "header": None,
            "positionerCounts": {"1.1": 10, "2.1": 10, "4.1": 11, "5.1": 11},
            "note": "the file ends with a blank line (\\n\\n); ct03 must be NaN in every row, never 0",
        })


@fixture
def spaced_labels_mca_calib():
    f = SpecFile("spaced_labels_mca_calib.spec")
    header(f, T(11, 0, 0))
    labels = ["Two Theta", "theta", "Epoch", "Live Time", "Ion Ch 1", "Ion Ch 2", "CuKa(mca1 R0)", "Fe Ka", "det"]
    rois = [("CuKa(mca1 R0)", 400, 440, None), ("Fe Ka (mca1 R1)", 390, 398, 1), ("pile up", 430, 447, None)]
    calib = ("0.0125", "0.00988", "1.2e-07")
    s1 = scan_head(f, 1, "a2scan  tth 20 20.8  th 10 10.4  4 1", T(11, 1, 0), labels,
                   count="#T 1  (Live Time)",
                   post_p=["#@MCA 16C", "#@CHANN 2048 384 447 1", "#@CALIB %s %s %s mca1" % calib,
                           "#@CTIME 1 0.982 1",
                           "#@ROI  CuKa(mca1 R0) 400 440", "#@ROI Fe Ka (mca1 R1) 390 398 1",
                           "#@ROI pile up 430 447"])
    nz = Noise(181)
    rows, first_sp, comment_line = [], None, None
    for i in range(5):
        sp = spectrum_tokens(64, 900 + i, 37, 200 + 40 * i, 3)   # 64 saved channels, peak near channel 421
        first_sp = first_sp or sp
        for line in mca_lines("@A", sp, 16):
            f.add(line)
        cu = sum(int(v) for v in sp[400 - 384:440 - 384 + 1])
        fe = sum(int(v) for v in sp[390 - 384:398 - 384 + 1])
        row = [g(20 + 0.2 * i), g(10 + 0.1 * i), str(62 + 2 * i), g(round(0.982 - 0.001 * i, 3)),
               str(nz.poisson_like(51000)), str(nz.poisson_like(23000)), str(cu), str(fe),
               str(nz.poisson_like(4000))]
        rows.append(row)
        f.add(" ".join(row))
        if i == 2:
            comment_line = f.add("#C %s.  beam dump, waiting for refill" % asc(T(11, 1, 20)))
    results = f.add("#R 421.7 3.05 ")
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "a2scan  tth 20 20.8  th 10 10.4  4 1", labels, rows,
                      positioners=pairs(STD_MOTORS, STD_POSITIONS), mca={"spectra": 5, "channels": 64, "devices": 1})]
    return f, data, expected(
        f, data, "Labels with single spaces, a counter name with a space in #T, a #C between data rows, "
                 "#@CALIB a b c mca1, #@ROI names with spaces and parentheses and #R after the data: labels intact, "
                 "comment kept at its row position, calibration plus device, ROIs parsed from the right.",
        1, scans, extra={
            "countTime": 1,
            "countTimeCounter": "Live Time",
            "comment": {"line": comment_line, "text": "%s.  beam dump, waiting for refill" % asc(T(11, 1, 20)),
                        "commentRow": 3},
            "calib": [val(c) for c in calib],
            "calibDevice": "mca1",
            "ctime": [1, 0.982, 1],
            "chann": {"total": 2048, "first": 384, "last": 447, "reduction": 1, "channels": 64},
            "rois": [{"name": n, "first": a, "last": b, "detector": d} for n, a, b, d in rois],
            "results": {"line": results, "text": "421.7 3.05", "values": [421.7, 3.05]},
            "firstSpectrumHead": vals(first_sp[:4]),
            "firstSpectrumSum": sum(map(int, first_sp)),
            "mustNotReport": ["LABEL_FALLBACK", "N_L_MISMATCH", "MCA_ROW_MISMATCH"],
            "note": "channel numbers of the saved spectrum are 384..447; #R belongs to scan 1.1; the ROI "
                    "'Fe Ka (mca1 R1) 390 398 1' is the 4-field form (detector 1)",
        })


@fixture
def mca_multi():
    f = SpecFile("mca_multi.spec")
    header(f, T(12, 30, 0))
    labels = ["samx", "Epoch", "Seconds", "I0", "mca1", "mca2", "mca3", "mca4"]
    post = ["#@MCA 256C", "#@CHANN 256 0 255 1"] + \
           ["#@CALIB 0 %s 0 mca%d" % (c, d) for d, c in zip(range(1, 5), ("0.0201", "0.0199", "0.0202", "0.02"))] + \
           ["#@CTIME 1 0.97 1"]
    s1 = scan_head(f, 1, "ascan  samx 0 1  2 1", T(12, 31, 0), labels, post_p=post)
    nz = Noise(191)
    rows, spectra = [], []
    for i in range(3):
        sums = []
        for d in range(1, 5):
            sp = spectrum_tokens(256, 2000 + 10 * i + d, 60 + 30 * d, 150 + 20 * i, 2)
            spectra.append((d, sp))
            sums.append(sum(map(int, sp)))
            f.add("@A%d %s" % (d, " ".join(sp)))          # each spectrum on one line
        row = [g(0.5 * i), str(60 + 2 * i), "1", str(nz.poisson_like(97000))] + [str(s) for s in sums]
        rows.append(row)
        f.add(" ".join(row))
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "ascan  samx 0 1  2 1", labels, rows, positioners=pairs(STD_MOTORS, STD_POSITIONS),
                      mca={"spectra": 12, "channels": 256, "devices": 4})]
    return f, data, expected(
        f, data, "Four 256-channel spectra per point (@A1...@A4, one line each): 4 devices, 256 channels each.",
        1, scans, extra={
            "devices": [1, 2, 3, 4],
            "spectraPerDevice": {"1": 3, "2": 3, "3": 3, "4": 3},
            "spectrumSums": [sum(map(int, sp)) for _, sp in spectra],
            "firstSpectrumHead": vals(spectra[0][1][:4]),
            "calibByDevice": {"mca1": [0, 0.0201, 0], "mca2": [0, 0.0199, 0], "mca3": [0, 0.0202, 0],
                              "mca4": [0, 0.02, 0]},
            "mustNotReport": ["MCA_ROW_MISMATCH"],
            "note": "spectrumSums are in file order (point 1: @A1..@A4, point 2: ...); the mca1..mca4 data "
                    "columns hold the same sums",
        })


@fixture
def sca_uxml_continued():
    f = SpecFile("sca_uxml_continued.spec")
    header(f, T(14, 0, 0))
    labels = ["theta", "Epoch", "Seconds", "sca1", "sca2", "sca3", "det"]
    continuations = []

    def cont(first, second):
        """A logical line split after a backslash glued to the text; the next line starts with a space."""
        a = f.add(first + "\\")
        b = f.add(second)
        continuations.append({"lines": [a, b], "joined": first + second})

    s1 = f.blank() + 1
    f.add("#S 1  ascan  theta 10 10.3  3 1")
    f.add("#D %s" % asc(T(14, 1, 0)))
    f.add("#T 1  (Seconds)")
    f.add("#P0 " + " ".join(STD_POSITIONS[0]))
    f.add('#UXML <group name="filter_box" NX_class="NXattenuator" prefix="14idb:fb:">')
    f.add('#UXML   <dataset name="foil_count" type="int">4</dataset>')
    cont('#UXML   <dataset name="beam_energy" type="float"', ' units="keV">10.00012</dataset>')
    f.add('#UXML   <hardlink name="foil1" target_id="14idb:fb:F1:"/>')
    f.add("#UXML </group>")
    cont("#@SCA 400 440 520 560 610 650 700 740", " 790 830 880 920")
    f.add("#N 7")
    f.add("#L " + "  ".join(labels))
    nz = Noise(201)
    rows = []
    for i in range(4):
        row = [g(10 + 0.1 * i), str(60 + 2 * i), "1"] + [str(nz.poisson_like(300 + 100 * k)) for k in range(3)] + \
              [str(nz.poisson_like(2500))]
        rows.append(row)
        f.add(" ".join(row))
    f.add('#UXML <group name="image_file" NX_class="NXnote" prefix="14PIL1:">')
    f.add('#UXML   <dataset name="file_path">/home/epix/data/2014/0304/images/S001/</dataset>')
    cont('#UXML   <dataset name="file_name"', ' description="last image written">sca_S001_00004</dataset>')
    f.add("#UXML </group>")
    data = f.to_bytes()
    scans = [exp_scan("1.1", s1, "ascan  theta 10 10.3  3 1", labels, rows,
                      positioners=pairs(STD_MOTORS, STD_POSITIONS))]
    uxml_logical = []
    for idx, (content, _) in enumerate(f.lines, start=1):
        text = content.decode()
        if text.startswith("#UXML"):
            joined = next((c["joined"] for c in continuations if c["lines"][0] == idx), text)
            uxml_logical.append(joined)
    return f, data, expected(
        f, data, "Backslash-continued #UXML and SCA control lines: each continuation is joined before "
                 "interpretation.", 1, scans, extra={
            "joinRule": "drop the trailing backslash and the line terminator, then append the next physical "
                        "line unchanged (its leading space is kept)",
            "continuations": continuations,
            "scaValues": [400, 440, 520, 560, 610, 650, 700, 740, 790, 830, 880, 920],
            "uxmlLogicalLines": uxml_logical,
            "uxmlPhysicalLineCount": sum(1 for c, _ in f.lines if c.startswith(b"#UXML")) + 2,
            "uxmlGroups": ["filter_box", "image_file"],
            "uxmlWellFormed": True,
            "mustNotReport": ["INVALID_UXML", "ROW_TOO_SHORT", "BROKEN_ROW", "NON_NUMERIC_TOKEN"],
            "note": "continuation lines are neither data rows nor separate control lines; two #UXML "
                    "continuations (one before and one after the data) and one #@SCA continuation",
        })


# ---------------------------------------------------------------------------
# other writers: input from SPEC writers other than the corpus's (CHESS, ESRF,
# APS 27, PyMca, Sardana, older SPEC).  Beyond the section-12 table: MCA lines
# keyed by a device name, '@A' keys with a tag, free text among the rows, and
# '#O' names in SPEC's fixed-width fields.  These expected files carry the
# top-level "feature" and the scan fields "mcaDevices", "declaredDevices" and
# "textLines" (see the module docstring).
# ---------------------------------------------------------------------------

OTHER_WRITERS = "other writers"


def when(year, month, day, h, m, s):
    """A local (naive) date-time; like T() but on any day."""
    return datetime.datetime(year, month, day, h, m, s)


def sparse_spectrum(n, seed, peaks, bg=0.02):
    """n integer counts of a low-rate detector: mostly 0 and 1, with Gaussian
    peaks given as (channel, height, width)."""
    nz = Noise(seed)
    out = []
    for ch in range(n):
        mean = bg + sum(a * math.exp(-((ch - c) / w) ** 2) for c, a, w in peaks)
        out.append(str(nz.poisson_like(mean)))
    return out


def keyed_mca_lines(key, tokens, per_line, lead=" ", last_end=""):
    """A spectrum '<key> v v ...' over lines of per_line values: every line but the
    last ends in a glued backslash; continuation lines start with ``lead`` (' ' as
    SPEC writes them, '' as some other writers do); ``last_end`` ends the last line."""
    chunks = [tokens[i:i + per_line] for i in range(0, len(tokens), per_line)]
    lines = []
    for i, chunk in enumerate(chunks):
        text = (key + " " if i == 0 else lead) + " ".join(chunk)
        lines.append(text + ("\\" if i < len(chunks) - 1 else last_end))
    return lines


def chann(total, first, last, reduction):
    return {"total": total, "first": first, "last": last, "reduction": reduction,
            "channels": (last - first) // reduction + 1}


def other_header(f, when_, title, user, motors, mnemonics=(), path=None, extra=()):
    """#F #E #D #C (+ extra) #O<n> (SPEC's %8s fields) #o<n>; returns the #F line number."""
    first = f.add("#F %s" % (path or "/home/%s/data/%s" % (user, f.name)))
    f.add("#E %d" % epoch(when_))
    f.add("#D %s" % asc(when_))
    f.add("#C %s  User = %s" % (title, user))
    for line in extra:
        f.add(line)
    for i, names in enumerate(motors):
        f.add(o_line(i, names))
    for i, mn in enumerate(mnemonics):
        f.add("#o%d %s" % (i, mn))
    return first


def exp_other(key, line, command, labels, rows, *, mca_devices=None, declared=None, text_lines=(), **kw):
    """exp_scan plus this section's fields: ``mcaDevices`` and ``declaredDevices`` when
    given, ``textLines`` always (an empty list says: no line of the scan is text)."""
    out = exp_scan(key, line, command, labels, rows, **kw)
    if mca_devices is not None:
        out["mcaDevices"] = [{"name": n, "spectra": s, "channels": list(c)} for n, s, c in mca_devices]
    if declared is not None:
        out["declaredDevices"] = list(declared)
    out["textLines"] = [{"line": n, "text": t} for n, t in text_lines]
    return out


def expected_other(f, data, purpose, header_count, scans, file_diags=(), extra=None):
    """expected() plus the top-level "feature": every check of the file is reported
    under "other writers"."""
    ex = expected(f, data, purpose, header_count, scans, file_diags, extra)
    out = {"fixture": ex.pop("fixture"), "purpose": ex.pop("purpose"), "feature": OTHER_WRITERS}
    out.update(ex)
    return out


def isums(tokens):
    return sum(map(int, tokens))


# channels at 0.01 keV (ketek), 0.0198 keV (vortex): K Ka, Fe Ka, Fe Kb, Cu Ka, Cu Kb
KETEK_PEAKS = [(331, 4, 9), (640, 40, 11), (706, 6, 11), (805, 22, 12), (890, 3, 12)]
VORTEX_PEAKS = [(323, 30, 6), (356, 5, 6), (406, 16, 6), (449, 3, 6)]


@fixture
def named_mca_devices():
    f = SpecFile("named_mca_devices.spec")
    motors = [["samx", "samy", "samz", "samth", "samphi", "detx", "detz", "att"],
              ["s1hg", "s1vg", "s1hc", "s1vc"]]
    mnemonics = ["samx samy samz samth samphi detx detz att", "s1hg s1vg s1hc s1vc"]
    h_time = when(2019, 7, 9, 14, 2, 11)
    other_header(f, h_time, "sample_a", "specuser", motors, mnemonics)
    positions1 = [["1.2", "-0.35", "0.05", "12.5", "0", "150", "-2.5", "0"], ["0.5", "0.2", "0", "0.1"]]
    positions2 = [["1.2", "-0.35", "0.05", "12.5", "0", "150", "-2.5", "1"], ["0.5", "0.2", "0", "0.1"]]

    # Scan 1: one device '@ketek' declared by '#@ketek %25C'; '#N 65' against 6 labels; each
    # point is its data row and then its spectrum (82 lines of 25 values, continuation lines
    # start with a space, the last one holds 23 values and has no trailing space).
    labels1 = ["icr", "ocr", "real", "live", "dead", "dtn"]
    cmd1 = "loopscan  4 1"
    post1 = ["#@ketek %25C", "#@CHANN 2048 0 2047 1", "#@CALIB 0 0.01 0"]
    s1 = scan_head(f, 1, cmd1, when(2019, 7, 9, 14, 5, 40), labels1, positions=positions1, post_p=post1, n=65)
    rows1 = [["31022.5", "29410.8", "0.80214", "0.83377", "-1.95501", "1.03114"],
             ["28801.2", "27005.9", "0.84490", "0.82731", "7.90026", "0.92207"],
             ["30457.7", "28896.1", "0.81752", "0.83010", "-1.53866", "1.02437"],
             ["29780.4", "28203.6", "0.82345", "0.82869", "3.41247", "0.98112"]]
    row_lines1, sp_lines1, spectra1 = [], [], []
    for i, row in enumerate(rows1):
        row_lines1.append(f.add(" ".join(row)))
        sp = sparse_spectrum(2048, 3100 + i, KETEK_PEAKS)
        spectra1.append(sp)
        lines = keyed_mca_lines("@ketek", sp, 25)
        assert len(lines) == 82 and len(lines[-1].split()) == 23
        sp_lines1.append(f.last + 1)
        for line in lines:
            f.add(line)

    # Scan 2: '@ketek' (2048 channels) and '@vortex' (1024), each declared with its own
    # #@CHANN/#@CALIB/#@CTIME, and '@falcon' declared but never written; continuation lines do
    # not start with a space; each point is its two spectra and then its data row.
    labels2 = ["samx", "Epoch", "Seconds", "I0", "ketek_icr", "ketek_ocr", "vortex_icr", "vortex_ocr"]
    cmd2 = "ascan  samx 1.2 1.5  3 0.5"
    post2 = ["#@ketek %25C", "#@CHANN 2048 0 2047 1", "#@CALIB 0 0.01 0", "#@CTIME 0.5 0.417 0.401",
             "#@vortex %25C", "#@CHANN 1024 0 1023 1", "#@CALIB 0.0121 0.0198 0", "#@CTIME 0.5 0.462 0.5",
             "#@falcon %25C", "#@CHANN 4096 0 4095 1"]
    s2 = scan_head(f, 2, cmd2, when(2019, 7, 9, 14, 9, 3), labels2, count="#T 0.5  (Seconds)",
                   positions=positions2, post_p=post2)
    nz = Noise(3400)
    rows2, row_lines2, sp_lines2, spectra2 = [], [], [], []
    for i in range(4):
        k = sparse_spectrum(2048, 3200 + i, KETEK_PEAKS)
        v = sparse_spectrum(1024, 3300 + i, VORTEX_PEAKS)
        k_lines = keyed_mca_lines("@ketek", k, 25, lead="", last_end=" ")
        v_lines = keyed_mca_lines("@vortex", v, 25, lead="")
        assert len(k_lines) == 82 and len(v_lines) == 41
        for key, sp, lines in (("@ketek", k, k_lines), ("@vortex", v, v_lines)):
            spectra2.append((key, sp))
            sp_lines2.append(f.last + 1)
            for line in lines:
                f.add(line)
        k_icr = nz.poisson_like(2 * isums(k) + 400)
        v_icr = nz.poisson_like(2 * isums(v) + 300)
        row = [g(round(1.2 + 0.1 * i, 4)), str(412 + 2 * i), "0.5", str(nz.poisson_like(51000)),
               "%.1f" % k_icr, "%.1f" % (k_icr * 0.951), "%.1f" % v_icr, "%.1f" % (v_icr * 0.972)]
        rows2.append(row)
        row_lines2.append(f.add(" ".join(row)))
    data = f.to_bytes()
    scans = [
        exp_other("1.1", s1, cmd1, labels1, rows1, positioners=pairs(motors, positions1),
                  mca={"spectra": 4, "channels": 2048, "devices": 1},
                  mca_devices=[("@ketek", 4, [2048])], declared=["@ketek"], diagnostics=["N_L_MISMATCH"]),
        exp_other("2.1", s2, cmd2, labels2, rows2, positioners=pairs(motors, positions2),
                  mca={"spectra": 8, "channels": 2048, "devices": 2},
                  mca_devices=[("@ketek", 4, [2048]), ("@vortex", 4, [1024])],
                  declared=["@ketek", "@vortex", "@falcon"], diagnostics=["MCA_DEVICE_UNWRITTEN"]),
    ]
    return f, data, expected_other(
        f, data, "MCA spectra keyed by device name (@ketek, @vortex) and declared by #@<name> %25C lines, "
                 "continued over lines that start with a space (scan 1) or not (scan 2); #N 65 against 6 "
                 "labels; a declared device that is never written: 4 and 8 spectra, no spectrum line a row.",
        1, scans, extra={
            "declarations": {
                "1.1": [{"name": "@ketek", "layout": "%25C", "chann": chann(2048, 0, 2047, 1),
                         "calib": [0, 0.01, 0], "ctime": None}],
                "2.1": [{"name": "@ketek", "layout": "%25C", "chann": chann(2048, 0, 2047, 1),
                         "calib": [0, 0.01, 0], "ctime": [0.5, 0.417, 0.401]},
                        {"name": "@vortex", "layout": "%25C", "chann": chann(1024, 0, 1023, 1),
                         "calib": [0.0121, 0.0198, 0], "ctime": [0.5, 0.462, 0.5]},
                        {"name": "@falcon", "layout": "%25C", "chann": chann(4096, 0, 4095, 1),
                         "calib": None, "ctime": None}],
            },
            "unwrittenDevices": {"1.1": [], "2.1": ["@falcon"]},
            "declaredColumns": {"1.1": 65, "2.1": 8},
            "rowLines": {"1.1": row_lines1, "2.1": row_lines2},
            "spectra": {
                "1.1": [{"device": "@ketek", "line": ln, "afterRow": i + 1, "sum": isums(sp)}
                        for i, (ln, sp) in enumerate(zip(sp_lines1, spectra1))],
                "2.1": [{"device": key, "line": ln, "afterRow": i // 2, "sum": isums(sp)}
                        for i, (ln, (key, sp)) in enumerate(zip(sp_lines2, spectra2))],
            },
            "firstSpectrumHead": {"1.1": vals(spectra1[0][:25]), "2.1": vals(spectra2[0][1][:25])},
            "physicalLinesPerSpectrum": {"@ketek": 82, "@vortex": 41},
            "mustNotReport": ["ROW_TOO_SHORT", "ROW_TOO_LONG", "BROKEN_ROW", "NON_NUMERIC_TOKEN", "TEXT_LINE",
                              "MCA_BAD_VALUE", "MCA_CHANNELS_MISMATCH", "MCA_UNTERMINATED", "MCA_ROW_MISMATCH"],
            "note": "a line ending in a backslash is continued by the next line, whether or not it starts with "
                    "a space; '#@ketek %25C' declares device @ketek (25 values per line, backslash "
                    "continuation) and the #@CHANN/#@CALIB/#@CTIME lines after it are its own; spectra follow "
                    "their row in 1.1 and precede it in 2.1 (afterRow = data rows before the spectrum); "
                    "#N 65 is reported, the 6 labels and 6-value rows are right; @falcon has no spectrum "
                    "and so no entry among the devices with spectra",
        })


@fixture
def at_A_tagged():
    f = SpecFile("at_A_tagged.spec")
    motors = [["samy", "samz", "sampy", "sampz", "detx", "att1", "att2", "mono"]]
    mnemonics = ["samy samz sampy sampz detx att1 att2 mono"]
    other_header(f, when(2021, 2, 23, 9, 30, 0), "xrf_map", "opid21", motors, mnemonics,
                 path="/data/visitor/ma0000/id00/%s" % f.name)
    positions = [["0", "-1.5", "48.25", "51.9", "60", "0", "1", "7.112"]]
    labels = ["samy", "Epoch", "Seconds", "I0", "fluo_sum", "det"]

    def points(scan, npts, n, first_saved, start, seed):
        rows, lines, spectra = [], [], []
        nz = Noise(seed)
        for i in range(npts):
            sp = sparse_spectrum(n, seed + 10 * i, [(c - first_saved, a, w) for c, a, w in
                                                    ((643, 60, 9), (805, 25, 10), (1025, 8, 11))], bg=0.05)
            spectra.append(sp)
            lines.append(f.last + 1)
            for line in mca_lines("@AMCA", sp, 16):      # SPEC style: leading space, trailing space
                f.add(line)
            row = [g(round(start + 0.1 * i, 4)), str(2 + 60 * scan + 2 * i), "2", str(nz.poisson_like(88000)),
                   str(isums(sp)), str(nz.poisson_like(1500))]
            rows.append(row)
            f.add(" ".join(row))
        return rows, lines, spectra

    # Scan 1: '@AMCA' spectra of 2048 channels (128 lines of 16), before their rows.
    cmd1 = "ascan  samy 0 0.2  2 2"
    s1 = scan_head(f, 1, cmd1, when(2021, 2, 23, 9, 31, 0), labels, count="#T 2  (Seconds)", positions=positions,
                   post_p=["#@MCA %16C", "#@CHANN 2048 0 2047 1", "#@CALIB 0.0215 0.00996 0"])
    rows1, lines1, spectra1 = points(1, 3, 2048, 0, 0, 3500)
    # Scan 2: channels 1024..2047 saved (#@CHANN 2048 1024 2047 1): 1024 values, 64 lines.
    cmd2 = "ascan  samy 0.3 0.4  1 2"
    s2 = scan_head(f, 2, cmd2, when(2021, 2, 23, 9, 32, 0), labels, count="#T 2  (Seconds)", positions=positions,
                   post_p=["#@MCA %16C", "#@CHANN 2048 1024 2047 1", "#@CALIB 0.0215 0.00996 0",
                           "#@CTIME 2 1.93 2"])
    rows2, lines2, spectra2 = points(2, 2, 1024, 1024, 0.3, 3600)
    data = f.to_bytes()
    pos = pairs(motors, positions)
    scans = [
        exp_other("1.1", s1, cmd1, labels, rows1, positioners=pos, mca={"spectra": 3, "channels": 2048, "devices": 1},
                  mca_devices=[("@AMCA", 3, [2048])], declared=[]),
        exp_other("2.1", s2, cmd2, labels, rows2, positioners=pos, mca={"spectra": 2, "channels": 1024, "devices": 1},
                  mca_devices=[("@AMCA", 2, [1024])], declared=[]),
    ]
    return f, data, expected_other(
        f, data, "@AMCA spectra (the tag MCA stuck to @A) with #@MCA %16C and #@CHANN: the tag is part of the "
                 "key, not a value; 2048 (scan 1) and 1024 (scan 2, channels 1024-2047) channels.",
        1, scans, extra={
            "key": "@AMCA",
            "chann": {"1.1": chann(2048, 0, 2047, 1), "2.1": chann(2048, 1024, 2047, 1)},
            "physicalLinesPerSpectrum": {"1.1": 128, "2.1": 64},
            "spectra": {
                "1.1": [{"line": ln, "afterRow": i, "sum": isums(sp)} for i, (ln, sp) in enumerate(zip(lines1, spectra1))],
                "2.1": [{"line": ln, "afterRow": i, "sum": isums(sp)} for i, (ln, sp) in enumerate(zip(lines2, spectra2))],
            },
            "firstSpectrumHead": vals(spectra1[0][:16]),
            "mustNotReport": ["MCA_BAD_VALUE", "NON_NUMERIC_TOKEN", "MCA_CHANNELS_MISMATCH", "MCA_UNTERMINATED",
                              "MCA_ROW_MISMATCH", "MCA_DEVICE_UNWRITTEN", "ROW_TOO_SHORT", "BROKEN_ROW", "TEXT_LINE"],
            "note": "'#@MCA %16C' is SPEC's own layout keyword, not a device declaration (declaredDevices is "
                    "empty); the fluo_sum column holds each spectrum's sum",
        })


@fixture
def text_lines():
    f = SpecFile("text_lines.spec")
    motors = [["Energy", "samx", "samz", "tth", "th", "filters", "und_gap", "slit_v"]]
    h1 = when(2018, 6, 11, 22, 50, 50)         # #E: Epoch 39001.842 is 9:40:51.842 next morning
    other_header(f, h1, "sample_b", "specuser", motors, ["energy samx samz tth th filters undgap slitv"],
                 path="/home/specuser/data/2018/0612/sample_b")
    positions = [["8.12", "1.20004", "-0.300011", "18.5012", "9.2506", "0", "11.482", "0.05"]]

    # Scan 1 (SPEC numbers): text before the first row, between rows and after the rows, where
    # the writer wrapped a comment and its second line has no '#C'.
    labels1 = ["Energy", "samx", "samz", "tth", "Epoch", "filters", "I0"]
    cmd1 = "Escan  8.12 8.136  8 1"
    s1 = scan_head(f, 1, cmd1, when(2018, 6, 12, 9, 40, 50), labels1, positions=positions)
    rows1 = [["8.12", "1.20004", "-0.300011", "18.5012", "39001.842", "0", "2983107"],
             ["8.1202", "1.20004", "-0.300011", "18.5012", "39005.267", "0", "2982511"],
             ["8.1205", "1.20004", "-0.300011", "18.5012", "39008.691", "0", "2982203"],
             ["8.1207", "1.20004", "-0.300011", "18.5012", "39012.115", "0", "2981744"]]
    texts, text_rows, row_lines1 = [], [], []

    def text(t, after):
        texts.append((f.add(t), t))
        text_rows.append(after)

    text("shutter closed, waiting for beam", 0)
    row_lines1 += [f.add(" ".join(rows1[0])), f.add(" ".join(rows1[1]))]
    text("1 point repeated after a beam dump", 2)        # 7 words, as many as a row has values
    row_lines1 += [f.add(" ".join(rows1[2])), f.add(" ".join(rows1[3]))]
    t_abort = when(2018, 6, 12, 9, 41, 2)
    abort_line = f.add("#C " + abort_comment(t_abort, 4))
    wrap_line = f.add("#C %s." % asc(t_abort))
    text("spectrum data is saved at sample_b.spm3.", 4)

    # Scan 2 (bluesky, under its own header): rows holding None, True, a quoted string and a
    # list; every one of them is a row.
    h2_time = when(2018, 6, 12, 10, 2, 2)
    f.blank()
    f.add("#F /home/specuser/data/2018/0612/sample_b")
    f.add("#E %d" % epoch(h2_time))
    f.add("#D %s" % asc(h2_time))
    f.add("#C Bluesky  user = specuser  host = xrf-ws2")
    t2 = when(2018, 6, 12, 10, 2, 19)
    uid = "7d4c3b1e-5a2f-4c8e-9b61-0f2e8a9d3c57"
    cmd2 = "scan(detectors=['noisy', 'flag', 'note', 'roi'], num=5, args=['m1', -1, 1], per_step=None)"
    md = [("uid", uid), ("APSTOOLS_VERSION", "1.0.2"), ("BLUESKY_VERSION", "1.3.3"), ("OPHYD_VERSION", "1.2.0"),
          ("beamline_id", "xrf test bench"), ("detectors", "['noisy', 'flag', 'note', 'roi']"),
          ("login_id", "specuser@xrf-ws2"), ("pid", "20731")]
    labels2 = ["Epoch_float", "Epoch", "m1", "noisy", "flag", "note", "roi"]
    s2 = scan_head(f, 2, cmd2, t2, labels2, count=None, positions=(),
                   pre=["#C %s.  plan_type = generator" % asc(t2), "#C %s.  uid = %s" % (asc(t2), uid)] +
                       ["#MD %s = %s" % kv for kv in md])
    # As apstools v1 wrote them: None, booleans, str() of lists and strings straight into the row
    # (a column of each kind, None where the signal had no value); row 3 holds more literals
    # than numbers.
    rows2 = [["0.5120411396026611", "1", "-1.0", "1043.2", "None", "None", "None"],
             ["1.0342316627502441", "1", "-0.5", "2871.9", "True", "'abc'", "None"],
             ["1.5529708862304688", "2", "0.0", "9930.4", "True", "None", "[1, 2, 3]"],
             ["2.0714287757873535", "2", "0.5", "None", "False", "None", "[1, 2, 3]"],
             ["2.5901100635528564", "3", "1.0", "1102.6", "None", "None", "None"]]
    row_lines2 = [f.add(" ".join(r)) for r in rows2]
    t2_end = when(2018, 6, 12, 10, 2, 24)
    f.add("#C %s.  num_events_primary = 5" % asc(t2_end))
    f.add("#C %s.  exit_status = success" % asc(t2_end))
    data = f.to_bytes()
    metadata = {"uid": uid, "APSTOOLS_VERSION": "1.0.2", "BLUESKY_VERSION": "1.3.3", "OPHYD_VERSION": "1.2.0",
                "beamline_id": "xrf test bench", "detectors": ["noisy", "flag", "note", "roi"],
                "login_id": "specuser@xrf-ws2", "pid": 20731}
    scans = [
        exp_other("1.1", s1, cmd1, labels1, rows1, positioners=pairs(motors, positions), aborted_after=4,
                  text_lines=texts, diagnostics=["TEXT_LINE"]),
        exp_other("2.1", s2, cmd2, labels2, rows2, metadata=metadata),
    ]
    return f, data, expected_other(
        f, data, "Free text inside a scan is not a data row: a line before the first row, one between rows and "
                 "the second line of a wrapped comment after the abort are text (kept, reported, not counted); "
                 "bluesky rows holding None, True, 'abc' and [1, 2, 3] are all rows.",
        2, scans, extra={
            "textLineRows": {"1.1": text_rows},
            "rowLines": {"1.1": row_lines1, "2.1": row_lines2},
            "abortComment": {"line": abort_line, "text": abort_comment(t_abort, 4)},
            "wrappedComment": {"lines": [wrap_line, texts[-1][0]],
                               "text": ["%s." % asc(t_abort), texts[-1][1]]},
            "literalRows": {"2.1": [1, 2, 3]},
            "literalTokens": {"2.1": [[t for t in r[3:] if t != "None" and not INT_RE.fullmatch(t)
                                       and not t.replace(".", "", 1).isdigit()] for r in rows2]},
            "numEventsPrimary": {"2.1": 5},
            "mustNotReport": ["ROW_TOO_SHORT", "BROKEN_ROW", "GLUED_COMMENT", "BLUESKY_EVENT_COUNT"],
            "note": "textLineRows = data rows before each text line of 1.1; a text line's bytes stay in the "
                    "file model (byte-exact rewrite); scan 2.1 is bluesky-written (#MD, '#C ... uid =', "
                    "Epoch_float  Epoch), so Python literals are values: no line of it is text",
        })


@fixture
def fixed_width_O():
    f = SpecFile("fixed_width_O.spec")
    # Header rows in SPEC's layout ('#O<n> ' then '%8s' names two spaces apart): row 0 has
    # names with one inner space that overflow 8 characters, row 1 plain names, row 2 a name
    # with two inner spaces ('Tab  rot', exactly 8 characters) and a 10-character name.
    motors = [["Two Theta", "theta", "chi", "phi", "DCM Theta", "DCM Y1", "DCM Z2", "dslit bot"],
              ["s4hgap", "s4vgap", "s4hcen", "s4vcen", "samx", "samy", "samz", "samphi"],
              ["Tab  rot", "DIFFRtable", "t_vert", "ss1lo", "ss1hi", "ss1gap", "ss1off", "piezo"],
              ["chopx", "spinner", "gas_1", "gas_2"]]
    mnemonics = ["tth th chi phi dcmth dcmy1 dcmz2 dslitb", "s4hg s4vg s4hc s4vc samx samy samz samphi",
                 "tabrot dtab tvert ss1lo ss1hi ss1gap ss1off piezo", "chopx spin gas1 gas2"]
    other_header(f, when(2021, 2, 23, 13, 0, 0), "diffr", "specuser", motors, mnemonics)
    assert f.lines[6][0] == (b"#O2 Tab  rot  DIFFRtable    t_vert     ss1lo     ss1hi    ss1gap    ss1off     piezo")
    assert f.lines[7][0] == b"#O3    chopx   spinner     gas_1     gas_2"
    labels = ["theta", "Epoch", "Seconds", "I0", "det"]
    positions1 = [["40.1", "20.05", "-0.5", "90", "11.2034", "0.15", "-2.5", "0.25"],
                  ["2", "0.5", "0", "0.1", "1.25", "-0.5", "3.0175", "0"],
                  ["12.5", "3.25", "-0.5", "40", "30", "70", "5", "0"],
                  ["1.5", "200", "20", "15"]]
    cmd1 = "ascan  th 20 20.5  5 1"
    s1 = scan_head(f, 1, cmd1, when(2021, 2, 23, 13, 1, 0), labels, positions=positions1)
    rows1 = ascan_rows(20, 0.1, 6, 60, 3700)
    rows_out(f, rows1)
    positions2 = [["40.3", "20.15", "-0.5", "90", "11.2034", "0.15", "-2.5", "0.25"],
                  ["2", "0.5", "0", "0.1", "1.25", "-0.5", "3.0175", "0"],
                  ["-7.75", "3.25", "-0.45", "40", "30", "70", "5", "0.002"],
                  ["1.5", "180", "20", "15"]]
    labels2 = ["chopx", "Epoch", "Seconds", "I0", "det"]
    cmd2 = "dscan  chopx -0.5 0.5  4 1"
    s2 = scan_head(f, 2, cmd2, when(2021, 2, 23, 13, 4, 0), labels2, positions=positions2)
    rows2 = ascan_rows(1.0, 0.25, 5, 240, 3701)
    rows_out(f, rows2)
    # Scan 3 carries its own #O0..#O3 (header-less style) in the same fixed-width layout: names
    # with two inner spaces first, in the middle and last in a row, overflowing names (one of
    # them with one inner space), a row of plain names, trailing spaces after the last row.
    motors3 = [["Tab  rot", "Tab  y", "Two Theta", "cryostat_T", "samx", "samy", "samz", "Hex  Rz"],
               ["s4hgap", "s4vgap", "s4hcen", "s4vcen", "detz", "detx", "mono", "att"],
               ["Hex  Tx", "Hex  Ty", "Hex  Tz", "Hex  Rx", "Hex  Ry", "DIFFRtable", "t_vert", "piezo"],
               ["chopx", "spinner", "gas_1", "gas_2"]]
    o3 = [o_line(i, names) for i, names in enumerate(motors3)]
    o3[3] += "  "
    positions3 = [["-12.5", "0.75", "35.2", "295.1", "1.25", "-0.5", "3.0175", "0.02"],
                  ["1", "0.2", "0", "0.05", "320", "-12", "7.112", "2"],
                  ["0.001", "-0.002", "0.5", "0", "0", "3.25", "-0.5", "0"],
                  ["1.5", "200", "20", "15"]]
    labels3 = ["samx", "Epoch", "Seconds", "I0", "det"]
    cmd3 = "ascan  samx 1 2  4 1"
    s3 = scan_head(f, 3, cmd3, when(2021, 2, 23, 13, 7, 0), labels3, pre=o3, positions=positions3)
    rows3 = ascan_rows(1, 0.25, 5, 420, 3702)
    rows_out(f, rows3)
    data = f.to_bytes()
    scans = [
        exp_other("1.1", s1, cmd1, labels, rows1, positioners=pairs(motors, positions1)),
        exp_other("2.1", s2, cmd2, labels2, rows2, positioners=pairs(motors, positions2)),
        exp_other("3.1", s3, cmd3, labels3, rows3, positioners=pairs(motors3, positions3),
                  diagnostics=["O_FIXED_WIDTH"]),
    ]
    return f, data, expected_other(
        f, data, "#O names in SPEC's fixed-width fields (%8s, two spaces apart), some holding two inner spaces "
                 "(Tab  rot) or overflowing 8 characters (Two Theta, DIFFRtable), in the header and in a scan's "
                 "own #O rows: every name is paired with its #P value, row by row.",
        1, scans, extra={
            "motorNames": {"header": [n for row in motors for n in row],
                           "3.1": [n for row in motors3 for n in row]},
            "twoInnerSpaces": {"header": ["Tab  rot"],
                               "3.1": [n for row in motors3 for n in row if "  " in n]},
            "fixedWidthRows": {"header": [2], "3.1": [0, 2]},
            "rawORows": {"header": [o_line(i, names) for i, names in enumerate(motors)], "3.1": o3},
            "motorMnemonics": " ".join(mnemonics).split(),
            "positionerCounts": {"1.1": 28, "2.1": 28, "3.1": 28},
            "mustNotReport": ["P_O_MISMATCH", "O_SPLIT_AMBIGUOUS", "MNEMONIC_MISMATCH", "LABEL_FALLBACK",
                              "P_WITHOUT_O"],
            "note": "fixedWidthRows: #O rows whose two-space split cuts a name (every other row reads the same "
                    "either way); a name that overflows its 8-character field pushes the later fields right; "
                    "scan 3.1's names come from its own #O rows, not the header's; motorMnemonics are the "
                    "header's #o names in #O order (scans 1.1 and 2.1)",
        })


# ---------------------------------------------------------------------------
# JSON output: readable, deterministic, scalar lists on one line
# ---------------------------------------------------------------------------


def dumps(o, ind=0):
    sp = "  "
    if isinstance(o, dict):
        if not o:
            return "{}"
        items = ["%s%s: %s" % (sp * (ind + 1), json.dumps(k, ensure_ascii=False), dumps(v, ind + 1))
                 for k, v in o.items()]
        return "{\n" + ",\n".join(items) + "\n" + sp * ind + "}"
    if isinstance(o, list):
        if not o:
            return "[]"
        if all(not isinstance(x, (dict, list)) for x in o):
            return json.dumps(o, ensure_ascii=False, allow_nan=False)
        items = [sp * (ind + 1) + dumps(x, ind + 1) for x in o]
        return "[\n" + ",\n".join(items) + "\n" + sp * ind + "]"
    return json.dumps(o, ensure_ascii=False, allow_nan=False)


def main(argv):
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for fn in FIXTURES:
        f, data, exp = fn()
        assert exp["fixture"] == f.name
        (out / f.name).write_bytes(data)
        (out / (f.name + ".expected.json")).write_bytes((dumps(exp) + "\n").encode("utf-8"))
        print("%-36s %7d bytes  %3d lines  %d scan(s)" % (f.name, len(data), len(f.lines), exp["scanCount"]))


if __name__ == "__main__":
    main(sys.argv)
