#!/usr/bin/env bash
# Builds a release tree and runs the DCA benchmark: 180 days of 8,000 active senders.
# Usage: tools/bench-dca/run.sh [DAYS] [ACTIVE]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cmake -S "$top" -B "$top/build/bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$top/build/bench" --target bench_dca -j 2 >/dev/null
"$top/build/bench/tools/bench-dca/bench_dca" "${1:-180}" "${2:-8000}"
