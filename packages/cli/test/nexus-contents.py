"""What a NeXus file written by `specx to-nexus` holds, read with h5py as an analysis script would.

usage: nexus-contents.py FILE.h5  -> JSON on stdout:
  {"entries": [{"name", "default": {"valid": bool, "signal", "path"},
                "columns": [[spec_name, [values...], shape, axis]],  # `data`'s columns, file order;
                                                         # axis: the dimension a mesh axis spans
                "positioners": [[name, value]],          # instrument/positioners, file order
                "spectra": [[values...]]}]}              # every MCA spectrum, file order
Children are listed in creation order (the file tracks it), through h5py's low-level API: h5py's
own keys() sorts them by name. NaN is written as null.
"""
import json
import math
import sys

import h5py
import numpy
from silx.io import nxdata


def in_creation_order(group):
    names = []
    try:
        group.id.links.iterate(lambda name: names.append(name.decode("utf-8")),
                               idx_type=h5py.h5.INDEX_CRT_ORDER)
    except (ValueError, RuntimeError):
        names = [n.encode("utf-8") for n in group.keys()]
        names = [n.decode("utf-8") for n in names]
    return names


def plain(values):
    out = []
    for v in numpy.asarray(values, dtype=float).ravel().tolist():
        out.append(None if math.isnan(v) or math.isinf(v) else v)
    return out


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, numpy.ndarray):
        return text(value.ravel()[0])
    return str(value)


def spectra_of(entry):
    """MCA spectra: every NXdata of the entry whose signal is a spectrum array (2-D or more,
    or the compat `_mca*_` datasets), row by row in file order."""
    found = []
    for name in in_creation_order(entry):
        group = entry.get(name)
        if not isinstance(group, h5py.Group) or text(group.attrs.get("NX_class", "")) != "NXdata":
            continue
        for child in in_creation_order(group):
            if not (child.startswith("_mca") and child.endswith("_")) or "channel" in child:
                continue
            data = numpy.asarray(group[child])
            rows = data.reshape(-1, data.shape[-1]) if data.ndim >= 1 else data.reshape(1, -1)
            found.extend(plain(row) for row in rows)
    return found


def main(path):
    result = {"entries": []}
    with h5py.File(path, "r") as f:
        for name in in_creation_order(f):
            entry = f[name]
            default = nxdata.get_default(entry)
            record = {
                "name": name,
                "default": {
                    "valid": default is not None and default.is_valid,
                    "signal": None if default is None else default.signal_dataset_name,
                    "path": None if default is None else default.group.name,
                },
                "columns": [],
                "positioners": [],
                "spectra": spectra_of(entry),
            }
            data = entry.get("data")
            if isinstance(data, h5py.Group):
                axes = data.attrs.get("axes", [])
                axes = [text(a) for a in (axes if isinstance(axes, numpy.ndarray) else [axes])]
                for child in in_creation_order(data):
                    dataset = data[child]
                    if isinstance(dataset, h5py.Dataset) and "spec_name" in dataset.attrs:
                        # A mesh's axes are its grid lines: which dimension each one spans.
                        axis = axes.index(child) if len(axes) > 1 and child in axes else None
                        record["columns"].append([text(dataset.attrs["spec_name"]),
                                                  plain(dataset[()]), list(dataset.shape), axis])
            positioners = entry.get("instrument/positioners")
            if isinstance(positioners, h5py.Group):
                for child in in_creation_order(positioners):
                    motor = positioners[child]
                    record["positioners"].append([text(motor["name"][()]), plain(motor["value"][()])[0]])
            result["entries"].append(record)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
