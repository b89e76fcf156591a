#!/usr/bin/python3
"""Checks a darktrack history against the contract (shared/docs/history-format.md).

Usage:
  check_history_contract.py HISTORY                  every name, type, attribute, meaning
  check_history_contract.py HISTORY --same-as OTHER  and the same data as OTHER
  check_history_contract.py HISTORY --fixture DAYS,SENDERS,DIM
                                                     and the planted fixture days
  check_history_contract.py HISTORY --self-test DIR  and breaking copies of it one way
                                                     at a time is noticed each time

Exit status: 0 when the history keeps the contract, 1 with one line per problem, 77 when
the netCDF4 module cannot be imported. Other tests import it: `unrag`, `problems`,
`same_data` and `labels` are the reusable parts.
"""

import math
import re
import sys

try:
    import netCDF4
    import numpy as np
except ImportError as exc:  # the CTest skip code
    print(f"skipped: {exc}", file=sys.stderr)
    sys.exit(77)

FLAG_MEANINGS = "survived absorbed split disappeared inactive emerged reappeared"
SURVIVED, ABSORBED, SPLIT, DISAPPEARED, INACTIVE, EMERGED, REAPPEARED = range(7)

# name: (numpy dtype, dimensions)
VARIABLES = {
    "day": ("int32", ("day",)),
    "packets": ("int64", ("day",)),
    "senders_seen": ("int32", ("day",)),
    "senders_active": ("int32", ("day",)),
    "sender_count": ("int32", ("day",)),
    "sender_ip": ("uint32", ("sender_obs",)),
    "sender_packets": ("int32", ("sender_obs",)),
    "sender_cluster": ("int32", ("sender_obs",)),
    "cluster_count": ("int32", ("day",)),
    "cluster_id": ("int32", ("cluster_obs",)),
    "cluster_size": ("int32", ("cluster_obs",)),
    "cluster_silhouette": ("float32", ("cluster_obs",)),
    "cluster_origin": ("int8", ("cluster_obs",)),
    "cluster_novel": ("int8", ("cluster_obs",)),
    "cluster_label": ("int32", ("cluster_obs",)),
    "cluster_purity": ("float32", ("cluster_obs",)),
    "cluster_top_port": ("uint16", ("cluster_obs", "top_service")),
    "cluster_top_proto": ("uint8", ("cluster_obs", "top_service")),
    "cluster_top_share": ("float32", ("cluster_obs", "top_service")),
    "transition_count": ("int32", ("day",)),
    "transition_from": ("int32", ("transition_obs",)),
    "transition_to": ("int32", ("transition_obs",)),
    "transition_kind": ("int8", ("transition_obs",)),
    "transition_overlap": ("float32", ("transition_obs",)),
}

COUNTS = {"sender_obs": "sender_count", "cluster_obs": "cluster_count",
          "transition_obs": "transition_count"}

# Every pipeline parameter attribute (src/dt_params.c's table) and its type.
PARAMETERS = {
    "min_packets": int, "top_services": int, "max_sentence": int, "bpf": str,
    "embedding_dim": int, "window": int, "negative": int, "alpha": float, "epochs": int,
    "warmup_days": int, "warmup_epochs": int, "forget_after": int, "sync_words": int,
    "min_cluster_size": int, "min_samples": int, "tau0": float, "tau1": float, "seed": int,
    "ground_truth": str, "save_embeddings": int, "mpi_ranks": int,
}

PROVENANCE = ("title", "source", "history", "date_created", "darktrack_version",
              "darktrack_git_revision", "library_versions", "command_line", "input_files")


def open_history(path):
    ds = netCDF4.Dataset(path, "r")
    ds.set_auto_mask(False)  # NaN and -1 are data here, not missing values
    return ds


def labels(ds):
    """The ground-truth classes cluster_label indexes (comma-separated attribute)."""
    text = ds.getncattr("labels") if "labels" in ds.ncattrs() else ""
    return [x for x in str(text).split(",") if x]


def unrag(ds, name):
    """A ragged variable as one numpy array per day, using its count variable."""
    var = ds.variables[name]
    counts = ds.variables[COUNTS[var.dimensions[0]]][:].astype(np.int64)
    data = var[:]
    starts = np.concatenate([[0], np.cumsum(counts)])
    return [data[starts[i]:starts[i + 1]] for i in range(len(counts))]


def _check_globals(ds, out):
    attrs = ds.ncattrs()
    if ds.getncattr("Conventions") != "CF-1.10" if "Conventions" in attrs else True:
        out.append("global Conventions must be 'CF-1.10'")
    for name in PROVENANCE + ("labels",):
        if name not in attrs or not isinstance(ds.getncattr(name), str):
            out.append(f"global text attribute {name} missing")
    if "source" in attrs and "darktrack" not in ds.getncattr("source"):
        out.append("source does not name darktrack")
    if "date_created" in attrs and not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
                                                ds.getncattr("date_created")):
        out.append(f"date_created is not ISO 8601: {ds.getncattr('date_created')!r}")
    if "history" in attrs:
        for line in ds.getncattr("history").split("\n"):
            if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ darktrack .+: .+", line):
                out.append(f"history line without time, version and command: {line!r}")
    version = ds.getncattr("darktrack_history_version") if \
        "darktrack_history_version" in attrs else None
    if not isinstance(version, (np.integer, int)) or int(version) != 1:
        out.append(f"darktrack_history_version must be the integer 1, is {version!r}")
    for name, kind in PARAMETERS.items():
        if name not in attrs:
            out.append(f"parameter attribute {name} missing")
            continue
        value = ds.getncattr(name)
        ok = isinstance(value, str) if kind is str else \
            isinstance(value, (np.integer, int)) if kind is int else \
            isinstance(value, (np.floating, float))
        if not ok:
            out.append(f"parameter attribute {name} is {type(value).__name__}, not {kind}")


def _check_variables(ds, out):
    dims = ds.dimensions
    for name in ("day", "sender_obs", "cluster_obs", "transition_obs"):
        if name not in dims:
            out.append(f"dimension {name} missing")
    if "day" in dims and not dims["day"].isunlimited():
        out.append("dimension day must be unlimited")
    for name, (dtype, vdims) in VARIABLES.items():
        if name not in ds.variables:
            out.append(f"variable {name} missing")
            continue
        var = ds.variables[name]
        if str(var.dtype) != dtype or var.dimensions != vdims:
            out.append(f"{name}: {var.dtype}{var.dimensions}, want {dtype}{vdims}")
    if "sender_embedding" in ds.variables:
        var = ds.variables["sender_embedding"]
        if str(var.dtype) != "float32" or var.dimensions != ("sender_obs", "embedding_dim"):
            out.append(f"sender_embedding: {var.dtype}{var.dimensions}")
        elif len(dims["embedding_dim"]) != int(ds.getncattr("embedding_dim")):
            out.append("embedding_dim dimension differs from the embedding_dim parameter")


def _check_variable_attributes(ds, out):
    day = ds.variables["day"]
    want = {"units": "days since 1970-01-01", "standard_name": "time",
            "calendar": "standard", "axis": "T"}
    for key, value in want.items():
        if getattr(day, key, None) != value:
            out.append(f"day:{key} must be {value!r}, is {getattr(day, key, None)!r}")
    for obs, count in COUNTS.items():
        if getattr(ds.variables[count], "sample_dimension", None) != obs:
            out.append(f"{count}:sample_dimension must be {obs!r}")
        rows = len(ds.dimensions[obs])
        total = int(ds.variables[count][:].astype(np.int64).sum())
        if total != rows:
            out.append(f"{count} sums to {total}, {obs} has {rows} rows")
    for name in ("transition_kind", "cluster_origin"):
        var = ds.variables[name]
        values = list(np.asarray(getattr(var, "flag_values", [])).tolist())
        if values != list(range(7)) or getattr(var, "flag_meanings", "") != FLAG_MEANINGS:
            out.append(f"{name}: flag_values/flag_meanings differ from the contract")


def _check_day_meanings(ds, out):
    """The meanings the contract states, day by day."""
    days = ds.variables["day"][:]
    if np.any(np.diff(days) <= 0):
        out.append("day is not strictly increasing")
    n_labels = len(labels(ds))
    min_packets = int(ds.getncattr("min_packets"))
    senders = {n: unrag(ds, n) for n in ("sender_ip", "sender_packets", "sender_cluster")}
    clusters = {n: unrag(ds, n) for n in VARIABLES if n.startswith("cluster_") and
                n != "cluster_count"}
    moves = {n: unrag(ds, n) for n in ("transition_from", "transition_to", "transition_kind",
                                         "transition_overlap")}
    active = ds.variables["senders_active"][:]
    seen = ds.variables["senders_seen"][:]
    previous_ids = set()
    for i, day in enumerate(days):
        where = f"day {int(day)}"
        ip, cl = senders["sender_ip"][i], senders["sender_cluster"][i]
        if np.any(np.diff(ip.astype(np.int64)) <= 0):
            out.append(f"{where}: sender_ip not in strictly increasing address order")
        if np.any(senders["sender_packets"][i] <= min_packets):
            out.append(f"{where}: a sender at or under min_packets")
        if active[i] != len(ip) or seen[i] < active[i]:
            out.append(f"{where}: senders_active/senders_seen disagree with the rows")
        ids = clusters["cluster_id"][i]
        if len(set(ids.tolist())) != len(ids) or np.any(ids < 0):
            out.append(f"{where}: cluster ids repeat or are negative")
        for cid, size in zip(ids, clusters["cluster_size"][i]):
            if int(np.sum(cl == cid)) != int(size):
                out.append(f"{where}: cluster {cid} has size {size}, "
                           f"{int(np.sum(cl == cid))} senders carry it")
        if not set(cl.tolist()) <= set(ids.tolist()) | {-1}:
            out.append(f"{where}: a sender names a cluster the day does not list")
        origin, novel = clusters["cluster_origin"][i], clusters["cluster_novel"][i]
        if not set(origin.tolist()) <= {SURVIVED, EMERGED, REAPPEARED}:
            out.append(f"{where}: cluster_origin outside survived/emerged/reappeared")
        if np.any((novel != 0) & (origin != EMERGED)) or not set(novel.tolist()) <= {0, 1}:
            out.append(f"{where}: a novelty that did not emerge, or novel not 0/1")
        if i == 0 and (np.any(origin != EMERGED) or np.any(novel != 0)):
            out.append(f"{where}: on the first day every cluster emerged, none novel")
        label, purity = clusters["cluster_label"][i], clusters["cluster_purity"][i]
        if np.any((label < -1) | (label >= max(n_labels, 0))):
            out.append(f"{where}: cluster_label outside the labels attribute")
        labelled = label >= 0
        if np.any(~((purity[labelled] > 0) & (purity[labelled] <= 1))) or \
                np.any(~(np.isnan(purity[~labelled]) | (purity[~labelled] == 0))):
            out.append(f"{where}: cluster_purity outside (0, 1] with a label, not NaN without")
        sil = clusters["cluster_silhouette"][i]
        if np.any(np.abs(sil[~np.isnan(sil)]) > 1):
            out.append(f"{where}: cluster_silhouette outside [-1, 1]")
        share = clusters["cluster_top_share"][i]
        if np.any((share < 0) | (share > 1)) or np.any(share.sum(axis=1) > 1 + 1e-4):
            out.append(f"{where}: cluster_top_share outside [0, 1] or summing over 1")
        overlap = moves["transition_overlap"][i]
        if np.any((overlap[~np.isnan(overlap)] < 0) | (overlap[~np.isnan(overlap)] > 1 + 1e-6)):
            out.append(f"{where}: transition_overlap outside [0, 1]")
        kind = moves["transition_kind"][i]
        if np.any((kind < 0) | (kind > 6)):
            out.append(f"{where}: transition_kind outside 0..6")
        to_ok = set(moves["transition_to"][i].tolist()) <= set(ids.tolist()) | {-1}
        fate = kind <= INACTIVE
        from_ok = set(moves["transition_from"][i][fate].tolist()) <= previous_ids | {-1}
        if not to_ok or not from_ok:
            out.append(f"{where}: a transition names a cluster that is not there")
        previous_ids = set(ids.tolist())


def problems(path):
    """Every way the history at path breaks the contract, as a list of lines."""
    out = []
    try:
        ds = open_history(path)
    except OSError as exc:
        return [f"{path}: cannot open as netCDF: {exc}"]
    with ds:
        if ds.data_model != "NETCDF4":
            out.append(f"data model {ds.data_model}, want NETCDF4")
        _check_globals(ds, out)
        _check_variables(ds, out)
        if out:
            return out
        _check_variable_attributes(ds, out)
        _check_day_meanings(ds, out)
    _check_xarray(path, out)
    return out


def _check_xarray(path, out):
    """xarray decodes the day coordinate to dates."""
    try:
        import xarray
    except ImportError:
        return
    with xarray.open_dataset(path) as ds:
        if not np.issubdtype(ds["day"].dtype, np.datetime64):
            out.append(f"xarray decodes day as {ds['day'].dtype}, not dates")


def same_data(path_a, path_b):
    """Differences between two histories' data: every variable, every global attribute
    except provenance (who ran it, when, with which command)."""
    out = []
    with open_history(path_a) as a, open_history(path_b) as b:
        if set(a.variables) != set(b.variables):
            out.append(f"variables differ: {sorted(set(a.variables) ^ set(b.variables))}")
        for name in sorted(set(a.variables) & set(b.variables)):
            x, y = a.variables[name][:], b.variables[name][:]
            if x.shape != y.shape or x.dtype != y.dtype or \
                    not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                out.append(f"variable {name} differs")
        skip = set(PROVENANCE) | {"mpi_ranks_history"}
        for name in sorted((set(a.ncattrs()) | set(b.ncattrs())) - skip):
            va = a.getncattr(name) if name in a.ncattrs() else None
            vb = b.getncattr(name) if name in b.ncattrs() else None
            if not np.array_equal(np.asarray(va), np.asarray(vb)):
                out.append(f"global attribute {name}: {va!r} != {vb!r}")
    return out


def fixture_day(k, senders, dim):
    """The planted day k of tests/history_fixture.c, computed independently."""
    n = senders + 3 * k
    nc = 0 if k == 4 else 5 + k % 3
    nt = 0 if k == 4 else 2 + k % 4
    i = np.arange(n)
    g = (i + k) % (nc + 1)
    cluster = np.where(g == nc, -1, 100 + 10 * k + g)
    day = {
        "day": 20454 + k, "packets": 1000000 + k * 12345, "senders_seen": n * 5 + k,
        "senders_active": n,
        "sender_ip": 0x0A000000 + (k * 7 + i) * 3,
        "sender_packets": 6 + (i * 13 + k * 5) % 97,
        "sender_cluster": cluster,
    }
    if dim:
        j = np.arange(dim)
        day["sender_embedding"] = np.array(
            [[math.sin(k * 1000 + ii * 10 + jj) for jj in j] for ii in i], dtype=np.float32)
    c = np.arange(nc)
    ids = 100 + 10 * k + c
    origin = np.array([EMERGED if k == 0 else (SURVIVED, EMERGED, REAPPEARED)[x % 3]
                       for x in c], dtype=np.int8)
    label = np.where(c % 2 == 0, (c // 2) % 3, -1)
    day.update({
        "cluster_id": ids, "cluster_size": np.array([np.sum(cluster == x) for x in ids]),
        "cluster_silhouette": np.float32(0.5 + 0.05 * c), "cluster_origin": origin,
        "cluster_novel": ((origin == EMERGED) & (k > 0)).astype(np.int8),
        "cluster_label": label,
        "cluster_purity": np.where(label >= 0, np.float32(0.6 + 0.1 * (c % 4)), np.nan),
        "cluster_top_port": np.array([[23 + x, 80, 0] for x in c]).reshape(nc, 3),
        "cluster_top_proto": np.array([[6, 17 if x % 2 else 6, 0] for x in c]).reshape(nc, 3),
        "cluster_top_share": np.array([[0.61, 0.3, 0]] * nc, dtype=np.float32).reshape(nc, 3),
    })
    t = np.arange(nt)
    emerged = (t == 0) | (k == 0) | (k == 5)
    day.update({
        "transition_from": np.where(emerged, -1, 100 + 10 * (k - 1) + t),
        "transition_to": 100 + 10 * k + t,
        "transition_kind": np.where(emerged, EMERGED, (t - 1) % 5),
        "transition_overlap": np.where(emerged, np.nan, np.float32(0.1 * t)),
    })
    return day


def matches_fixture(path, days, senders, dim):
    """Differences between the history and the planted fixture days."""
    out = []
    with open_history(path) as ds:
        if len(ds.dimensions["day"]) != days:
            return [f"{len(ds.dimensions['day'])} days, want {days}"]
        ragged = {n: unrag(ds, n) for n in ds.variables
                  if ds.variables[n].dimensions[0] in COUNTS}
        for k in range(days):
            want = fixture_day(k, senders, dim)
            for name, value in want.items():
                got = ragged[name][k] if name in ragged else ds.variables[name][k]
                value = np.asarray(value)
                if np.shape(got) != value.shape or not np.allclose(
                        np.asarray(got, dtype=np.float64), value.astype(np.float64),
                        rtol=1e-7, atol=0, equal_nan=True):
                    out.append(f"day {k}: {name} differs from the fixture")
    return out


MUTATIONS = [
    # (what is broken, how, words the report must contain)
    ("a cluster size", lambda ds: ds.variables["cluster_size"].__setitem__(
        0, ds.variables["cluster_size"][0] + 1), "has size"),
    ("the day units", lambda ds: ds.variables["day"].delncattr("units"), "day:units"),
    ("a transition kind", lambda ds: ds.variables["transition_kind"].__setitem__(0, 9),
     "transition_kind outside"),
    ("a ragged count", lambda ds: ds.variables["sender_count"].__setitem__(
        0, ds.variables["sender_count"][0] + 1), "sender_count sums to"),
    ("the layout version", lambda ds: ds.setncattr("darktrack_history_version", np.int32(2)),
     "darktrack_history_version"),
    ("a parameter", lambda ds: ds.delncattr("tau1"), "tau1 missing"),
    ("the flag meanings", lambda ds: ds.variables["cluster_origin"].setncattr(
        "flag_meanings", "a b c d e f g"), "flag_values/flag_meanings"),
    ("a novelty", lambda ds: ds.variables["cluster_novel"].__setitem__(0, 1),
     "first day every cluster emerged"),
]


def self_test(path, workdir):
    """Breaks copies of a good history one way at a time; each must be reported."""
    import shutil
    missed = []
    for what, mutate, words in MUTATIONS:
        copy = f"{workdir}/mutated.nc"
        shutil.copyfile(path, copy)
        with netCDF4.Dataset(copy, "a") as ds:
            ds.set_auto_mask(False)
            mutate(ds)
        found = problems(copy)
        if not any(words in line for line in found):
            missed.append(f"self-test: breaking {what} went unnoticed ({found})")
    return missed


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    found = problems(path)
    if "--self-test" in argv:
        found += self_test(path, argv[argv.index("--self-test") + 1])
    if "--same-as" in argv:
        found += same_data(path, argv[argv.index("--same-as") + 1])
    if "--fixture" in argv:
        days, senders, dim = (int(x) for x in argv[argv.index("--fixture") + 1].split(","))
        found += matches_fixture(path, days, senders, dim)
    for line in found:
        print(f"{path}: {line}")
    if not found:
        print(f"{path}: keeps the history contract")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
