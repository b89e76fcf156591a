"""The paper's figures from a darktrack history. Each figure has a *_data function that
returns exactly what is drawn (tests check those) and a function that draws it to PNG."""

import gzip
import struct
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from darktrack_history import KINDS  # noqa: E402

FATES = ["survived", "absorbed", "split", "disappeared", "inactive"]
ORIGINS = ["emerged", "reappeared"]


def _ecdf(values):
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    y = np.arange(1, len(x) + 1) / max(len(x), 1)
    return x, y


def _day_axis(ax, days):
    """Ticks on whole days, at most about 15 of them, labelled month-day."""
    ax.xaxis.set_major_locator(matplotlib.dates.DayLocator(interval=max(1, days // 15)))
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m-%d"))
    ax.tick_params(axis="x", rotation=45)


def clusters_data(h):
    """Figure 4: clusters per day, every cluster's silhouette and size, and the silhouettes
    of the first, middle and last days (the paper's three ECDF curves)."""
    per_day = h.clusters.groupby("date").size().reindex(h.days["date"], fill_value=0)
    dates = list(h.days["date"])
    picked = sorted({dates[0], dates[len(dates) // 2], dates[-1]}) if dates else []
    by_day = {d: h.clusters.loc[h.clusters["date"] == d, "silhouette"].to_numpy(dtype=float)
              for d in picked}
    return {
        "dates": dates,
        "clusters_per_day": per_day.to_numpy(),
        "silhouettes": h.clusters["silhouette"].to_numpy(dtype=float),
        "sizes": h.clusters["size"].to_numpy(dtype=float),
        "silhouettes_by_day": by_day,
    }


def plot_clusters(h, path):
    data = clusters_data(h)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes[0].plot(data["dates"], data["clusters_per_day"], marker="o")
    axes[0].set_title("clusters per day")
    axes[0].set_ylim(bottom=0)
    _day_axis(axes[0], len(data["dates"]))
    x, y = _ecdf(data["silhouettes"])
    axes[1].step(x, y, where="post", color="black", label="all days")
    for date, values in data["silhouettes_by_day"].items():
        x, y = _ecdf(values)
        axes[1].step(x, y, where="post", label=date.strftime("%Y-%m-%d"), alpha=0.8)
    axes[1].legend(fontsize=7)
    x, y = _ecdf(data["sizes"])
    axes[2].step(x, y, where="post")
    axes[2].set_xscale("log")
    for ax, title in ((axes[1], "silhouette"), (axes[2], "size")):
        ax.set_title("ECDF of cluster " + title)
        ax.set_ylabel("share of clusters")
        ax.set_ylim(0, 1.02)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data


def transitions_data(h):
    """Figure 5: per day, how many clusters took each transition (a fate of yesterday's
    cluster counts once, however many rows a split has; an origin counts today's cluster),
    and every new cluster (emerged or reappeared) with whether it survived the next day.
    New clusters of the last day are left out: their next day is unknown."""
    t = h.transitions
    fates = t[t["kind"].isin(FATES)].drop_duplicates(["date", "kind", "from_id"])
    origins = t[t["kind"].isin(ORIGINS)].drop_duplicates(["date", "kind", "to_id"])
    counts = (pd.concat([fates, origins]).groupby(["date", "kind"]).size()
              .unstack(fill_value=0)
              .reindex(index=h.days["date"], columns=KINDS, fill_value=0))

    dates = list(h.days["date"])
    survivors = t[t["kind"] == "survived"]
    rows = []
    for row in h.clusters[h.clusters["origin"].isin(ORIGINS)].itertuples():
        position = dates.index(row.date)
        if position + 1 >= len(dates):
            continue
        following = survivors[survivors["date"] == dates[position + 1]]
        survived = bool((following["from_id"] == row.id).any())
        rows.append((row.date, int(row.id), row.origin, survived))
    emerged = pd.DataFrame(rows, columns=["date", "id", "origin", "survived_next_day"])
    return {"per_day": counts, "emerged": emerged}


def plot_transitions(h, path):
    data = transitions_data(h)
    per_day = data["per_day"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 3.8))
    bottom = np.zeros(len(per_day))
    labels = [d.strftime("%m-%d") for d in per_day.index]
    for kind in KINDS:
        axes[0].bar(labels, per_day[kind].to_numpy(), bottom=bottom, label=kind)
        bottom += per_day[kind].to_numpy()
    axes[0].set_title("transitions per day")
    axes[0].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes[0].tick_params(axis="x", rotation=60)
    emerged = data["emerged"]
    if len(emerged):
        tally = emerged.groupby(["date", "survived_next_day"]).size().unstack(fill_value=0)
        tally = tally.reindex(columns=[True, False], fill_value=0)
        names = [d.strftime("%m-%d") for d in tally.index]
        axes[1].bar(names, tally[True], label="survive the next day")
        axes[1].bar(names, tally[False], bottom=tally[True], label="do not")
        axes[1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes[1].set_title("new clusters and their next day")
    axes[1].tick_params(axis="x", rotation=60)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data


def evolution_data(h):
    """Figure 6: each cluster id's days, and the split and absorption links between ids."""
    presence = h.clusters[["date", "id", "size", "novel", "origin"]].copy()
    dates = list(h.days["date"])
    links = []
    for row in h.transitions.itertuples():
        if row.kind not in ("split", "absorbed") or row.from_id < 0 or row.to_id < 0:
            continue
        position = dates.index(row.date)
        if position == 0:
            continue
        links.append((dates[position - 1], int(row.from_id), row.date, int(row.to_id), row.kind))
    links = pd.DataFrame(links, columns=["from_date", "from_id", "to_date", "to_id", "kind"])
    return {"presence": presence, "links": links}


def plot_evolution(h, path):
    data = evolution_data(h)
    presence, links = data["presence"], data["links"]
    fig, ax = plt.subplots(figsize=(12, max(3.5, 0.05 * presence["id"].nunique() + 2)))
    dates = list(h.days["date"])
    for cid, group in presence.groupby("id"):
        # A dash along the days an id lives, broken where it was absent.
        positions = [dates.index(d) for d in group["date"]]
        run_start = 0
        for i in range(1, len(positions) + 1):
            if i == len(positions) or positions[i] != positions[i - 1] + 1:
                run = group["date"].iloc[run_start:i]
                ax.plot(run, [cid] * len(run), color="tab:blue", linewidth=1.2, zorder=2)
                run_start = i
    colours = np.where(presence["novel"], "tab:red",
                       np.where(presence["origin"] == "reappeared", "tab:purple", "tab:blue"))
    ax.scatter(presence["date"], presence["id"], s=6, c=colours, zorder=3)
    styles = {"split": ("tab:green", "--"), "absorbed": ("tab:orange", ":")}
    for link in links.itertuples():
        colour, style = styles[link.kind]
        ax.plot([link.from_date, link.to_date], [link.from_id, link.to_id], style,
                color=colour, linewidth=1, zorder=1)
    handles = [plt.Line2D([], [], color="tab:blue", marker="o", label="survives"),
               plt.Line2D([], [], color="tab:red", marker="o", linestyle="", label="novelty"),
               plt.Line2D([], [], color="tab:purple", marker="o", linestyle="",
                          label="reappeared"),
               plt.Line2D([], [], color="tab:green", linestyle="--", label="split"),
               plt.Line2D([], [], color="tab:orange", linestyle=":", label="absorbed")]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("cluster id")
    ax.set_title("evolution of every cluster")
    _day_axis(ax, len(dates))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data


def cluster_members(h, cluster_id, date=None):
    """The addresses that carried cluster_id on `date`, or on any day it existed, and the
    first and last of those days."""
    senders = h.senders()
    members = senders[senders["cluster"] == cluster_id]
    if date is not None:
        members = members[members["date"] == pd.Timestamp(date)]
    if members.empty:
        raise ValueError("cluster %d has no senders%s in %s"
                         % (cluster_id, " on %s" % date if date else "", h.path))
    return set(members["address"]), members["date"].min(), members["date"].max()


def activity_data(h, captures, cluster_id, date=None):
    """Figure 8: every packet the cluster's senders sent during the days the cluster existed
    (or on `date` only), read from the captures with tshark: one row per packet with its
    time, sender, protocol and destination port (0 for ICMP and GRE), and the sender's row
    in the figure (senders in order of their first packet)."""
    addresses, first, last = cluster_members(h, cluster_id, date)
    begin, end = first, last + pd.Timedelta(days=1)
    rows = []
    for capture in captures:
        if not capture_may_overlap(capture, begin, end):
            continue
        rows += _tshark_packets(capture, addresses)
    table = pd.DataFrame(rows, columns=["time", "address", "proto", "port"])
    table["time"] = pd.to_datetime(table["time"], unit="s")
    table = table[(table["time"] >= begin) & (table["time"] < end)]
    table = table.sort_values(["time", "address"], kind="stable").reset_index(drop=True)
    order = {a: i for i, a in enumerate(dict.fromkeys(table["address"]))}
    table["row"] = [order[a] for a in table["address"]]
    return table


def _tshark_packets(capture, addresses):
    address_filter = "ip.src in {%s}" % ", ".join(sorted(addresses))
    fields = ["frame.time_epoch", "ip.src", "ip.proto", "tcp.dstport", "udp.dstport"]
    command = ["tshark", "-n", "-r", capture, "-Y", address_filter, "-T", "fields"]
    for field in fields:
        command += ["-e", field]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        # Tunnelled packets (GRE carrying IPv4) list the outer header's values first.
        values = [v.split(",")[0] for v in line.split("\t")]
        if values[1] not in addresses:
            continue
        port = values[3] or values[4] or "0"
        rows.append((float(values[0]), values[1], int(values[2]), int(port)))
    return rows


def capture_may_overlap(capture, begin, end):
    """False when the capture's first packet is a day or more outside [begin, end): captures
    hold at most a day or so each, so the file can be skipped. True when unsure."""
    first = _first_timestamp(capture)
    if first is None:
        return True
    first = pd.Timestamp(first, unit="s")
    return begin - pd.Timedelta(days=1) <= first < end


def _first_timestamp(capture):
    """The first packet's time of a classic pcap file (plain or gzip), else None."""
    opener = gzip.open if capture.endswith(".gz") else open
    try:
        with opener(capture, "rb") as f:
            head = f.read(24 + 16)
    except OSError:
        return None
    if len(head) < 40:
        return None
    magic = head[:4]
    for order in ("<", ">"):
        value = struct.unpack(order + "I", magic)[0]
        if value in (0xA1B2C3D4, 0xA1B23C4D):
            seconds, fraction = struct.unpack(order + "II", head[24:32])
            scale = 1e-6 if value == 0xA1B2C3D4 else 1e-9
            return seconds + fraction * scale
    return None


def plot_activity(h, captures, cluster_id, path, date=None):
    data = activity_data(h, captures, cluster_id, date)
    fig, ax = plt.subplots(figsize=(12, 4))
    points = ax.scatter(data["time"], data["row"], c=data["port"], s=4, cmap="viridis")
    fig.colorbar(points, ax=ax, label="destination port")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("sender, in order of first packet")
    ax.set_title("cluster %d: its senders' packets over time, coloured by port" % cluster_id)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data
