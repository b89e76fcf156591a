/* Building one day: accumulating packets into sender and service tallies and events. */
#include "dt_daybuild.h"

#include "dt_daybuild_internal.h"

#include <stdlib.h>
#include <string.h>

dt_status dt_daybuild_new(const dt_daybuild_params *params, size_t expected_packets,
                          dt_daybuild **out)
{
    *out = NULL;
    if (params->min_packets < 0 || params->top_services < 1 || params->max_sentence < 1)
        return dt_fail(DT_ERR_USAGE,
                       "day builder: need min_packets >= 0, top_services >= 1 and "
                       "max_sentence >= 1, got %d, %d and %d",
                       params->min_packets, params->top_services, params->max_sentence);

    dt_status st = DT_OK;
    dt_daybuild *b = NULL;
    DT_CHECK(dt_calloc(&b, 1, sizeof *b, "day builder"));
    b->params = *params;
    b->last_ts = INT64_MIN;

    /* A day of a /24 telescope sees tens of thousands of senders; start near that. */
    size_t expected_senders = 4096;
    DT_CHECK_GOTO(st, dt_u32map_init(&b->senders, expected_senders));
    DT_CHECK_GOTO(st, dt_u32map_init(&b->services, 1024));
    b->event_cap = expected_packets > 1024 ? expected_packets : 1024;
    DT_CHECK_GOTO(st, dt_malloc(&b->events, b->event_cap, sizeof *b->events, "day events"));
    *out = b;

out:
    if (st != DT_OK)
        dt_daybuild_free(b);
    return st;
}

void dt_daybuild_free(dt_daybuild *b)
{
    if (!b)
        return;
    dt_u32map_free(&b->senders);
    dt_u32map_free(&b->services);
    free(b->events);
    free(b->sender_ip);
    free(b->sender_tally);
    free(b->service_key);
    free(b->service_packets);
    free(b);
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Makes room for at least one more sender, service and event before anything is stored,
 * so that a failed allocation leaves the builder consistent, and sets b->room to the
 * packets that can be added before anything may need to grow again (each packet adds at
 * most one sender, one service and one event). */
static dt_status make_room(dt_daybuild *b)
{
    if (dt_u32map_room(&b->senders) == 0)
        DT_CHECK(dt_u32map_grow(&b->senders));
    if (dt_u32map_room(&b->services) == 0)
        DT_CHECK(dt_u32map_grow(&b->services));
    if (b->n_events == b->event_cap) {
        DT_CHECK(dt_realloc(&b->events, 2 * b->event_cap, sizeof *b->events, "day events"));
        b->event_cap *= 2;
    }

    size_t room = min_size(dt_u32map_room(&b->senders), dt_u32map_room(&b->services));
    b->room = min_size(room, b->event_cap - b->n_events);
    return DT_OK;
}

dt_status dt_daybuild_add(dt_daybuild *b, const dt_packet *pkt)
{
    if (b->room == 0)
        DT_CHECK(make_room(b));
    b->room--;

    /* One cache line per table: the sender's tally lives in its hash slot. */
    dt_u32map_slot *sender, *service;
    int added;
    DT_CHECK(dt_u32map_intern(&b->senders, pkt->src, &sender, &added));
    DT_CHECK(
        dt_u32map_intern(&b->services, (uint32_t)pkt->dport << 8 | pkt->proto, &service, &added));

    uint64_t mirai = pkt->mirai ? DT_TALLY_MIRAI : 0;
    sender->value = (sender->value + 1) | mirai;
    service->value++;
    b->unsorted |= pkt->ts_ns < b->last_ts;
    b->last_ts = pkt->ts_ns;
    b->events[b->n_events++] = (dt_event){pkt->ts_ns, sender->index1 - 1, service->index1 - 1};
    b->packets++;
    return DT_OK;
}

int64_t dt_daybuild_packets(const dt_daybuild *b)
{
    return b->packets;
}

int32_t dt_daybuild_day(const dt_daybuild *b)
{
    return b->params.day;
}
