/* The minimum spanning tree of HDBSCAN's mutual-reachability graph, built across MPI ranks
 * without ever holding the n x n distance matrix. */
#ifndef DT_DIST_EDGES_H
#define DT_DIST_EDGES_H

#include "dt_hdbscan.h"
#include "dt_status.h"

#include <mpi.h>
#include <stddef.h>

/* What a build cost, the same on every rank. */
typedef struct {
    int passes;             /* full passes over all pairs (the first finds core distances) */
    int rounds;             /* Boruvka rounds */
    size_t refreshed_rows;  /* rows given fresh candidates by a search of their own */
    size_t exact_queries;   /* rows answered by an exact double-precision search instead */
    double seconds;         /* wall time of the whole build */
    double pass_seconds;    /* of which in full passes */
    double refresh_seconds; /* of which in refresh searches */
    int grid_rows, grid_cols;
} dt_dist_mst_info;

/*
 * Collective over comm. Each rank passes its contiguous share of the vectors (rank r holds
 * the rows after those of ranks 0..r-1; n_local rows of dim floats, row-major, any nonzero
 * scale: they are normalised here, the caller's buffer is not changed). Distances are
 * cosine distances computed in double from the given floats (dt_dist_cosine); the core
 * distance of a point is its distance to its min_samples-th nearest neighbour, the point
 * itself counted (as scikit-learn and R dbscan define it); the mutual-reachability distance
 * of (i, j) is max(core_i, core_j, d(i, j)).
 *
 * On rank 0, *mst_on_root receives the n_total - 1 tree edges (malloc'd, caller frees),
 * sorted by (weight, a, b), and, when core_on_root is not NULL, *core_on_root the n_total
 * core distances (malloc'd). Other ranks get NULL. The tree and the core distances are
 * identical bit for bit at every rank count: every deciding value is computed in double.
 * info (may be NULL) receives the cost. Errors (a zero vector, min_samples outside
 * 1..min(65, n_total), row counts that do not add up) are reported on every rank alike.
 */
dt_status dt_dist_mst(const float *my_rows, size_t n_local, size_t n_total, int dim,
                      int min_samples, MPI_Comm comm, dt_edge **mst_on_root, double **core_on_root,
                      dt_dist_mst_info *info);

#endif
