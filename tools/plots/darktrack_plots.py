"""The paper's figures from a darktrack history. Each figure has a *_data function that
returns exactly what is drawn (tests check those) and a function that draws it to PNG."""

import subprocess

import matplotlib

matplotlib.use("Agg")
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


def clusters_data(h):
    """Figure 4: clusters per day, and every cluster's silhouette and size."""
    per_day = h.clusters.groupby("date").size().reindex(h.days["date"], fill_value=0)
    return {
        "dates": list(h.days["date"]),
        "clusters_per_day": per_day.to_numpy(),
        "silhouettes": h.clusters["silhouette"].to_numpy(dtype=float),
        "sizes": h.clusters["size"].to_numpy(dtype=float),
    }


def plot_clusters(h, path):
    data = clusters_data(h)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    axes[0].plot(data["dates"], data["clusters_per_day"], marker="o")
    axes[0].set_title("clusters per day")
    axes[0].tick_params(axis="x", rotation=45)
    for ax, key, title in ((axes[1], "silhouettes", "silhouette"), (axes[2], "sizes", "size")):
        x, y = _ecdf(data[key])
        ax.step(x, y, where="post")
        ax.set_title("ECDF of cluster " + title)
        ax.set_ylabel("share of clusters")
    axes[2].set_xscale("log")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data


def transitions_data(h):
    """Figure 5: transitions per day by kind, and the emerged clusters that survive the
    next day or not."""
    counts = (h.transitions.groupby(["date", "kind"]).size().unstack(fill_value=0)
              .reindex(index=h.days["date"], columns=KINDS, fill_value=0))
    new = h.clusters[h.clusters["origin"].isin(ORIGINS)]
    dates = list(h.days["date"])
    survived_next = []
    for date, group in new.groupby("date"):
        position = dates.index(date)
        if position + 1 >= len(dates):
            continue
        following = h.transitions[(h.transitions["date"] == dates[position + 1])
                                  & (h.transitions["kind"] == "survived")]
        kept = set(following["from_id"])
        for cid in group["id"]:
            survived_next.append((date, int(cid), int(cid) in kept))
    emerged = pd.DataFrame(survived_next, columns=["date", "id", "survived_next_day"])
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
    axes[0].legend(fontsize=7, ncol=2)
    axes[0].tick_params(axis="x", rotation=60)
    emerged = data["emerged"]
    if len(emerged):
        tally = emerged.groupby(["date", "survived_next_day"]).size().unstack(fill_value=0)
        tally = tally.reindex(columns=[True, False], fill_value=0)
        names = [d.strftime("%m-%d") for d in tally.index]
        axes[1].bar(names, tally[True], label="survive the next day")
        axes[1].bar(names, tally[False], bottom=tally[True], label="do not")
        axes[1].legend(fontsize=7)
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
    ids = sorted(presence["id"].unique())
    row_of = {cid: i for i, cid in enumerate(ids)}
    fig, ax = plt.subplots(figsize=(12, max(3, 0.12 * len(ids) + 1)))
    colours = np.where(presence["novel"], "tab:red",
                       np.where(presence["origin"] == "reappeared", "tab:green", "tab:blue"))
    ax.scatter(presence["date"], [row_of[c] for c in presence["id"]],
               s=4 + 30 * np.sqrt(presence["size"] / max(presence["size"].max(), 1)),
               c=colours, zorder=3)
    for link in links.itertuples():
        style = "--" if link.kind == "split" else ":"
        ax.plot([link.from_date, link.to_date], [row_of[link.from_id], row_of[link.to_id]],
                style, color="grey", linewidth=0.8, zorder=2)
    ax.set_ylabel("cluster id (rows)")
    ax.set_title("cluster evolution: blue survived, red novel, green reappeared; "
                 "dashed split, dotted absorbed")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data


def activity_data(h, captures, cluster_id, date=None):
    """Figure 8: the packets of one cluster's senders over time, read from the captures
    with tshark. The members are the cluster's senders on `date` (default: its last day)."""
    senders = h.senders()
    members = senders[senders["cluster"] == cluster_id]
    if date is None:
        date = members["date"].max()
    members = members[members["date"] == pd.Timestamp(date)]
    addresses = sorted(members["address"])
    if not addresses:
        return pd.DataFrame(columns=["time", "address", "port"])
    rows = []
    address_filter = "ip.src in {%s}" % " ".join(addresses)
    for capture in captures:
        out = subprocess.run(
            ["tshark", "-n", "-r", capture, "-Y", address_filter, "-T", "fields",
             "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.dstport", "-e", "udp.dstport"],
            check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            fields = line.split("\t")
            port = next((f for f in fields[2:] if f), "0")
            rows.append((float(fields[0]), fields[1], int(port.split(",")[0])))
    table = pd.DataFrame(rows, columns=["time", "address", "port"])
    table["time"] = pd.to_datetime(table["time"], unit="s")
    return table.sort_values(["time", "address"]).reset_index(drop=True)


def plot_activity(h, captures, cluster_id, path, date=None):
    data = activity_data(h, captures, cluster_id, date)
    fig, ax = plt.subplots(figsize=(12, 4))
    addresses = sorted(data["address"].unique())
    row_of = {a: i for i, a in enumerate(addresses)}
    ax.scatter(data["time"], [row_of[a] for a in data["address"]], c=data["port"], s=3,
               cmap="tab20")
    ax.set_ylabel("sender (rows)")
    ax.set_title("cluster %d: its senders' packets over time, coloured by port" % cluster_id)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data
