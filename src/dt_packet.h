/* The small record every captured IPv4 packet becomes. */
#ifndef DT_PACKET_H
#define DT_PACKET_H

#include <stdint.h>

/* IP protocol numbers darktrack names; others keep their number. */
enum { DT_PROTO_ICMP = 1, DT_PROTO_TCP = 6, DT_PROTO_UDP = 17, DT_PROTO_GRE = 47 };

typedef struct {
    int64_t ts_ns;     /* capture time, nanoseconds since 1970-01-01 UTC */
    uint32_t src;      /* source IPv4 address, host byte order */
    uint32_t dst;      /* destination IPv4 address, host byte order */
    uint16_t dport;    /* destination port; 0 for ICMP, GRE, other protocols and
                          non-first fragments */
    uint8_t proto;     /* IP protocol number */
    uint8_t tcp_flags; /* TCP flags byte, 0 when not TCP or not available */
    uint8_t mirai;     /* 1 when a TCP packet's sequence number equals dst */
    uint8_t has_ports; /* 1 when dport was read from a TCP/UDP header */
} dt_packet;

/* Seconds in a UTC day; day numbers count days since 1970-01-01. */
#define DT_SECONDS_PER_DAY 86400LL
#define DT_NS_PER_DAY (DT_SECONDS_PER_DAY * 1000000000LL)

/* The UTC day of a timestamp, rounding towards minus infinity. */
static inline int32_t dt_day_of_ns(int64_t ts_ns)
{
    int64_t day = ts_ns / DT_NS_PER_DAY;
    if (ts_ns % DT_NS_PER_DAY < 0)
        day--;
    return (int32_t)day;
}

#endif
