/* darktrack run --dry-run: checks everything a run needs without writing anything. */
#include "dt_mpi.h"
#include "dt_run.h"

#include "dt_capture.h"
#include "dt_inputs.h"
#include "dt_log.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Opens every capture and reads its first timestamp, as the ingest will. */
static dt_status check_captures(const dt_run *run, char *const *args, size_t n_args)
{
    dt_inputs inputs = {0};
    dt_status st = DT_OK;
    int64_t first = INT64_MAX, last = INT64_MIN;
    DT_CHECK_GOTO(st, dt_inputs_expand(args, n_args, &inputs));
    for (size_t i = 0; i < inputs.n; i++) {
        dt_capture *cap = NULL;
        int64_t ts = 0;
        int has = 0;
        DT_CHECK_GOTO(st, dt_capture_open(inputs.paths[i], run->params->bpf, &cap));
        st = dt_capture_peek_time(cap, &ts, &has);
        dt_capture_close(cap);
        DT_CHECK_GOTO(st, st);
        if (has && ts < first)
            first = ts;
        if (has && ts > last)
            last = ts;
    }

    char from[16] = "-", to[16] = "-";
    if (first != INT64_MAX) {
        dt_day_format_date(dt_day_of_ns(first), from, sizeof from);
        dt_day_format_date(dt_day_of_ns(last), to, sizeof to);
    }
    dt_info("dry run: %zu captures, the first starting on %s, the last on %s", inputs.n, from, to);

out:
    dt_inputs_free(&inputs);
    return st;
}

/* Compares an existing history's parameters with the run's, as a resume would. */
static dt_status check_history(const dt_run *run)
{
    if (access(run->history_path, F_OK) != 0) {
        dt_info("dry run: %s does not exist: the run would create it", run->history_path);
        return DT_OK;
    }

    dt_history_reader *reader = NULL;
    dt_params stored;
    dt_params_defaults(&stored);
    int ranks = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_history_reader_open(run->history_path, &reader));
    DT_CHECK_GOTO(st, dt_history_reader_params(reader, &stored, &ranks));

    size_t n_params = 0;
    const dt_param_info *table = dt_params_table(&n_params);
    for (size_t i = 0; i < n_params; i++) {
        char mine[512], theirs[512];
        dt_history_format_param(run->params, &table[i], mine, sizeof mine);
        dt_history_format_param(&stored, &table[i], theirs, sizeof theirs);
        if (strcmp(mine, theirs) != 0) {
            st = dt_fail(DT_ERR_MISMATCH, "%s was written with %s = '%s', this run has '%s'",
                         run->history_path, table[i].attr, theirs, mine);
            goto out;
        }
    }
    if (ranks != run->ranks) {
        st = dt_fail(DT_ERR_MISMATCH, "%s was written by %d ranks, this run has %d",
                     run->history_path, ranks, run->ranks);
        goto out;
    }

    size_t n_days = 0;
    const int32_t *days = dt_history_reader_days(reader, &n_days);
    char last[16] = "-";
    if (n_days)
        dt_day_format_date(days[n_days - 1], last, sizeof last);
    dt_info("dry run: %s holds %zu days up to %s: the run would resume after it", run->history_path,
            n_days, last);

out:
    dt_params_free(&stored);
    dt_history_reader_close(reader);
    return st;
}

dt_status dt_run_plan(const dt_run *run, char *const *args, size_t n_args)
{
    dt_status st = DT_OK;
    if (run->rank == 0) {
        st = check_history(run);
        if (st == DT_OK)
            st = check_captures(run, args, n_args);
    }
    DT_CHECK(dt_mpi_agree(run->comm, st));
    if (run->rank == 0)
        dt_info("dry run: parameters, history and captures are in order; nothing was written");
    return DT_OK;
}
