/* Link-layer and IPv4 decoding of one frame with bounds-checked field reads. */
#include "dt_decode.h"

#include <pcap/pcap.h>

#include <stdio.h>

/* The captured bytes of one frame; every field read goes through the helpers below, which
 * fail instead of reading past len. */
typedef struct {
    const uint8_t *p;
    uint32_t len;
} frame_bytes;

static inline int have(frame_bytes f, uint32_t off, uint32_t n)
{
    return off <= f.len && f.len - off >= n;
}

static inline int get_u8(frame_bytes f, uint32_t off, uint8_t *v)
{
    if (!have(f, off, 1))
        return 0;
    *v = f.p[off];
    return 1;
}

static inline int get_be16(frame_bytes f, uint32_t off, uint16_t *v)
{
    if (!have(f, off, 2))
        return 0;
    *v = (uint16_t)((unsigned)f.p[off] << 8 | f.p[off + 1]);
    return 1;
}

static inline int get_be32(frame_bytes f, uint32_t off, uint32_t *v)
{
    if (!have(f, off, 4))
        return 0;
    *v = (uint32_t)f.p[off] << 24 | (uint32_t)f.p[off + 1] << 16 | (uint32_t)f.p[off + 2] << 8 |
         f.p[off + 3];
    return 1;
}

static inline int get_le32(frame_bytes f, uint32_t off, uint32_t *v)
{
    if (!have(f, off, 4))
        return 0;
    *v = (uint32_t)f.p[off + 3] << 24 | (uint32_t)f.p[off + 2] << 16 | (uint32_t)f.p[off + 1] << 8 |
         f.p[off];
    return 1;
}

enum {
    ETHERTYPE_IPV4 = 0x0800,
    ETHERTYPE_IPV6 = 0x86DD,
    ETHERTYPE_VLAN = 0x8100,     /* IEEE 802.1Q */
    ETHERTYPE_QINQ = 0x88A8,     /* IEEE 802.1ad service tag */
    ETHERTYPE_QINQ_OLD = 0x9100, /* pre-standard QinQ */
    ETHER_HEADER_LEN = 14,
    VLAN_TAG_LEN = 4,
    MAX_VLAN_TAGS = 4, /* deeper stacks are counted as other traffic */
    SLL_HEADER_LEN = 16,
    SLL2_HEADER_LEN = 20,
    NULL_HEADER_LEN = 4,
    IPV4_MIN_HEADER_LEN = 20,
    BSD_AF_INET = 2,
};

static dt_decode_kind malformed(dt_decode_issue *issue, dt_decode_problem problem, uint32_t value,
                                uint32_t limit)
{
    issue->problem = problem;
    issue->value = value;
    issue->limit = limit;
    return DT_DECODE_MALFORMED;
}

/* Reads ports, TCP flags and the Mirai fingerprint from the first fragment's transport
 * header; whatever was not captured stays 0. */
static void decode_transport(frame_bytes t, dt_packet *pkt)
{
    if (pkt->proto != DT_PROTO_TCP && pkt->proto != DT_PROTO_UDP)
        return;

    uint16_t dport;
    if (!get_be16(t, 2, &dport))
        return;
    pkt->dport = dport;
    pkt->has_ports = 1;
    if (pkt->proto != DT_PROTO_TCP)
        return;

    /* Mirai's scanner sets the TCP sequence number to the destination address. */
    uint32_t seq;
    if (get_be32(t, 4, &seq))
        pkt->mirai = seq == pkt->dst;
    uint8_t flags;
    if (get_u8(t, 13, &flags))
        pkt->tcp_flags = flags;
}

/* Decodes the IPv4 header starting at off (RFC 791). */
static dt_decode_kind decode_ipv4(frame_bytes f, uint32_t off, dt_packet *pkt,
                                  dt_decode_issue *issue)
{
    uint32_t avail = f.len >= off ? f.len - off : 0;
    if (avail < IPV4_MIN_HEADER_LEN)
        return malformed(issue, DT_ISSUE_IP_TRUNCATED, avail, IPV4_MIN_HEADER_LEN);
    frame_bytes ip = {f.p + off, avail};

    uint8_t vihl = ip.p[0];
    if (vihl >> 4 != 4)
        return malformed(issue, DT_ISSUE_IP_VERSION, (uint32_t)vihl >> 4, 4);
    uint32_t header_len = (uint32_t)(vihl & 0x0F) * 4;
    if (header_len < IPV4_MIN_HEADER_LEN)
        return malformed(issue, DT_ISSUE_IHL_TOO_SMALL, vihl & 0x0Fu, 5);
    if (header_len > avail)
        return malformed(issue, DT_ISSUE_IP_HEADER_CUT, avail, header_len);

    /* Link padding after a short datagram is not transport header; a total length below
     * the header length (seen with segmentation offload) gives no bound. */
    uint16_t total_len = 0, frag = 0;
    (void)get_be16(ip, 2, &total_len);
    if (total_len >= header_len && total_len < ip.len)
        ip.len = total_len;
    (void)get_be16(ip, 6, &frag);

    pkt->proto = ip.p[9];
    (void)get_be32(ip, 12, &pkt->src);
    (void)get_be32(ip, 16, &pkt->dst);
    pkt->dport = 0;
    pkt->tcp_flags = 0;
    pkt->mirai = 0;
    pkt->has_ports = 0;
    if ((frag & 0x1FFF) != 0)
        return DT_DECODE_IPV4_FRAGMENT;

    frame_bytes transport = {ip.p + header_len, ip.len - header_len};
    decode_transport(transport, pkt);
    return DT_DECODE_IPV4;
}

/* An IP packet with no link header: the version nibble tells IPv4 from IPv6. */
static dt_decode_kind decode_raw(frame_bytes f, int ipv4_only, dt_packet *pkt,
                                 dt_decode_issue *issue)
{
    uint8_t first;
    if (!get_u8(f, 0, &first))
        return malformed(issue, DT_ISSUE_IP_TRUNCATED, 0, IPV4_MIN_HEADER_LEN);
    if (first >> 4 == 6 && !ipv4_only)
        return DT_DECODE_IPV6;
    return decode_ipv4(f, 0, pkt, issue);
}

static int is_vlan_tag(uint16_t type)
{
    return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD;
}

/* What follows an Ethernet type field at off: up to MAX_VLAN_TAGS 802.1Q/802.1ad tags
 * (Ethernet, or a cooked capture that kept them), then IPv4, IPv6 or other traffic. */
static dt_decode_kind decode_ethertype(frame_bytes f, uint16_t type, uint32_t off, dt_packet *pkt,
                                       dt_decode_issue *issue)
{
    for (int tags = 0; is_vlan_tag(type); tags++) {
        if (tags == MAX_VLAN_TAGS)
            return DT_DECODE_OTHER;
        /* The tag's 2-byte control field comes first, then the inner type. */
        if (!get_be16(f, off + 2, &type))
            return malformed(issue, DT_ISSUE_LINK_TRUNCATED, f.len, off + VLAN_TAG_LEN);
        off += VLAN_TAG_LEN;
    }

    if (type == ETHERTYPE_IPV4)
        return decode_ipv4(f, off, pkt, issue);
    if (type == ETHERTYPE_IPV6)
        return DT_DECODE_IPV6;
    return DT_DECODE_OTHER;
}

/* Ethernet II; an 802.3 length in the type field gives other traffic. */
static dt_decode_kind decode_ethernet(frame_bytes f, dt_packet *pkt, dt_decode_issue *issue)
{
    uint16_t type;
    if (!get_be16(f, 12, &type))
        return malformed(issue, DT_ISSUE_LINK_TRUNCATED, f.len, ETHER_HEADER_LEN);
    return decode_ethertype(f, type, ETHER_HEADER_LEN, pkt, issue);
}

/* Linux cooked capture: v1 keeps the protocol at byte 14, v2 at byte 0. */
static dt_decode_kind decode_sll(frame_bytes f, uint32_t header_len, uint32_t type_off,
                                 dt_packet *pkt, dt_decode_issue *issue)
{
    uint16_t type;
    if (!have(f, 0, header_len) || !get_be16(f, type_off, &type))
        return malformed(issue, DT_ISSUE_LINK_TRUNCATED, f.len, header_len);
    return decode_ethertype(f, type, header_len, pkt, issue);
}

static int is_bsd_inet6(uint32_t family)
{
    /* AF_INET6 differs by system: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30. */
    return family == 10 || family == 24 || family == 28 || family == 30;
}

/* BSD loopback: a 4-byte address family, in the capturing host's byte order for DLT_NULL
 * and in network order for DLT_LOOP; small values are unambiguous in either order. */
static dt_decode_kind decode_loopback(frame_bytes f, dt_packet *pkt, dt_decode_issue *issue)
{
    uint32_t le, be;
    if (!get_le32(f, 0, &le) || !get_be32(f, 0, &be))
        return malformed(issue, DT_ISSUE_LINK_TRUNCATED, f.len, NULL_HEADER_LEN);

    uint32_t family = le < 256 ? le : be;
    if (family == BSD_AF_INET)
        return decode_ipv4(f, NULL_HEADER_LEN, pkt, issue);
    if (is_bsd_inet6(family))
        return DT_DECODE_IPV6;
    return DT_DECODE_OTHER;
}

int dt_decode_link_supported(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_NULL:
    case DLT_LOOP:
        return 1;
    default:
        return 0;
    }
}

dt_decode_kind dt_decode_frame(int dlt, const uint8_t *data, uint32_t caplen, dt_packet *pkt,
                               dt_decode_issue *issue)
{
    frame_bytes f = {data, caplen};
    switch (dlt) {
    case DLT_EN10MB:
        return decode_ethernet(f, pkt, issue);
    case DLT_RAW:
        return decode_raw(f, 0, pkt, issue);
    case DLT_IPV4:
        return decode_raw(f, 1, pkt, issue);
    case DLT_IPV6:
        return DT_DECODE_IPV6;
    case DLT_LINUX_SLL:
        return decode_sll(f, SLL_HEADER_LEN, 14, pkt, issue);
    case DLT_LINUX_SLL2:
        return decode_sll(f, SLL2_HEADER_LEN, 0, pkt, issue);
    case DLT_NULL:
    case DLT_LOOP:
        return decode_loopback(f, pkt, issue);
    default:
        return malformed(issue, DT_ISSUE_LINKTYPE, (uint32_t)dlt, 0);
    }
}

const char *dt_decode_describe(const dt_decode_issue *issue, char *buf, size_t size)
{
    unsigned v = issue->value, lim = issue->limit;
    switch (issue->problem) {
    case DT_ISSUE_NONE:
        snprintf(buf, size, "no problem");
        break;
    case DT_ISSUE_LINKTYPE:
        snprintf(buf, size, "link type %u (%s) carries no IPv4 darktrack can decode", v,
                 pcap_datalink_val_to_name((int)v) ? pcap_datalink_val_to_name((int)v) : "unknown");
        break;
    case DT_ISSUE_LINK_TRUNCATED:
        snprintf(buf, size, "link-layer header needs %u bytes, only %u captured", lim, v);
        break;
    case DT_ISSUE_IP_VERSION:
        snprintf(buf, size, "IP version %u where 4 was expected", v);
        break;
    case DT_ISSUE_IP_TRUNCATED:
        snprintf(buf, size, "IPv4 header needs %u bytes, only %u captured", lim, v);
        break;
    case DT_ISSUE_IHL_TOO_SMALL:
        snprintf(buf, size, "IPv4 header length field (IHL) is %u, the minimum is %u", v, lim);
        break;
    case DT_ISSUE_IP_HEADER_CUT:
        snprintf(buf, size, "IPv4 header with options is %u bytes, only %u captured", lim, v);
        break;
    }
    return buf;
}
