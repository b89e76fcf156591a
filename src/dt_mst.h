/* Core distances and the mutual-reachability minimum spanning tree for cosine distance,
 * on one process, without an n-by-n matrix. */
#ifndef DT_MST_H
#define DT_MST_H

#include "dt_hdbscan.h"
#include "dt_status.h"

#include <stddef.h>

/*
 * The distance is the cosine distance of the input vectors, defined in double precision
 * as d(a, b) = max(0, 1 - <a,b> / sqrt(<a,a> <b,b>)), each dot product summed in index
 * order over the float components promoted to double (dt_mst_distance). Exact copies of
 * a vector are then at distance exactly 0. Single-precision products through OpenBLAS
 * only filter candidates: every comparison that decides a core distance or a tree edge is
 * made on the double value, with a proven bound on the single-precision error deciding
 * which candidates need it (docs/hdbscan.md).
 */

/* The vectors, borrowed, with what the distance needs. */
typedef struct {
    size_t n;
    size_t dim;
    const float *x; /* n x dim, row-major, borrowed from the caller */
    double *sq;     /* per row: <x, x> in double */
    float *unit;    /* n x dim: rows scaled to length 1, for the single-precision filter */
    double slack;   /* bound on |single-precision cosine - double cosine| */
} dt_mst_points;

/* Prepares the points. Rows that are all zero, or hold NaN or infinity, are DT_ERR_FORMAT
 * naming the row (a cosine distance needs a direction). */
dt_status dt_mst_points_init(dt_mst_points *p, size_t n, size_t dim, const float *x);

void dt_mst_points_free(dt_mst_points *p);

/* The double-precision cosine distance between rows a and b. */
double dt_mst_distance(const dt_mst_points *p, size_t a, size_t b);

/* core[i] = distance from i to its min_samples-th nearest point, i itself counted first
 * (as sklearn and R's dbscan count), so min_samples = 1 gives 0. Needs
 * 1 <= min_samples <= n (DT_ERR_USAGE otherwise). Similarities come in blocks from
 * cblas_sgemm; memory is O(block) beyond the points. */
dt_status dt_mst_core_distances(const dt_mst_points *p, int min_samples, double *core);

/* Prim's algorithm on mreach(a, b) = max(core a, core b, d(a, b)) from point 0, with R's
 * dbscan rules for ties (the lightest key wins, the lowest index joins next), giving n - 1
 * edges in the order the points joined. Like R's dbscan, edge k links the point that joined
 * at step k + 1 to the point that joined just before it, weighted by its key (the weight of
 * its tree edge): this chain has the minimum spanning tree's weights and single-linkage
 * hierarchy, and, given in this order to dt_hdbscan_from_mst, R's merges on ties.
 * O(n^2 dim) time, O(n dim) memory. */
dt_status dt_mst_prim(const dt_mst_points *p, const double *core, dt_edge *mst);

/* Both steps on raw vectors: core (n values) and mst (n - 1 edges) are caller-owned. */
dt_status dt_mst_build(size_t n, size_t dim, const float *x, int min_samples, double *core,
                       dt_edge *mst);

#endif
