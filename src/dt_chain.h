/* The Prim chain of a sparse mutual-reachability graph, in the order R's dbscan visits. */
#ifndef DT_CHAIN_H
#define DT_CHAIN_H

#include "dt_hdbscan.h"
#include "dt_status.h"

#include <stddef.h>

/*
 * Runs Prim's algorithm from point 0 over the n points and the given undirected edges
 * (any order, repeats allowed; they must connect all points), with the rules of
 * dt_mst_prim and R's dbscan: the point with the lightest key joins next, the lowest index
 * on ties. chain[k] (n - 1 entries, caller-owned) links the point that joined at step k + 1
 * (a) to the point that joined just before it (b), weighted by its key. When the edges hold
 * a minimum spanning tree and every other edge that ties with a key during the walk, the
 * chain equals dt_mst_prim's on the complete graph, so dt_hdbscan_from_mst merges ties as R
 * does. O(E log E) time, O(n + E) memory. DT_ERR_FORMAT when the edges leave a point
 * unreachable or name a point >= n.
 */
dt_status dt_chain_prim(size_t n, const dt_edge *edges, size_t n_edges, dt_edge *chain);

#endif
