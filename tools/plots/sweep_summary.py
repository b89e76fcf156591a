#!/usr/bin/python3
"""Gathers a parameter sweep's runs into one table: SWEEP_DIR/summary.csv and summary.nc.

usage: sweep_summary.py SWEEP_DIR

Each run folder (run-NNN/) holds parameters.csv (its grid row), history.nc and
seconds.txt. A row of the summary has the run's parameters and: days, clusters per day,
the share of clusters (all days but the last) that survived into the next day, novelties
per day, the mean silhouette of the clusters, the mean purity of the labelled clusters
(NaN without ground truth) and the run time in seconds.
"""

import glob
import os
import sys

import numpy as np
import pandas as pd
import xarray as xr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import darktrack_history  # noqa: E402


def run_figures(run_dir):
    row = {"run": os.path.basename(run_dir)}
    params = pd.read_csv(os.path.join(run_dir, "parameters.csv"))
    for name in params.columns:
        row[name.strip()] = params[name].iloc[0]

    history = os.path.join(run_dir, "history.nc")
    if not os.path.exists(history):
        sys.exit("sweep_summary: %s is missing: did the run fail?" % history)
    h = darktrack_history.load(history)
    clusters = h.clusters
    days = len(h.days)
    row["days"] = days
    row["clusters_per_day"] = len(clusters) / days if days else np.nan
    row["share_survived"] = share_survived(h)
    row["novel_per_day"] = clusters["novel"].sum() / days if days else np.nan
    row["mean_silhouette"] = clusters["silhouette"].mean() if len(clusters) else np.nan
    purity = clusters["purity"].dropna()
    row["mean_purity"] = purity.mean() if len(purity) else np.nan
    h.close()

    seconds = os.path.join(run_dir, "seconds.txt")
    row["seconds"] = float(open(seconds).read()) if os.path.exists(seconds) else np.nan
    return row


FIGURES = {
    "days": ("days in the run's history", "1"),
    "clusters_per_day": ("clusters (noise excluded) per day", "1"),
    "share_survived": ("share of the clusters of all days but the last that survived "
                       "into the next day", "1"),
    "novel_per_day": ("novelties (emerged, matching no past cluster) per day", "1"),
    "mean_silhouette": ("mean cosine silhouette of the clusters", "1"),
    "mean_purity": ("mean purity of the labelled clusters, NaN without ground truth", "1"),
    "seconds": ("wall time of the run", "s"),
}


def params_columns(table):
    return [c for c in table.columns if c != "run" and c not in FIGURES]


def share_survived(h):
    """The share of the clusters of every day but the last (whose fate is not known yet) that
    survived into the next day."""
    if len(h.days) < 2:
        return np.nan
    last = h.days["date"].iloc[-1]
    before_last = (h.clusters["date"] < last).sum()
    survived = h.transitions[h.transitions["kind"] == "survived"]
    survivors = len(survived.drop_duplicates(["date", "from_id"]))
    return survivors / before_last if before_last else np.nan


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sweep_summary.py SWEEP_DIR")
    sweep = sys.argv[1]
    runs = sorted(r for r in glob.glob(os.path.join(sweep, "run-*")) if os.path.isdir(r))
    if not runs:
        sys.exit("sweep_summary: no run-* folders in %s" % sweep)
    table = pd.DataFrame([run_figures(r) for r in runs])
    table.to_csv(os.path.join(sweep, "summary.csv"), index=False)
    dataset = xr.Dataset.from_dataframe(table.set_index("run"))
    for name, (meaning, units) in FIGURES.items():
        dataset[name].attrs.update(long_name=meaning, units=units)
    for name in params_columns(table):
        dataset[name].attrs["long_name"] = "darktrack run --%s of the run" % name
    dataset.attrs["title"] = "darktrack parameter sweep summary"
    dataset.to_netcdf(os.path.join(sweep, "summary.nc"))
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
