#!/usr/bin/env bash
# Bad command lines and a malformed scanner list: exit code 2 or 4 with a message that
# names the problem (and the file and line), never a crash.
set -u
synth=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0

# expect CODE PATTERN ARGS...: the run exits with CODE and stderr matches PATTERN.
expect() {
    local code=$1 pattern=$2
    shift 2
    "$synth" "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -ne "$code" ] || ! grep -qE -- "$pattern" "$work/err"; then
        echo "FAIL: darktrack-synth $* exited $got (want $code), stderr:"
        cat "$work/err"
        failures=$((failures + 1))
    fi
}

expect 2 "--preset: expected tiny, small or paper, got 'huge'" --preset huge --out "$work/x"
expect 2 "--days: expected a whole number from 1 to 366, got '0'" --days 0 --out "$work/x"
expect 2 "--files-per-day: expected .* got '25'" --files-per-day 25 --out "$work/x"
expect 2 "--start: expected a date YYYY-MM-DD, got '2021-02-30'" --start 2021-02-30 --out "$work/x"
expect 2 "--linktype: expected ether or raw" --linktype ppp --out "$work/x"
expect 2 "--telescope: expected a /24" --telescope 10.1.2.3 --out "$work/x"
expect 2 "--out DIR is required" --preset tiny
expect 2 "unknown option" --colour --out "$work/x"

printf 'ip,class\n1.2.3.4,censys\n1.2.3.300,censys\n' >"$work/list.csv"
expect 4 "list.csv:3: the address is not a dotted quad" --preset tiny --scanners \
    "$work/list.csv" --out "$work/x"
printf 'ip,class\n1.2.3.4\n' >"$work/nocomma.csv"
expect 4 "nocomma.csv:2: expected \"ip,class\"" --preset tiny --scanners "$work/nocomma.csv" \
    --out "$work/x"
touch "$work/file"
expect 3 "exists and is not a folder" --preset tiny --out "$work/file"

# A missing list is not an error: built-in subnets replace it.
expect 0 "built-in subnets" --preset tiny --days 2 --scanners "$work/absent.csv" --out "$work/y"

[ "$failures" -eq 0 ] && echo "bad input: ok" || echo "bad input: $failures failures"
[ "$failures" -eq 0 ]
