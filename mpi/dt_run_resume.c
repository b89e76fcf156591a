/* Opening or resuming the main job: the history, the DCA state it implies, the model. */
#include "dt_mpi.h"
#include "dt_run.h"

#include "dt_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Rank 0: rebuilds the DCA state by replaying every committed day's partition. The
 * history is the state, so there is nothing else to keep consistent after a crash. */
static dt_status replay_dca(dt_run *run)
{
    dt_dca_options options = dt_dca_default_options();
    options.tau0 = run->params->tau0;
    options.tau1 = run->params->tau1;
    DT_CHECK(dt_dca_state_create(&run->dca, &options));

    size_t n_days = 0;
    dt_history_days(run->history, &n_days);
    if (n_days == 0)
        return DT_OK;

    dt_history_reader *reader = NULL;
    uint32_t *ip = NULL;
    int32_t *cluster = NULL;
    size_t capacity = 0, n = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_history_reader_open(run->history_path, &reader));
    const int32_t *days = dt_history_reader_days(reader, &n_days);
    for (size_t i = 0; i < n_days; i++) {
        DT_CHECK_GOTO(st, dt_history_read_senders(reader, i, &ip, &cluster, &capacity, &n));
        DT_CHECK_GOTO(st, dt_dca_state_add_day(run->dca, days[i], ip, cluster, n));
    }
    dt_debug("replayed %zu days of the history into the tracking state", n_days);

out:
    free(ip);
    free(cluster);
    dt_history_reader_close(reader);
    return st;
}

/* Rank 0: labels, history and tracking state. */
static dt_status open_on_root(dt_run *run, const dt_history_run *info, int32_t *last_day,
                              int *has_days)
{
    dt_history_run with_labels = *info;
    char *joined = NULL;
    dt_status st = DT_OK;
    if (run->params->ground_truth) {
        DT_CHECK_GOTO(st, dt_labels_load(&run->labels, run->params->ground_truth));
        run->has_labels = 1;
        DT_CHECK_GOTO(st, dt_labels_join(&run->labels, ",", &joined));
        with_labels.labels = joined;
    }

    DT_CHECK_GOTO(st, dt_history_open(run->history_path, run->params, &with_labels, &run->history));
    *has_days = dt_history_last_day(run->history, last_day);
    DT_CHECK_GOTO(st, replay_dca(run));

out:
    free(joined);
    return st;
}

/* Every rank: the model of the last committed day, or a new one. */
static dt_status restore_model(dt_run *run, int has_days, int32_t last_day)
{
    if (!has_days)
        return dt_w2v_model_new(run->params, &run->model);

    char path[4096];
    dt_history_checkpoint_path(run->history_path, last_day, path, sizeof path);
    if (access(path, R_OK) != 0) {
        char date[16];
        dt_day_format_date(last_day, date, sizeof date);
        return dt_fail(DT_ERR_IO,
                       "%s ends with day %s but its model checkpoint %s cannot be read: "
                       "the run cannot resume (move the history away to start afresh)",
                       run->history_path, date, path);
    }
    return dt_w2v_checkpoint_load(path, run->params, &run->model);
}

dt_status dt_run_resume(dt_run *run, const dt_history_run *info)
{
    int32_t last_day = 0;
    int has_days = 0;
    dt_status st = DT_OK;
    if (run->rank == 0)
        st = open_on_root(run, info, &last_day, &has_days);
    DT_CHECK(dt_mpi_agree(run->comm, st));

    int32_t shared[2] = {has_days, last_day};
    DT_CHECK(dt_mpi_check(MPI_Bcast(shared, 2, MPI_INT32_T, 0, run->comm), "MPI_Bcast"));
    has_days = shared[0];
    last_day = shared[1];

    /* Every rank reads the checkpoint itself: it must lie on a file system all ranks see,
     * as the history's folder does on a cluster. */
    DT_CHECK(dt_mpi_agree(run->comm, restore_model(run, has_days, last_day)));
    if (has_days && run->rank == 0) {
        char date[16];
        dt_day_format_date(last_day, date, sizeof date);
        dt_info("resuming %s after %s", run->history_path, date);
    }
    return DT_OK;
}
