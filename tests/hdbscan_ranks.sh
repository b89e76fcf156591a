#!/bin/sh
# darktrack cluster at N ranks writes the same file as at one rank.
# Usage: hdbscan_ranks.sh MPIEXEC NUMPROC_FLAG N DARKTRACK WORKDIR
mpiexec=$1
npflag=$2
ranks=$3
dt=$4
work=$5
mkdir -p "$work" && cd "$work" || exit 1

# Three groups of 40 points around three directions, plus 20 scattered ones (awk's
# generator with a fixed seed: deterministic on one machine, which is all this needs).
awk 'BEGIN { srand(7);
    for (g = 0; g < 3; g++) for (i = 0; i < 40; i++) {
        printf "10.%d.0.%d", g, i;
        for (k = 0; k < 8; k++) printf " %.6f", (k % 3 == g ? 1 : 0) + 0.15 * (rand() - 0.5);
        printf "\n" }
    for (i = 0; i < 20; i++) { printf "10.9.0.%d", i;
        for (k = 0; k < 8; k++) printf " %.6f", rand() - 0.5; printf "\n" } }' >vectors.txt

"$mpiexec" "$npflag" 1 "$dt" cluster -q -o one.csv vectors.txt || exit 1
"$mpiexec" "$npflag" "$ranks" "$dt" cluster -q -o many.csv vectors.txt || exit 1
clusters=$(grep -c '^cluster,' one.csv)
if [ "$clusters" -lt 3 ]; then
    echo "FAIL: $clusters clusters at one rank; the three groups should be found"
    exit 1
fi
if ! cmp -s one.csv many.csv; then
    echo "FAIL: the output at $ranks ranks differs from one rank"
    diff one.csv many.csv | head
    exit 1
fi
echo "same $clusters clusters at 1 and $ranks ranks"
