/* HDBSCAN from a minimum spanning tree of mutual-reachability distances. */
#ifndef DT_HDBSCAN_H
#define DT_HDBSCAN_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* An edge of the mutual-reachability graph; weights in double so ties and rounding are
 * decided the same way on every rank. */
typedef struct {
    uint32_t a;
    uint32_t b;
    double weight;
} dt_edge;

typedef struct {
    size_t n;           /* points */
    int32_t *labels;    /* per point: cluster 0..n_clusters-1, or -1 for noise */
    float *outlier;     /* per point: GLOSH outlier score, at most 1 (R's definition) */
    float *probability; /* per point: membership strength in [0, 1], 0 for noise */
    int32_t n_clusters;
    double *stability; /* per cluster: excess of mass (its finite part, docs/hdbscan.md) */
    int32_t *size;     /* per cluster: members */
} dt_hdbscan_result;

/* Builds the single-linkage hierarchy from the n - 1 edges of a spanning tree, merged in
 * order of weight; edges of equal weight merge in the order given, so a caller that wants
 * results independent of its own order passes them sorted by (weight, a, b). The chain
 * from dt_mst_prim comes in R's order, which reproduces R even where weights tie
 * (docs/hdbscan.md). Then condenses the tree by min_cluster_size (>= 2), selects clusters by
 * excess of mass without ever selecting the root (allow_single_cluster false) and labels
 * the points, as R's dbscan::hdbscan does. core_distance (n values, may be NULL) gives the
 * membership probabilities as R defines them, (max core in cluster - core) / max core;
 * without it every member gets probability 1. Cluster numbers are ordered by each
 * cluster's smallest point index, so equal partitions get equal labels. Weights must be
 * finite and >= 0; the edges must form a spanning tree (DT_ERR_FORMAT otherwise). out is
 * owned by the caller and freed with dt_hdbscan_result_free. */
dt_status dt_hdbscan_from_mst(size_t n, const dt_edge *mst, const double *core_distance,
                              int min_cluster_size, dt_hdbscan_result *out);

void dt_hdbscan_result_free(dt_hdbscan_result *r);

#endif
