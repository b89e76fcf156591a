#!/usr/bin/env bash
# Word2Vec benchmark: words per second and kNN accuracy of darktrack (1 and 2 MPI ranks,
# each kernel) against gensim (1 and 2 workers) on one corpus, same settings, one run.
#
#   tools/bench-w2v/bench-w2v.sh [-b BUILD_DIR] [-c CORPUS -l LABELS] [-o OUT_DIR]
#
# Without -c a planted corpus (200 groups of 30 senders, 2,000 loners, about 530,000
# words) is generated. Settings: dimension 200, window 5, 5 negatives, no subsampling,
# one epoch, alpha 0.025; gensim with shrink_windows=False, as darktrack uses the fixed
# window (docs/word2vec.md). OPENBLAS_NUM_THREADS=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$here/../../build/dev
corpus= labels= out=${TMPDIR:-/tmp}/bench-w2v
while getopts "b:c:l:o:" opt; do
    case $opt in
    b) build=$OPTARG ;;
    c) corpus=$OPTARG ;;
    l) labels=$OPTARG ;;
    o) out=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
    esac
done

py=/usr/bin/python3
compare=$here/w2v_compare.py
driver=$build/tools/bench-w2v/bench_w2v
export OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"
[ -x "$driver" ] || { echo "bench-w2v: build $driver first" >&2; exit 1; }

if [ -z "$corpus" ]; then
    corpus=$out/planted.txt labels=$out/planted-labels.csv
    $py "$compare" planted "$corpus" "$labels"
fi
echo "corpus $corpus: $(wc -l <"$corpus") sentences, $(wc -w <"$corpus") words"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(nproc) cores," \
     "load $(cut -d' ' -f1 /proc/loadavg)"

for workers in 1 2; do
    $py "$compare" gensim "$corpus" "$out/gensim-$workers.nc" --workers $workers
done
for kernel in blas pair; do
    mpiexec -n 1 "$driver" --corpus "$corpus" --kernel $kernel \
        --vectors-out "$out/darktrack-1-$kernel.nc"
done
mpiexec -n 2 "$driver" --corpus "$corpus" --kernel blas --vectors-out "$out/darktrack-2-blas.nc"
mpiexec -n 2 "$driver" --corpus "$corpus" --kernel blas --merge average \
    --vectors-out "$out/darktrack-2-blas-average.nc"

if [ -n "$labels" ]; then
    $py "$compare" knn "$labels" "$out"/gensim-*.nc "$out"/darktrack-*.nc
fi
