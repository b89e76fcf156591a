/* Counts packets, senders and active senders of a generated day, straight from packets. */
#include "synth_summary.h"

#include "dt_packet.h"

#include <stdlib.h>
#include <string.h>

/* The per-sender value packs the packet count (low 28 bits) with one bit per protocol. */
#define COUNT_MASK 0x0fffffffu

static uint32_t proto_bit(uint8_t proto)
{
    switch (proto) {
    case DT_PROTO_TCP:
        return 1u << 28;
    case DT_PROTO_UDP:
        return 1u << 29;
    case DT_PROTO_ICMP:
        return 1u << 30;
    default:
        return 1u << 31;
    }
}

/* The planned senders must be exactly the counted ones, with the planned packets. */
static dt_status check_against_plan(const synth_plan *plan, int day, synth_ipmap *counts)
{
    if (plan->n_roles[day] != counts->count)
        return dt_fail(DT_ERR_INTERNAL, "day %d: %zu planned senders but %zu in the packets", day,
                       plan->n_roles[day], counts->count);
    for (size_t i = 0; i < plan->n_roles[day]; i++) {
        const synth_role *r = &plan->roles[day][i];
        const uint32_t *v = synth_ipmap_find(counts, r->ip);
        if (v == NULL || (*v & COUNT_MASK) != r->packets)
            return dt_fail(DT_ERR_INTERNAL, "day %d: sender %u planned %u packets, sent %u", day,
                           r->ip, r->packets, v ? *v & COUNT_MASK : 0);
    }
    return DT_OK;
}

static void count_senders(const synth_ipmap *counts, synth_day_summary *out)
{
    for (size_t i = 0; i < counts->capacity; i++) {
        if (counts->keys[i] == 0)
            continue;
        uint32_t v = counts->values[i];
        out->senders++;
        if ((v & COUNT_MASK) <= SYNTH_ACTIVE_MIN)
            continue;
        out->active++;
        out->active_tcp += (v & proto_bit(DT_PROTO_TCP)) != 0;
        out->active_udp += (v & proto_bit(DT_PROTO_UDP)) != 0;
        out->active_icmp += (v & proto_bit(DT_PROTO_ICMP)) != 0;
        out->active_gre += (v & proto_bit(DT_PROTO_GRE)) != 0;
    }
}

/* Distinct TCP and UDP ports that active senders hit. */
static dt_status count_ports(const synth_packets *packets, const synth_ipmap *counts,
                             synth_day_summary *out)
{
    uint8_t *seen = NULL;
    DT_CHECK(dt_calloc(&seen, 2 * 65536, 1, "port table"));
    for (size_t i = 0; i < packets->n; i++) {
        const synth_packet *p = &packets->items[i];
        uint8_t proto = synth_style_proto(p->style);
        if (proto != DT_PROTO_TCP && proto != DT_PROTO_UDP)
            continue;
        if ((*synth_ipmap_find(counts, p->src) & COUNT_MASK) <= SYNTH_ACTIVE_MIN)
            continue;
        uint8_t *slot = &seen[(proto == DT_PROTO_UDP ? 65536 : 0) + p->dport];
        if (!*slot) {
            *slot = 1;
            out->tcp_ports += proto == DT_PROTO_TCP;
            out->udp_ports += proto == DT_PROTO_UDP;
        }
    }
    free(seen);
    return DT_OK;
}

dt_status synth_summary_day(const synth_plan *plan, int day, const synth_packets *packets,
                            synth_ipmap *counts, synth_day_summary *out)
{
    memset(out, 0, sizeof *out);
    synth_ipmap_clear(counts);
    for (size_t i = 0; i < packets->n; i++) {
        const synth_packet *p = &packets->items[i];
        uint32_t *v;
        int added;
        DT_CHECK(synth_ipmap_upsert(counts, p->src, &v, &added));
        *v = (*v + 1) | proto_bit(synth_style_proto(p->style));
    }
    out->packets = packets->n;

    DT_CHECK(check_against_plan(plan, day, counts));
    count_senders(counts, out);
    DT_CHECK(count_ports(packets, counts, out));
    return DT_OK;
}
