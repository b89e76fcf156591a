#!/usr/bin/env bash
# A small parameter sweep under a real one-node Slurm: jobs/submit-sweep.sh queues a job
# array of three grid rows on a tiny synthetic telescope and the summary job after it; the
# summary table (CSV and netCDF) must hold each run's parameters and the figures computed
# here, independently, from each run's history. Usage: slurm_sweep.sh SRC DARKTRACK SYNTH OUT
set -u
SRC=${1:?usage: slurm_sweep.sh SOURCE_DIR DARKTRACK SYNTH OUTDIR}
BIN=${2:?} SYNTH=${3:?} OUT=${4:?}
PYTHON=${DT_PYTHON3:-/usr/bin/python3}
# shellcheck source=tests/slurm_lib.sh
. "$SRC/tests/slurm_lib.sh"
slurm_require "$BIN" "$SYNTH"
"$BIN" run --help >/dev/null 2>&1 || { echo "skipped: $BIN has no run command yet"; exit 77; }

rm -rf "$OUT" && mkdir -p "$OUT"
"$SYNTH" --preset tiny --days 4 --seed 4 --out "$OUT/telescope" -q ||
    fail "darktrack-synth failed"
cat >"$OUT/grid.csv" <<'GRID'
tau0,tau1,min-cluster-size,min-samples,dim,window,min-packets
0.65,0.3,10,10,32,5,5
0.8,0.4,8,4,16,3,5
0.5,0.2,5,5,24,2,8
GRID

slurm_start
export DT_BIN=$BIN DT_GRID=$OUT/grid.csv DT_CAPTURES=$OUT/telescope/captures
export DT_SWEEP_DIR=$OUT/sweep
export DT_ARGS="--seed 5 --ground-truth $OUT/telescope/truth/ground-truth.csv"
line=$(bash "$SRC/jobs/submit-sweep.sh" --ntasks=2 --mem-per-cpu=500M --time=30) ||
    fail "submit-sweep.sh failed"
echo "$line"
array=$(echo "$line" | sed -n 's/.*array job \([0-9]*\) .*/\1/p')
summary=$(echo "$line" | sed -n 's/.*summary job \([0-9]*\).*/\1/p')
if [ -z "$array" ] || [ -z "$summary" ]; then fail "no job ids in: $line"; fi

wait_job_gone "$summary" 240
for task in 0 1 2; do
    state=$(job_field "${array}_$task" JobState)
    [ "$state" = COMPLETED ] || fail "run $task ended $state (see $DT_SWEEP_DIR/run-00$task.out)"
    grep -q "^resolved parameters:" "$DT_SWEEP_DIR/run-00$task.out" ||
        fail "run $task printed no banner"
done
[ "$(job_field "$summary" JobState)" = COMPLETED ] ||
    fail "the summary job ended $(job_field "$summary" JobState) (see $DT_SWEEP_DIR/summary.out)"
"$PYTHON" "$SRC/tests/check_sweep_summary.py" "$DT_SWEEP_DIR" "$OUT/grid.csv" ||
    fail "the summary does not match the runs' histories"
