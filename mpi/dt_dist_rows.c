/* Row ownership and row movement between ranks for the distributed distance passes. */
#include "dt_dist_rows.h"

#include "dt_mpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double dt_dist_sq(const float *x, int dim)
{
    double sum = 0.0;
    for (int k = 0; k < dim; k++)
        sum += (double)x[k] * (double)x[k];
    return sum;
}

void dt_dist_unit_row(const float *x, double sq, int dim, float *unit)
{
    double inverse = 1.0 / sqrt(sq);
    for (int k = 0; k < dim; k++)
        unit[k] = (float)((double)x[k] * inverse);
}

/* A row's components must be finite and not all zero: a cosine distance needs a direction. */
static dt_status check_row(const float *row, int dim, size_t global)
{
    for (int k = 0; k < dim; k++)
        if (!isfinite(row[k]))
            return dt_fail(DT_ERR_FORMAT,
                           "vector %zu, component %d is %g; expected a finite number", global, k,
                           (double)row[k]);
    return DT_OK;
}

static dt_status compute_norms(dt_dist_layout *layout, size_t n_local)
{
    size_t dim = (size_t)layout->dim;
    DT_CHECK(dt_malloc(&layout->own_sq, n_local + 1, sizeof(double), "squared norms"));
    DT_CHECK(dt_malloc(&layout->own_unit, n_local * dim + 1, sizeof(float), "unit rows"));
    for (size_t i = 0; i < n_local; i++) {
        size_t global = layout->offsets[layout->rank] + i;
        DT_CHECK(check_row(layout->own + i * dim, layout->dim, global));
        double sq = dt_dist_sq(layout->own + i * dim, layout->dim);
        if (!(sq > 0.0) || !isfinite(sq))
            return dt_fail(DT_ERR_FORMAT,
                           "vector %zu has length %g: cosine distance needs a non-zero vector "
                           "whose squared length is finite",
                           global, sqrt(sq));
        layout->own_sq[i] = sq;
        dt_dist_unit_row(layout->own + i * dim, sq, layout->dim, layout->own_unit + i * dim);
    }
    return DT_OK;
}

dt_status dt_dist_layout_init(MPI_Comm comm, const float *own, size_t n_local, size_t n_total,
                              int dim, dt_dist_layout *layout)
{
    memset(layout, 0, sizeof *layout);
    MPI_Comm_rank(comm, &layout->rank);
    MPI_Comm_size(comm, &layout->size);
    layout->n = n_total;
    layout->dim = dim;
    layout->own = own;

    unsigned long long mine = n_local;
    unsigned long long *counts = NULL;
    dt_status st = dt_malloc(&counts, (size_t)layout->size, sizeof *counts, "row counts");
    if (st == DT_OK)
        st = dt_malloc(&layout->offsets, (size_t)layout->size + 1, sizeof(size_t), "offsets");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allgather(&mine, 1, MPI_UNSIGNED_LONG_LONG, counts, 1,
                                                 MPI_UNSIGNED_LONG_LONG, comm),
                                   "gathering row counts"));
    layout->offsets[0] = 0;
    for (int r = 0; r < layout->size; r++)
        layout->offsets[r + 1] = layout->offsets[r] + (size_t)counts[r];
    if (layout->offsets[layout->size] != n_total || dim <= 0 || n_total > UINT32_MAX)
        st = dt_fail(DT_ERR_USAGE, "ranks hold %zu rows of dimension %d, expected %zu rows",
                     layout->offsets[layout->size], dim, n_total);
    else
        st = compute_norms(layout, n_local);
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

out:
    free(counts);
    return st;
}

void dt_dist_layout_free(dt_dist_layout *layout)
{
    free(layout->offsets);
    free(layout->own_sq);
    free(layout->own_unit);
    memset(layout, 0, sizeof *layout);
}

int dt_dist_layout_owner(const dt_dist_layout *layout, size_t i)
{
    int lo = 0, hi = layout->size - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (layout->offsets[mid] <= i)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Per-rank counts and displacements for an MPI_Alltoallv, in elements. */
typedef struct {
    int *send_count, *send_displ, *recv_count, *recv_displ;
} exchange_plan;

static void plan_free(exchange_plan *plan)
{
    free(plan->send_count);
    free(plan->send_displ);
    free(plan->recv_count);
    free(plan->recv_displ);
}

static dt_status plan_alloc(exchange_plan *plan, int size)
{
    memset(plan, 0, sizeof *plan);
    DT_CHECK(dt_calloc(&plan->send_count, (size_t)size, sizeof(int), "exchange plan"));
    DT_CHECK(dt_calloc(&plan->send_displ, (size_t)size, sizeof(int), "exchange plan"));
    DT_CHECK(dt_calloc(&plan->recv_count, (size_t)size, sizeof(int), "exchange plan"));
    DT_CHECK(dt_calloc(&plan->recv_displ, (size_t)size, sizeof(int), "exchange plan"));
    return DT_OK;
}

static void plan_displacements(int *count, int *displ, int size)
{
    displ[0] = 0;
    for (int r = 1; r < size; r++)
        displ[r] = displ[r - 1] + count[r - 1];
}

/* Sorts requests by owner: order[] lists request positions grouped by owner rank. */
static void group_by_owner(const dt_dist_layout *layout, const uint32_t *ids, size_t count,
                           exchange_plan *plan, size_t *order, uint32_t *sorted_ids)
{
    for (size_t q = 0; q < count; q++)
        plan->send_count[dt_dist_layout_owner(layout, ids[q])]++;
    plan_displacements(plan->send_count, plan->send_displ, layout->size);

    int *fill = plan->recv_displ; /* borrowed as a cursor; recomputed by the caller */
    memcpy(fill, plan->send_displ, (size_t)layout->size * sizeof(int));
    for (size_t q = 0; q < count; q++) {
        int owner = dt_dist_layout_owner(layout, ids[q]);
        order[fill[owner]] = q;
        sorted_ids[fill[owner]++] = ids[q];
    }
}

/* Answers the requests other ranks sent: copies the asked rows into reply. */
static void copy_asked_rows(const dt_dist_layout *layout, const uint32_t *asked, size_t n_asked,
                            float *reply)
{
    size_t dim = (size_t)layout->dim;
    size_t first = layout->offsets[layout->rank];
    for (size_t q = 0; q < n_asked; q++)
        memcpy(reply + q * dim, layout->own + ((size_t)asked[q] - first) * dim,
               dim * sizeof(float));
}

static void scale_plan(const int *count, const int *displ, int *scaled_count, int *scaled_displ,
                       int size, int factor)
{
    for (int r = 0; r < size; r++) {
        scaled_count[r] = count[r] * factor;
        scaled_displ[r] = displ[r] * factor;
    }
}

dt_status dt_dist_fetch_rows(const dt_dist_layout *layout, MPI_Comm comm, const uint32_t *ids,
                             size_t count, float *out)
{
    exchange_plan plan, rows;
    memset(&rows, 0, sizeof rows);
    size_t *order = NULL;
    uint32_t *sorted_ids = NULL, *asked = NULL;
    float *sent_rows = NULL, *got_rows = NULL;
    size_t dim = (size_t)layout->dim, n_asked = 0;
    dt_status st = plan_alloc(&plan, layout->size);
    if (st == DT_OK)
        st = plan_alloc(&rows, layout->size);
    if (st == DT_OK && count * dim > INT32_MAX)
        st = dt_fail(DT_ERR_INTERNAL, "row request of %zu rows is too large for MPI", count);
    if (st == DT_OK)
        st = dt_malloc(&order, count + 1, sizeof *order, "row request order");
    if (st == DT_OK)
        st = dt_malloc(&sorted_ids, count + 1, sizeof *sorted_ids, "row requests");
    if (st == DT_OK)
        st = dt_malloc(&got_rows, count * dim + 1, sizeof(float), "fetched rows");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

    group_by_owner(layout, ids, count, &plan, order, sorted_ids);
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Alltoall(plan.send_count, 1, MPI_INT, plan.recv_count, 1,
                                                MPI_INT, comm),
                                   "exchanging row request counts"));
    plan_displacements(plan.recv_count, plan.recv_displ, layout->size);
    for (int r = 0; r < layout->size; r++)
        n_asked += (size_t)plan.recv_count[r];
    st = dt_malloc(&asked, n_asked + 1, sizeof *asked, "asked rows");
    if (st == DT_OK)
        st = dt_malloc(&sent_rows, n_asked * dim + 1, sizeof(float), "rows to send");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

    DT_CHECK_GOTO(
        st, dt_mpi_check(MPI_Alltoallv(sorted_ids, plan.send_count, plan.send_displ, MPI_UINT32_T,
                                       asked, plan.recv_count, plan.recv_displ, MPI_UINT32_T, comm),
                         "exchanging row requests"));
    copy_asked_rows(layout, asked, n_asked, sent_rows);
    scale_plan(plan.recv_count, plan.recv_displ, rows.send_count, rows.send_displ, layout->size,
               layout->dim);
    scale_plan(plan.send_count, plan.send_displ, rows.recv_count, rows.recv_displ, layout->size,
               layout->dim);
    DT_CHECK_GOTO(
        st, dt_mpi_check(MPI_Alltoallv(sent_rows, rows.send_count, rows.send_displ, MPI_FLOAT,
                                       got_rows, rows.recv_count, rows.recv_displ, MPI_FLOAT, comm),
                         "exchanging rows"));
    for (size_t q = 0; q < count; q++)
        memcpy(out + order[q] * dim, got_rows + q * dim, dim * sizeof(float));

out:
    plan_free(&plan);
    plan_free(&rows);
    free(order);
    free(sorted_ids);
    free(asked);
    free(sent_rows);
    free(got_rows);
    return st;
}

dt_status dt_dist_gather_range(const dt_dist_layout *layout, MPI_Comm comm, size_t first,
                               size_t count, float *out)
{
    int *counts = NULL, *displs = NULL;
    dt_status st = dt_malloc(&counts, (size_t)layout->size, sizeof(int), "gather counts");
    if (st == DT_OK)
        st = dt_malloc(&displs, (size_t)layout->size, sizeof(int), "gather displacements");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

    size_t end = first + count;
    for (int r = 0; r < layout->size; r++) {
        size_t lo = layout->offsets[r] > first ? layout->offsets[r] : first;
        size_t hi = layout->offsets[r + 1] < end ? layout->offsets[r + 1] : end;
        counts[r] = hi > lo ? (int)((hi - lo) * (size_t)layout->dim) : 0;
        displs[r] = hi > lo ? (int)((lo - first) * (size_t)layout->dim) : 0;
    }
    size_t my_first = layout->offsets[layout->rank] > first ? layout->offsets[layout->rank] : first;
    const float *mine =
        layout->own + (my_first - layout->offsets[layout->rank]) * (size_t)layout->dim;
    if (counts[layout->rank] == 0)
        mine = out;
    st = dt_mpi_check(
        MPI_Allgatherv(mine, counts[layout->rank], MPI_FLOAT, out, counts, displs, MPI_FLOAT, comm),
        "gathering a panel of rows");

out:
    free(counts);
    free(displs);
    return st;
}
