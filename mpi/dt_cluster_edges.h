/* The edges HDBSCAN needs: core distances and the mutual-reachability spanning tree. */
#ifndef DT_CLUSTER_EDGES_H
#define DT_CLUSTER_EDGES_H

#include "dt_hdbscan.h"
#include "dt_status.h"

#include <mpi.h>
#include <stddef.h>

/* Collective over comm. n, dim and min_samples are the same on every rank; x (n x dim
 * floats, row-major), core (n) and mst (n - 1 edges, in the order dt_hdbscan_from_mst
 * merges ties) are significant on rank 0 only, where the caller owns them. Every rank
 * returns the same status. This is the one place that decides how the edges are computed:
 * rank 0 deals the vectors out and all ranks build them together (dt_dist_mst, at any rank
 * count, 1 included); min_samples above 65 falls back to dt_mst_build on rank 0. */
dt_status dt_cluster_edges(MPI_Comm comm, size_t n, size_t dim, const float *x, int min_samples,
                           double *core, dt_edge *mst);

#endif
