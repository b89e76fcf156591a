# Shared by the Slurm tests: skipping honestly, a private one-node Slurm that is stopped by
# PID whatever happens, and waiting for jobs. Source it after setting SRC and OUT.
# shellcheck shell=bash

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Exits 77 (CTest's skip) with the reason when Slurm or the programs are missing.
slurm_require() {
    local tool
    for tool in slurmctld slurmd sbatch squeue scontrol sinfo scancel; do
        command -v "$tool" >/dev/null 2>&1 || {
            echo "skipped: $tool not found (Debian packages slurmctld slurmd slurm-client)"
            exit 77
        }
    done
    for tool in "$@"; do
        [ -x "$tool" ] || { echo "skipped: $tool was not built"; exit 77; }
    done
}

# Two free TCP ports in a row on localhost, for slurmctld and slurmd.
free_port_pair() {
    "${DT_PYTHON3:-/usr/bin/python3}" - <<'PY'
import random, socket
for _ in range(200):
    port = random.randrange(20000, 60000, 2)
    try:
        for p in (port, port + 1):
            with socket.socket() as s:
                s.bind(("127.0.0.1", p))
        print(port)
        break
    except OSError:
        pass
PY
}

# Starts slurmctld and slurmd in OUT/slurm and stops them (by PID) when the test exits, also
# when it fails.
slurm_start() {
    local port
    port=$(free_port_pair)
    [ -n "$port" ] || fail "no free port pair for Slurm"
    # Daemons a killed earlier run left behind are found by their PID files.
    bash "$SRC/tools/slurm/local-slurm.sh" stop "$OUT/slurm"
    rm -rf "$OUT/slurm"
    trap 'bash "$SRC/tools/slurm/local-slurm.sh" stop "$OUT/slurm"' EXIT
    # A test killed outright (a CTest timeout) runs no trap: a watcher in a session of its
    # own stops the daemons once this shell is gone.
    # shellcheck disable=SC2016 # $1..$3 are the watcher's own arguments
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
        bash "$2/tools/slurm/local-slurm.sh" stop "$3"' watcher "$$" "$SRC" "$OUT/slurm" \
        </dev/null >/dev/null 2>&1 &
    SLURM_CONF=$(DT_SLURM_PORT=$port bash "$SRC/tools/slurm/local-slurm.sh" start "$OUT/slurm")
    local status=$?
    [ "$status" -eq 77 ] && { echo "skipped: the local Slurm cannot run here (above)"; exit 77; }
    [ "$status" -eq 0 ] || fail "the local Slurm did not start (see $OUT/slurm/log)"
    export SLURM_CONF
    echo "local Slurm on ports $port and $((port + 1)): $SLURM_CONF"
}

# A field of `scontrol show job` (JobState, ExitCode, Restarts...), empty when unknown.
job_field() {
    scontrol show job -o "$1" 2>/dev/null | grep -o "$2=[^ ]*" | head -n 1 | cut -d= -f2
}

# Waits until job $1 has left the queue (at most $2 seconds).
wait_job_gone() {
    local waited=0
    while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do
        sleep 0.5
        waited=$((waited + 1))
        [ "$waited" -le $(($2 * 2)) ] || fail "job $1 still queued after $2 s"
    done
}

# Days in a history; 0 before the file exists.
history_days() {
    local n=""
    [ -f "$1" ] && n=$(ncdump -h "$1" 2>/dev/null |
        sed -n 's/.*day = UNLIMITED ; \/\/ (\([0-9]*\) currently).*/\1/p')
    echo "${n:-0}"
}

# Waits until the history $1 holds at least $2 days (at most $3 seconds).
wait_days() {
    local waited=0
    while [ "$(history_days "$1")" -lt "$2" ]; do
        sleep 0.05
        waited=$((waited + 1))
        [ "$waited" -le $(($3 * 20)) ] || fail "$1 has fewer than $2 days after $3 s"
    done
}
