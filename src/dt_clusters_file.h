/* The result of `darktrack cluster` as CSV or netCDF. */
#ifndef DT_CLUSTERS_FILE_H
#define DT_CLUSTERS_FILE_H

#include "dt_hdbscan.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* Everything one clustering produced; all pointers are borrowed. */
typedef struct {
    const char *source;               /* the vectors file, for the record */
    const uint32_t *ips;              /* per point: IPv4 address (host order) or row */
    int ips_are_rows;                 /* 1: the input had no addresses */
    const double *core;               /* per point: core distance */
    const dt_hdbscan_result *result;  /* labels, scores, per-cluster stability and size */
    const double *silhouette;         /* per point; NAN for noise */
    const double *cluster_silhouette; /* per cluster: mean silhouette */
    int min_cluster_size;
    int min_samples;
} dt_clusters_summary;

/*
 * CSV (docs/hdbscan.md): '#' comment lines, a header, then one "point" row per point and
 * one "cluster" row per cluster, in the columns
 *   kind,index,ip,label,outlier,probability,silhouette,core_distance,size,stability
 * where a point row leaves size and stability empty (and silhouette, for noise) and a
 * cluster row gives its label, mean silhouette, size and stability.
 * path "-" writes to standard output. Errors: DT_ERR_IO naming the file.
 */
dt_status dt_clusters_write_csv(const char *path, const dt_clusters_summary *s);

/*
 * netCDF-4, written atomically: dimensions point and cluster; per point sender_ip,
 * label (-1 noise), outlier, probability, silhouette (NaN for noise), core_distance; per
 * cluster cluster_size, stability, cluster_silhouette; the parameters as attributes.
 */
dt_status dt_clusters_write_netcdf(const char *path, const dt_clusters_summary *s);

#endif
