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
    float *outlier;     /* per point: GLOSH outlier score in [0, 1] */
    float *probability; /* per point: membership strength in [0, 1], 0 for noise */
    int32_t n_clusters;
    double *stability; /* per cluster: excess of mass */
} dt_hdbscan_result;

/* Builds the single-linkage hierarchy from the n - 1 edges of the tree (any order; ties
 * broken by (weight, a, b)), condenses it by min_cluster_size, selects clusters by excess
 * of mass and labels the points. Cluster numbers are ordered by each cluster's smallest
 * point index, so equal partitions get equal labels. */
dt_status dt_hdbscan_from_mst(size_t n, const dt_edge *mst, int min_cluster_size,
                              dt_hdbscan_result *out);

void dt_hdbscan_result_free(dt_hdbscan_result *r);

#endif
