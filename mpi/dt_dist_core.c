/* Core distances: the m-th smallest exact distance per row, decided in double. */
#include "dt_dist_core.h"

#include "dt_dist_exact.h"
#include "dt_mpi.h"

#include <stdlib.h>
#include <string.h>

static int compare_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The m-th smallest exact distance in held row h's list, and whether the list decides it. */
static int core_from_list(const dt_dist_pass_ctx *ctx, size_t h, int m, double *scratch,
                          double *value)
{
    const dt_cand *list = ctx->held.entries + h * (size_t)ctx->k;
    int count = ctx->held.count[h];
    for (int t = 0; t < count; t++)
        scratch[t] = list[t].exact;
    qsort(scratch, (size_t)count, sizeof(double), compare_double);
    *value = scratch[m - 1];
    return *value < ctx->held_kth[h] - ctx->margin;
}

/* Every rank contributes (id, core) of its held rows; every rank fills core[]. */
static dt_status replicate(const dt_dist_pass_ctx *ctx, const double *held_core, double *core)
{
    int size = ctx->layout->size, mine = (int)ctx->held_rows;
    int *counts = NULL, *displs = NULL;
    uint32_t *ids = NULL;
    double *values = NULL;
    size_t n = ctx->layout->n;
    dt_status st = dt_malloc(&counts, (size_t)size, sizeof(int), "core counts");
    if (st == DT_OK)
        st = dt_malloc(&displs, (size_t)size, sizeof(int), "core counts");
    if (st == DT_OK)
        st = dt_malloc(&ids, n, sizeof(uint32_t), "core ids");
    if (st == DT_OK)
        st = dt_malloc(&values, n, sizeof(double), "core values");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));

    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, ctx->comm),
                                   "gathering core counts"));
    for (int r = 0; r < size; r++)
        displs[r] = r == 0 ? 0 : displs[r - 1] + counts[r - 1];
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allgatherv(ctx->held_ids, mine, MPI_UINT32_T, ids, counts,
                                                  displs, MPI_UINT32_T, ctx->comm),
                                   "gathering core ids"));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allgatherv(held_core, mine, MPI_DOUBLE, values, counts,
                                                  displs, MPI_DOUBLE, ctx->comm),
                                   "gathering core distances"));
    for (size_t q = 0; q < n; q++)
        core[ids[q]] = values[q];

out:
    free(counts);
    free(displs);
    free(ids);
    free(values);
    return st;
}

/* Rows whose lists cannot decide their core distance are searched exactly. */
static dt_status search_undecided(const dt_dist_pass_ctx *ctx, int m, const uint32_t *ids,
                                  size_t count, double *out)
{
    dt_dist_held_queries hq = {0};
    double *kth = NULL;
    dt_status st = dt_dist_held_queries_make(ctx, ids, count, &hq);
    if (st == DT_OK)
        st = dt_malloc(&kth, count + 1, sizeof(double), "core queries");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));

    DT_CHECK_GOTO(st, dt_dist_exact_kth(ctx->layout, ctx->comm, &hq.queries, m, kth));
    for (size_t q = 0; q < count; q++)
        out[ids[q]] = kth[q];

out:
    dt_dist_held_queries_free(&hq);
    free(kth);
    return st;
}

dt_status dt_dist_core_compute(dt_dist_pass_ctx *ctx, int min_samples, double *core,
                               size_t *exact_count)
{
    int m = min_samples - 1;
    double *held_core = NULL, *scratch = NULL;
    uint32_t *undecided = NULL;
    size_t n_undecided = 0;
    unsigned long local_count = 0, total = 0;
    dt_status st = dt_malloc(&held_core, ctx->held_rows + 1, sizeof(double), "core distances");
    if (st == DT_OK)
        st = dt_malloc(&scratch, (size_t)ctx->k, sizeof(double), "core scratch");
    if (st == DT_OK)
        st = dt_malloc(&undecided, ctx->held_rows + 1, sizeof(uint32_t), "undecided rows");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));

    for (size_t h = 0; h < ctx->held_rows; h++) {
        held_core[h] = 0.0;
        if (m > 0 && !core_from_list(ctx, h, m, scratch, &held_core[h]))
            undecided[n_undecided++] = (uint32_t)h;
    }
    if (m > 0)
        DT_CHECK_GOTO(st, search_undecided(ctx, m, undecided, n_undecided, held_core));
    local_count = n_undecided;
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allreduce(&local_count, &total, 1, MPI_UNSIGNED_LONG,
                                                 MPI_SUM, ctx->comm),
                                   "counting exact core searches"));
    *exact_count = total;
    DT_CHECK_GOTO(st, replicate(ctx, held_core, core));

out:
    free(held_core);
    free(scratch);
    free(undecided);
    return st;
}
