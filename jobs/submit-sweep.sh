#!/usr/bin/env bash
# Submits a parameter sweep: a job array with one run per grid row (jobs/sweep.sbatch), then
# the summary job (jobs/sweep-summary.sbatch), which starts when every run succeeded
# (afterok) and is cancelled when one fails (--kill-on-invalid-dep=yes; without it a failed
# run would leave the summary pending for ever). Prints the two job ids.
#
# Usage: DT_GRID=grid.csv DT_CAPTURES=/data/telescope DT_SWEEP_DIR=/scratch/sweep \
#        jobs/submit-sweep.sh [sbatch options for the runs, e.g. --ntasks=4 --time=2:00:00]
# DT_ARRAY_LIMIT (optional) caps the runs at a time: --array=0-N%LIMIT.
set -euo pipefail
: "${DT_GRID:?set DT_GRID to the grid CSV}"
: "${DT_CAPTURES:?set DT_CAPTURES to the capture folders or files}"
: "${DT_SWEEP_DIR:?set DT_SWEEP_DIR to the folder of the runs}"
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$DT_GRID" ] || { echo "submit-sweep: $DT_GRID: no such file" >&2; exit 2; }
rows=$(($(grep -c '[^[:space:]]' "$DT_GRID") - 1))
[ "$rows" -ge 1 ] || { echo "submit-sweep: $DT_GRID has a header but no rows" >&2; exit 2; }

mkdir -p "$DT_SWEEP_DIR"
DT_GRID=$(cd "$(dirname "$DT_GRID")" && pwd)/$(basename "$DT_GRID")
DT_SWEEP_DIR=$(cd "$DT_SWEEP_DIR" && pwd)
export DT_GRID DT_SWEEP_DIR
range=0-$((rows - 1))${DT_ARRAY_LIMIT:+%$DT_ARRAY_LIMIT}
array=$(sbatch --parsable --export=ALL --array="$range" \
    --output="$DT_SWEEP_DIR/run-%3a.out" "$@" "$here/sweep.sbatch")
summary=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" \
    --kill-on-invalid-dep=yes --output="$DT_SWEEP_DIR/summary.out" \
    "$here/sweep-summary.sbatch")
echo "sweep: array job $array ($rows runs), summary job $summary"
