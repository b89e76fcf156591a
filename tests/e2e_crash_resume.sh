#!/usr/bin/env bash
# kill -9 at several moments of a run, resuming each time: the history is always readable
# with whole days only, and the finished history equals an uninterrupted run's.
set -euo pipefail
np=$1
dir=$2
. "$DT_TESTS/e2e_lib.sh"
dt_need_python_modules

captures=$dir/small/captures
# Fewer warm-up epochs keep the test short; the days stay long enough to kill inside one.
fast=(--warmup-epochs 2)
reference=$dir/crash-reference.nc
history=$dir/crash.nc
rm -f "$reference" "$reference".* "$history" "$history".*

start=$(date +%s.%N)
dt_run "$np" -q "${fast[@]}" -o "$reference" "$captures"
whole=$(echo "$start $(date +%s.%N)" | awk '{ print $2 - $1 }')
echo "an uninterrupted run takes $whole s"

days_in() {
    [ -f "$1" ] || { echo 0; return; }
    "$DT_PYTHON3" -c 'import netCDF4, sys; print(len(netCDF4.Dataset(sys.argv[1])["day"]))' "$1"
}

# Each attempt is killed when it has written its first new model checkpoint (the step
# just before a day's history commit) plus a share of a day's time, so the kills land
# inside commits, in training and in clustering; each attempt resumes the last one's file.
days=$(find "$captures" -name '*.pcap*' | sed 's/.*telescope-\([0-9-]*\)-[0-9]*\.pcap.*/\1/' |
    sort -u | wc -l)
day_time=$(echo "$whole $days" | awk '{ print $1 / $2 }')
kills=0
previous=0
for share in 0 0.1 0.3 0.6 0.9; do
    delay=$(echo "$day_time $share" | awk '{ printf "%.3f", $1 * $2 }')
    touch "$dir/crash.marker"
    setsid "$DT_MPIEXEC" -n "$np" "$DT_BIN" run -q "${fast[@]}" -o "$history" "$captures" &
    leader=$!
    for _ in $(seq 600); do
        if [ -n "$(find "$dir" -maxdepth 1 -name 'crash.nc.ckpt-*' -newer "$dir/crash.marker")" ] ||
            ! kill -0 "$leader" 2>/dev/null; then
            break
        fi
        sleep 0.01
    done
    sleep "$delay"
    # Open MPI puts each rank in a process group of its own, so kill the whole session
    # that setsid began: mpiexec and every rank at once.
    if kill -0 "$leader" 2>/dev/null; then
        pkill -KILL -s "$leader" || true
        kills=$((kills + 1))
    fi
    wait "$leader" 2>/dev/null || true
    while pgrep -s "$leader" >/dev/null; do sleep 0.05; done
    if [ -f "$history" ]; then
        "$DT_PYTHON3" "$DT_TESTS/check_history_contract.py" "$history"
    fi
    now=$(days_in "$history")
    echo "killed $delay s after a checkpoint: $now whole days in the history"
    if [ "$now" -lt "$previous" ]; then
        echo "FAIL: the history lost days ($previous before, $now after)"
        exit 1
    fi
    previous=$now
done
[ "$kills" -ge 3 ] || { echo "FAIL: only $kills runs were still alive to be killed"; exit 1; }

dt_run "$np" -q "${fast[@]}" -o "$history" "$captures"
dt_same_history "$history" "$reference"
echo "after $kills kills and a resume: the same history as an uninterrupted run"
