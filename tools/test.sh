#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is missing, checks
# the sources, builds with warnings as errors, runs every test, then builds with ASan and
# UBSan and runs the unit tests again, then the fuzz targets' seed corpora.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc)

bash tools/install-deps.sh all

echo "== source checks"
bash tools/check-source.sh

echo "== release build and full suite"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDT_WERROR=ON >/dev/null
cmake --build build/test -j "$jobs"
(cd build/test && ctest --output-on-failure -j "$jobs" --timeout 900)

echo "== sanitizer build (ASan + UBSan), unit tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DDT_SANITIZE=ON -DDT_WERROR=ON >/dev/null
cmake --build build/asan -j "$jobs"
(cd build/asan && ctest --output-on-failure -j "$jobs" -L unit)

if command -v clang >/dev/null 2>&1; then
    echo "== fuzz targets (clang, libFuzzer), seed corpora replayed"
    CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DDT_FUZZ=ON -DDT_WERROR=ON \
        >/dev/null
    cmake --build build/fuzz -j "$jobs"
    (cd build/fuzz && ctest --output-on-failure -j "$jobs" -L fuzz)
fi
