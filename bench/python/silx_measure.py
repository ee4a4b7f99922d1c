"""One silx measurement in a fresh process (the counterpart of bench/src/measure.ts).

usage: silx_measure.py open|data|mca FILE   -> JSON {seconds, maxRssMb, ...}
       silx_measure.py child CMD ARG...     -> JSON {seconds, maxRssMb} of a child process
"""
import json
import resource
import subprocess
import sys
import time


def rss_mb(who):
    return resource.getrusage(who).ru_maxrss / 1024.0


def measure(mode, path):
    from silx.io.specfile import SpecFile  # noqa: imported here so `child` needs no silx

    start = time.perf_counter()
    extra = {}
    if mode == "open":
        sf = SpecFile(path)
        keys = sf.keys()
        extra["scans"] = len([sf.command(i) for i in range(len(keys))])
    elif mode == "data":
        sf = SpecFile(path)
        cells = 0
        checksum = 0.0
        for key in sf.keys():
            data = sf[key].data  # numpy array, columns x rows
            cells += data.size
            checksum += float(data.sum())
        extra["cells"] = cells
        extra["checksum"] = checksum
    elif mode == "mca":
        sf = SpecFile(path)
        spectra = 0
        channels = 0
        for key in sf.keys():
            mca = sf[key].mca
            for i in range(len(mca)):
                spectrum = mca[i]
                spectra += 1
                channels += len(spectrum)
        extra["spectra"] = spectra
        extra["channels"] = channels
    else:
        raise SystemExit("unknown mode " + mode)
    seconds = time.perf_counter() - start
    return dict(seconds=seconds, maxRssMb=rss_mb(resource.RUSAGE_SELF), **extra)


def child(argv):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return dict(seconds=time.perf_counter() - start, maxRssMb=rss_mb(resource.RUSAGE_CHILDREN))


if __name__ == "__main__":
    mode = sys.argv[1]
    result = child(sys.argv[2:]) if mode == "child" else measure(mode, sys.argv[2])
    print(json.dumps(result))
