#!/usr/bin/env bash
# The main job on the built-in synthetic telescope, under mpiexec with 2 ranks, from a
# fresh Debian 12 machine: installs what is missing, builds, generates the telescope,
# runs darktrack (resuming if an earlier demo stopped) and ends with its report.
# Usage: tools/demo.sh [preset]   (tiny, small or paper; default small)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
preset=${1:-small}

bash tools/install-deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OPENBLAS_NUM_THREADS=1
work=build/demo-$preset
mkdir -p "$work"
if [ ! -f "$work/truth/ground-truth.csv" ]; then
    build/release/tools/synth/darktrack-synth --preset "$preset" --out "$work"
fi
mpiexec -n 2 build/release/mpi/darktrack run -o "$work/history.nc" \
    --ground-truth "$work/truth/ground-truth.csv" "$work/captures"
build/release/mpi/darktrack report "$work/history.nc"
echo "darktrack demo: the history is $work/history.nc; the planted truth is in $work/truth"
