/* One day of the main job: train, cluster, track, commit. Collective over the run's
 * communicator; rank 0 holds the day's corpus and writes the results. */
#include "dt_mpi.h"
#include "dt_run.h"

#include "dt_cluster_services.h"
#include "dt_dist_edges.h"
#include "dt_hdbscan.h"
#include "dt_log.h"
#include "dt_silhouette.h"
#include "dt_train_mpi.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What clustering leaves on rank 0. */
typedef struct {
    size_t n;
    int dim;
    float *vectors;  /* n x dim, the day's vectors in day order */
    int32_t *labels; /* per sender: HDBSCAN label or -1 */
    int32_t n_clusters;
    double *silhouette; /* per cluster */
} day_clusters;

static void day_clusters_free(day_clusters *c)
{
    free(c->vectors);
    free(c->labels);
    free(c->silhouette);
    memset(c, 0, sizeof *c);
}

/* This rank's contiguous share of the day's n senders. */
static void my_share(size_t n, int rank, int ranks, size_t *first, size_t *count)
{
    size_t lo = n * (size_t)rank / (size_t)ranks;
    size_t hi = n * (size_t)(rank + 1) / (size_t)ranks;
    *first = lo;
    *count = hi - lo;
}

static void copy_rows(const dt_w2v_model *m, const dt_w2v_day *d, size_t first, size_t count,
                      float *out)
{
    size_t dim = (size_t)m->dim;
    for (size_t i = 0; i < count; i++)
        memcpy(out + i * dim, dt_w2v_in_row(m, d->row[first + i]), dim * sizeof *out);
}

/* Rank 0: the hierarchy, the labels and the silhouettes from the tree. */
static dt_status label_on_root(const dt_run *run, const dt_dist_mst_result *tree, day_clusters *c)
{
    dt_hdbscan_result result = {0};
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_hdbscan_from_mst(c->n, tree->chain, tree->core,
                                          run->params->min_cluster_size, &result));
    c->labels = result.labels;
    result.labels = NULL;
    c->n_clusters = result.n_clusters;

    DT_CHECK_GOTO(st, dt_calloc(&c->silhouette, (size_t)c->n_clusters + 1, sizeof *c->silhouette,
                                "silhouettes"));
    DT_CHECK_GOTO(st, dt_silhouette(c->n, (size_t)c->dim, c->vectors, c->labels, c->n_clusters,
                                    NULL, c->silhouette));

out:
    dt_hdbscan_result_free(&result);
    return st;
}

/* Collective: HDBSCAN of the day's vectors. Too few senders for a core distance means
 * no cluster: every sender is noise. */
static dt_status cluster_day(dt_run *run, const dt_w2v_day *d, day_clusters *c)
{
    int min_samples = dt_params_min_samples(run->params);
    c->n = d->n;
    c->dim = run->model->dim;
    size_t first = 0, count = 0;
    my_share(d->n, run->rank, run->ranks, &first, &count);

    float *mine = NULL;
    dt_dist_mst_result tree = {0};
    dt_status st = DT_OK;
    if (run->rank == 0) {
        st = dt_malloc(&c->vectors, c->n ? c->n : 1, (size_t)c->dim * sizeof(float), "vectors");
        if (st == DT_OK)
            copy_rows(run->model, d, 0, c->n, c->vectors);
    }
    if (st == DT_OK)
        st = dt_malloc(&mine, count ? count : 1, (size_t)c->dim * sizeof(float), "rows");
    DT_CHECK_GOTO(st, dt_mpi_agree(run->comm, st));
    copy_rows(run->model, d, first, count, mine);

    if (d->n < 2 || d->n < (size_t)min_samples || d->n < (size_t)run->params->min_cluster_size) {
        if (run->rank == 0)
            st = dt_calloc(&c->labels, c->n ? c->n : 1, sizeof *c->labels, "labels");
        for (size_t i = 0; st == DT_OK && run->rank == 0 && i < c->n; i++)
            c->labels[i] = -1;
        DT_CHECK_GOTO(st, dt_mpi_agree(run->comm, st));
        goto out;
    }

    dt_dist_mst_info info;
    DT_CHECK_GOTO(st, dt_dist_mst(mine, count, d->n, c->dim, min_samples, run->comm, &tree, &info));
    dt_debug("tree of %zu senders: %d passes, %d Boruvka rounds, %zu exact searches", d->n,
             info.passes, info.rounds, info.exact_queries);
    if (run->rank == 0)
        st = label_on_root(run, &tree, c);
    DT_CHECK_GOTO(st, dt_mpi_agree(run->comm, st));

out:
    free(mine);
    dt_dist_mst_result_free(&tree);
    return st;
}

static void count_origins(const dt_dca_result *r, int *survived, int *novel, int *reappeared)
{
    *survived = *novel = *reappeared = 0;
    for (size_t k = 0; k < r->n_clusters; k++) {
        *survived += r->clusters[k].origin == DT_SURVIVED;
        *reappeared += r->clusters[k].origin == DT_REAPPEARED;
        *novel += r->clusters[k].novel != 0;
    }
}

/* Rank 0: the cluster rows the history stores, from the tracking result. */
static dt_status fill_rows(dt_run *run, const dt_day *day, const day_clusters *c,
                           dt_dca_result *tracked)
{
    for (size_t k = 0; k < tracked->n_clusters; k++)
        tracked->clusters[k].silhouette = (float)c->silhouette[k];
    DT_CHECK(dt_cluster_services(day, c->labels, tracked->clusters, tracked->n_clusters));
    if (run->has_labels)
        DT_CHECK(dt_labels_clusters(&run->labels, day->active_ip, day->active_mirai, c->labels,
                                    c->n, tracked->clusters, tracked->n_clusters));
    return DT_OK;
}

/* Rank 0: the model checkpoint first, then the history (the commit point), then the
 * tracking state and the pruning of old checkpoints (docs/history.md). A kill between any
 * two steps resumes from the history's last day with that day's checkpoint. */
static dt_status commit_day(dt_run *run, const dt_day *day, const dt_day_record *record,
                            const dt_dca_result *tracked)
{
    char path[4096];
    dt_history_checkpoint_path(run->history_path, day->day, path, sizeof path);
    DT_CHECK(dt_w2v_checkpoint_save(run->model, path));
    DT_CHECK(dt_history_commit(run->history, record));
    DT_CHECK(dt_dca_commit(run->dca, day->day, day->active_ip, tracked));
    DT_CHECK(dt_history_prune_checkpoints(run->history));
    return DT_OK;
}

static void log_progress(const dt_run *run, const dt_day *day, const dt_dca_result *tracked)
{
    int survived = 0, novel = 0, reappeared = 0;
    count_origins(tracked, &survived, &novel, &reappeared);
    char date[16];
    dt_day_format_date(day->day, date, sizeof date);
    const double *s = run->clock.day;
    dt_info("%s  %9lld packets  %6u active  %4zu clusters  %4d survived  %3d reappeared  "
            "%3d novel  | ingest %.2fs train %.2fs cluster %.2fs track %.2fs write %.2fs",
            date, (long long)day->packets, day->n_active, tracked->n_clusters, survived, reappeared,
            novel, s[DT_STAGE_INGEST], s[DT_STAGE_TRAIN], s[DT_STAGE_CLUSTER], s[DT_STAGE_TRACK],
            s[DT_STAGE_WRITE]);
}

/* Rank 0: tracking and the commit of the day. */
static dt_status track_and_write(dt_run *run, const dt_day *day, const day_clusters *c)
{
    dt_dca_result tracked = {0};
    int32_t *packets = NULL;
    dt_status st = DT_OK;

    dt_stage_begin(&run->clock, DT_STAGE_TRACK);
    DT_CHECK_GOTO(st, dt_dca_track(run->dca, day->day, day->active_ip, c->labels, c->n, &tracked));
    DT_CHECK_GOTO(st, fill_rows(run, day, c, &tracked));
    dt_stage_end(&run->clock, DT_STAGE_TRACK, (double)c->n);

    dt_stage_begin(&run->clock, DT_STAGE_WRITE);
    DT_CHECK_GOTO(st, dt_malloc(&packets, c->n ? c->n : 1, sizeof *packets, "packets"));
    for (size_t i = 0; i < c->n; i++)
        packets[i] =
            day->active_packets[i] > INT32_MAX ? INT32_MAX : (int32_t)day->active_packets[i];
    dt_day_record record = {
        .day = day->day,
        .packets = day->packets,
        .senders_seen = (int32_t)day->senders_seen,
        .senders_active = (int32_t)day->n_active,
        .n_senders = c->n,
        .sender_ip = day->active_ip,
        .sender_packets = packets,
        .sender_cluster = tracked.sender_id,
        .sender_embedding = run->params->save_embeddings ? c->vectors : NULL,
        .dim = c->dim,
        .n_clusters = tracked.n_clusters,
        .clusters = tracked.clusters,
        .n_transitions = tracked.n_transitions,
        .transitions = tracked.transitions,
    };
    DT_CHECK_GOTO(st, commit_day(run, day, &record, &tracked));
    dt_stage_end(&run->clock, DT_STAGE_WRITE, 1);
    log_progress(run, day, &tracked);

out:
    free(packets);
    dt_dca_result_free(&tracked);
    return st;
}

dt_status dt_run_day(dt_run *run, dt_day *day)
{
    dt_w2v_day wday = {0};
    day_clusters clusters = {0};
    dt_train_stats stats = {0};
    dt_status st = DT_OK;

    dt_stage_begin(&run->clock, DT_STAGE_TRAIN);
    DT_CHECK_GOTO(
        st, dt_train_day_mpi(run->model, run->rank == 0 ? day : NULL, run->comm, &wday, &stats));
    dt_stage_end(&run->clock, DT_STAGE_TRAIN, (double)stats.words);

    dt_stage_begin(&run->clock, DT_STAGE_CLUSTER);
    DT_CHECK_GOTO(st, cluster_day(run, &wday, &clusters));
    dt_stage_end(&run->clock, DT_STAGE_CLUSTER, (double)wday.n);

    if (run->rank == 0)
        st = track_and_write(run, day, &clusters);
    DT_CHECK_GOTO(st, dt_mpi_agree(run->comm, st));
    run->days_done++;

out:
    dt_w2v_day_free(&wday);
    day_clusters_free(&clusters);
    return st;
}
