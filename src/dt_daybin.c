/* Routing packets to the builders of their UTC days and handing days over in order. */
#include "dt_daybin.h"

#include <stdlib.h>
#include <string.h>

struct dt_daybin {
    dt_daybuild_params params;
    dt_day_sink sink;
    void *ctx;

    /* Open days, ascending. */
    dt_daybuild *open[DT_DAYBIN_MAX_OPEN];
    int n_open;

    /* The day the last packet went to, as a time window [lo, hi): most packets fall in it
     * and need no division to find their day. */
    dt_daybuild *current;
    int64_t current_lo;
    int64_t current_hi;

    int has_handed;
    int32_t last_handed; /* the latest day handed over */
    uint64_t days;
    size_t expected_packets; /* the last day's packets: the next builder's first size */
    uint64_t late;
    uint64_t late_reported;
};

dt_status dt_daybin_new(const dt_daybuild_params *params, dt_day_sink sink, void *ctx,
                        dt_daybin **out)
{
    *out = NULL;
    dt_daybuild *probe = NULL;
    DT_CHECK(dt_daybuild_new(params, 0, &probe)); /* validates the parameters */
    dt_daybuild_free(probe);

    dt_daybin *bin = NULL;
    DT_CHECK(dt_calloc(&bin, 1, sizeof *bin, "day binner"));
    bin->params = *params;
    bin->sink = sink;
    bin->ctx = ctx;
    *out = bin;
    return DT_OK;
}

void dt_daybin_free(dt_daybin *bin)
{
    if (!bin)
        return;
    for (int i = 0; i < bin->n_open; i++)
        dt_daybuild_free(bin->open[i]);
    free(bin);
}

/* Finishes the oldest open day and gives it to the sink. */
static dt_status hand_over_oldest(dt_daybin *bin)
{
    dt_status st = DT_OK;
    dt_daybuild *b = bin->open[0];
    memmove(bin->open, bin->open + 1, (size_t)(bin->n_open - 1) * sizeof *bin->open);
    bin->n_open--;
    if (bin->current == b)
        bin->current = NULL;
    bin->has_handed = 1;
    bin->last_handed = dt_daybuild_day(b);
    bin->expected_packets = (size_t)dt_daybuild_packets(b);
    bin->days++;

    dt_day day;
    DT_CHECK_GOTO(st, dt_daybuild_finish(b, &day));
    st = bin->sink(bin->ctx, &day);
    dt_day_free(&day);
    if (st != DT_OK)
        dt_error_trace(__func__, __FILE__, __LINE__);

out:
    dt_daybuild_free(b);
    return st;
}

dt_status dt_daybin_begin_file(dt_daybin *bin, int64_t first_ts_ns)
{
    int32_t first_day = dt_day_of_ns(first_ts_ns);
    while (bin->n_open > 0 && dt_daybuild_day(bin->open[0]) < first_day)
        DT_CHECK(hand_over_oldest(bin));
    return DT_OK;
}

/* The builder of day, opened (in day order) when needed; NULL when the day was handed
 * over already. */
static dt_status find_or_open(dt_daybin *bin, int32_t day, dt_daybuild **out)
{
    *out = NULL;
    int at = 0;
    while (at < bin->n_open && dt_daybuild_day(bin->open[at]) < day)
        at++;
    if (at < bin->n_open && dt_daybuild_day(bin->open[at]) == day) {
        *out = bin->open[at];
        return DT_OK;
    }

    if (bin->n_open == DT_DAYBIN_MAX_OPEN) {
        DT_CHECK(hand_over_oldest(bin));
        at--;
    }
    if (bin->has_handed && day <= bin->last_handed)
        return DT_OK;

    dt_daybuild_params params = bin->params;
    params.day = day;
    dt_daybuild *b = NULL;
    DT_CHECK(dt_daybuild_new(&params, bin->expected_packets, &b));
    memmove(bin->open + at + 1, bin->open + at, (size_t)(bin->n_open - at) * sizeof *bin->open);
    bin->open[at] = b;
    bin->n_open++;
    *out = b;
    return DT_OK;
}

/* The slow path of dt_daybin_add: the packet's day is not the current one. */
static dt_status switch_day(dt_daybin *bin, const dt_packet *pkt)
{
    int32_t day = dt_day_of_ns(pkt->ts_ns);
    dt_daybuild *b = NULL;
    if (!bin->has_handed || day > bin->last_handed)
        DT_CHECK(find_or_open(bin, day, &b));
    if (!b) {
        bin->late++;
        return DT_OK;
    }

    bin->current = b;
    bin->current_lo = (int64_t)day * DT_NS_PER_DAY;
    bin->current_hi = bin->current_lo + DT_NS_PER_DAY;
    return dt_daybuild_add(b, pkt);
}

dt_status dt_daybin_add(dt_daybin *bin, const dt_packet *pkt)
{
    if (bin->current && pkt->ts_ns >= bin->current_lo && pkt->ts_ns < bin->current_hi)
        return dt_daybuild_add(bin->current, pkt);
    return switch_day(bin, pkt);
}

uint64_t dt_daybin_take_late(dt_daybin *bin)
{
    uint64_t fresh = bin->late - bin->late_reported;
    bin->late_reported = bin->late;
    return fresh;
}

uint64_t dt_daybin_late_total(const dt_daybin *bin)
{
    return bin->late;
}

uint64_t dt_daybin_days(const dt_daybin *bin)
{
    return bin->days;
}

dt_status dt_daybin_finish(dt_daybin *bin)
{
    while (bin->n_open > 0)
        DT_CHECK(hand_over_oldest(bin));
    return DT_OK;
}
