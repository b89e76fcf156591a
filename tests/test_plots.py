#!/usr/bin/python3
"""Checks that every figure is drawn from the planted numbers of the plot fixture history
(tests/plots_fixture_write.c) and that draw_all.py writes every PNG.

usage: test_plots.py HISTORY OUTDIR PLOTS_DIR

The expected numbers below are worked out by hand from the planted story in
plots_fixture_write.c, not taken from the code under test.
"""

import math
import os
import shutil
import struct
import subprocess
import sys

try:
    import numpy as np
    import pandas as pd
    import xarray as xr
except ImportError as missing:
    print("skipped: %s (install python3-xarray and python3-pandas)" % missing)
    sys.exit(77)

HISTORY, OUTDIR, PLOTS_DIR = sys.argv[1:4]
sys.path.insert(0, PLOTS_DIR)
import darktrack_history  # noqa: E402
import darktrack_plots  # noqa: E402

DATES = list(pd.date_range("2021-06-01", periods=5, freq="D"))
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL: " + what)


def day(k):
    return DATES[k]


def check_tables(h):
    check(list(h.days["date"]) == DATES, "days: %s" % list(h.days["date"]))
    check(list(h.days["packets"]) == [1000, 1100, 1200, 1300, 1400], "packets per day")
    check(len(h.clusters) == 16 and len(h.transitions) == 24,
          "row counts %d clusters, %d transitions" % (len(h.clusters), len(h.transitions)))
    c = h.clusters.set_index(["date", "id"])
    check(c.loc[(day(3), 2), "origin"] == "reappeared", "cluster 2 reappears on day 3")
    check(c.loc[(day(0), 1), "label"] == "mirai" and c.loc[(day(0), 1), "purity"] == 0.5,
          "cluster 1's label and purity on day 0")
    check(c.loc[(day(0), 0), "top_services"] == "23/tcp 75%, 80/tcp 25%",
          "top services: %r" % c.loc[(day(0), 0), "top_services"])
    senders = h.senders()
    check(len(senders) == 74 + 5 * 2, "sender rows: %d" % len(senders))
    on_day4 = senders[(senders["date"] == day(4)) & (senders["cluster"] == 6)]
    check(sorted(on_day4["address"]) == sorted("10.0.6.%d" % j for j in range(1, 10)),
          "members of cluster 6 on day 4")


def check_figure4(h):
    data = darktrack_plots.clusters_data(h)
    check(list(data["clusters_per_day"]) == [3, 3, 3, 3, 4],
          "clusters per day: %s" % list(data["clusters_per_day"]))
    silhouettes = [0.90, 0.40, 0.70, 0.85, 0.30, 0.55, 0.80, 0.60, 0.20, 0.95, 0.65, 0.50,
                   0.92, 0.45, 0.35, 0.25]
    check(np.allclose(sorted(data["silhouettes"]), sorted(silhouettes), atol=1e-6),
          "silhouettes: %s" % sorted(data["silhouettes"]))
    sizes = [4, 3, 5, 6, 2, 3, 6, 3, 7, 5, 4, 8, 5, 9, 2, 2]
    check(sorted(data["sizes"]) == sorted(sizes), "sizes: %s" % sorted(data["sizes"]))
    by_day = {d: sorted(np.round(v, 6)) for d, v in data["silhouettes_by_day"].items()}
    check(by_day == {day(0): [0.4, 0.7, 0.9], day(2): [0.2, 0.6, 0.8],
                     day(4): [0.25, 0.35, 0.45, 0.92]},
          "silhouettes of the first, middle and last days: %s" % by_day)
    x, y = darktrack_plots._ecdf(data["sizes"])
    check(y[-1] == 1.0 and list(x[:3]) == [2, 2, 2] and math.isclose(y[2], 3 / 16),
          "ECDF of sizes starts with three clusters of 2, a share of 3/16")


def check_figure5(h):
    data = darktrack_plots.transitions_data(h)
    per_day = data["per_day"]
    expected = {
        0: {"emerged": 3},
        1: {"survived": 1, "absorbed": 1, "split": 1, "emerged": 2},
        2: {"survived": 2, "disappeared": 1, "emerged": 1},
        3: {"survived": 1, "inactive": 1, "disappeared": 1, "reappeared": 1, "emerged": 1},
        4: {"survived": 2, "split": 1, "emerged": 2},
    }
    for k, kinds in expected.items():
        row = {kind: int(v) for kind, v in per_day.loc[day(k)].items() if v}
        check(row == kinds, "transitions of day %d: %s, planted %s" % (k, row, kinds))
    emerged = {(row.date, row.id): row.survived_next_day for row in data["emerged"].itertuples()}
    planted = {(day(0), 0): True, (day(0), 1): False, (day(0), 2): False, (day(1), 3): False,
               (day(1), 4): True, (day(2), 5): False, (day(3), 2): False, (day(3), 6): True}
    check(emerged == planted, "new clusters surviving the next day: %s" % emerged)


def check_figure6(h):
    data = darktrack_plots.evolution_data(h)
    links = {(r.from_date, r.from_id, r.to_date, r.to_id, r.kind)
             for r in data["links"].itertuples()}
    planted = {(day(0), 1, day(1), 3, "split"), (day(0), 1, day(1), 4, "split"),
               (day(0), 2, day(1), 0, "absorbed"), (day(3), 2, day(4), 7, "split"),
               (day(3), 2, day(4), 8, "split")}
    check(links == planted, "evolution links: %s" % links)
    presence = data["presence"]
    ids_by_day = [sorted(presence[presence["date"] == d]["id"]) for d in DATES]
    check(ids_by_day == [[0, 1, 2], [0, 3, 4], [0, 4, 5], [0, 2, 6], [0, 6, 7, 8]],
          "cluster ids by day: %s" % ids_by_day)


def check_restrict():
    """The test days only: days 1 to 3 of the fixture."""
    h = darktrack_history.load(HISTORY).restrict(day(1), day(3))
    check(list(h.days["date"]) == DATES[1:4], "restricted days: %s" % list(h.days["date"]))
    data = darktrack_plots.clusters_data(h)
    check(list(data["clusters_per_day"]) == [3, 3, 3] and len(data["sizes"]) == 9,
          "restricted clusters per day: %s" % list(data["clusters_per_day"]))
    per_day = darktrack_plots.transitions_data(h)["per_day"]
    check(list(per_day.index) == DATES[1:4] and int(per_day.to_numpy().sum()) == 5 + 4 + 5,
          "restricted transitions: %s" % per_day)
    check(set(h.senders()["date"]) == set(DATES[1:4]), "restricted senders")
    h.close()


def ethernet_packet(src, proto, port, seconds):
    """A classic pcap record of an Ethernet/IPv4 packet from src to 203.0.113.7."""
    if proto == 6:
        payload = struct.pack("!HHIIBBHHH", 40000, port, 1, 0, 0x50, 0x02, 1024, 0, 0)
    elif proto == 17:
        payload = struct.pack("!HHHH", 40000, port, 8, 0)
    else:
        payload = struct.pack("!BBHHH", 0, 0, 0, 1, 1)
    a = [int(x) for x in src.split(".")]
    ip = struct.pack("!BBHHHBBH4B4B", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, *a,
                     203, 0, 113, 7)
    frame = b"\x00\x11\x22\x33\x44\x55" + b"\x66\x77\x88\x99\xaa\xbb" + b"\x08\x00" + ip
    frame += payload
    return struct.pack("<IIII", int(seconds), 0, len(frame), len(frame)) + frame


def write_pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for p in packets:
            f.write(ethernet_packet(*p))


def check_figure8(h):
    """Cluster 6 lives on days 3 and 4 with members 10.0.6.1 to 10.0.6.9."""
    t3 = day(3).timestamp()
    t4 = day(4).timestamp()
    first = [("10.0.6.3", 6, 23, t3 + 3600), ("10.0.7.1", 6, 23, t3 + 3700),
             ("10.0.6.1", 17, 5060, t3 + 7200), ("10.0.6.3", 6, 2323, t3 + 9000)]
    second = [("10.0.6.9", 1, 0, t4 + 60), ("10.0.6.1", 6, 80, t4 + 120),
              ("10.0.6.30", 6, 80, t4 + 130), ("10.9.4.1", 6, 80, t4 + 140),
              ("10.0.6.2", 6, 23, t4 + 86400 + 5)]
    earlier = [("10.0.6.1", 6, 23, day(0).timestamp() + 50)]
    files = [os.path.join(OUTDIR, name) for name in ("a.pcap", "b.pcap", "old.pcap")]
    for path, packets in zip(files, (first, second, earlier)):
        write_pcap(path, packets)

    table = darktrack_plots.activity_data(h, files, 6)
    got = [(r.time.timestamp(), r.address, r.proto, r.port, r.row) for r in table.itertuples()]
    want = [(t3 + 3600, "10.0.6.3", 6, 23, 0), (t3 + 7200, "10.0.6.1", 17, 5060, 1),
            (t3 + 9000, "10.0.6.3", 6, 2323, 0), (t4 + 60, "10.0.6.9", 1, 0, 2),
            (t4 + 120, "10.0.6.1", 6, 80, 1)]
    check(got == want, "activity of cluster 6: %s" % got)
    check(not darktrack_plots.capture_may_overlap(files[2], day(3), day(4) + pd.Timedelta(days=1)),
          "a capture of day 0 is skipped for days 3 and 4")
    one_day = darktrack_plots.activity_data(h, files, 6, date=day(4))
    check(list(one_day["address"]) == ["10.0.6.9", "10.0.6.1"], "activity on day 4 only")
    return files


def check_draw_all(files):
    figures = os.path.join(OUTDIR, "figures")
    shutil.rmtree(figures, ignore_errors=True)
    command = [sys.executable, os.path.join(PLOTS_DIR, "draw_all.py"), HISTORY, figures]
    subprocess.run(command + (["--captures"] + files if files else []), check=True)
    names = ["clusters.png", "transitions.png", "evolution.png"]
    names += ["activity.png"] if files else []
    for name in names:
        path = os.path.join(figures, name)
        with open(path, "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "%s is a PNG" % name)
        check(os.path.getsize(path) > 5000, "%s has a drawing in it" % name)
    per_day = pd.read_csv(os.path.join(figures, "clusters-per-day.csv"))
    check(list(per_day["clusters"]) == [3, 3, 3, 3, 4], "clusters-per-day.csv")
    links = pd.read_csv(os.path.join(figures, "evolution-links.csv"))
    check(sorted(links["kind"]) == ["absorbed", "split", "split", "split", "split"],
          "evolution-links.csv")


def check_sweep_summary():
    """Two runs over the fixture; figures worked out from the planted story."""
    sweep = os.path.join(OUTDIR, "sweep")
    shutil.rmtree(sweep, ignore_errors=True)
    for run, (tau0, seconds) in enumerate(((0.65, "12.5"), (0.8, "7.25"))):
        folder = os.path.join(sweep, "run-%03d" % run)
        os.makedirs(folder)
        shutil.copy(HISTORY, os.path.join(folder, "history.nc"))
        with open(os.path.join(folder, "parameters.csv"), "w") as f:
            f.write("tau0,min-cluster-size\n%s,10\n" % tau0)
        with open(os.path.join(folder, "seconds.txt"), "w") as f:
            f.write(seconds + "\n")
    subprocess.run([sys.executable, os.path.join(PLOTS_DIR, "sweep_summary.py"), sweep],
                   check=True, stdout=subprocess.DEVNULL)
    silhouette = sum([0.90, 0.40, 0.70, 0.85, 0.30, 0.55, 0.80, 0.60, 0.20, 0.95, 0.65, 0.50,
                      0.92, 0.45, 0.35, 0.25]) / 16
    want = {"days": 5, "clusters_per_day": 16 / 5, "share_survived": 6 / 12,
            "novel_per_day": 6 / 5, "mean_silhouette": silhouette, "mean_purity": 5.25 / 6}
    table = pd.read_csv(os.path.join(sweep, "summary.csv"))
    nc = xr.open_dataset(os.path.join(sweep, "summary.nc"))
    check(list(table["run"]) == ["run-000", "run-001"], "summary runs: %s" % list(table["run"]))
    check(list(table["tau0"]) == [0.65, 0.8] and list(table["seconds"]) == [12.5, 7.25],
          "summary parameters and run times")
    for name, value in want.items():
        for source, column in (("csv", table[name]), ("netCDF", nc[name].values)):
            check(np.allclose(column, value, atol=1e-6),
                  "summary %s %s: %s, want %s" % (source, name, list(column), value))
    nc.close()


def main():
    os.makedirs(OUTDIR, exist_ok=True)
    h = darktrack_history.load(HISTORY)
    check_tables(h)
    check_figure4(h)
    check_figure5(h)
    check_figure6(h)
    check_restrict()
    if shutil.which("tshark"):
        files = check_figure8(h)
        check_draw_all(files)
    else:
        print("tshark not found: Figure 8 not checked; drawing the other figures only")
        check_draw_all([])
    h.close()
    check_sweep_summary()
    if failures:
        sys.exit("%d checks failed" % len(failures))
    print("all figure checks passed")


if __name__ == "__main__":
    main()
