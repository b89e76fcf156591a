#!/usr/bin/env bash
# Two runs with the same seed and rank count write the same history; a third, with
# another seed, does not (so the comparison can tell histories apart).
set -euo pipefail
np=$1
dir=$2
. "$DT_TESTS/e2e_lib.sh"
dt_need_python_modules

captures=$dir/tiny/captures
for name in a b c; do
    rm -f "$dir/repro-$name.nc" "$dir/repro-$name.nc".*
done
dt_run "$np" -q -o "$dir/repro-a.nc" "$captures"
dt_run "$np" -q -o "$dir/repro-b.nc" "$captures"
dt_run "$np" -q --seed 2 -o "$dir/repro-c.nc" "$captures"
dt_same_history "$dir/repro-a.nc" "$dir/repro-b.nc"
if dt_same_history "$dir/repro-a.nc" "$dir/repro-c.nc" >/dev/null; then
    echo "FAIL: another seed gave the same history: the comparison cannot tell them apart"
    exit 1
fi
echo "same seed: same history; another seed: another history"
