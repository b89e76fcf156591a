/* Helpers for the corpus tests: packets written by hand and a day's corpus as text. */
#ifndef CORPUS_HELPERS_H
#define CORPUS_HELPERS_H

#include "dt_day.h"
#include "dt_packet.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 2021-03-01 00:00:00 UTC, day 18687. */
#define TEST_DAY 18687
#define TEST_DAY_NS ((int64_t)TEST_DAY * DT_NS_PER_DAY)

static inline uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d;
}

/* A packet at second s (and nanosecond ns) of TEST_DAY. */
static inline dt_packet packet_at(int64_t s, int64_t ns, uint32_t src, uint16_t port, uint8_t proto)
{
    dt_packet p;
    memset(&p, 0, sizeof p);
    p.ts_ns = TEST_DAY_NS + s * 1000000000LL + ns;
    p.src = src;
    p.dst = ip4(192, 0, 2, 1);
    p.dport = port;
    p.proto = proto;
    p.has_ports = proto == DT_PROTO_TCP || proto == DT_PROTO_UDP;
    return p;
}

/* Sentence s of the day as last octets of its words' addresses, e.g. "1 2 3 1". */
static inline const char *sentence_text(const dt_day *d, size_t s, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = d->sentence_start[s]; i < d->sentence_start[s + 1] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%u", used ? " " : "",
                                 (unsigned)(d->active_ip[d->words[i]] & 0xff));
    return buf;
}

#endif
