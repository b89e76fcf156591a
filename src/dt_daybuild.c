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
    free(b->sender_ip);
    free(b->sender_tally);
    dt_u32map_free(&b->services);
    free(b->service_key);
    free(b->service_packets);
    free(b->events);
    free(b);
}

/* Doubles two parallel arrays of count entries when they are full. */
static dt_status grow_pair(void *a, size_t a_size, void *b, size_t b_size, size_t count,
                           size_t *cap, const char *what)
{
    if (count < *cap)
        return DT_OK;
    size_t new_cap = *cap ? 2 * *cap : 1024;
    DT_CHECK(dt_realloc(a, new_cap, a_size, what));
    DT_CHECK(dt_realloc(b, new_cap, b_size, what));
    *cap = new_cap;
    return DT_OK;
}

/* Free places left in a map before it passes half full. */
static size_t map_room(const dt_u32map *m)
{
    size_t half = ((size_t)m->mask + 1) / 2;
    return half > m->count ? half - m->count : 0;
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
    if (map_room(&b->senders) == 0)
        DT_CHECK(dt_u32map_grow(&b->senders));
    if (map_room(&b->services) == 0)
        DT_CHECK(dt_u32map_grow(&b->services));
    DT_CHECK(grow_pair(&b->sender_ip, sizeof *b->sender_ip, &b->sender_tally,
                       sizeof *b->sender_tally, b->senders.count, &b->sender_cap, "senders"));
    DT_CHECK(grow_pair(&b->service_key, sizeof *b->service_key, &b->service_packets,
                       sizeof *b->service_packets, b->services.count, &b->service_cap, "services"));
    if (b->n_events == b->event_cap) {
        DT_CHECK(dt_realloc(&b->events, 2 * b->event_cap, sizeof *b->events, "day events"));
        b->event_cap *= 2;
    }

    size_t room = min_size(map_room(&b->senders), map_room(&b->services));
    room = min_size(room, b->sender_cap - b->senders.count);
    room = min_size(room, b->service_cap - b->services.count);
    b->room = min_size(room, b->event_cap - b->n_events);
    return DT_OK;
}

dt_status dt_daybuild_add(dt_daybuild *b, const dt_packet *pkt)
{
    if (b->room == 0)
        DT_CHECK(make_room(b));
    b->room--;

    uint32_t sender, service;
    int added;
    DT_CHECK(dt_u32map_intern(&b->senders, pkt->src, &sender, &added));
    if (added) {
        b->sender_ip[sender] = pkt->src;
        b->sender_tally[sender] = 0;
    }
    uint32_t key = (uint32_t)pkt->dport << 8 | pkt->proto;
    DT_CHECK(dt_u32map_intern(&b->services, key, &service, &added));
    if (added) {
        b->service_key[service] = key;
        b->service_packets[service] = 0;
    }

    uint64_t mirai = pkt->mirai ? DT_TALLY_MIRAI : 0;
    b->sender_tally[sender] = (b->sender_tally[sender] + 1) | mirai;
    b->service_packets[service]++;
    b->events[b->n_events++] = (dt_event){pkt->ts_ns, sender, service};
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
