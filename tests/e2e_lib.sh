# Shared by the end-to-end test scripts: running darktrack under mpiexec and comparing
# histories. Expects DT_BIN, DT_MPIEXEC, DT_PYTHON3 and DT_TESTS in the environment.

# dt_run NP ARGS...: darktrack run on NP ranks.
dt_run() {
    local np=$1
    shift
    "$DT_MPIEXEC" -n "$np" "$DT_BIN" run "$@"
}

# dt_same_history A B: the two histories hold the same data (provenance aside).
dt_same_history() {
    "$DT_PYTHON3" "$DT_TESTS/check_history_contract.py" "$1" --same-as "$2"
}

dt_need_python_modules() {
    if ! "$DT_PYTHON3" -c 'import netCDF4, numpy, sklearn' 2>/dev/null; then
        echo "skipped: python3 netCDF4, numpy or sklearn missing"
        exit 77
    fi
}
