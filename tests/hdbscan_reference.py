#!/usr/bin/python3
"""Reference checks of darktrack's HDBSCAN: R's dbscan::hdbscan and scikit-learn.

Generates a data set (deterministic seed), runs `darktrack cluster` on it, runs R's
dbscan::hdbscan on the double-precision cosine distance matrix of the same float vectors,
and compares: the partition (adjusted Rand index 1.0 with noise as its own class, and the
same noise set), GLOSH scores, membership probabilities and stabilities; then the
silhouettes against scikit-learn's silhouette_samples (cosine, noise left out).

Usage: hdbscan_reference.py DARKTRACK RSCRIPT R_SCRIPT WORKDIR DATASET MCS MS [VARIANT]
VARIANT (default 0) changes the seed, for stress runs by hand.
Exit status: 0 agreement, 1 disagreement, 77 when R's dbscan or scikit-learn is missing.
"""
import os
import subprocess
import sys

import numpy as np

SKIP = 77


def unit_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def blobs(rng, sizes, spreads, dim, center_scale=1.0):
    """Clusters around random directions; spread is the noise per component."""
    centers = unit_rows(rng.standard_normal((len(sizes), dim))) * center_scale
    parts = [c + s * rng.standard_normal((m, dim)) for c, m, s in zip(centers, sizes, spreads)]
    return np.vstack(parts)


def quantize(x, levels):
    """Integer components: every dot product is then exact in double, everywhere."""
    return np.rint(x / np.abs(x).max() * levels)


def dataset(name, rng, mcs, ms):
    if name.startswith("file:"):
        # Real vectors, e.g. a synthetic-telescope day saved with --save-embeddings.
        import netCDF4
        with netCDF4.Dataset(name[5:]) as nc:
            return np.asarray(nc.variables["embedding"][:], dtype=np.float32)
    if name == "separated":
        return quantize(blobs(rng, [60, 50, 40, 70, 30], [0.08] * 5, 16), 64)
    if name == "touching":
        base = unit_rows(rng.standard_normal((1, 16)))
        shift = 0.3 * unit_rows(rng.standard_normal((3, 16)))
        centers = base + shift
        parts = [c + 0.06 * rng.standard_normal((m, 16)) for c, m in zip(centers, [80, 70, 60])]
        return quantize(np.vstack(parts), 64)
    if name == "densities":
        return quantize(blobs(rng, [120, 60, 30, 40], [0.03, 0.1, 0.2, 0.06], 12), 100)
    if name == "duplicates":
        # Coarse integer components make distances tie; each vector appears 1 to 3 times.
        base = quantize(blobs(rng, [40, 35, 30], [0.25, 0.25, 0.25], 8), 4)
        base = base[np.abs(base).sum(axis=1) > 0]
        copies = rng.integers(1, 4, size=len(base))
        x = np.repeat(base, copies, axis=0)
        return x[rng.permutation(len(x))]
    if name == "copies":
        # Groups of exact copies, two of them at least min_samples strong (core distance 0,
        # lambda infinite) but under 2 min_cluster_size (so no split of copies is wanted).
        x = quantize(blobs(rng, [50, 40, 30], [0.1, 0.1, 0.1], 12), 64)
        picks = rng.choice(len(x), size=4, replace=False)
        big = max(ms, mcs)
        counts = [big, min(big + 2, 2 * mcs - 1), 3, 2]
        copies = [np.repeat(x[i:i + 1], m, axis=0) for i, m in zip(picks, counts)]
        x = np.vstack([x] + copies)
        return x[rng.permutation(len(x))]
    if name == "one_large":
        big = blobs(rng, [400], [0.1], 10)
        noise = rng.standard_normal((100, 10))
        return quantize(np.vstack([big, noise]), 64)
    if name == "embeddings":
        # Stand-in for a synthetic-telescope day's Word2Vec vectors (float32, E = 64):
        # groups of very different sizes over a diffuse background, not quantized.
        groups = blobs(rng, [200, 120, 60, 30, 15, 12], [0.09, 0.07, 0.1, 0.05, 0.04, 0.06],
                       64)
        background = rng.standard_normal((300, 64)) * 0.6
        return np.vstack([groups, background])
    raise SystemExit(f"unknown data set {name}")


def cosine_matrix(x32):
    """d(a,b) = max(0, 1 - <a,b> / sqrt(<a,a><b,b>)) in double from the float vectors."""
    x = x32.astype(np.float64)
    g = x @ x.T
    sq = np.diag(g).copy()
    d = 1.0 - g / np.sqrt(np.outer(sq, sq))
    np.maximum(d, 0.0, out=d)
    np.fill_diagonal(d, 0.0)
    return d


def jitter_copies(d):
    """For R, exact copies at tiny distinct distances instead of 0, where R's semantics are
    defined: darktrack's rules for distance 0 must give the limit of very dense groups."""
    i, j = np.nonzero(np.triu(d == 0, 1))
    tiny = 1e-9 * (1 + ((i * 31 + j * 17) % 97) / 97)
    d = d.copy()
    d[i, j] = tiny
    d[j, i] = tiny
    return d


def write_vectors_csv(path, x32):
    with open(path, "w") as f:
        f.write("# vectors for darktrack cluster\n")
        for i, row in enumerate(x32):
            f.write(f"10.0.{i // 256}.{i % 256}," + ",".join(repr(float(v)) for v in row) + "\n")


def read_csv_table(path):
    import csv
    with open(path) as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    return rows[0], rows[1:]


def run_r(rscript, r_script, work, d, mcs, ms):
    mpath = os.path.join(work, "matrix.bin")
    d.astype("<f8").tofile(mpath)
    out = os.path.join(work, "r.csv")
    try:
        p = subprocess.run([rscript, r_script, mpath, str(len(d)), str(mcs), str(ms), out])
    except FileNotFoundError:
        print(f"{rscript} not found")
        sys.exit(SKIP)
    if p.returncode == SKIP:
        sys.exit(SKIP)
    if p.returncode != 0:
        raise SystemExit(f"R failed with status {p.returncode}")
    _, rows = read_csv_table(out)
    cluster = np.array([int(r[0]) for r in rows]) - 1  # R: 0 noise, 1..k clusters
    core = np.array([float(r[1]) for r in rows])
    glosh = np.array([float(r[2]) for r in rows])
    prob = np.array([float(r[3]) if r[3] != "NA" else np.nan for r in rows])
    _, srows = read_csv_table(out + ".stability")
    stab = np.array([float(r[1]) for r in srows])
    return cluster, core, glosh, prob, stab


def write_vectors_netcdf(path, x32):
    """The vectors file format of src/dt_vectors.h, written by netCDF4-python."""
    import netCDF4
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.createDimension("sender", len(x32))
        nc.createDimension("embedding_dim", x32.shape[1])
        ip = nc.createVariable("sender_ip", "u4", ("sender",))
        emb = nc.createVariable("embedding", "f4", ("sender", "embedding_dim"))
        ip[:] = np.arange(len(x32), dtype=np.uint32) + (10 << 24)
        emb[:] = x32


def read_netcdf_result(path):
    """The netCDF result, in the shape of the CSV rows read below."""
    import netCDF4
    with netCDF4.Dataset(path) as nc:
        v = {k: np.asarray(nc.variables[k][:]) for k in nc.variables}
    return (v["label"].astype(int), v["outlier"].astype(float), v["probability"].astype(float),
            v["silhouette"].astype(float), v["stability"], v["cluster_silhouette"])


def run_darktrack(darktrack, work, x32, mcs, ms, netcdf):
    vpath = os.path.join(work, "vectors.nc" if netcdf else "vectors.csv")
    if netcdf:
        write_vectors_netcdf(vpath, x32)
    else:
        write_vectors_csv(vpath, x32)
    out = os.path.join(work, "clusters.nc" if netcdf else "clusters.csv")
    cmd = [darktrack, "cluster", "--min-cluster-size", str(mcs), "--min-samples", str(ms),
           "-o", out, vpath]
    p = subprocess.run(cmd)
    if p.returncode != 0:
        raise SystemExit(f"darktrack cluster failed with status {p.returncode}")
    if netcdf:
        return read_netcdf_result(out)
    header, rows = read_csv_table(out)
    col = {h: i for i, h in enumerate(header)}
    points = [r for r in rows if r[col["kind"]] == "point"]
    clusters = [r for r in rows if r[col["kind"]] == "cluster"]
    label = np.array([int(r[col["label"]]) for r in points])
    glosh = np.array([float(r[col["outlier"]]) for r in points])
    prob = np.array([float(r[col["probability"]]) for r in points])
    sil = np.array([float(r[col["silhouette"]] or "nan") for r in points])
    stab = np.array([float(r[col["stability"]]) for r in clusters])
    csil = np.array([float(r[col["silhouette"]]) for r in clusters])
    return label, glosh, prob, sil, stab, csil


def same_partition(ours, ref, failures):
    from sklearn.metrics import adjusted_rand_score
    ari = adjusted_rand_score(ref, ours)
    noise_ours = set(np.flatnonzero(ours < 0).tolist())
    noise_ref = set(np.flatnonzero(ref < 0).tolist())
    print(f"clusters: darktrack {ours.max() + 1}, R {ref.max() + 1}; noise: darktrack "
          f"{len(noise_ours)}, R {len(noise_ref)}; adjusted Rand index {ari:.12f}")
    if ari != 1.0:
        failures.append(f"adjusted Rand index {ari} != 1")
    if noise_ours != noise_ref:
        failures.append(f"noise differs: only darktrack {sorted(noise_ours - noise_ref)[:20]}, "
                        f"only R {sorted(noise_ref - noise_ours)[:20]}")


def check_close(what, ours, ref, tol, failures):
    if ours.shape != ref.shape:
        failures.append(f"{what}: {ours.shape} values, R has {ref.shape}")
        return
    if len(ours) == 0:
        return
    err = np.abs(ours - ref) / np.maximum(1.0, np.abs(ref))
    worst = int(np.argmax(err))
    print(f"{what}: largest difference {err[worst]:.3g} (at {worst}: {ours[worst]!r} vs "
          f"{ref[worst]!r})")
    if not err[worst] <= tol:
        failures.append(f"{what} differs by {err[worst]:.3g} > {tol}")


def check_silhouette(x32, label, sil, csil, failures):
    from sklearn.metrics import silhouette_samples
    keep = label >= 0
    k = label.max() + 1
    if k < 2:
        print("fewer than two clusters: no silhouette to compare")
        return
    ref = silhouette_samples(x32[keep].astype(np.float64), label[keep], metric="cosine")
    check_close("silhouette per point", sil[keep], ref, 1e-4, failures)
    ref_means = np.array([ref[label[keep] == c].mean() for c in range(k)])
    check_close("silhouette per cluster", csil, ref_means, 1e-4, failures)


def main():
    darktrack, rscript, r_script, work, name, mcs, ms = sys.argv[1:8]
    mcs, ms = int(mcs), int(ms)
    variant = int(sys.argv[8]) if len(sys.argv) > 8 else 0
    try:
        import sklearn.metrics  # noqa: F401
    except ImportError:
        print("scikit-learn not available")
        return SKIP
    os.makedirs(work, exist_ok=True)
    if name.startswith("file:") and not os.path.exists(name[5:]):
        print(f"{name[5:]} not found")
        return SKIP
    seed = sum(map(ord, name)) * 7919 + mcs * 31 + ms + 1000003 * variant
    x32 = dataset(name, np.random.default_rng(seed), mcs, ms).astype(np.float32)
    d = cosine_matrix(x32)
    copies = name == "copies"
    if copies:
        d = jitter_copies(d)
    print(f"data set {name}: {len(x32)} vectors of {x32.shape[1]}; min_cluster_size {mcs}, "
          f"min_samples {ms}")

    r_label, r_core, r_glosh, r_prob, r_stab = run_r(rscript, r_script, work, d, mcs, ms)
    if r_core.min() <= 0:
        raise SystemExit("data set has points at core distance 0: R's semantics undefined")
    if r_label.max() + 1 < 2 and name != "one_large":
        raise SystemExit("R finds fewer than two clusters: the data set checks too little")
    # The stand-in for real vectors also goes through the netCDF reader and writer.
    netcdf = name == "embeddings" or name.startswith("file:")
    label, glosh, prob, sil, stab, csil = run_darktrack(darktrack, work, x32, mcs, ms, netcdf)

    failures = []
    same_partition(label, r_label, failures)
    if not failures and not copies:
        order = relabel(label, r_label)
        check_close("GLOSH outlier scores", glosh, r_glosh, 1e-6, failures)
        # R gives noise points probabilities when no cluster is selected (the root stands
        # in as cluster 0 in its loop); darktrack gives noise 0, as the Python hdbscan.
        members = r_label >= 0
        check_close("membership probabilities", prob[members], r_prob[members], 1e-6, failures)
        if np.any(prob[~members] != 0):
            failures.append("a noise point has a nonzero membership probability")
        check_close("stabilities", stab, r_stab[order], 1e-9, failures)
    check_silhouette(x32, label, sil, csil, failures)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


def relabel(ours, ref):
    """For each darktrack cluster, the R cluster with the same members."""
    k = ours.max() + 1
    return np.array([ref[np.flatnonzero(ours == c)[0]] for c in range(k)], dtype=int)


if __name__ == "__main__":
    sys.exit(main())
