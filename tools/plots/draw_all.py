#!/usr/bin/python3
"""Draws the paper's figures from a darktrack history into a folder of PNG files.

usage: draw_all.py HISTORY OUTDIR [--from DATE] [--to DATE]
                   [--captures PATH ...] [--cluster ID] [--day DATE]

Figure 4 (clusters.png), 5 (transitions.png) and 6 (evolution.png) need only the
history; figure 8 (activity.png) also reads the captures (with tshark) for one cluster,
by default the largest novelty of the last day. The numbers behind the figures go
beside them as CSV files. --from and --to keep only the days
between them (both included), e.g. the test days after the bootstrap days.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import darktrack_history  # noqa: E402
import darktrack_plots  # noqa: E402
import pandas as pd  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("history")
    parser.add_argument("outdir")
    parser.add_argument("--from", dest="first", metavar="DATE", help="first day drawn")
    parser.add_argument("--to", dest="last", metavar="DATE", help="last day drawn")
    parser.add_argument("--captures", nargs="*", default=[],
                        help="capture files or folders, for the activity figure")
    parser.add_argument("--cluster", type=int, help="cluster id of the activity figure")
    parser.add_argument("--day", metavar="DATE", help="only that day's members and packets")
    args = parser.parse_args()

    os.makedirs(args.outdir, exist_ok=True)
    h = darktrack_history.load(args.history).restrict(args.first, args.last)
    if h.days.empty:
        sys.exit("draw_all: %s has no days to draw%s" % (
            args.history, " between the dates given" if args.first or args.last else ""))
    out = args.outdir
    clusters = darktrack_plots.plot_clusters(h, os.path.join(out, "clusters.png"))
    transitions = darktrack_plots.plot_transitions(h, os.path.join(out, "transitions.png"))
    evolution = darktrack_plots.plot_evolution(h, os.path.join(out, "evolution.png"))
    written = ["clusters.png", "transitions.png", "evolution.png"]

    # The numbers behind the figures, for checking them or drawing them another way.
    pd.DataFrame({"date": clusters["dates"], "clusters": clusters["clusters_per_day"]}) \
        .to_csv(os.path.join(out, "clusters-per-day.csv"), index=False, date_format="%Y-%m-%d")
    transitions["per_day"].rename_axis("date").to_csv(
        os.path.join(out, "transitions-per-day.csv"), date_format="%Y-%m-%d")
    evolution["links"].to_csv(os.path.join(out, "evolution-links.csv"), index=False,
                              date_format="%Y-%m-%d")
    written += ["clusters-per-day.csv", "transitions-per-day.csv", "evolution-links.csv"]

    if args.captures:
        captures = expand(args.captures)
        cluster = args.cluster
        if cluster is None and h.clusters.empty:
            sys.exit("draw_all: no clusters in %s for the activity figure" % args.history)
        if cluster is None:
            last = h.clusters[h.clusters["date"] == h.clusters["date"].max()]
            pick = last[last["novel"]] if last["novel"].any() else last
            cluster = int(pick.sort_values("size", ascending=False)["id"].iloc[0])
        activity = darktrack_plots.plot_activity(h, captures, cluster,
                                                 os.path.join(out, "activity.png"), args.day)
        activity.to_csv(os.path.join(out, "activity-%d.csv" % cluster), index=False)
        written += ["activity.png", "activity-%d.csv" % cluster]
    h.close()
    print("wrote %s in %s" % (", ".join(written), out))


def expand(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                files += [os.path.join(root, n) for n in sorted(names) if not n.startswith(".")]
        else:
            files.append(path)
    return sorted(files)


if __name__ == "__main__":
    main()
