#!/usr/bin/env bash
# What a user gets wrong: each mistake gives "darktrack: error: ..." naming the problem,
# the documented exit code, and leaves every file as it was.
set -uo pipefail
dir=$1
. "$DT_TESTS/e2e_lib.sh"
captures=$dir/tiny/captures
work=$dir/bad-runs
rm -rf "$work"
mkdir -p "$work"
failures=0

# expect CODE PATTERN FILE -- ARGS...: darktrack run ARGS exits CODE, says PATTERN, and
# FILE (when not "-") keeps its bytes.
expect() {
    local code=$1 pattern=$2 file=$3
    shift 4
    local before=""
    [ "$file" != - ] && before=$(sha256sum "$file")
    "$DT_BIN" run -q "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -ne "$code" ] || ! grep -q "darktrack: error: .*$pattern" "$work/err"; then
        echo "FAIL: run $* exited $got (wanted $code) saying: $(cat "$work/err")"
        failures=$((failures + 1))
    fi
    if [ "$file" != - ] && [ "$(sha256sum "$file")" != "$before" ]; then
        echo "FAIL: run $* changed $file"
        failures=$((failures + 1))
    fi
}

echo "not a history" >"$work/text.nc"
expect 4 "text.nc" "$work/text.nc" -- -o "$work/text.nc" "$captures"

"$DT_BIN" run -q --max-days 2 -o "$work/h.nc" "$captures" || { echo "FAIL: first run"; exit 1; }
expect 6 "min_cluster_size\|min-cluster-size" "$work/h.nc" -- --min-cluster-size 20 \
    -o "$work/h.nc" "$captures"

head -c 3000 "$work/h.nc" >"$work/cut.nc"
expect 4 "cut.nc" "$work/cut.nc" -- -o "$work/cut.nc" "$captures"

expect 3 "no-such-capture" - -- -o "$work/new.nc" "$work/no-such-capture.pcap"
expect 2 "no-such-option" - -- --no-such-option -o "$work/new.nc" "$captures"
expect 2 "tau1" - -- --tau1 0.9 -o "$work/new.nc" "$captures"
expect 2 "HISTORY\|-o" - -- "$captures"

echo "garbage" >"$work/garbage.pcap"
expect 4 "garbage.pcap" - -- -o "$work/garbage.nc" "$work/garbage.pcap"
[ -f "$work/garbage.nc" ] && "$DT_PYTHON3" "$DT_TESTS/check_history_contract.py" \
    "$work/garbage.nc" >/dev/null

echo "$failures failures"
[ "$failures" -eq 0 ]
