/* Members, services and campaign schedules of planted groups. */
#include "synth_groups.h"

#include "dt_packet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Services scanners are known to probe; each group takes its own from these first. */
static const uint16_t tcp_ports[] = {
    21,    22,    25,    53,    81,    88,    110,   111,   135,   139,   143,   389,   445,
    465,   502,   587,   631,   993,   995,   1080,  1433,  1521,  1723,  1883,  2000,  2049,
    2082,  2222,  2375,  2376,  3128,  3306,  3389,  3390,  4443,  4567,  5000,  5001,  5060,
    5432,  5555,  5601,  5672,  5900,  5984,  5985,  6000,  6379,  6443,  7001,  7547,  7777,
    8000,  8008,  8009,  8081,  8088,  8181,  8443,  8888,  9000,  9001,  9042,  9090,  9100,
    9200,  9300,  9443,  9530,  9999,  10000, 10250, 11211, 15672, 16992, 17000, 20000, 27017,
    37215, 49152, 50000, 50070, 52869, 55443, 60001, 61616};
static const uint16_t udp_ports[] = {
    19,   53,   69,   111,   123,   137,   161,   177,   389,   427,   500,   520,   623,
    1194, 1434, 1604, 1701,  1900,  3283,  3478,  3702,  4500,  5060,  5093,  5351,  5353,
    5683, 6881, 8083, 10001, 11211, 17185, 27015, 30718, 32414, 33848, 37810, 47808, 64738};
/* Ports almost every scanner touches: a few groups share one of them, as real ones do. */
static const uint16_t popular_tcp[] = {80, 443, 22, 8080, 23};

double synth_log_uniform(dt_rng *rng, double lo, double hi)
{
    return exp(log(lo) + dt_rng_uniform(rng) * (log(hi) - log(lo)));
}

/* Largest classes first; ties by their position in the file's order. */
static int compare_classes(const void *a, const void *b)
{
    const synth_class *x = a, *y = b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return (x->first > y->first) - (x->first < y->first);
}

/* Finds each class's first block and size, largest classes first. */
static dt_status index_classes(synth_builder *b)
{
    const synth_scanners *s = b->scanners;
    DT_CHECK(dt_calloc(&b->classes, s->n_blocks, sizeof *b->classes, "scanner classes"));

    for (size_t i = 0; i < s->n_blocks; i++) {
        if (i == 0 || strcmp(s->blocks[i].cls, s->blocks[i - 1].cls) != 0)
            b->classes[b->n_classes++].first = i;
        b->classes[b->n_classes - 1].total += s->blocks[i].n_ips;
    }
    qsort(b->classes, b->n_classes, sizeof *b->classes, compare_classes);
    return DT_OK;
}

dt_status synth_builder_init(synth_builder *b, const synth_config *cfg,
                             const synth_scanners *scanners)
{
    memset(b, 0, sizeof *b);
    b->cfg = cfg;
    b->scanners = scanners;
    dt_rng_init(&b->rng, cfg->seed, -1, DT_RNG_SYNTH, 0);
    DT_CHECK(synth_ipmap_init(&b->used, 1u << 16));
    DT_CHECK(dt_calloc(&b->port_taken, 2 * 65536, 1, "port table"));

    /* Listed scanners are never handed to noise or bots: a label file must not call a
     * random noise sender "censys". */
    for (size_t i = 0; i < scanners->n_blocks; i++) {
        for (size_t k = 0; k < scanners->blocks[i].n_ips; k++) {
            uint32_t *slot;
            int added;
            DT_CHECK(synth_ipmap_upsert(&b->used, scanners->blocks[i].ips[k], &slot, &added));
        }
    }
    if (scanners->n_blocks > 0)
        DT_CHECK(index_classes(b));
    return DT_OK;
}

void synth_builder_free(synth_builder *b)
{
    synth_ipmap_free(&b->used);
    free(b->port_taken);
    free(b->classes);
    memset(b, 0, sizeof *b);
}

dt_status synth_group_new(synth_plan *plan, const char *name, int kind, uint8_t proto,
                          size_t *index)
{
    DT_CHECK(dt_realloc(&plan->groups, plan->n_groups + 1, sizeof *plan->groups, "groups"));
    synth_group *g = &plan->groups[plan->n_groups];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    g->kind = kind;
    g->proto = proto;
    g->last_day = SYNTH_FOREVER;
    g->silent_from = g->silent_to = -1;
    *index = plan->n_groups++;
    return DT_OK;
}

dt_status synth_members_scanners(synth_builder *b, synth_group *g, size_t want)
{
    while (b->next_class < b->n_classes && b->classes[b->next_class].total < 10)
        b->next_class++;
    if (b->next_class >= b->n_classes)
        return synth_members_subnets(b, g, want);

    const synth_class *c = &b->classes[b->next_class++];
    size_t have = c->total < want ? c->total : want;
    DT_CHECK(dt_malloc(&g->members, have, sizeof *g->members, "group members"));

    const synth_block *block = &b->scanners->blocks[c->first];
    snprintf(g->origin, sizeof g->origin, "%s (scanner list)", block->cls);
    for (size_t k = 0; g->n_members < have; block++, k = 0) {
        while (k < block->n_ips && g->n_members < have)
            g->members[g->n_members++] = block->ips[k++];
    }
    return DT_OK;
}

/* Adds up to `count` unused hosts of the /24 `prefix` to g. */
static dt_status take_subnet(synth_builder *b, synth_group *g, uint32_t prefix, size_t count)
{
    uint32_t hosts[254];
    for (uint32_t h = 0; h < 254; h++)
        hosts[h] = h + 1;
    for (size_t i = 0; i < count && i < 254; i++) {
        size_t j = i + (size_t)dt_rng_below(&b->rng, 254 - i);
        uint32_t t = hosts[i];
        hosts[i] = hosts[j];
        hosts[j] = t;

        uint32_t *slot;
        int added;
        DT_CHECK(synth_ipmap_upsert(&b->used, prefix | hosts[i], &slot, &added));
        if (added)
            g->members[g->n_members++] = prefix | hosts[i];
    }
    return DT_OK;
}

dt_status synth_members_subnets(synth_builder *b, synth_group *g, size_t want)
{
    DT_CHECK(dt_malloc(&g->members, want, sizeof *g->members, "group members"));
    snprintf(g->origin, sizeof g->origin, "built-in /24s");

    while (g->n_members < want) {
        uint32_t prefix = (uint32_t)dt_rng_next(&b->rng) & 0xffffff00u;
        if (!synth_addr_is_public(prefix | 1, b->cfg->telescope))
            continue;
        size_t count = want - g->n_members < 200 ? want - g->n_members : 200;
        DT_CHECK(take_subnet(b, g, prefix, count));
    }
    return DT_OK;
}

dt_status synth_members_scattered(synth_builder *b, synth_group *g, size_t want, size_t clustered)
{
    DT_CHECK(dt_malloc(&g->members, want, sizeof *g->members, "group members"));
    snprintf(g->origin, sizeof g->origin,
             clustered ? "one /16 and random networks" : "random networks");

    uint32_t provider;
    do {
        provider = (uint32_t)dt_rng_next(&b->rng) & 0xffff0000u;
    } while (!synth_addr_is_public(provider | 0x101, b->cfg->telescope));

    while (g->n_members < want) {
        uint32_t ip;
        if (g->n_members < clustered) {
            ip = provider | (uint32_t)dt_rng_below(&b->rng, 65536);
            uint32_t *slot;
            int added;
            if (!synth_addr_is_public(ip, b->cfg->telescope))
                continue;
            DT_CHECK(synth_ipmap_upsert(&b->used, ip, &slot, &added));
            if (!added)
                continue;
        } else {
            DT_CHECK(synth_addr_fresh(&b->rng, b->cfg->telescope, &b->used, &ip));
        }
        g->members[g->n_members++] = ip;
    }
    return DT_OK;
}

static int is_popular(uint16_t port)
{
    for (size_t i = 0; i < sizeof popular_tcp / sizeof *popular_tcp; i++) {
        if (popular_tcp[i] == port)
            return 1;
    }
    return 0;
}

void synth_ports_order(synth_group *g)
{
    uint16_t shared[SYNTH_MAX_PORTS];
    int n_shared = 0;
    g->n_own = 0;
    for (int i = 0; i < g->n_ports; i++) {
        if (g->proto == DT_PROTO_TCP && is_popular(g->ports[i]))
            shared[n_shared++] = g->ports[i];
        else
            g->ports[g->n_own++] = g->ports[i];
    }
    memcpy(g->ports + g->n_own, shared, (size_t)n_shared * sizeof *shared);
}

void synth_ports_add(synth_group *g, uint16_t port)
{
    for (int i = 0; i < g->n_ports; i++) {
        if (g->ports[i] == port)
            return;
    }
    if (g->n_ports < SYNTH_MAX_PORTS)
        g->ports[g->n_ports++] = port;
}

void synth_ports_draw(synth_builder *b, synth_group *g, int min_ports, int may_share)
{
    int udp = g->proto == DT_PROTO_UDP;
    uint8_t *taken = b->port_taken + (udp ? 65536 : 0);
    const uint16_t *pool = udp ? udp_ports : tcp_ports;
    size_t pool_size =
        udp ? sizeof udp_ports / sizeof *udp_ports : sizeof tcp_ports / sizeof *tcp_ports;

    /* A group that sends little keeps to few services, so that its members still meet on
     * each of them (about three probes per member and service a day at least). */
    double most = g->pkts > 0 ? fmax(1.0, fmin(35.0, g->pkts / 3.0)) : 35.0;
    int want = g->n_ports + (int)lround(synth_log_uniform(&b->rng, 1.0, fmax(1.0, most)));
    if (want < min_ports)
        want = min_ports;
    int shares_popular = g->proto == DT_PROTO_TCP && dt_rng_uniform(&b->rng) < 0.3;
    shares_popular &= may_share;

    /* A few tries in the known pool, then unclaimed high ports: the set stays distinctive. */
    for (int tries = 0; g->n_ports < want && tries < 200; tries++) {
        uint16_t port = pool[dt_rng_below(&b->rng, pool_size)];
        if (tries >= 100)
            port = (uint16_t)(1024 + dt_rng_below(&b->rng, 64512));
        if (taken[port])
            continue;
        taken[port] = 1;
        synth_ports_add(g, port);
    }

    /* The shared popular port comes on top of the group's own, never instead of them. */
    if (shares_popular)
        synth_ports_add(g, popular_tcp[dt_rng_below(&b->rng, sizeof popular_tcp / 2)]);
    synth_ports_order(g);
}

void synth_schedule_draw(synth_builder *b, synth_group *g, int lo, int hi, int burst_lo_s,
                         int burst_hi_s)
{
    g->bursts = lo + (int)dt_rng_below(&b->rng, (uint64_t)(hi - lo + 1));
    int64_t period_us = 86400LL * 1000000 / g->bursts;
    int64_t span_s =
        burst_lo_s + (int64_t)dt_rng_below(&b->rng, (uint64_t)(burst_hi_s - burst_lo_s + 1));
    g->burst_us = span_s * 1000000;
    g->phase_us = (int64_t)dt_rng_below(&b->rng, (uint64_t)period_us);
}
