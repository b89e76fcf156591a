#!/usr/bin/python3
"""darktrack cluster against R's dbscan::hdbscan on the same vectors, wall clock, one run.

Usage: compare_r.py DARKTRACK [N [DIM]]   (defaults 3000 vectors of 200)
R is timed on hdbscan() alone, given the cosine distance matrix already built; darktrack
is timed end to end (reading the file, edges, tree, silhouettes, writing). Both use one
core (OPENBLAS_NUM_THREADS=1). Prints both times, their ratio and whether the partitions
agree (adjusted Rand index).
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

R_CODE = r"""
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2])
m <- matrix(readBin(args[1], what = "double", n = n * n, size = 8), n, n)
d <- as.dist(m)
t0 <- proc.time()[["elapsed"]]
res <- dbscan::hdbscan(d, minPts = 10)
cat(proc.time()[["elapsed"]] - t0, "\n")
writeLines(as.character(res$cluster), args[3])
"""


def main():
    darktrack = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    dim = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = np.random.default_rng(1)
    centers = rng.standard_normal((40, dim))
    x = (centers[rng.integers(0, 40, n)] + 0.8 * rng.standard_normal((n, dim))).astype(np.float32)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    with tempfile.TemporaryDirectory() as work:
        vpath = os.path.join(work, "v.txt")
        np.savetxt(vpath, x, fmt="%.9g")
        out = os.path.join(work, "c.csv")
        t0 = time.perf_counter()
        subprocess.run([darktrack, "cluster", "-q", "-o", out, vpath], check=True, env=env)
        ours = time.perf_counter() - t0
        labels = [int(l.split(",")[3]) for l in open(out) if l.startswith("point")]

        xd = x.astype(np.float64)
        g = xd @ xd.T
        sq = np.diag(g).copy()
        d = np.maximum(1.0 - g / np.sqrt(np.outer(sq, sq)), 0.0)
        np.fill_diagonal(d, 0.0)
        d.astype("<f8").tofile(os.path.join(work, "m.bin"))
        with open(os.path.join(work, "r.R"), "w") as f:
            f.write(R_CODE)
        r = subprocess.run(["Rscript", os.path.join(work, "r.R"), os.path.join(work, "m.bin"),
                            str(n), os.path.join(work, "r.txt")], check=True, env=env,
                           capture_output=True, text=True)
        theirs = float(r.stdout.split()[0])
        r_labels = [int(v) - 1 for v in open(os.path.join(work, "r.txt"))]
    from sklearn.metrics import adjusted_rand_score
    print(f"n {n}, dim {dim}: darktrack cluster {ours:.3f} s (end to end), "
          f"R dbscan::hdbscan {theirs:.3f} s (matrix given), ratio R/darktrack "
          f"{theirs / ours:.1f}; adjusted Rand index {adjusted_rand_score(r_labels, labels):.6f}")


if __name__ == "__main__":
    main()
