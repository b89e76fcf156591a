/* Stable sorting of a day's packet events by time, fast when the input is nearly sorted. */
#ifndef DT_TIMESORT_H
#define DT_TIMESORT_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* What the day builder keeps of each packet: 16 bytes. */
typedef struct {
    int64_t ts_ns;    /* capture time */
    uint32_t sender;  /* sender slot in the builder */
    uint32_t service; /* service slot in the builder */
} dt_event;

/* 1 when ev is in non-decreasing time order. */
int dt_timesort_is_sorted(const dt_event *ev, size_t n);

/* Sorts ev by ts_ns, keeping events of equal time in their input order (stable). A natural
 * merge sort: k ascending runs (files interleaved k ways) cost O(n log k), one run O(n).
 * Needs a scratch copy of n events. Errors: DT_ERR_NOMEM. */
dt_status dt_timesort(dt_event *ev, size_t n);

#endif
