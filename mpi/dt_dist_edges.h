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

/* What rank 0 receives; every array malloc'd, freed with dt_dist_mst_result_free. */
typedef struct {
    dt_edge *tree;  /* the n - 1 tree edges, a < b, sorted by (weight, a, b) */
    dt_edge *chain; /* n - 1 edges: the same single-linkage hierarchy as Prim's chain in R's
                     * visiting order (dt_chain_prim), for dt_hdbscan_from_mst */
    double *core;   /* n core distances */
} dt_dist_mst_result;

/*
 * Collective over comm. Each rank passes its contiguous share of the vectors (rank r holds
 * the rows after those of ranks 0..r-1; n_local rows of dim floats, row-major, any nonzero
 * scale: they are normalised here, the caller's buffer is not changed). Distances are
 * cosine distances computed in double from the given floats (dt_dist_cosine); the core
 * distance of a point is its distance to its min_samples-th nearest neighbour, the point
 * itself counted (as scikit-learn and R dbscan define it); the mutual-reachability distance
 * of (i, j) is max(core_i, core_j, d(i, j)).
 *
 * On rank 0, *on_root receives the tree, the chain and the core distances; other ranks get
 * a zeroed struct. The tree, the chain and the core distances are identical bit for bit at
 * every rank count: every deciding value is computed in double and ties are broken by
 * (weight, a, b). info (may be NULL) receives the cost, the same on every rank. Errors (a
 * zero or non-finite vector, min_samples outside 1..min(65, n_total), row counts that do
 * not add up) are reported on every rank alike.
 */
dt_status dt_dist_mst(const float *my_rows, size_t n_local, size_t n_total, int dim,
                      int min_samples, MPI_Comm comm, dt_dist_mst_result *on_root,
                      dt_dist_mst_info *info);

void dt_dist_mst_result_free(dt_dist_mst_result *r);

#endif
