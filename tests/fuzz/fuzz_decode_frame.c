/* libFuzzer target: one frame of a chosen link type through the decoder. */
#include "dt_decode.h"

#include <pcap/pcap.h>

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first input byte picks the link type; the rest is the frame. */
static const int link_types[] = {DLT_EN10MB,     DLT_RAW,  DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL,
                                 DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP, 147 /* unsupported */};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int dlt = link_types[data[0] % (sizeof link_types / sizeof link_types[0])];
    dt_packet pkt;
    dt_decode_issue issue;
    dt_decode_kind kind = dt_decode_frame(dlt, data + 1, (uint32_t)(size - 1), &pkt, &issue);

    char text[160];
    if (kind == DT_DECODE_MALFORMED && dt_decode_describe(&issue, text, sizeof text)[0] == '\0')
        abort();

    /* Promises of the decoder: ports only from a first TCP or UDP fragment, and the Mirai
     * flag only on TCP. */
    if (kind == DT_DECODE_IPV4_FRAGMENT && (pkt.has_ports || pkt.dport || pkt.tcp_flags))
        abort();
    if ((kind == DT_DECODE_IPV4 || kind == DT_DECODE_IPV4_FRAGMENT) &&
        ((pkt.has_ports && pkt.proto != DT_PROTO_TCP && pkt.proto != DT_PROTO_UDP) ||
         (pkt.mirai && pkt.proto != DT_PROTO_TCP) || (!pkt.has_ports && pkt.dport)))
        abort();
    return 0;
}
