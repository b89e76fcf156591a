#!/usr/bin/env bash
# Benchmark of the distributed HDBSCAN edges, all in one run: darktrack's distributed MST
# (mpi/dt_dist_edges.c) against R's dbscan::hdbscan on the same vectors (n = 8,000 and
# 16,000, E = 200) and against the floor, one single-precision GEMM pass over all pairs on
# the same ranks; then the peak memory per rank at n = 100,000 on 2 ranks.
# usage: tools/bench-cluster/run.sh [BUILD_DIR] [RANKS]   (default build/dev, 2 ranks)
set -eu
build=${1:-build/dev}
ranks=${2:-2}
bench=$build/tools/bench-cluster/bench_edges
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/bench-cluster.XXXXXX)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OPENBLAS_NUM_THREADS=1
dim=200
min_samples=10

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), ranks $ranks"
echo "# OPENBLAS_NUM_THREADS=1, min_samples = min_cluster_size = $min_samples, dim $dim"
for n in 8000 16000; do
    "$bench" write "$work/v$n.f32" "$n" "$dim"
    mpiexec -n "$ranks" "$bench" floor "$work/v$n.f32" "$n" "$dim"
    mpiexec -n "$ranks" "$bench" mst "$work/v$n.f32" "$n" "$dim" "$min_samples"
    if command -v Rscript >/dev/null && Rscript -e 'library(dbscan)' >/dev/null 2>&1; then
        /usr/bin/time -f "R peak_rss_kib=%M" Rscript "$here/bench_r.R" "$work/v$n.f32" "$n" "$dim" \
            "$min_samples" 2>&1
    else
        echo "R dbscan not installed: R comparison skipped"
    fi
    rm -f "$work/v$n.f32"
done

n=100000
"$bench" write "$work/v$n.f32" "$n" "$dim"
mpiexec -n 2 "$bench" mst "$work/v$n.f32" "$n" "$dim" "$min_samples"
