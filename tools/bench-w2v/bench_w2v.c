/* Times darktrack's Word2Vec on a text corpus at the MPI rank count it is started with,
 * and writes the vectors for the quality comparison in bench-w2v.sh. */
#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_params.h"
#include "dt_train_mpi.h"
#include "dt_vectors.h"
#include "dt_w2v.h"
#include "w2v_text.h"

#include <mpi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    dt_params params;
    const char *corpus;
    const char *vectors_out;
    dt_w2v_kernel kernel;
    dt_train_merge merge;
} bench_options;

static const char *const kernel_names[] = {"blas", "pair"};
static const char *const merge_names[] = {"sum", "average"};

static int pick(const char *value, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(value, names[i]) == 0) {
            *out = i;
            return 1;
        }
    fprintf(stderr, "bench_w2v: unknown choice '%s'\n", value);
    return 0;
}

static int set_option(bench_options *o, const char *name, const char *value)
{
    if (strcmp(name, "corpus") == 0)
        o->corpus = value;
    else if (strcmp(name, "vectors-out") == 0)
        o->vectors_out = value;
    else if (strcmp(name, "kernel") == 0)
        return pick(value, kernel_names, 2, (int *)&o->kernel);
    else if (strcmp(name, "merge") == 0)
        return pick(value, merge_names, 2, (int *)&o->merge);
    else if (dt_params_set(&o->params, name, value, name) != DT_OK) {
        fprintf(stderr, "bench_w2v: %s\n", dt_error_message());
        return 0;
    }
    return 1;
}

static int parse(int argc, char **argv, bench_options *o)
{
    memset(o, 0, sizeof *o);
    dt_params_defaults(&o->params);
    o->params.warmup_days = 0;
    o->kernel = DT_W2V_KERNEL_BLAS;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strncmp(argv[i], "--", 2) != 0 || !set_option(o, argv[i] + 2, argv[i + 1]))
            return 0;
    }
    if (argc % 2 == 0 || !o->corpus) {
        fprintf(stderr, "usage: bench_w2v --corpus FILE [--vectors-out FILE] [--kernel "
                        "blas|pair] [--merge sum|average] [--PARAM VALUE]...\n");
        return 0;
    }
    return dt_params_validate(&o->params) == DT_OK;
}

/* Reads (rank 0), trains one day and reports. Collective. */
static dt_status bench(const bench_options *o, int rank, int ranks)
{
    dt_day corpus;
    memset(&corpus, 0, sizeof corpus);
    dt_w2v_model *m = NULL;
    dt_w2v_day d;
    memset(&d, 0, sizeof d);
    float *vectors = NULL;
    dt_status st = rank == 0 ? w2v_text_read(o->corpus, &corpus) : DT_OK;
    DT_CHECK_GOTO(st, dt_mpi_agree(MPI_COMM_WORLD, st));
    DT_CHECK_GOTO(st, dt_w2v_model_new(&o->params, &m));
    m->kernel = o->kernel;

    dt_train_stats stats = {o->merge, 0, 0, 0, 0};
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = dt_wall_seconds();
    DT_CHECK_GOTO(st, dt_train_day_mpi(m, rank == 0 ? &corpus : NULL, MPI_COMM_WORLD, &d, &stats));
    double seconds = dt_wall_seconds() - t0;
    double mine[3] = {stats.seconds_train, stats.seconds_sync, stats.cpu_train};
    double most[3] = {0, 0, 0};
    MPI_Reduce(mine, most, 3, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank != 0)
        goto out;

    size_t words = corpus.n_words * (size_t)d.epochs;
    printf("darktrack ranks=%d kernel=%s merge=%s senders=%u words=%zu seconds=%.3f "
           "words_per_s=%.0f max_train_seconds=%.3f max_sync_seconds=%.3f "
           "max_train_cpu_seconds=%.3f\n",
           ranks, kernel_names[o->kernel], merge_names[o->merge], corpus.n_active, words, seconds,
           (double)words / seconds, most[0], most[1], most[2]);
    if (o->vectors_out) {
        DT_CHECK_GOTO(st, dt_malloc(&vectors, d.n * (size_t)m->dim, sizeof(float), "vectors"));
        dt_w2v_day_vectors(m, &d, vectors);
        DT_CHECK_GOTO(
            st, dt_vectors_write(o->vectors_out, d.n, (size_t)m->dim, corpus.active_ip, vectors));
    }
out:
    free(vectors);
    dt_w2v_day_free(&d);
    dt_w2v_model_free(m);
    w2v_text_free(&corpus);
    return st;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    dt_log_init(DT_LOG_WARN, rank);

    bench_options o;
    int ok = parse(argc, argv, &o);
    if (ok && bench(&o, rank, ranks) != DT_OK) {
        dt_log_failure();
        ok = 0;
    }
    dt_params_free(&o.params);
    MPI_Finalize();
    return ok ? 0 : 1;
}
