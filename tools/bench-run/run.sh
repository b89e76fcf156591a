#!/usr/bin/env bash
# The whole main job on the synthetic telescope's paper preset at 1 and 2 ranks: seconds
# per day by stage (median over the days after the warm-up day) and peak memory per rank.
# Usage: tools/bench-run/run.sh [DAYS] [WORKDIR] [BUILD]   (defaults 8, /tmp/darktrack-bench-run,
#        build/release). Not a test: a benchmark for docs/performance.md.
set -euo pipefail
days=${1:-8}
work=${2:-/tmp/darktrack-bench-run}
build=${3:-build/release}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OPENBLAS_NUM_THREADS=1

mkdir -p "$work"
if [ ! -f "$work/telescope/truth/summary.csv" ]; then
    "$build/tools/synth/darktrack-synth" --preset paper --days "$days" -q --out "$work/telescope"
fi
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_NUM_THREADS=1"
for np in 1 2; do
    rm -f "$work/history-np$np.nc"*
    mpiexec -n "$np" "$build/mpi/darktrack" run -o "$work/history-np$np.nc" \
        "$work/telescope/captures" 2>"$work/log-np$np.txt"
    /usr/bin/python3 "$top/tools/bench-run/summarise.py" "$np" "$work/log-np$np.txt"
done
