/* Building one day's aggregates and corpus from its packets, one call per packet. */
#ifndef DT_DAYBUILD_H
#define DT_DAYBUILD_H

#include "dt_day.h"
#include "dt_packet.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t day;      /* the UTC day the packets belong to (days since 1970-01-01) */
    int min_packets;  /* active: MORE than this many packets (the paper: 5) */
    int top_services; /* services kept before folding into "other" (>= 1) */
    int max_sentence; /* words per sentence (>= 1) */
} dt_daybuild_params;

typedef struct dt_daybuild dt_daybuild;

/* A builder for one day. expected_packets sizes the first allocation (0 is fine).
 * Errors: DT_ERR_USAGE for a bad parameter, DT_ERR_NOMEM. */
dt_status dt_daybuild_new(const dt_daybuild_params *params, size_t expected_packets,
                          dt_daybuild **out);

/* Adds one packet. O(1) amortised, no allocation except geometric growth of the arrays.
 * The caller decides the day: pkt->ts_ns is not checked against it. Packets may come in
 * any time order; the corpus is ordered by time, equal times in the order added.
 * Errors: DT_ERR_NOMEM (the builder stays usable and holds every packet added before). */
dt_status dt_daybuild_add(dt_daybuild *b, const dt_packet *pkt);

/* Packets added so far. */
int64_t dt_daybuild_packets(const dt_daybuild *b);

/* The day of the builder. */
int32_t dt_daybuild_day(const dt_daybuild *b);

/* Computes the day into *out (which the caller then owns and frees with dt_day_free); the
 * builder may be freed afterwards and must not be added to again. On error *out is zeroed.
 * Errors: DT_ERR_NOMEM. */
dt_status dt_daybuild_finish(dt_daybuild *b, dt_day *out);

/* Frees the builder; NULL is accepted. */
void dt_daybuild_free(dt_daybuild *b);

#endif
