/* Data-parallel Word2Vec: every rank trains a replica on its share of the day's sentences
 * and the ranks merge their updates of the day's rows at a fixed interval of words. */
#include "dt_train_mpi.h"

#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_share_mpi.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Elements per MPI_Allreduce call: well inside MPI's int counts. */
enum { REDUCE_PIECE = 1 << 26 };

/* The state of the update reductions. Only the day's rows are reduced: the context words
 * and the centre words are day words, and negatives come from the day's unigram table, so
 * no other row changes. A slot is one of those rows: slot w < n is the input row of day
 * word w, slot n + w its output row. */
typedef struct {
    dt_w2v_model *m;
    const dt_w2v_day *d;
    MPI_Comm comm;
    float scale;  /* 1 to sum the ranks' updates, 1/P to average them */
    size_t slots; /* 2 * n */
    size_t dim;
    float *ref;       /* slots x dim: the rows as merged at the last reduction */
    float *buf;       /* slots x dim: the changed slots' deltas, packed, then their sums */
    uint8_t *changed; /* slots: 1 when some rank changed the slot since the last reduction */
    size_t done;      /* reductions done */
    double seconds;   /* wall time spent here */
    double cpu;       /* processor time spent here */
} reducer;

/* Processor time of this process, in seconds. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static float *slot_row(const reducer *rd, size_t slot)
{
    size_t n = rd->d->n;
    return slot < n ? dt_w2v_in_row(rd->m, rd->d->row[slot])
                    : dt_w2v_out_row(rd->m, rd->d->row[slot - n]);
}

static dt_status reducer_init(reducer *rd, dt_w2v_model *m, const dt_w2v_day *d, MPI_Comm comm,
                              int ranks, dt_train_merge merge)
{
    memset(rd, 0, sizeof *rd);
    rd->m = m;
    rd->d = d;
    rd->comm = comm;
    rd->scale = merge == DT_TRAIN_MERGE_AVERAGE ? 1.0f / (float)ranks : 1.0f;
    rd->slots = 2 * d->n;
    rd->dim = (size_t)m->dim;
    DT_CHECK(dt_malloc(&rd->ref, rd->slots * rd->dim, sizeof(float), "the merged day rows"));
    DT_CHECK(dt_malloc(&rd->buf, rd->slots * rd->dim, sizeof(float), "the update buffer"));
    DT_CHECK(dt_malloc(&rd->changed, rd->slots, 1, "the changed-row flags"));
    for (size_t s = 0; s < rd->slots; s++)
        memcpy(rd->ref + s * rd->dim, slot_row(rd, s), rd->dim * sizeof(float));
    return DT_OK;
}

static void reducer_free(reducer *rd)
{
    free(rd->ref);
    free(rd->buf);
    free(rd->changed);
}

/* Reduces count elements of data in place, in pieces. Collective. */
static dt_status allreduce_pieces(void *data, size_t count, MPI_Datatype type, size_t elem,
                                  MPI_Op op, MPI_Comm comm)
{
    for (size_t first = 0; first < count; first += REDUCE_PIECE) {
        size_t left = count - first;
        int piece = (int)(left < REDUCE_PIECE ? left : REDUCE_PIECE);
        DT_CHECK(dt_mpi_check(
            MPI_Allreduce(MPI_IN_PLACE, (char *)data + first * elem, piece, type, op, comm),
            "MPI_Allreduce of the Word2Vec updates"));
    }
    return DT_OK;
}

/* Flags the slots this rank changed, then takes the union over the ranks. Collective. */
static dt_status find_changed(reducer *rd)
{
    for (size_t s = 0; s < rd->slots; s++)
        rd->changed[s] =
            memcmp(slot_row(rd, s), rd->ref + s * rd->dim, rd->dim * sizeof(float)) != 0;
    return allreduce_pieces(rd->changed, rd->slots, MPI_UNSIGNED_CHAR, 1, MPI_MAX, rd->comm);
}

/* One reduction: the deltas since the last one of the slots any rank changed (on a day's
 * corpus most input rows rest between reductions) are summed over the ranks and added
 * (scaled) to the merged rows, which every rank then continues from. Collective. */
static dt_status reduce_updates(void *arg)
{
    reducer *rd = arg;
    double t0 = dt_wall_seconds(), c0 = cpu_seconds();
    DT_CHECK(find_changed(rd));

    size_t packed = 0;
    for (size_t s = 0; s < rd->slots; s++) {
        if (!rd->changed[s])
            continue;
        const float *row = slot_row(rd, s), *ref = rd->ref + s * rd->dim;
        float *delta = rd->buf + packed++ * rd->dim;
        for (size_t k = 0; k < rd->dim; k++)
            delta[k] = row[k] - ref[k];
    }
    DT_CHECK(
        allreduce_pieces(rd->buf, packed * rd->dim, MPI_FLOAT, sizeof(float), MPI_SUM, rd->comm));

    packed = 0;
    for (size_t s = 0; s < rd->slots; s++) {
        if (!rd->changed[s])
            continue;
        float *ref = rd->ref + s * rd->dim;
        const float *sum = rd->buf + packed++ * rd->dim;
        for (size_t k = 0; k < rd->dim; k++)
            ref[k] += rd->scale * sum[k];
        memcpy(slot_row(rd, s), ref, rd->dim * sizeof(float));
    }
    rd->done++;
    rd->seconds += dt_wall_seconds() - t0;
    rd->cpu += cpu_seconds() - c0;
    return DT_OK;
}

/* Trains this rank's share, then joins the reductions the other ranks still make, so that
 * every rank makes the same number, planned + 1, even when its own training failed; the
 * ranks then agree on the outcome. Collective. */
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

    double t0 = dt_wall_seconds(), c0 = cpu_seconds();
    DT_CHECK_GOTO(st, train_share(m, d, &share, ranks > 1 ? &rd : NULL, (size_t)planned, rank));
    if (stats) {
        stats->seconds_sync = rd.seconds;
        stats->seconds_train = dt_wall_seconds() - t0 - rd.seconds;
        stats->cpu_train = cpu_seconds() - c0 - rd.cpu;
        stats->words = share.n_words * (size_t)d->epochs;
    }
out:
    reducer_free(&rd);
    dt_day_share_free(&share);
    if (st != DT_OK)
        dt_w2v_day_free(d);
    return st;
}
