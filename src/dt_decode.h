/* Decoding one captured frame, any supported link type, into a dt_packet. */
#ifndef DT_DECODE_H
#define DT_DECODE_H

#include "dt_packet.h"

#include <stddef.h>
#include <stdint.h>

/* What a frame turned out to be. */
typedef enum {
    DT_DECODE_IPV4,          /* an IPv4 packet; *pkt filled (all but ts_ns) */
    DT_DECODE_IPV4_FRAGMENT, /* an IPv4 fragment other than the first; *pkt filled, no ports */
    DT_DECODE_IPV6,          /* an IPv6 packet; *pkt untouched */
    DT_DECODE_OTHER,         /* anything else the link carries (ARP, LLC, ...); untouched */
    DT_DECODE_MALFORMED      /* impossible for its link type; *issue says why */
} dt_decode_kind;

/* Why a frame is malformed, with the numbers the message quotes. */
typedef enum {
    DT_ISSUE_NONE = 0,
    DT_ISSUE_LINKTYPE,       /* value: the link type darktrack cannot decode */
    DT_ISSUE_LINK_TRUNCATED, /* value: bytes captured, limit: link header length needed */
    DT_ISSUE_IP_VERSION,     /* value: the IP version nibble where 4 (or 6) was expected */
    DT_ISSUE_IP_TRUNCATED,   /* value: bytes captured after the link header, limit: 20 */
    DT_ISSUE_IHL_TOO_SMALL,  /* value: the IHL field (32-bit words), limit: 5 */
    DT_ISSUE_IP_HEADER_CUT   /* value: bytes captured after the link header,
                                limit: header length the IHL announces (bytes) */
} dt_decode_problem;

typedef struct {
    dt_decode_problem problem;
    uint32_t value;
    uint32_t limit;
} dt_decode_issue;

/* 1 when frames of this libpcap link type (a DLT_* value) can be decoded. */
int dt_decode_link_supported(int dlt);

/* Decodes the caplen bytes at data, captured on link type dlt. Reads nothing outside
 * data[0 .. caplen). An IPv4 transport header too short for the ports leaves has_ports 0
 * (the packet is kept); a short or impossible IPv4 header is DT_DECODE_MALFORMED. */
dt_decode_kind dt_decode_frame(int dlt, const uint8_t *data, uint32_t caplen, dt_packet *pkt,
                               dt_decode_issue *issue);

/* Writes a one-line description of issue into buf (always terminated); returns buf. */
const char *dt_decode_describe(const dt_decode_issue *issue, char *buf, size_t size);

#endif
