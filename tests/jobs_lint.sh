#!/usr/bin/env bash
# Every job script and Slurm helper parses (bash -n) and, where shellcheck is installed,
# passes it with no finding at all. Usage: jobs_lint.sh SOURCE_DIR
set -u
cd "${1:?usage: jobs_lint.sh SOURCE_DIR}" || exit 2
scripts=(jobs/*.sbatch jobs/*.sh tools/slurm/*.sh tests/slurm_*.sh tests/jobs_lint.sh)
status=0
for script in "${scripts[@]}"; do
    bash -n "$script" || { echo "$script: does not parse"; status=1; }
done
if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -x -S info "${scripts[@]}" || status=1
else
    echo "shellcheck not installed (Debian package shellcheck): only bash -n was checked"
fi
[ "$status" -eq 0 ] && echo "${#scripts[@]} scripts checked"
exit "$status"
