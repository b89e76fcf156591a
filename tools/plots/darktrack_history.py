"""Reading a darktrack history into pandas tables, for plots and analysts' notebooks.

The history (docs/history-format.md) keeps per-day lists as CF contiguous ragged arrays:
a count variable on the `day` dimension says how many consecutive rows of an observation
dimension belong to each day. xarray does not un-rag them; these functions do.

    import darktrack_history as dh
    h = dh.load("history.nc")
    h.days          # one row per day: date, packets, senders_seen, senders_active
    h.clusters      # one row per (day, cluster): id, size, silhouette, origin, novel, ...
    h.transitions   # one row per transition: from_id, to_id, kind, overlap
    h.senders()     # one row per (day, active sender): ip, packets, cluster (large)
    h.restrict("2021-05-31", None)   # only the days from 2021-05-31 on, in every table
"""

import ipaddress

import numpy as np
import pandas as pd
import xarray as xr

KINDS = ["survived", "absorbed", "split", "disappeared", "inactive", "emerged", "reappeared"]


def _day_index(ds, count_name):
    """The date of each observation row of a ragged array counted by count_name."""
    counts = ds[count_name].values.astype(np.int64)
    return np.repeat(ds["day"].values, counts)


def _flag_names(var):
    """Maps a flag variable's codes to names through its CF attributes."""
    values = np.atleast_1d(var.attrs.get("flag_values", np.arange(len(KINDS))))
    meanings = str(var.attrs.get("flag_meanings", " ".join(KINDS))).split()
    return dict(zip((int(v) for v in values), meanings))


def _labels(ds):
    text = ds.attrs.get("labels", "")
    if isinstance(text, (list, np.ndarray)):
        return [str(t) for t in text]
    return [t for t in str(text).split(",") if t]


class History:
    """A history opened with xarray, with its ragged arrays as pandas tables."""

    def __init__(self, path):
        self.path = path
        self.ds = xr.open_dataset(path, decode_times=True, mask_and_scale=False)
        self.attrs = dict(self.ds.attrs)
        self.days = self._days()
        self.clusters = self._clusters()
        self.transitions = self._transitions()

    def close(self):
        self.ds.close()

    def restrict(self, first=None, last=None):
        """Keeps only the days from `first` to `last` (dates, both included, None for no
        bound) in every table, e.g. the test days after a bootstrap period."""
        self._first = pd.Timestamp(first) if first is not None else None
        self._last = pd.Timestamp(last) if last is not None else None
        self.days = self._keep(self.days).reset_index(drop=True)
        self.clusters = self._keep(self.clusters).reset_index(drop=True)
        self.transitions = self._keep(self.transitions).reset_index(drop=True)
        return self

    def _keep(self, table):
        keep = np.ones(len(table), dtype=bool)
        if getattr(self, "_first", None) is not None:
            keep &= (table["date"] >= self._first).to_numpy()
        if getattr(self, "_last", None) is not None:
            keep &= (table["date"] <= self._last).to_numpy()
        return table[keep]

    def _days(self):
        ds = self.ds
        table = pd.DataFrame({"date": pd.to_datetime(ds["day"].values)})
        for name in ("packets", "senders_seen", "senders_active", "cluster_count",
                     "transition_count"):
            if name in ds:
                table[name] = ds[name].values
        return table

    def _clusters(self):
        ds = self.ds
        if ds.sizes.get("cluster_obs", 0) == 0:
            return pd.DataFrame(columns=["date", "id", "size", "silhouette", "origin", "novel",
                                         "label", "purity"])
        origins = _flag_names(ds["cluster_origin"])
        labels = _labels(ds)
        table = pd.DataFrame({
            "date": pd.to_datetime(_day_index(ds, "cluster_count")),
            "id": ds["cluster_id"].values.astype(np.int64),
            "size": ds["cluster_size"].values.astype(np.int64),
            "silhouette": ds["cluster_silhouette"].values.astype(float),
            "origin": [origins.get(int(v), str(v)) for v in ds["cluster_origin"].values],
            "novel": ds["cluster_novel"].values.astype(bool),
            "label": [labels[v] if 0 <= v < len(labels) else None
                      for v in ds["cluster_label"].values.astype(int)],
            "purity": ds["cluster_purity"].values.astype(float),
        })
        if "cluster_top_port" in ds:
            ports = ds["cluster_top_port"].values
            protos = ds["cluster_top_proto"].values
            shares = ds["cluster_top_share"].values
            table["top_services"] = [_services(ports[i], protos[i], shares[i])
                                     for i in range(len(table))]
        return table

    def _transitions(self):
        ds = self.ds
        if ds.sizes.get("transition_obs", 0) == 0:
            return pd.DataFrame(columns=["date", "from_id", "to_id", "kind", "overlap"])
        kinds = _flag_names(ds["transition_kind"])
        return pd.DataFrame({
            "date": pd.to_datetime(_day_index(ds, "transition_count")),
            "from_id": ds["transition_from"].values.astype(np.int64),
            "to_id": ds["transition_to"].values.astype(np.int64),
            "kind": [kinds.get(int(v), str(v)) for v in ds["transition_kind"].values],
            "overlap": ds["transition_overlap"].values.astype(float),
        })

    def senders(self, with_dotted=True):
        """One row per (day, active sender); large for long histories."""
        ds = self.ds
        table = pd.DataFrame({
            "date": pd.to_datetime(_day_index(ds, "sender_count")),
            "ip": ds["sender_ip"].values.astype(np.uint32),
            "packets": ds["sender_packets"].values.astype(np.int64),
            "cluster": ds["sender_cluster"].values.astype(np.int64),
        })
        table = self._keep(table).reset_index(drop=True)
        if with_dotted:
            table["address"] = [str(ipaddress.IPv4Address(int(v))) for v in table["ip"]]
        return table


def _services(ports, protos, shares):
    names = {1: "icmp", 6: "tcp", 17: "udp", 47: "gre"}
    parts = []
    for port, proto, share in zip(ports, protos, shares):
        if share <= 0:
            continue
        if proto == 0 and port == 0:
            service = "other"
        elif proto in (1, 47):
            service = names[int(proto)]
        else:
            service = "%d/%s" % (port, names.get(int(proto), str(proto)))
        parts.append("%s %.0f%%" % (service, 100 * share))
    return ", ".join(parts)


def load(path):
    """Opens a history; see History."""
    return History(path)
