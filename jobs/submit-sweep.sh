#!/usr/bin/env bash
# Submits a parameter sweep: one array task per grid row, then the summary job, which
# runs only when every task succeeded (afterok; --kill-on-invalid-dep so a failed task
# does not leave the summary pending for ever). Prints both job ids.
# Usage: DT_GRID=grid.csv DT_CAPTURES=... DT_SWEEP_DIR=... jobs/submit-sweep.sh [sbatch options]
set -euo pipefail
: "${DT_GRID:?set DT_GRID}"
: "${DT_SWEEP_DIR:?set DT_SWEEP_DIR}"
here=$(cd "$(dirname "$0")" && pwd)
rows=$(($(grep -c . "$DT_GRID") - 1))
[ "$rows" -ge 1 ] || { echo "submit-sweep: $DT_GRID has no rows" >&2; exit 2; }
mkdir -p "$DT_SWEEP_DIR"
export DT_JOBS_DIR=$here
array=$(sbatch --parsable --export=ALL --array=0-$((rows - 1)) "$@" "$here/sweep.sbatch")
summary=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" \
    --kill-on-invalid-dep=yes "$here/sweep-summary.sbatch")
echo "sweep: array job $array ($rows runs), summary job $summary"
