/* Fresh candidate lists for a few rows: their similarities to all rows in single precision
 * (OpenBLAS sgemm against each rank's own rows), reduced to the k best outgoing
 * mutual-reachability candidates with exact distances. The cheap alternative to a full
 * pass when only some rows' cached candidates are used up. */
#ifndef DT_DIST_QUERY_H
#define DT_DIST_QUERY_H

#include "dt_dist_exact.h"
#include "dt_dist_lists.h"

/* Collective over comm. For each of this rank's queries q (row id i): the k candidates j
 * with comp[j] != comp[i] of smallest float key max(core[i], core[j], float distance),
 * sorted by (key, j), with exact double distances, into lists[q * k ..] and counts[q];
 * bound[q] is a key no left-out candidate's float key is below (+inf when none was left
 * out). comp and core: n entries, equal on every rank. */
dt_status dt_dist_query_lists(const dt_dist_layout *layout, MPI_Comm comm,
                              const dt_dist_queries *queries, const uint32_t *comp,
                              const double *core, int k, dt_cand *lists, int *counts,
                              double *bound);

#endif
