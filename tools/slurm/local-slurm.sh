#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, in a private folder with private ports, for
# testing the job scripts: no systemd, no cgroups, no munge.
# Usage: local-slurm.sh start DIR   (prints the SLURM_CONF path on success)
#        local-slurm.sh stop DIR    (kills the daemons by the PIDs in their PID files)
set -euo pipefail
action=${1:?usage: local-slurm.sh start|stop DIR}
dir=${2:?usage: local-slurm.sh start|stop DIR}
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
conf=$dir/slurm.conf

# Cancels every job first, so that no job step outlives the daemons, then kills slurmd and
# slurmctld by the PIDs in their PID files.
stop_daemons() {
    local pidfile=$dir/slurmctld.pid jobs
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [ -f "$conf" ]; then
        jobs=$(SLURM_CONF=$conf squeue -h -o %A 2>/dev/null || true)
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086 # one job id a word
            SLURM_CONF=$conf scancel $jobs 2>/dev/null || true
            for _ in $(seq 50); do
                [ -z "$(SLURM_CONF=$conf squeue -h -t R,CG -o %A 2>/dev/null || true)" ] && break
                sleep 0.2
            done
        fi
    fi
    for name in slurmd slurmctld; do
        pidfile=$dir/$name.pid
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

if [ "$action" = stop ]; then
    stop_daemons
    exit 0
fi
[ "$action" = start ] || { echo "usage: local-slurm.sh start|stop DIR" >&2; exit 2; }

for tool in slurmctld slurmd sbatch squeue; do
    command -v "$tool" >/dev/null || { echo "local-slurm: $tool is not installed" >&2; exit 77; }
done

if [ "$(id -u)" -ne 0 ]; then
    echo "local-slurm: needs root (the daemons run as SlurmUser=root without munge)" >&2
    exit 77
fi

cpus=$(nproc)
mem_mb=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
port=${DT_SLURM_PORT:-16817}
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
cat > "$conf" <<CONF
ClusterName=darktrack-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
ReturnToService=2
SchedulerParameters=defer_batch=false
MinJobAge=300
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF

stop_daemons
export SLURM_CONF=$conf
slurmctld -f "$conf"
slurmd -f "$conf" -N localhost
for _ in $(seq 100); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        echo "$conf"
        exit 0
    fi
    sleep 0.2
done
echo "local-slurm: the node did not become idle; the end of $dir/log:" >&2
tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2
stop_daemons
exit 1
