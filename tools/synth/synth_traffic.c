/* Packet times and services: coordinated groups take turns inside shared bursts, bots and
 * noise spread over the day. */
#include "synth_traffic.h"

#include "dt_packet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_DAY (86400LL * 1000000LL)

/* Ports a random sender often tries, and how often noise picks one of them (UDP probes
 * mostly go to a few amplification and discovery services). */
static const uint16_t common_tcp[] = {22, 23, 80, 443, 445, 3389, 8080, 5555, 1433, 53};
static const uint16_t common_udp[] = {53, 123, 161, 1900, 5060, 137, 389, 11211, 19, 3702};
#define NOISE_COMMON_TCP_SHARE 0.5
#define NOISE_COMMON_UDP_SHARE 0.8
/* Protocols of noise services; the rest are pings. Table 1 of the paper has about 7,100
 * TCP, 1,400 UDP and 150 ICMP active senders a day. */
#define NOISE_TCP_SHARE 0.73
#define NOISE_UDP_SHARE 0.25

/* Per group, the start of each of today's bursts and, for a sweeping group, the first
 * port of the block it sweeps in that burst. */
typedef struct {
    int64_t start_us[SYNTH_MAX_BURSTS];
    uint16_t sweep_base[SYNTH_MAX_BURSTS];
    uint32_t sweep_width;
} burst_plan;

typedef struct {
    const synth_plan *plan;
    int64_t day_us; /* midnight of the day */
    dt_rng rng;
    burst_plan *bursts; /* per group */
    synth_packets *out;
} day_state;

uint8_t synth_style_proto(uint8_t style)
{
    switch (style) {
    case SYNTH_STYLE_UDP:
        return DT_PROTO_UDP;
    case SYNTH_STYLE_ECHO_REQUEST:
    case SYNTH_STYLE_ECHO_REPLY:
        return DT_PROTO_ICMP;
    case SYNTH_STYLE_GRE:
        return DT_PROTO_GRE;
    default:
        return DT_PROTO_TCP;
    }
}

/* Bursts repeat with the group's period and phase, moved a little each day. A sweeping
 * group shares out one block of ports per burst, two or three probes a port, so that its
 * members meet on the same services as masscan-style sweeps split across hosts do. */
static void draw_bursts(const synth_group *g, dt_rng *rng, burst_plan *b)
{
    if (g->bursts == 0)
        return;
    int64_t period = US_PER_DAY / g->bursts;
    double per_burst = (double)g->n_members * g->pkts / g->bursts;
    b->sweep_width = (uint32_t)fmin(65535.0, fmax(16.0, per_burst / 2.5));
    for (int k = 0; k < g->bursts; k++) {
        int64_t jitter = (int64_t)dt_rng_below(rng, (uint64_t)(period / 5)) - period / 10;
        b->start_us[k] = g->phase_us + k * period + jitter;
        b->sweep_base[k] = (uint16_t)(1 + dt_rng_below(rng, 65536 - b->sweep_width));
    }
}

static void emit(day_state *s, int64_t offset_us, uint32_t src, uint16_t port, uint8_t style)
{
    synth_packets *out = s->out;
    offset_us %= US_PER_DAY;
    if (offset_us < 0)
        offset_us += US_PER_DAY;
    synth_packet *p = &out->items[out->n];
    p->ts_us = s->day_us + offset_us;
    p->src = src;
    p->order = (uint32_t)out->n;
    p->dport = port;
    p->style = style;
    p->dst_host = (uint8_t)dt_rng_below(&s->rng, 256);
    out->n++;
}

/* A time inside burst k of the group: members of a group interleave there. */
static int64_t burst_time(day_state *s, size_t gi, int k)
{
    const synth_group *g = &s->plan->groups[gi];
    return s->bursts[gi].start_us[k] + (int64_t)dt_rng_below(&s->rng, (uint64_t)g->burst_us);
}

static int pick_burst(day_state *s, size_t gi)
{
    return (int)dt_rng_below(&s->rng, (uint64_t)s->plan->groups[gi].bursts);
}

/* Share of a group's probes that go to the popular ports it shares with others. */
#define SHARED_PORT_SHARE 0.15

static uint16_t pick_port(day_state *s, const synth_group *g)
{
    int own = g->n_own, shared = g->n_ports - g->n_own;
    if (own == 0 || (shared > 0 && dt_rng_uniform(&s->rng) < SHARED_PORT_SHARE))
        return g->ports[own + (int)dt_rng_below(&s->rng, (uint64_t)shared)];
    return g->ports[dt_rng_below(&s->rng, (uint64_t)own)];
}

static void scanner_packets(day_state *s, const synth_role *r)
{
    const synth_group *g = &s->plan->groups[r->group];
    const burst_plan *b = &s->bursts[r->group];
    uint8_t style = g->proto == DT_PROTO_UDP ? SYNTH_STYLE_UDP : SYNTH_STYLE_SYN;
    for (uint32_t i = 0; i < r->packets; i++) {
        int k = pick_burst(s, r->group);
        uint16_t port = g->kind == SYNTH_KIND_WIDE
                            ? (uint16_t)(b->sweep_base[k] + dt_rng_below(&s->rng, b->sweep_width))
                            : pick_port(s, g);
        emit(s, burst_time(s, r->group, k), r->ip, port, style);
    }
}

/* Bots scan on their own clock; one in ten probes goes to 2323 (as Mirai's scanner). */
static void mirai_packets(day_state *s, const synth_role *r)
{
    for (uint32_t i = 0; i < r->packets; i++) {
        int64_t t = (int64_t)dt_rng_below(&s->rng, US_PER_DAY);
        uint16_t port = dt_rng_below(&s->rng, 10) == 0 ? 2323 : 23;
        emit(s, t, r->ip, port, SYNTH_STYLE_MIRAI);
    }
}

static void backscatter_packets(day_state *s, const synth_role *r)
{
    const synth_group *g = &s->plan->groups[r->group];
    uint8_t style = g->kind == SYNTH_KIND_GRE ? SYNTH_STYLE_GRE : SYNTH_STYLE_ECHO_REPLY;
    for (uint32_t i = 0; i < r->packets; i++)
        emit(s, burst_time(s, r->group, pick_burst(s, r->group)), r->ip, 0, style);
}

/* A noise sender tries one or two services at random moments of the day. */
static void noise_packets(day_state *s, const synth_role *r)
{
    uint8_t styles[2];
    uint16_t ports[2];
    int services = 1 + (int)dt_rng_below(&s->rng, 2);
    for (int k = 0; k < services; k++) {
        double u = dt_rng_uniform(&s->rng);
        styles[k] = u < NOISE_TCP_SHARE                     ? SYNTH_STYLE_SYN
                    : u < NOISE_TCP_SHARE + NOISE_UDP_SHARE ? SYNTH_STYLE_UDP
                                                            : SYNTH_STYLE_ECHO_REQUEST;
        int udp = styles[k] == SYNTH_STYLE_UDP;
        if (dt_rng_uniform(&s->rng) < (udp ? NOISE_COMMON_UDP_SHARE : NOISE_COMMON_TCP_SHARE))
            ports[k] = udp ? common_udp[dt_rng_below(&s->rng, sizeof common_udp / 2)]
                           : common_tcp[dt_rng_below(&s->rng, sizeof common_tcp / 2)];
        else
            ports[k] = (uint16_t)(1 + dt_rng_below(&s->rng, 65535));
        if (styles[k] == SYNTH_STYLE_ECHO_REQUEST)
            ports[k] = 0;
    }
    for (uint32_t i = 0; i < r->packets; i++) {
        int k = (int)dt_rng_below(&s->rng, (uint64_t)services);
        emit(s, (int64_t)dt_rng_below(&s->rng, US_PER_DAY), r->ip, ports[k], styles[k]);
    }
}

static int compare_packets(const void *a, const void *b)
{
    const synth_packet *x = a, *y = b;
    if (x->ts_us != y->ts_us)
        return x->ts_us < y->ts_us ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Makes room for all of the day's packets at once, so emit never fails. */
static dt_status reserve(const synth_plan *plan, int day, synth_packets *out)
{
    size_t total = 0;
    for (size_t i = 0; i < plan->n_roles[day]; i++)
        total += plan->roles[day][i].packets;
    if (total > UINT32_MAX)
        return dt_fail(DT_ERR_USAGE, "day %d would have %zu packets; at most %u are supported", day,
                       total, UINT32_MAX);
    if (total > out->capacity) {
        DT_CHECK(dt_realloc(&out->items, total, sizeof *out->items, "packets"));
        out->capacity = total;
    }
    out->n = 0;
    return DT_OK;
}

dt_status synth_traffic_day(const synth_config *cfg, const synth_plan *plan, int day,
                            synth_packets *out)
{
    DT_CHECK(reserve(plan, day, out));
    day_state s = {plan, (cfg->start_day + day) * US_PER_DAY, {{0}}, NULL, out};
    DT_CHECK(dt_calloc(&s.bursts, plan->n_groups, sizeof *s.bursts, "bursts"));
    dt_rng_init(&s.rng, cfg->seed, day, DT_RNG_SYNTH, 2);
    for (size_t gi = 0; gi < plan->n_groups; gi++)
        draw_bursts(&plan->groups[gi], &s.rng, &s.bursts[gi]);

    for (size_t i = 0; i < plan->n_roles[day]; i++) {
        const synth_role *r = &plan->roles[day][i];
        switch (plan->groups[r->group].kind) {
        case SYNTH_KIND_SCAN:
        case SYNTH_KIND_WIDE:
            scanner_packets(&s, r);
            break;
        case SYNTH_KIND_MIRAI:
            mirai_packets(&s, r);
            break;
        case SYNTH_KIND_GRE:
        case SYNTH_KIND_ICMP:
            backscatter_packets(&s, r);
            break;
        default:
            noise_packets(&s, r);
        }
    }
    free(s.bursts);

    qsort(out->items, out->n, sizeof *out->items, compare_packets);
    return DT_OK;
}

void synth_packets_free(synth_packets *packets)
{
    free(packets->items);
    memset(packets, 0, sizeof *packets);
}
