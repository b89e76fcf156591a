/* Exact double-precision answers for a few rows against all rows, where single-precision
 * candidate lists cannot decide. */
#ifndef DT_DIST_EXACT_H
#define DT_DIST_EXACT_H

#include "dt_dist_rows.h"
#include "dt_hdbscan.h"

#include <math.h>

/* The total order on edges every decision uses: (weight, a, b) with a < b. */
static inline int dt_edge_before(const dt_edge *x, const dt_edge *y)
{
    if (x->weight != y->weight)
        return x->weight < y->weight;
    if (x->a != y->a)
        return x->a < y->a;
    return x->b < y->b;
}

/* The edge (i, j) with weight w, endpoints ordered. */
static inline dt_edge dt_edge_make(uint32_t i, uint32_t j, double w)
{
    dt_edge e = {.a = i < j ? i : j, .b = i < j ? j : i, .weight = w};
    return e;
}

/* An edge that loses to every real edge. */
static inline dt_edge dt_edge_none(void)
{
    dt_edge e = {.a = UINT32_MAX, .b = UINT32_MAX, .weight = (double)INFINITY};
    return e;
}

/* Collective over comm: an MPI datatype for dt_edge and an MPI_Op keeping the lesser edge
 * under dt_edge_before, elementwise. Free both with dt_dist_edge_op_free. */
dt_status dt_dist_edge_op_create(MPI_Datatype *type, MPI_Op *op);
void dt_dist_edge_op_free(MPI_Datatype *type, MPI_Op *op);

/* Rows asked about by this rank: global ids with their raw rows. */
typedef struct {
    size_t count;
    const uint32_t *ids;
    const float *rows; /* count x dim */
} dt_dist_queries;

/* Queries travel in rounds: each rank contributes at most this many per round. */
#define DT_DIST_QUERY_CHUNK 512

/* All ranks' queries of one round, gathered on every rank; this rank's are
 * mine_first .. mine_first + mine_count - 1. */
typedef struct {
    int total;
    int mine_first;
    int mine_count;
    uint32_t *ids;
    float *rows; /* total x dim */
} dt_dist_gathered;

/* Collective over comm: how many rounds the ranks' query counts need (the largest). */
dt_status dt_dist_query_rounds(MPI_Comm comm, size_t count, size_t *rounds);

/* Collective over comm: gathers every rank's queries first .. first + DT_DIST_QUERY_CHUNK - 1
 * (fewer, or none, where a rank has fewer). */
dt_status dt_dist_gather_queries(const dt_dist_layout *layout, MPI_Comm comm,
                                 const dt_dist_queries *queries, size_t first, dt_dist_gathered *g);

void dt_dist_gathered_free(dt_dist_gathered *g);

/* Collective over comm: for each of this rank's queries, the m-th smallest exact distance
 * to another row (the row itself not counted), 1 <= m < n, into kth[q]. Cost: every rank
 * compares all ranks' queries with its own rows. */
dt_status dt_dist_exact_kth(const dt_dist_layout *layout, MPI_Comm comm,
                            const dt_dist_queries *queries, int m, double *kth);

/* Collective over comm: for each query i, the least edge (i, j) under dt_edge_before with
 * weight max(core[i], core[j], distance) over rows j with comp[j] != comp[i], into best[q]
 * (dt_edge_none() when there is none). comp and core: n entries, equal on every rank. */
dt_status dt_dist_exact_outgoing(const dt_dist_layout *layout, MPI_Comm comm,
                                 const dt_dist_queries *queries, const uint32_t *comp,
                                 const double *core, dt_edge *best);

#endif
