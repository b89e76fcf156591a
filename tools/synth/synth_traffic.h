/* Turns a day's senders into time-stamped packets. */
#ifndef SYNTH_TRAFFIC_H
#define SYNTH_TRAFFIC_H

#include "synth_plan.h"

/* How a packet is built (synth_pcap.c fills in the bytes). */
enum {
    SYNTH_STYLE_SYN = 0,      /* TCP SYN with a random sequence number */
    SYNTH_STYLE_MIRAI,        /* TCP SYN whose sequence number is the destination address */
    SYNTH_STYLE_UDP,          /* UDP datagram without payload */
    SYNTH_STYLE_ECHO_REQUEST, /* ICMP echo request (a ping) */
    SYNTH_STYLE_ECHO_REPLY,   /* ICMP echo reply (backscatter) */
    SYNTH_STYLE_GRE           /* GRE carrying IPv4 (backscatter) */
};

typedef struct {
    int64_t ts_us;    /* microseconds since 1970-01-01 UTC */
    uint32_t src;     /* sender, host order */
    uint32_t order;   /* creation index: a unique tie-break, so sorting is deterministic */
    uint16_t dport;   /* TCP/UDP destination port, 0 otherwise */
    uint8_t style;    /* SYNTH_STYLE_* */
    uint8_t dst_host; /* last byte of the destination inside the telescope's /24 */
} synth_packet;

/* A reusable buffer of one day's packets. */
typedef struct {
    synth_packet *items;
    size_t n, capacity;
} synth_packets;

/* Generates every packet of day `day` (index into the plan) in time order: exactly
 * role.packets packets per sender, all inside the UTC day. */
dt_status synth_traffic_day(const synth_config *cfg, const synth_plan *plan, int day,
                            synth_packets *out);

void synth_packets_free(synth_packets *packets);

/* IP protocol number of a style. */
uint8_t synth_style_proto(uint8_t style);

#endif
