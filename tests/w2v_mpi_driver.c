/* Test driver for data-parallel Word2Vec on planted corpora: kNN quality, determinism,
 * checkpoint resumption, agreement with the serial trainer, and exports for gensim. */
#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_params.h"
#include "dt_train_mpi.h"
#include "dt_vectors.h"
#include "dt_w2v.h"
#include "w2v_support.h"

#include <mpi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2v_driver_options.h"

typedef struct {
    size_t n;
    float *vectors;
    uint32_t *ips;
    int32_t *labels;
    double seconds;
    size_t words;
} outcome;

static void outcome_free(outcome *o)
{
    free(o->vectors);
    free(o->ips);
    free(o->labels);
    memset(o, 0, sizeof *o);
}

/* Rank 0 makes the day; the other ranks get NULL from here. */
static dt_status make_day(const options *opt, int rank, int32_t day, dt_day *corpus,
                          int32_t **labels)
{
    memset(corpus, 0, sizeof *corpus);
    *labels = NULL;
    if (rank != 0)
        return DT_OK;
    DT_CHECK(w2v_planted_day(&opt->planted, day, corpus, labels));
    if (opt->corrupt && day == opt->days && corpus->n_words > 0)
        corpus->words[corpus->n_words / 2] = corpus->n_active;
    return DT_OK;
}

/* Trains one day; on the last day keeps the day's vectors (rank 0) in *o. Collective. */
static dt_status run_day(dt_w2v_model *m, const options *opt, int rank, int32_t day, int last,
                         outcome *o, int serial)
{
    dt_day corpus;
    int32_t *labels = NULL;
    dt_w2v_day d;
    memset(&d, 0, sizeof d);
    dt_status st = make_day(opt, rank, day, &corpus, &labels);
    DT_CHECK_GOTO(st, serial ? st : dt_mpi_agree(MPI_COMM_WORLD, st));

    double t0 = dt_wall_seconds();
    dt_train_stats stats = {opt->merge, 0, 0, 0, 0};
    if (serial) {
        uint64_t *counts = calloc(corpus.n_active + 1, sizeof *counts);
        st = counts ? dt_w2v_count_words(corpus.words, corpus.n_words, corpus.n_active, counts)
                    : dt_fail(DT_ERR_NOMEM, "out of memory for counts");
        if (st == DT_OK)
            st = dt_w2v_begin_day(m, day, corpus.active_ip, counts, corpus.n_active, &d);
        if (st == DT_OK)
            st = dt_w2v_train_day(m, &d, &corpus);
        free(counts);
        DT_CHECK_GOTO(st, st);
    } else {
        DT_CHECK_GOTO(st,
                      dt_train_day_mpi(m, rank == 0 ? &corpus : NULL, MPI_COMM_WORLD, &d, &stats));
    }
    o->seconds += dt_wall_seconds() - t0;
    o->words += corpus.n_words * (size_t)d.epochs;

    if (last && rank == 0) {
        DT_CHECK_GOTO(st, dt_malloc(&o->vectors, d.n * (size_t)m->dim, sizeof(float), "vectors"));
        DT_CHECK_GOTO(st, dt_malloc(&o->ips, d.n, sizeof(uint32_t), "addresses"));
        dt_w2v_day_vectors(m, &d, o->vectors);
        memcpy(o->ips, corpus.active_ip, d.n * sizeof(uint32_t));
        o->n = d.n;
        o->labels = labels;
        labels = NULL;
        if (opt->corpus_out)
            DT_CHECK_GOTO(st, w2v_write_corpus_text(&corpus, opt->corpus_out));
        if (opt->labels_out)
            DT_CHECK_GOTO(st, w2v_write_labels(&corpus, o->labels, opt->labels_out));
    }
out:
    dt_w2v_day_free(&d);
    free(labels);
    w2v_day_free(&corpus);
    return st;
}

static dt_status run_days(dt_w2v_model *m, const options *opt, int rank, int first, int last,
                          outcome *o, int serial)
{
    for (int day = first; day <= last; day++)
        DT_CHECK(run_day(m, opt, rank, day, day == opt->days, o, serial));
    return DT_OK;
}

/* A whole run from a fresh model; with split_at, through a checkpoint file. Collective. */
static dt_status run(const options *opt, int rank, outcome *o, int serial, int split)
{
    memset(o, 0, sizeof *o);
    dt_w2v_model *m = NULL;
    dt_status st = DT_OK;
    DT_CHECK(dt_w2v_model_new(&opt->params, &m));
    m->kernel = opt->kernel;
    if (!split) {
        st = run_days(m, opt, rank, 1, opt->days, o, serial);
        dt_w2v_model_free(m);
        return st;
    }

    DT_CHECK_GOTO(st, run_days(m, opt, rank, 1, opt->split_at, o, serial));
    if (rank == 0)
        st = dt_w2v_checkpoint_save(m, opt->checkpoint);
    DT_CHECK_GOTO(st, dt_mpi_agree(MPI_COMM_WORLD, st));
    dt_w2v_model_free(m);
    m = NULL;
    DT_CHECK_GOTO(st, dt_mpi_agree(MPI_COMM_WORLD,
                                   dt_w2v_checkpoint_load(opt->checkpoint, &opt->params, &m)));
    m->kernel = opt->kernel;
    DT_CHECK_GOTO(st, run_days(m, opt, rank, opt->split_at + 1, opt->days, o, serial));
out:
    dt_w2v_model_free(m);
    return st;
}

/* With --corrupt: every rank must get the format error, none may hang or crash. */
static int check_refusal(const options *opt, int rank)
{
    outcome o;
    dt_status st = run(opt, rank, &o, 0, 0);
    outcome_free(&o);
    int refused = st == DT_ERR_FORMAT;
    if (rank == 0)
        printf("damaged corpus: %s (%s)\n", refused ? "refused" : "NOT refused",
               dt_error_message());
    MPI_Allreduce(MPI_IN_PLACE, &refused, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return refused;
}

static int same_vectors(const outcome *a, const outcome *b, size_t dim, const char *what)
{
    int same = a->n == b->n && memcmp(a->vectors, b->vectors, a->n * dim * sizeof(float)) == 0;
    printf("%s: %s\n", what, same ? "identical bytes" : "DIFFERENT");
    return same;
}

static int check_extra_runs(const options *opt, int rank, int ranks, const outcome *main_run)
{
    int ok = 1;
    size_t dim = (size_t)opt->params.dim;
    outcome other;
    if (opt->repeat) {
        ok &= run(opt, rank, &other, 0, 0) == DT_OK;
        if (rank == 0)
            ok &= same_vectors(main_run, &other, dim, "second run, same seed and ranks");
        outcome_free(&other);
    }
    if (opt->split_at > 0) {
        ok &= run(opt, rank, &other, 0, 1) == DT_OK;
        if (rank == 0)
            ok &= same_vectors(main_run, &other, dim, "run resumed from a checkpoint");
        outcome_free(&other);
    }
    if (opt->serial && ranks == 1) {
        ok &= run(opt, rank, &other, 1, 0) == DT_OK;
        ok &= same_vectors(main_run, &other, dim, "serial trainer");
        outcome_free(&other);
    }
    return ok;
}

static int report(const options *opt, const outcome *o, int ranks)
{
    double knn = w2v_knn_accuracy(o->vectors, o->labels, o->n, (size_t)opt->params.dim, 5);
    printf("ranks %d, %zu senders, kNN accuracy %.4f (threshold %.4f), %.0f words/s\n", ranks, o->n,
           knn, opt->min_knn, (double)o->words / o->seconds);
    int ok = knn >= opt->min_knn;
    if (opt->vectors_out && dt_vectors_write(opt->vectors_out, o->n, (size_t)opt->params.dim,
                                             o->ips, o->vectors) != DT_OK) {
        dt_log_failure();
        ok = 0;
    }
    return ok;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    dt_log_init(DT_LOG_WARN, rank);

    options opt;
    int ok = w2v_driver_parse(argc, argv, &opt);
    if (ok && opt.corrupt) {
        ok = check_refusal(&opt, rank);
        dt_params_free(&opt.params);
        MPI_Finalize();
        return ok ? 0 : 1;
    }
    outcome o;
    memset(&o, 0, sizeof o);
    if (ok && run(&opt, rank, &o, 0, 0) != DT_OK) {
        dt_log_failure();
        ok = 0;
    }
    if (ok && rank == 0)
        ok = report(&opt, &o, ranks);
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (ok)
        ok = check_extra_runs(&opt, rank, ranks, &o);
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    outcome_free(&o);
    dt_params_free(&opt.params);
    MPI_Finalize();
    return ok ? 0 : 1;
}
