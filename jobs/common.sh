# Shared by darktrack's batch scripts: finding the program, printing what a job runs
# with, and launching MPI ranks. Source it; it defines functions only.

# The darktrack binary: $DT_BIN, else darktrack on PATH, else the build in the checkout.
dt_find_binary() {
    if [ -n "${DT_BIN:-}" ]; then
        echo "$DT_BIN"
    elif command -v darktrack >/dev/null 2>&1; then
        command -v darktrack
    else
        local here
        here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
        echo "$here/build/release/mpi/darktrack"
    fi
}

# Prints the version, git revision, resolved parameters and rank layout of a job.
# Usage: dt_job_banner BINARY [darktrack options...]
dt_job_banner() {
    local bin=$1
    shift
    echo "== darktrack job ${SLURM_JOB_ID:-local}${SLURM_ARRAY_TASK_ID:+ task $SLURM_ARRAY_TASK_ID}" \
        "restart ${SLURM_RESTART_COUNT:-0} on $(hostname) at $(date -u +%FT%TZ)"
    "$bin" --version
    echo "ranks: ${SLURM_NTASKS:-1} over ${SLURM_JOB_NUM_NODES:-1} nodes" \
        "(${SLURM_JOB_NODELIST:-$(hostname)}), OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS"
    echo "resolved parameters:"
    "$bin" run --print-config "$@" | sed 's/^/  /'
}

# Runs darktrack on the job's ranks in the background and sets DT_CHILD to its PID.
# DT_LAUNCHER=srun (default; Debian's Open MPI needs --mpi=pmix) or mpirun (inside the
# allocation mpirun finds the ranks itself).
dt_launch() {
    case "${DT_LAUNCHER:-srun}" in
    srun) srun --mpi=pmix --kill-on-bad-exit=1 "$@" & ;;
    mpirun) mpirun "$@" & ;;
    *) echo "darktrack job: DT_LAUNCHER must be srun or mpirun" >&2; return 2 ;;
    esac
    DT_CHILD=$!
}
