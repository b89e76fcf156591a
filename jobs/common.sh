# Shared by darktrack's batch scripts: where the program is, what a job prints at start,
# and starting and waiting for the ranks. Source it; it defines functions only.
# shellcheck shell=bash

# The darktrack binary: $DT_BIN, else darktrack on PATH, else the checkout's release build.
dt_find_binary() {
    local top=$1
    if [ -n "${DT_BIN:-}" ]; then
        echo "$DT_BIN"
    elif command -v darktrack >/dev/null 2>&1; then
        command -v darktrack
    else
        echo "$top/build/release/mpi/darktrack"
    fi
}

# Prints what the job runs with: job, version and git revision of program and scripts,
# rank layout, threads and the resolved parameters. Usage: dt_job_banner TOP BINARY ARGS...
dt_job_banner() {
    local top=$1 bin=$2
    shift 2
    local task="" revision
    [ -n "${SLURM_ARRAY_TASK_ID:-}" ] && task=" (array ${SLURM_ARRAY_JOB_ID}_$SLURM_ARRAY_TASK_ID)"
    revision=$(git -C "$top" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    echo "== darktrack job ${SLURM_JOB_ID:-outside Slurm}$task, restart" \
        "${SLURM_RESTART_COUNT:-0}, link ${DT_LINK:-1}, on $(hostname) at $(date -u +%FT%TZ)"
    echo "program: $bin"
    "$bin" --version | sed 's/^/  /'
    echo "job scripts: $top (git $revision)"
    echo "ranks: ${SLURM_NTASKS:-1} on ${SLURM_JOB_NUM_NODES:-1} node(s)" \
        "${SLURM_JOB_NODELIST:-$(hostname)}, tasks per node ${SLURM_TASKS_PER_NODE:-1}," \
        "cpus per task ${SLURM_CPUS_PER_TASK:-1}, launcher ${DT_LAUNCHER:-srun}"
    echo "threads: OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS OMP_NUM_THREADS=$OMP_NUM_THREADS"
    echo "command: darktrack run $*"
    echo "resolved parameters:"
    "$bin" run --print-config "$@" | sed 's/^/  /'
}

# Prints sbatch options that ask for what the running job got (tasks, nodes, cpus, memory,
# time limit, partition, log file), so that a resubmitted link matches the first one even
# when that was submitted with options overriding the script's #SBATCH lines.
dt_same_resources() {
    local info limit log
    info=$(scontrol show job -o "$SLURM_JOB_ID" 2>/dev/null)
    echo "--ntasks=$SLURM_NTASKS"
    echo "--nodes=$SLURM_JOB_NUM_NODES"
    echo "--cpus-per-task=${SLURM_CPUS_PER_TASK:-1}"
    [ -n "${SLURM_MEM_PER_CPU:-}" ] && echo "--mem-per-cpu=${SLURM_MEM_PER_CPU}M"
    [ -n "${SLURM_MEM_PER_NODE:-}" ] && echo "--mem=${SLURM_MEM_PER_NODE}M"
    [ -n "${SLURM_JOB_PARTITION:-}" ] && echo "--partition=$SLURM_JOB_PARTITION"
    limit=$(echo "$info" | grep -o 'TimeLimit=[^ ]*' | cut -d= -f2)
    case "$limit" in '' | UNLIMITED | Partition_Limit) ;; *) echo "--time=$limit" ;; esac
    log=$(echo "$info" | grep -o 'StdOut=[^ ]*' | cut -d= -f2)
    [ -n "$log" ] && echo "--output=$log" && echo "--open-mode=append"
    return 0
}

# One BLAS thread per rank: the ranks already fill the cores Slurm gave the job, and more
# threads would only compete with them. Override with DT_BLAS_THREADS.
dt_set_threads() {
    export OPENBLAS_NUM_THREADS=${DT_BLAS_THREADS:-1}
    export OMP_NUM_THREADS=$OPENBLAS_NUM_THREADS
}

# Starts darktrack on the job's ranks in the background; DT_CHILD is its PID.
# DT_LAUNCHER=srun (default; Debian's Open MPI needs --mpi=pmix) or mpirun (inside an
# allocation mpirun takes the rank count and hosts from Slurm).
dt_launch() {
    case "${DT_LAUNCHER:-srun}" in
    srun) srun --mpi=pmix --kill-on-bad-exit=1 "$@" & ;;
    mpirun) mpirun "$@" & ;;
    *)
        echo "darktrack job: DT_LAUNCHER must be srun or mpirun, not '$DT_LAUNCHER'" >&2
        return 2
        ;;
    esac
    DT_CHILD=$!
}

# Waits for DT_CHILD and sets DT_STATUS to its exit status. A trapped signal ends `wait`
# early, so wait again until the child is really gone.
# shellcheck disable=SC2034 # DT_STATUS is the result, read by the job scripts
dt_wait_child() {
    DT_STATUS=0
    while :; do
        wait "$DT_CHILD"
        DT_STATUS=$?
        kill -0 "$DT_CHILD" 2>/dev/null || break
    done
}
