/* The busiest services of each cluster's members, for the history and the report. */
#ifndef DT_CLUSTER_SERVICES_H
#define DT_CLUSTER_SERVICES_H

#include "dt_day.h"
#include "dt_record.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* Fills top_port, top_proto and top_share of rows[0 .. n_clusters): the DT_TOP_SERVICES
 * services that carried most of the members' packets that day (ties: the busier service
 * of the day first), with their share of the members' packets. labels[w] is the cluster
 * of active sender w (-1 noise). Unused slots get port 0, proto 0, share 0; the folded
 * "other" service is written as port 0, proto 0 with its share. Errors: DT_ERR_INTERNAL
 * for a label >= n_clusters, DT_ERR_NOMEM. */
dt_status dt_cluster_services(const dt_day *day, const int32_t *labels, dt_cluster_row *rows,
                              size_t n_clusters);

#endif
