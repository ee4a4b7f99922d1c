#!/usr/bin/env python3
"""Read SPEC files with silx, the reader of PyMca and of ESRF's tools, and report what it sees.

Usage: silx_read.py [--mca] FILE...

Prints one JSON object to stdout:
  {"silx": version, "files": [{"path", "error", "scans": [scan, ...]}]}
with, for each scan in file order:
  {"index", "number", "order", "labels", "columns", "motorNames", "motorPositions", "mcaCount",
   "error", "messages"}
"columns" is silx's data array column by column (one list per data column, as silx counts the
columns of the rows, not the labels). Numbers are JSON numbers (Python's float repr, which reads
back exactly), except NaN and the infinities, written as the strings "nan", "inf", "-inf".
With --mca, each scan also has "mca": every spectrum silx reads, as a list of numbers.
"error" is the exception silx raised for the file or scan (else null), or the signal that ended
the reading process when silx's C library crashed on the file, so that a silx failure is a
visible finding rather than the end of this script. "messages" are what silx printed (its C
library writes "Error on scan N line M" to stdout when it drops a row) or logged while reading
the scan.

Exits 0 after printing the report, 2 when silx or numpy is missing (with the apt-get command).
Needs the Debian package python3-silx (which brings python3-numpy).
"""

import ctypes
import json
import logging
import math
import os
import signal
import sys
import tempfile
import traceback

try:
    import silx
    from silx.io.specfile import SpecFile
except ImportError as error:
    sys.stderr.write(
        f"silx_read.py: cannot import silx.io.specfile with {sys.executable} ({error}); "
        "install the Debian package: apt-get install -y python3-silx\n"
    )
    sys.exit(2)


def number(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


class Collect(logging.Handler):
    """Keeps silx's log records for the scan being read."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


class CapturedStdout:
    """Sends file descriptor 1 to a temporary file, so the C library's printf output can be read
    back per scan and cannot mix with the JSON report (written to a copy of the real stdout)."""

    def __init__(self):
        self.libc = ctypes.CDLL(None)
        self.report = os.fdopen(os.dup(1), "w")
        self.buffer = tempfile.TemporaryFile()
        os.dup2(self.buffer.fileno(), 1)

    def take(self):
        sys.stdout.flush()
        self.libc.fflush(None)
        self.buffer.seek(0)
        text = self.buffer.read().decode("utf-8", "replace")
        self.buffer.seek(0)
        self.buffer.truncate()
        return [line for line in text.splitlines() if line.strip()]


def read_scan(specfile, index, collect, stdout, spectra):
    scan_report = {
        "index": index,
        "number": None,
        "order": None,
        "labels": None,
        "columns": None,
        "motorNames": None,
        "motorPositions": None,
        "mcaCount": None,
        "error": None,
        "messages": [],
    }
    try:
        scan = specfile[index]
        scan_report["number"] = int(scan.number)
        scan_report["order"] = int(scan.order)
        scan_report["labels"] = list(scan.labels)
        scan_report["motorNames"] = list(scan.motor_names)
        scan_report["motorPositions"] = [number(x) for x in scan.motor_positions]
        data = scan.data
        # silx transposes the rows it read: data[c] is column c. An empty scan gives shape (0, 0).
        scan_report["columns"] = [[number(x) for x in column] for column in data.tolist()]
        scan_report["mcaCount"] = len(scan.mca)
        if spectra:
            scan_report["mca"] = [[number(x) for x in spectrum] for spectrum in scan.mca]
    except Exception as error:  # every silx failure is a finding for the test
        scan_report["error"] = f"{type(error).__name__}: {error}"
    scan_report["messages"] = stdout.take() + collect.messages
    collect.messages = []
    return scan_report


def read_file(path, collect, stdout, spectra):
    file_report = {"path": path, "error": None, "scans": []}
    try:
        specfile = SpecFile(path)
        count = len(specfile)
    except Exception as error:
        file_report["error"] = f"{type(error).__name__}: {error}"
        return file_report
    file_report["scans"] = [
        read_scan(specfile, i, collect, stdout, spectra) for i in range(count)
    ]
    specfile.close()
    return file_report


def read_files_isolated(paths, collect, stdout, spectra):
    """Reads the files in a forked child that reports each file as one JSON line: silx's C library
    overflows fixed buffers on some input (a "stack smashing detected" abort), and that must be a
    finding about the file, not the end of the run. After a crash a new child goes on with the
    next file. (Forking costs tens of milliseconds here, so not one child per file.)"""
    reports = []
    while len(reports) < len(paths):
        remaining = paths[len(reports):]
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            # The child must never return into the parent's loop, whatever happens.
            status = 0
            try:
                os.close(reader)
                with os.fdopen(writer, "w") as pipe:
                    for path in remaining:
                        report = read_file(path, collect, stdout, spectra)
                        pipe.write(json.dumps(report, allow_nan=False) + "\n")
                        pipe.flush()
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        os.close(writer)
        with os.fdopen(reader) as pipe:
            reports.extend(json.loads(line) for line in pipe)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and len(reports) < len(paths):
            name = signal.Signals(os.WTERMSIG(status)).name
            printed = " ".join(stdout.take())
            error = f"silx crashed with {name}" + (f" after printing: {printed}" if printed else "")
            reports.append({"path": paths[len(reports)], "error": error, "scans": []})
        elif len(reports) < len(paths):
            raise RuntimeError(f"the reading process ended with status {status} before the end")
    return reports


def main(arguments):
    spectra = "--mca" in arguments
    paths = [argument for argument in arguments if argument != "--mca"]
    collect = Collect()
    logger = logging.getLogger("silx")
    logger.addHandler(collect)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    stdout = CapturedStdout()
    files = read_files_isolated(paths, collect, stdout, spectra)
    json.dump({"silx": silx.version, "files": files}, stdout.report, allow_nan=False)
    stdout.report.write("\n")
    stdout.report.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
