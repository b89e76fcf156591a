#!/bin/sh
# darktrack cluster on bad input: the exit status and a message naming file and place.
# Usage: hdbscan_bad_input.sh DARKTRACK WORKDIR
dt=$1
work=$2
mkdir -p "$work" && cd "$work" || exit 1
failures=0

# expect STATUS PATTERN ARGS...: runs darktrack cluster, checks status and stderr.
expect() {
    want=$1
    pattern=$2
    shift 2
    "$dt" cluster "$@" >out.txt 2>err.txt
    got=$?
    if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" err.txt; then
        echo "FAIL: darktrack cluster $*: status $got (want $want), stderr:"
        cat err.txt
        failures=$((failures + 1))
    fi
}

printf '1 2 3\n4 5 6\n7 8\n' >ragged.txt
printf '1 2\n0 0\n3 4\n' >zero.txt
printf '1 2\n3 x\n' >word.txt
printf '1 2\n2 1\n1 1\n' >three.txt
printf 'CDF\001garbage' >broken.nc

expect 4 "ragged.txt:3: 2 components; the first row has 3" -o o.csv ragged.txt
expect 4 "vector 1 has length 0" -o o.csv --min-cluster-size 2 zero.txt
expect 4 "word.txt:2: field 2 is 'x'" -o o.csv word.txt
expect 3 "missing.txt: cannot open" -o o.csv missing.txt
expect 2 "no output file" three.txt
expect 2 "min_samples 10 needs at least as many" -o o.csv three.txt
expect 2 "expected csv or netcdf" -o o.csv --format xml three.txt
expect 4 "broken.nc" -o o.csv broken.nc
expect 3 "cannot create" -o /nonexistent/dir/o.csv --min-cluster-size 2 three.txt

# And a good run on the tiny file: every point, no crash, a CSV with 3 point rows.
"$dt" cluster -q -o good.csv --min-cluster-size 2 three.txt || failures=$((failures + 1))
[ "$(grep -c '^point,' good.csv)" -eq 3 ] || { echo "FAIL: good.csv"; failures=$((failures + 1)); }

echo "$failures failures"
[ "$failures" -eq 0 ]
