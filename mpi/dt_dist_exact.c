/* Exact double-precision queries against every rank's own rows, merged by reductions. */
#include "dt_dist_exact.h"

#include "dt_mpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { QUERY_CHUNK = DT_DIST_QUERY_CHUNK };

static void edge_min_op(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    const dt_edge *x = in;
    dt_edge *y = inout;
    for (int q = 0; q < *len; q++)
        if (dt_edge_before(&x[q], &y[q]))
            y[q] = x[q];
}

dt_status dt_dist_edge_op_create(MPI_Datatype *type, MPI_Op *op)
{
    DT_CHECK(dt_mpi_check(MPI_Type_contiguous((int)sizeof(dt_edge), MPI_BYTE, type),
                          "creating the edge datatype"));
    DT_CHECK(dt_mpi_check(MPI_Type_commit(type), "committing the edge datatype"));
    DT_CHECK(dt_mpi_check(MPI_Op_create(edge_min_op, 1, op), "creating the edge reduction"));
    return DT_OK;
}

void dt_dist_edge_op_free(MPI_Datatype *type, MPI_Op *op)
{
    if (*type != MPI_DATATYPE_NULL)
        MPI_Type_free(type);
    if (*op != MPI_OP_NULL)
        MPI_Op_free(op);
}

/* Merges sorted arrays of m smallest distances; m comes from the datatype's size. */
static void smallest_merge_op(void *in, void *inout, int *len, MPI_Datatype *type)
{
    int bytes = 0;
    MPI_Type_size(*type, &bytes);
    size_t m = (size_t)bytes / sizeof(double);
    double merged[64];
    for (int q = 0; q < *len; q++) {
        const double *x = (const double *)in + (size_t)q * m;
        double *y = (double *)inout + (size_t)q * m;
        size_t a = 0, b = 0;
        for (size_t t = 0; t < m; t++)
            merged[t] = (b >= m || (a < m && x[a] <= y[b])) ? x[a++] : y[b++];
        memcpy(y, merged, m * sizeof(double));
    }
}

void dt_dist_gathered_free(dt_dist_gathered *g)
{
    free(g->ids);
    free(g->rows);
    memset(g, 0, sizeof *g);
}

dt_status dt_dist_gather_queries(const dt_dist_layout *layout, MPI_Comm comm,
                                 const dt_dist_queries *queries, size_t first, dt_dist_gathered *g)
{
    int size = layout->size, dim = layout->dim;
    size_t left = queries->count > first ? queries->count - first : 0;
    int mine = left < QUERY_CHUNK ? (int)left : QUERY_CHUNK;
    int *counts = NULL, *displs = NULL;
    memset(g, 0, sizeof *g);
    dt_status st = dt_malloc(&counts, (size_t)size, sizeof(int), "query counts");
    if (st == DT_OK)
        st = dt_malloc(&displs, (size_t)size, sizeof(int), "query counts");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, comm),
                                   "gathering query counts"));
    for (int r = 0; r < size; r++) {
        displs[r] = r == 0 ? 0 : displs[r - 1] + counts[r - 1];
        g->total += counts[r];
    }
    g->mine_first = displs[layout->rank];
    g->mine_count = mine;
    st = dt_malloc(&g->ids, (size_t)g->total + 1, sizeof(uint32_t), "query ids");
    if (st == DT_OK)
        st = dt_malloc(&g->rows, (size_t)g->total * (size_t)dim + 1, sizeof(float), "queries");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allgatherv(queries->ids + first, mine, MPI_UINT32_T, g->ids,
                                                  counts, displs, MPI_UINT32_T, comm),
                                   "gathering query ids"));
    for (int r = 0; r < size; r++) {
        counts[r] *= dim;
        displs[r] *= dim;
    }
    DT_CHECK_GOTO(st,
                  dt_mpi_check(MPI_Allgatherv(queries->rows + first * (size_t)dim, mine * dim,
                                              MPI_FLOAT, g->rows, counts, displs, MPI_FLOAT, comm),
                               "gathering query rows"));

out:
    free(counts);
    free(displs);
    return st;
}

dt_status dt_dist_query_rounds(MPI_Comm comm, size_t count, size_t *rounds)
{
    unsigned long mine = (count + QUERY_CHUNK - 1) / QUERY_CHUNK, most = 0;
    DT_CHECK(dt_mpi_check(MPI_Allreduce(&mine, &most, 1, MPI_UNSIGNED_LONG, MPI_MAX, comm),
                          "counting query rounds"));
    *rounds = most;
    return DT_OK;
}

/* Keeps the m smallest distances of one query against the own rows, sorted. */
static void own_smallest(const dt_dist_layout *layout, uint32_t id, const float *row, int m,
                         double *smallest)
{
    size_t dim = (size_t)layout->dim, first = layout->offsets[layout->rank];
    size_t own = layout->offsets[layout->rank + 1] - first;
    double sq = dt_dist_sq(row, layout->dim);
    for (int t = 0; t < m; t++)
        smallest[t] = (double)INFINITY;
    for (size_t j = 0; j < own; j++) {
        if (first + j == id)
            continue;
        double d = dt_dist_cosine(row, sq, layout->own + j * dim, layout->own_sq[j], layout->dim);
        if (!(d < smallest[m - 1]))
            continue;
        int at = m - 1;
        for (; at > 0 && smallest[at - 1] > d; at--)
            smallest[at] = smallest[at - 1];
        smallest[at] = d;
    }
}

dt_status dt_dist_exact_kth(const dt_dist_layout *layout, MPI_Comm comm,
                            const dt_dist_queries *queries, int m, double *kth)
{
    if (m < 1 || m > 64)
        return dt_fail(DT_ERR_USAGE, "min_samples - 1 = %d is outside 1..64", m);
    dt_dist_gathered g;
    memset(&g, 0, sizeof g);
    double *smallest = NULL;
    MPI_Datatype type = MPI_DATATYPE_NULL;
    MPI_Op op = MPI_OP_NULL;
    size_t rounds = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_dist_query_rounds(comm, queries->count, &rounds));
    MPI_Type_contiguous(m, MPI_DOUBLE, &type);
    MPI_Type_commit(&type);
    MPI_Op_create(smallest_merge_op, 1, &op);

    for (size_t r = 0; r < rounds; r++) {
        DT_CHECK_GOTO(st, dt_dist_gather_queries(layout, comm, queries, r * QUERY_CHUNK, &g));
        st = dt_malloc(&smallest, (size_t)g.total * (size_t)m + 1, sizeof(double), "k smallest");
        DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
        for (int q = 0; q < g.total; q++)
            own_smallest(layout, g.ids[q], g.rows + (size_t)q * (size_t)layout->dim, m,
                         smallest + (size_t)q * (size_t)m);
        DT_CHECK_GOTO(st,
                      dt_mpi_check(MPI_Allreduce(MPI_IN_PLACE, smallest, g.total, type, op, comm),
                                   "merging nearest distances"));
        for (int q = 0; q < g.mine_count; q++)
            kth[r * QUERY_CHUNK + (size_t)q] =
                smallest[(size_t)(g.mine_first + q) * (size_t)m + (size_t)m - 1];
        free(smallest);
        smallest = NULL;
        dt_dist_gathered_free(&g);
    }

out:
    free(smallest);
    dt_dist_gathered_free(&g);
    if (type != MPI_DATATYPE_NULL)
        MPI_Type_free(&type);
    if (op != MPI_OP_NULL)
        MPI_Op_free(&op);
    return st;
}

/* The least outgoing edge of one query among the own rows. */
static dt_edge own_outgoing(const dt_dist_layout *layout, uint32_t id, const float *row,
                            const uint32_t *comp, const double *core)
{
    size_t dim = (size_t)layout->dim, first = layout->offsets[layout->rank];
    size_t own = layout->offsets[layout->rank + 1] - first;
    double sq = dt_dist_sq(row, layout->dim);
    dt_edge best = dt_edge_none();
    for (size_t j = 0; j < own; j++) {
        uint32_t gj = (uint32_t)(first + j);
        if (comp[gj] == comp[id])
            continue;
        double floor = core[id] > core[gj] ? core[id] : core[gj];
        if (floor > best.weight)
            continue;
        double d = dt_dist_cosine(row, sq, layout->own + j * dim, layout->own_sq[j], layout->dim);
        dt_edge e = dt_edge_make(id, gj, d > floor ? d : floor);
        if (dt_edge_before(&e, &best))
            best = e;
    }
    return best;
}

dt_status dt_dist_exact_outgoing(const dt_dist_layout *layout, MPI_Comm comm,
                                 const dt_dist_queries *queries, const uint32_t *comp,
                                 const double *core, dt_edge *best)
{
    dt_dist_gathered g;
    memset(&g, 0, sizeof g);
    dt_edge *found = NULL;
    MPI_Datatype type = MPI_DATATYPE_NULL;
    MPI_Op op = MPI_OP_NULL;
    size_t rounds = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_dist_query_rounds(comm, queries->count, &rounds));
    DT_CHECK_GOTO(st, dt_dist_edge_op_create(&type, &op));

    for (size_t r = 0; r < rounds; r++) {
        DT_CHECK_GOTO(st, dt_dist_gather_queries(layout, comm, queries, r * QUERY_CHUNK, &g));
        st = dt_malloc(&found, (size_t)g.total + 1, sizeof(dt_edge), "query edges");
        DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
        for (int q = 0; q < g.total; q++)
            found[q] = own_outgoing(layout, g.ids[q], g.rows + (size_t)q * (size_t)layout->dim,
                                    comp, core);
        DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allreduce(MPI_IN_PLACE, found, g.total, type, op, comm),
                                       "merging outgoing edges"));
        memcpy(best + r * QUERY_CHUNK, found + g.mine_first,
               (size_t)g.mine_count * sizeof(dt_edge));
        free(found);
        found = NULL;
        dt_dist_gathered_free(&g);
    }

out:
    free(found);
    dt_dist_gathered_free(&g);
    dt_dist_edge_op_free(&type, &op);
    return st;
}
