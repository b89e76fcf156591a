#!/usr/bin/env bash
# The reprocessing chain under a real one-node Slurm: jobs/reprocess.sbatch on a small
# synthetic telescope is stopped by the time-limit warning (USR1) after its first days and
# continues as a second link, which is requeued in the middle (`scontrol requeue`) and
# finishes after its restart. The history must then hold the same data as an uninterrupted
# run with the same ranks. Usage: slurm_chain.sh SOURCE_DIR DARKTRACK SYNTH OUTDIR
set -u
SRC=${1:?usage: slurm_chain.sh SOURCE_DIR DARKTRACK SYNTH OUTDIR}
BIN=${2:?} SYNTH=${3:?} OUT=${4:?}
PYTHON=${DT_PYTHON3:-/usr/bin/python3}
# shellcheck source=tests/slurm_lib.sh
. "$SRC/tests/slurm_lib.sh"
slurm_require "$BIN" "$SYNTH"
"$BIN" run --help >/dev/null 2>&1 || { echo "skipped: $BIN has no run command yet"; exit 77; }

rm -rf "$OUT" && mkdir -p "$OUT"
# The days must take long enough (about 0.7 s each on two cores) for the test to stop the
# run between them: the small telescope, with three epochs a day.
"$SYNTH" --preset small --days "${DT_TEST_DAYS:-6}" --files-per-day 4 --seed 3 \
    --out "$OUT/telescope" -q || fail "darktrack-synth failed"
captures=$OUT/telescope/captures
run_args="--seed 5 --epochs 3 --warmup-epochs 3"

# The reference: one uninterrupted run with the same two ranks, outside Slurm.
# shellcheck disable=SC2086
mpiexec -n 2 "$BIN" run -q $run_args -o "$OUT/straight.nc" "$captures" ||
    fail "the uninterrupted run failed"
total=$(history_days "$OUT/straight.nc")
[ "$total" -ge 5 ] || fail "the uninterrupted run holds $total days, want 5 or more"

slurm_start
export DT_BIN=$BIN DT_CAPTURES=$captures DT_HISTORY=$OUT/chain.nc DT_ARGS=$run_args
log=$OUT/chain.out
first=$(sbatch --parsable --ntasks=2 --mem-per-cpu=500M --time=30 --output="$log" \
    "$SRC/jobs/reprocess.sbatch") || fail "sbatch failed"
echo "link 1 is job $first"

# Link 1: the time-limit warning after its first day.
wait_days "$OUT/chain.nc" 1 120
scancel --signal=USR1 --batch "$first" || fail "scancel --signal=USR1 failed"
wait_job_gone "$first" 120
after_first=$(history_days "$OUT/chain.nc")
echo "link 1 stopped with $after_first of $total days"
[ "$after_first" -lt "$total" ] || fail "link 1 was not stopped before the last day"
[ "$(job_field "$first" JobState)" = COMPLETED ] ||
    fail "link 1 ended $(job_field "$first" JobState), not COMPLETED"
second=$(sed -n 's/.*link 2 of the chain is job \([0-9]*\).*/\1/p' "$log")
[ -n "$second" ] || fail "link 1 did not submit link 2 (see $log)"
echo "link 2 is job $second"

# Link 2: requeued after its first day, and started again at once (a requeued job waits
# about two minutes otherwise).
wait_days "$OUT/chain.nc" $((after_first + 1)) 120
scontrol requeue "$second" || fail "scontrol requeue failed"
at_requeue=$(history_days "$OUT/chain.nc")
for _ in $(seq 300); do
    if [ "$(job_field "$second" JobState)" = PENDING ]; then
        scontrol update JobId="$second" StartTime=now && break
    fi
    sleep 0.2
done
wait_job_gone "$second" 180
[ "$(job_field "$second" JobState)" = COMPLETED ] ||
    fail "link 2 ended $(job_field "$second" JobState), not COMPLETED (see $log)"
[ "$(job_field "$second" Restarts)" = 1 ] || fail "link 2 was not restarted once"
grep -q "restart 1, link 2" "$log" || fail "the restarted link 2 did not print its banner"
[ "$at_requeue" -lt "$total" ] || fail "link 2 finished before it was requeued"
echo "link 2 was requeued at $at_requeue of $total days and finished"
grep -q "link 3 of the chain" "$log" && fail "a requeue must not start a new link"

# Every link printed what it ran with.
[ "$(grep -c '^resolved parameters:' "$log")" -eq 3 ] || fail "not every start has a banner"
grep -q '^ranks: 2 on 1 node' "$log" || fail "no rank layout in $log"
"$PYTHON" "$SRC/tests/same_history.py" "$OUT/chain.nc" "$OUT/straight.nc" ||
    fail "the chain's history differs from the uninterrupted run's"
echo "the chain's history equals the uninterrupted run's ($total days)"
