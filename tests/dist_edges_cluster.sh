#!/usr/bin/env bash
# `darktrack cluster` at NP ranks writes the same points and clusters as at 1 rank.
# usage: dist_edges_cluster.sh MPIEXEC DARKTRACK PYTHON3 WORKDIR NP
set -eu
mpiexec=$1 darktrack=$2 python=$3 work=$4 np=$5
mkdir -p "$work"
"$python" - "$work/vectors.csv" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(5)
centres = rng.normal(size=(12, 40))
rows = [centres[rng.integers(12)] + 0.3 * rng.normal(size=40) for _ in range(1500)]
rows += [rng.normal(size=40) for _ in range(150)]
with open(sys.argv[1], "w") as f:
    f.write("# vectors for darktrack cluster\n")
    for i, row in enumerate(np.array(rows, dtype=np.float32)):
        f.write(f"10.1.{i // 256}.{i % 256}," + ",".join(repr(float(v)) for v in row) + "\n")
PY
for ranks in 1 "$np"; do
    "$mpiexec" -n "$ranks" "$darktrack" cluster --min-cluster-size 10 -o "$work/out$ranks.csv" \
        "$work/vectors.csv"
    grep -v '^#' "$work/out$ranks.csv" >"$work/rows$ranks.csv"
done
if ! cmp "$work/rows1.csv" "$work/rows$np.csv"; then
    echo "darktrack cluster at $np ranks differs from 1 rank" >&2
    diff "$work/rows1.csv" "$work/rows$np.csv" | head -20 >&2
    exit 1
fi
clusters=$(grep -c '^cluster' "$work/rows1.csv" || true)
[ "$clusters" -ge 2 ] || { echo "expected several clusters, found $clusters" >&2; exit 1; }
echo "identical output at 1 and $np ranks, $clusters clusters"
