/* Private to the DCA modules: the state's layout and the index of past clusters by sender. */
#ifndef DT_DCA_INTERNAL_H
#define DT_DCA_INTERNAL_H

#include "dt_dca.h"

#include <stddef.h>
#include <stdint.h>

/* One non-noise cluster of a committed day. The table of them is in day order, and within
 * a day in id order. */
typedef struct {
    int32_t day;
    int32_t id;
    uint32_t size;
} dt_dca_past_cluster;

/* The clusters one sender belonged to: indexes into the cluster table, ascending (so in
 * day order). refs == NULL marks an empty hash slot. */
typedef struct {
    uint32_t ip;
    uint32_t n;
    uint32_t cap;
    uint32_t *refs;
} dt_dca_postings;

/* Sender -> postings, open addressing with linear probing; cap is a power of two and at
 * most half the slots are used. */
typedef struct {
    dt_dca_postings *slots;
    size_t cap;
    size_t used;
    dt_dca_past_cluster *clusters;
    size_t n_clusters;
    size_t cap_clusters;
} dt_dca_index;

struct dt_dca_state {
    dt_dca_options opt;
    int has_days;
    int32_t last_day;
    int32_t next_id;
    size_t n_prev; /* yesterday's active senders, sorted by address */
    uint32_t *prev_ip;
    int32_t *prev_id;
    dt_dca_index index; /* every committed day, yesterday included */
};

/* The best past cluster a new cluster Y matches (OL(X,Y) >= tau0). */
typedef struct {
    int found;
    int32_t day;
    int32_t id;
    double overlap;  /* OL(X,Y) = |X n Y| / |X| */
    uint32_t shared; /* |X n Y| */
    size_t postings; /* postings read to find it (or to find nothing) */
} dt_dca_match;

/* A member's place in its postings during the backward search: refs[at] is next. */
typedef struct {
    const uint32_t *refs;
    uint32_t at;
} dt_dca_cursor;

/* Appends one day's non-noise memberships: ips and ids of n senders, ips sorted and
 * distinct, ids >= -1. */
dt_status dt_dca_index_add_day(dt_dca_index *idx, int32_t day, const uint32_t *ips,
                               const int32_t *ids, size_t n);

/* Forgets every cluster of a day before cutoff_day. */
dt_status dt_dca_index_prune(dt_dca_index *idx, int32_t cutoff_day);

/* The postings of ip, NULL when it was in no indexed cluster. */
const dt_dca_postings *dt_dca_index_find(const dt_dca_index *idx, uint32_t ip);

/* Finds, among the clusters of days in [min_day, before_day), the one Y's members
 * (member_ips, m of them) match with OL(X,Y) >= tau0: the most recent day, then the
 * largest overlap, the most shared members, the smallest id. counts must hold
 * idx->n_clusters zeros and touched as many slots, heap m slots; counts is left zeroed.
 * Cost: the members' postings from the newest down to the matching day. */
void dt_dca_index_match(const dt_dca_index *idx, const uint32_t *member_ips, size_t m,
                        int32_t min_day, int32_t before_day, double tau0, uint32_t *counts,
                        uint32_t *touched, dt_dca_cursor *heap, dt_dca_match *best);

/* Adds the index's content, in canonical order, to a running digest. */
dt_status dt_dca_index_digest(const dt_dca_index *idx, uint64_t *h);

/* Frees the index and zeroes it. */
void dt_dca_index_free(dt_dca_index *idx);

/* Mixes one 64-bit value into a digest. */
uint64_t dt_dca_mix(uint64_t h, uint64_t v);

#endif
