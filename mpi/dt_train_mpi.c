/* Data-parallel Word2Vec: every rank trains a replica on its share of the day's sentences
 * and the ranks merge their updates of the day's rows at a fixed interval of words. */
#include "dt_train_mpi.h"

#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_share_mpi.h"

#include <stdlib.h>
#include <string.h>

/* Floats per MPI_Allreduce call: well inside MPI's int counts. */
enum { REDUCE_PIECE = 1 << 26 };

/* The state of the update reductions. Only the day's rows are reduced: the context words
 * and the centre words are day words, and negatives come from the day's unigram table, so
 * no other row changes. */
typedef struct {
    dt_w2v_model *m;
    const dt_w2v_day *d;
    MPI_Comm comm;
    float scale;    /* 1 to sum the ranks' updates, 1/P to average them */
    size_t floats;  /* 2 * n * dim: the day's input rows, then its output rows */
    float *ref;     /* floats: the rows as merged at the last reduction */
    float *buf;     /* floats + 1: this rank's deltas and its failure flag, then the sums */
    size_t done;    /* reductions done */
    float failed;   /* 1 once this rank's training failed */
    int any_failed; /* some rank's training failed */
    double seconds; /* wall time spent here */
} reducer;

/* Copies the day's rows into dst (copy_in) or dst's rows back into the model. */
static void day_rows(const reducer *rd, float *flat, int copy_in)
{
    size_t dim = (size_t)rd->m->dim, n = rd->d->n;
    for (size_t w = 0; w < n; w++) {
        float *in = dt_w2v_in_row(rd->m, rd->d->row[w]);
        float *out = dt_w2v_out_row(rd->m, rd->d->row[w]);
        float *flat_in = flat + w * dim, *flat_out = flat + (n + w) * dim;
        if (copy_in) {
            memcpy(flat_in, in, dim * sizeof(float));
            memcpy(flat_out, out, dim * sizeof(float));
        } else {
            memcpy(in, flat_in, dim * sizeof(float));
            memcpy(out, flat_out, dim * sizeof(float));
        }
    }
}

static dt_status reducer_init(reducer *rd, dt_w2v_model *m, const dt_w2v_day *d, MPI_Comm comm,
                              int ranks, dt_train_merge merge)
{
    memset(rd, 0, sizeof *rd);
    rd->m = m;
    rd->d = d;
    rd->comm = comm;
    rd->scale = merge == DT_TRAIN_MERGE_AVERAGE ? 1.0f / (float)ranks : 1.0f;
    rd->floats = 2 * d->n * (size_t)m->dim;
    DT_CHECK(dt_malloc(&rd->ref, rd->floats, sizeof(float), "the merged day rows"));
    DT_CHECK(dt_malloc(&rd->buf, rd->floats + 1, sizeof(float), "the update buffer"));
    day_rows(rd, rd->ref, 1);
    return DT_OK;
}

static void reducer_free(reducer *rd)
{
    free(rd->ref);
    free(rd->buf);
}

/* Sums buf over the ranks in place, in pieces. Collective. */
static dt_status allreduce_buf(reducer *rd)
{
    size_t total = rd->floats + 1;
    for (size_t first = 0; first < total; first += REDUCE_PIECE) {
        int count = (int)(total - first < REDUCE_PIECE ? total - first : REDUCE_PIECE);
        DT_CHECK(dt_mpi_check(
            MPI_Allreduce(MPI_IN_PLACE, rd->buf + first, count, MPI_FLOAT, MPI_SUM, rd->comm),
            "MPI_Allreduce of the Word2Vec updates"));
    }
    return DT_OK;
}

/* One reduction: deltas since the last one are summed over the ranks and added (scaled) to
 * the merged rows, which every rank then continues from. Collective. */
static dt_status reduce_updates(void *arg)
{
    reducer *rd = arg;
    double t0 = dt_wall_seconds();
    day_rows(rd, rd->buf, 1);
    for (size_t i = 0; i < rd->floats; i++)
        rd->buf[i] -= rd->ref[i];
    rd->buf[rd->floats] = rd->failed;

    DT_CHECK(allreduce_buf(rd));
    rd->done++;
    rd->any_failed |= rd->buf[rd->floats] > 0;
    for (size_t i = 0; i < rd->floats; i++)
        rd->ref[i] += rd->scale * rd->buf[i];
    day_rows(rd, rd->ref, 0);
    rd->seconds += dt_wall_seconds() - t0;
    return DT_OK;
}

/* Trains this rank's share, then joins the reductions the other ranks still make, so that
 * every rank makes the same number: planned + 1. Collective. */
static dt_status train_share(dt_w2v_model *m, const dt_w2v_day *d, const dt_day_share *share,
                             reducer *rd, size_t planned, int rank)
{
    dt_rng rng;
    dt_w2v_train_rng(m, d->day, rank, &rng);
    dt_w2v_text text = {share->n_sentences, share->start, share->words};
    dt_w2v_sync sync = {reduce_updates, rd, (size_t)m->sync_words};
    dt_status local = dt_w2v_train_text(m, d, &text, &rng, rd ? &sync : NULL);
    if (!rd)
        return local;

    if (local != DT_OK)
        rd->failed = 1.0f;
    while (rd->done < planned + 1)
        DT_CHECK(reduce_updates(rd));
    return dt_mpi_agree(rd->comm, local);
}

static dt_status begin_share(dt_w2v_model *m, const dt_day_share *share, MPI_Comm comm,
                             dt_w2v_day *d)
{
    dt_status st =
        dt_w2v_begin_day(m, share->day, share->active_ip, share->counts, share->n_active, d);
    return dt_mpi_agree(comm, st);
}

dt_status dt_train_day_mpi(dt_w2v_model *m, const dt_day *day, MPI_Comm comm, dt_w2v_day *d,
                           dt_train_stats *stats)
{
    memset(d, 0, sizeof *d);
    int rank = 0, ranks = 1;
    DT_CHECK(dt_mpi_check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank"));
    DT_CHECK(dt_mpi_check(MPI_Comm_size(comm, &ranks), "MPI_Comm_size"));
    dt_day_share share;
    reducer rd;
    memset(&rd, 0, sizeof rd);
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_share_day_mpi(day, comm, &share));
    DT_CHECK_GOTO(st, begin_share(m, &share, comm, d));

    dt_train_merge merge = stats ? stats->merge : DT_TRAIN_MERGE_SUM;
    if (ranks > 1)
        DT_CHECK_GOTO(st, dt_mpi_agree(comm, reducer_init(&rd, m, d, comm, ranks, merge)));
    unsigned long long mine = share.n_words * (size_t)d->epochs / (size_t)m->sync_words;
    unsigned long long planned = mine;
    DT_CHECK_GOTO(
        st, dt_mpi_check(MPI_Allreduce(&mine, &planned, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, comm),
                         "MPI_Allreduce of the reduction count"));

    double t0 = dt_wall_seconds();
    DT_CHECK_GOTO(st, train_share(m, d, &share, ranks > 1 ? &rd : NULL, (size_t)planned, rank));
    if (stats) {
        stats->seconds_sync = rd.seconds;
        stats->seconds_train = dt_wall_seconds() - t0 - rd.seconds;
        stats->words = share.n_words * (size_t)d->epochs;
    }
out:
    reducer_free(&rd);
    dt_day_share_free(&share);
    if (st != DT_OK)
        dt_w2v_day_free(d);
    return st;
}
