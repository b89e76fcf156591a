#!/usr/bin/python3
"""Exits 0 when two darktrack histories hold the same data: every dimension, every variable
(values, types, attributes; NaN equals NaN) and every global attribute except provenance
(who ran it, when, how). Prints each difference otherwise.

usage: same_history.py HISTORY OTHER
"""

import sys

try:
    import netCDF4
    import numpy as np
except ImportError as missing:
    print("skipped: %s (install python3-netcdf4)" % missing)
    sys.exit(77)

# Attributes that say how a file came to be, not what it holds.
PROVENANCE = {"title", "source", "history", "date_created", "darktrack_version",
              "darktrack_git_revision", "library_versions", "command_line", "input_files"}


def same_value(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def differences(path_a, path_b):
    out = []
    with netCDF4.Dataset(path_a) as a, netCDF4.Dataset(path_b) as b:
        for ds in (a, b):
            ds.set_auto_mask(False)
        sizes_a = {n: len(d) for n, d in a.dimensions.items()}
        sizes_b = {n: len(d) for n, d in b.dimensions.items()}
        if sizes_a != sizes_b:
            out.append("dimensions %s != %s" % (sizes_a, sizes_b))
        if set(a.variables) != set(b.variables):
            out.append("variables differ: %s" % sorted(set(a.variables) ^ set(b.variables)))
        for name in sorted(set(a.variables) & set(b.variables)):
            va, vb = a.variables[name], b.variables[name]
            if not same_value(va[:], vb[:]):
                out.append("variable %s differs" % name)
            for attr in set(va.ncattrs()) | set(vb.ncattrs()):
                if attr not in va.ncattrs() or attr not in vb.ncattrs() or \
                        not same_value(va.getncattr(attr), vb.getncattr(attr)):
                    out.append("attribute %s:%s differs" % (name, attr))
        for attr in sorted((set(a.ncattrs()) | set(b.ncattrs())) - PROVENANCE):
            if attr not in a.ncattrs() or attr not in b.ncattrs() or \
                    not same_value(a.getncattr(attr), b.getncattr(attr)):
                out.append("global attribute %s differs" % attr)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    found = differences(sys.argv[1], sys.argv[2])
    for line in found:
        print("%s vs %s: %s" % (sys.argv[1], sys.argv[2], line))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
