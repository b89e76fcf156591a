#!/usr/bin/env bash
# The small synthetic telescope through darktrack run on NP ranks: the history keeps the
# contract and agrees with the planted truth.
set -euo pipefail
np=$1
dir=$2
. "$DT_TESTS/e2e_lib.sh"
dt_need_python_modules

telescope=$dir/small
history=$dir/truth-np$np.nc
rm -f "$history" "$history".*
dt_run "$np" -q --epochs 3 -o "$history" --ground-truth "$telescope/truth/ground-truth.csv" \
    "$telescope/captures"
"$DT_PYTHON3" "$DT_TESTS/check_history_contract.py" "$history"
"$DT_PYTHON3" "$DT_TESTS/e2e_truth.py" "$history" "$telescope/truth"
