#!/usr/bin/env bash
# jobs/reproduce.sbatch under a real one-node Slurm, scaled down: the tiny synthetic
# telescope with 3 bootstrap and 2 test days instead of the paper's 30 and 20. The job must
# generate the telescope, run darktrack, write the report and draw every figure of the test
# days. Usage: slurm_reproduce.sh SOURCE_DIR DARKTRACK SYNTH OUTDIR
set -u
SRC=${1:?usage: slurm_reproduce.sh SOURCE_DIR DARKTRACK SYNTH OUTDIR}
BIN=${2:?} SYNTH=${3:?} OUT=${4:?}
# shellcheck source=tests/slurm_lib.sh
. "$SRC/tests/slurm_lib.sh"
slurm_require "$BIN" "$SYNTH"
"$BIN" run --help >/dev/null 2>&1 || { echo "skipped: $BIN has no run command yet"; exit 77; }
command -v tshark >/dev/null || { echo "skipped: tshark not found (the activity figure)"; exit 77; }

rm -rf "$OUT" && mkdir -p "$OUT"
slurm_start
export DT_WORK=$OUT/work DT_BIN=$BIN DT_SYNTH=$SYNTH DT_PRESET=tiny DT_SEED=2
export DT_BOOTSTRAP_DAYS=3 DT_TEST_DAYS=2
job=$(sbatch --parsable --ntasks=2 --mem-per-cpu=500M --time=30 --output="$OUT/job.out" \
    "$SRC/jobs/reproduce.sbatch") || fail "sbatch failed"
wait_job_gone "$job" 240
[ "$(job_field "$job" JobState)" = COMPLETED ] ||
    fail "the job ended $(job_field "$job" JobState) (see $OUT/job.out)"

[ "$(history_days "$DT_WORK/history.nc")" -eq 5 ] || fail "the history does not hold 5 days"
for file in report.txt report.json report-days.csv report-clusters.csv \
    report-transitions.csv figures/clusters.png figures/transitions.png \
    figures/evolution.png figures/activity.png figures/clusters-per-day.csv; do
    [ -s "$DT_WORK/$file" ] || fail "$file was not written (see $OUT/job.out)"
done
# The figures cover the test days only (2021-05-04 and 2021-05-05), with the history's
# cluster counts of those days.
"${DT_PYTHON3:-/usr/bin/python3}" - "$DT_WORK" <<'PY' || fail "the figures' days are wrong"
import sys, csv, netCDF4
work = sys.argv[1]
with netCDF4.Dataset(work + "/history.nc") as ds:
    counts = [int(c) for c in ds["cluster_count"][:]]
with open(work + "/figures/clusters-per-day.csv") as f:
    rows = list(csv.DictReader(f))
got = [(r["date"], int(r["clusters"])) for r in rows]
want = [("2021-05-04", counts[3]), ("2021-05-05", counts[4])]
print("figures: %s, history: %s" % (got, want))
sys.exit(0 if got == want else 1)
PY
grep -q '^resolved parameters:' "$OUT/job.out" || fail "no banner in $OUT/job.out"
echo "the scaled-down reproduction wrote its history, report and figures"
