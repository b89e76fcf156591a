/* Cosine silhouettes of a partition from each cluster's vector sum, noise left out. */
#ifndef DT_SILHOUETTE_H
#define DT_SILHOUETTE_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The silhouette of sklearn.metrics.silhouette_samples with metric "cosine", computed on
 * the points whose label is >= 0 (noise, label -1, is left out: it is not a cluster).
 * With u the rows scaled to length 1 and S_C the sum of cluster C's u, the mean cosine
 * distance from point i to C is 1 - <u_i, S_C> / |C|, and to its own cluster, without
 * itself, (|C| - 1 - <u_i, S_C> + <u_i, u_i>) / (|C| - 1). So the cost is O(n k dim) for k
 * clusters, in double precision, with no pass over pairs. A point alone in its cluster gets
 * 0, as in sklearn; so does every point when there are fewer than two clusters (sklearn
 * refuses that case).
 *
 * x: n x dim floats, row-major, no zero rows (DT_ERR_FORMAT otherwise).
 * labels: n values in -1..n_clusters-1 (DT_ERR_FORMAT otherwise).
 * point: n values or NULL; noise points get NAN.
 * cluster_mean: n_clusters values or NULL; the mean over the cluster's points.
 */
dt_status dt_silhouette(size_t n, size_t dim, const float *x, const int32_t *labels,
                        int32_t n_clusters, double *point, double *cluster_mean);

#endif
