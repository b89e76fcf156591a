#!/usr/bin/python3
"""Checks a sweep's summary.csv and summary.nc against its runs: each row carries its grid
row's parameters, each run's history was made with them (its parameter attributes), and
every figure equals the one computed here straight from the history's variables with
netCDF4 (not through the plotting helpers).

usage: check_sweep_summary.py SWEEP_DIR GRID_CSV
"""

import csv
import math
import os
import sys

try:
    import netCDF4
    import numpy as np
    import pandas as pd
    import xarray as xr
except ImportError as missing:
    print("skipped: %s" % missing)
    sys.exit(77)

SURVIVED = 0
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL: " + what)


def figures(path):
    """The summary's figures of one history, from its raw variables."""
    with netCDF4.Dataset(path) as ds:
        ds.set_auto_mask(False)
        counts = ds["cluster_count"][:].astype(int)
        days = len(counts)
        silhouette = ds["cluster_silhouette"][:].astype(float)
        purity = ds["cluster_purity"][:].astype(float)
        novel = ds["cluster_novel"][:].astype(int)
        kinds = ds["transition_kind"][:]
        tcounts = ds["transition_count"][:].astype(int)
        sources = ds["transition_from"][:]
        day_of_row = np.repeat(np.arange(days), tcounts)
        survivors = {(d, f) for d, f, k in zip(day_of_row, sources, kinds) if k == SURVIVED}
        before_last = counts[:-1].sum()
        params = {name: ds.getncattr(name) for name in ds.ncattrs()}
    labelled = purity[~np.isnan(purity)]
    return {
        "days": days,
        "clusters_per_day": counts.sum() / days,
        "share_survived": len(survivors) / before_last if before_last else math.nan,
        "novel_per_day": novel.sum() / days,
        "mean_silhouette": silhouette.mean() if len(silhouette) else math.nan,
        "mean_purity": labelled.mean() if len(labelled) else math.nan,
    }, params


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def main():
    sweep, grid = sys.argv[1:3]
    with open(grid) as f:
        rows = list(csv.DictReader(f))
    table = pd.read_csv(os.path.join(sweep, "summary.csv"))
    nc = xr.open_dataset(os.path.join(sweep, "summary.nc"))
    check(len(table) == len(rows) and nc.sizes["run"] == len(rows),
          "summary rows: %d in CSV, %d in netCDF, %d grid rows"
          % (len(table), nc.sizes["run"], len(rows)))
    for i, row in enumerate(rows):
        run = "run-%03d" % i
        want, attrs = figures(os.path.join(sweep, run, "history.nc"))
        got = table[table["run"] == run].iloc[0]
        for name, value in row.items():
            check(same(float(got[name]), float(value)), "%s: %s is %s, grid %s"
                  % (run, name, got[name], value))
            attr = {"dim": "embedding_dim"}.get(name, name.replace("-", "_"))
            check(attr in attrs and same(float(attrs[attr]), float(value)),
                  "%s: the history's %s is %s, grid %s" % (run, attr, attrs.get(attr), value))
        check(want["days"] >= 3 and want["clusters_per_day"] > 0,
              "%s: %d days, %s clusters a day" % (run, want["days"], want["clusters_per_day"]))
        for name, value in want.items():
            check(same(float(got[name]), float(value)),
                  "%s: CSV %s is %s, the history gives %s" % (run, name, got[name], value))
            check(same(float(nc[name].sel(run=run)), float(value)),
                  "%s: netCDF %s is %s, the history gives %s"
                  % (run, name, float(nc[name].sel(run=run)), value))
        check(float(got["seconds"]) > 0, "%s: run time %s" % (run, got["seconds"]))
    nc.close()
    if failures:
        sys.exit("%d checks failed" % len(failures))
    print("the summary of %d runs matches their histories" % len(rows))


if __name__ == "__main__":
    main()
