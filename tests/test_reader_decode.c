/* Decoding single frames of every link type, built here byte by byte. */
#include "dt_decode.h"
#include "dt_test.h"
#include "reader_testlib.h"

#include <pcap/pcap.h>

#include <stdlib.h>
#include <string.h>

DT_TEST_MAIN_STATE;

#define SRC 0xC0000201u /* 192.0.2.1 */
#define DST 0xC6336407u /* 198.51.100.7 */

static const uint8_t ether_ipv4[14] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};

/* Decodes a heap copy of exactly n bytes, so that AddressSanitizer sees any over-read. */
static dt_decode_kind decode(int dlt, const uint8_t *frame, size_t n, dt_packet *pkt,
                             dt_decode_issue *issue)
{
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    if (n)
        memcpy(copy, frame, n);
    memset(pkt, 0xAB, sizeof *pkt);
    dt_decode_kind kind = dt_decode_frame(dlt, copy, (uint32_t)n, pkt, issue);
    free(copy);
    return kind;
}

/* Link prefix + an IPv4 packet into frame; returns the total length. */
static size_t with_link(uint8_t *frame, const uint8_t *link, size_t link_len, const tl_ipv4 *ip)
{
    memcpy(frame, link, link_len);
    return link_len + tl_ipv4_packet(frame + link_len, ip);
}

static tl_ipv4 tcp_syn(uint16_t dport, uint32_t seq)
{
    tl_ipv4 ip = {.proto = 6,
                  .src = SRC,
                  .dst = DST,
                  .sport = 40000,
                  .dport = dport,
                  .seq = seq,
                  .tcp_flags = 0x02};
    return ip;
}

static void test_ethernet_tcp_and_mirai(void)
{
    uint8_t frame[128];
    dt_packet pkt;
    dt_decode_issue issue;
    tl_ipv4 ip = tcp_syn(23, 12345);
    size_t n = with_link(frame, ether_ipv4, 14, &ip);
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.src, SRC);
    CHECK_EQ_INT(pkt.dst, DST);
    CHECK_EQ_INT(pkt.proto, DT_PROTO_TCP);
    CHECK_EQ_INT(pkt.dport, 23);
    CHECK_EQ_INT(pkt.has_ports, 1);
    CHECK_EQ_INT(pkt.tcp_flags, 0x02);
    CHECK_EQ_INT(pkt.mirai, 0);

    ip = tcp_syn(23, DST); /* Mirai: sequence number = destination address */
    n = with_link(frame, ether_ipv4, 14, &ip);
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.mirai, 1);

    ip.proto = 17; /* UDP never carries the fingerprint */
    n = with_link(frame, ether_ipv4, 14, &ip);
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.proto, DT_PROTO_UDP);
    CHECK_EQ_INT(pkt.dport, 23);
    CHECK_EQ_INT(pkt.mirai, 0);
    CHECK_EQ_INT(pkt.tcp_flags, 0);
}

static void test_vlan_stacks(void)
{
    static const uint16_t tags[][5] = {
        {1, 0x8100}, {2, 0x88A8, 0x8100}, {2, 0x9100, 0x8100}, {4, 0x8100, 0x8100, 0x8100, 0x8100}};
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        uint8_t link[40];
        memcpy(link, ether_ipv4, 12);
        size_t off = 12;
        for (int k = 1; k <= tags[t][0]; k++) {
            link[off] = (uint8_t)(tags[t][k] >> 8);
            link[off + 1] = (uint8_t)tags[t][k];
            link[off + 2] = 0x00;
            link[off + 3] = (uint8_t)(100 + k); /* VLAN id */
            off += 4;
        }
        link[off] = 0x08;
        link[off + 1] = 0x00;
        uint8_t frame[128];
        dt_packet pkt;
        dt_decode_issue issue;
        tl_ipv4 ip = tcp_syn(445, 1);
        size_t n = with_link(frame, link, off + 2, &ip);
        CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
        CHECK_EQ_INT(pkt.src, SRC);
        CHECK_EQ_INT(pkt.dport, 445);

        /* Cut inside the tags: malformed, never a read past the end. */
        CHECK_EQ_INT(decode(DLT_EN10MB, frame, 15, &pkt, &issue), DT_DECODE_MALFORMED);
        CHECK_EQ_INT(issue.problem, DT_ISSUE_LINK_TRUNCATED);
    }

    /* Five tags is more than any real network stacks: other traffic. */
    uint8_t deep[80];
    memcpy(deep, ether_ipv4, 12);
    for (int k = 0; k < 5; k++) {
        deep[12 + 4 * k] = 0x81;
        deep[13 + 4 * k] = 0x00;
        deep[14 + 4 * k] = 0;
        deep[15 + 4 * k] = 1;
    }
    deep[32] = 0x08;
    deep[33] = 0x00;
    tl_ipv4 ip = tcp_syn(80, 1);
    size_t n = 34 + tl_ipv4_packet(deep + 34, &ip);
    dt_packet pkt;
    dt_decode_issue issue;
    CHECK_EQ_INT(decode(DLT_EN10MB, deep, n, &pkt, &issue), DT_DECODE_OTHER);
}

static void test_other_ethertypes(void)
{
    uint8_t frame[64] = {0};
    memcpy(frame, ether_ipv4, 14);
    dt_packet pkt;
    dt_decode_issue issue;
    frame[12] = 0x86, frame[13] = 0xDD;
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, 60, &pkt, &issue), DT_DECODE_IPV6);
    frame[12] = 0x08, frame[13] = 0x06;
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, 60, &pkt, &issue), DT_DECODE_OTHER);
    frame[12] = 0x00, frame[13] = 0x40; /* an 802.3 length, not a type */
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, 60, &pkt, &issue), DT_DECODE_OTHER);
    frame[12] = 0x08, frame[13] = 0x00;
    frame[14] = 0x60; /* version 6 behind the IPv4 type */
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, 60, &pkt, &issue), DT_DECODE_MALFORMED);
    CHECK_EQ_INT(issue.problem, DT_ISSUE_IP_VERSION);
    CHECK_EQ_INT(issue.value, 6);
}

static void test_options_and_bad_ihl(void)
{
    uint8_t frame[128];
    dt_packet pkt;
    dt_decode_issue issue;
    for (uint8_t words = 5; words <= 15; words++) {
        tl_ipv4 ip = tcp_syn(8080, 7);
        ip.ihl_words = words;
        size_t n = with_link(frame, ether_ipv4, 14, &ip);
        CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
        CHECK_EQ_INT(pkt.dport, 8080);
        CHECK_EQ_INT(pkt.tcp_flags, 0x02);

        /* The options alone cut short: the header is longer than what was captured. */
        if (words > 5) {
            CHECK_EQ_INT(decode(DLT_EN10MB, frame, 14 + 20 + 1, &pkt, &issue), DT_DECODE_MALFORMED);
            CHECK_EQ_INT(issue.problem, DT_ISSUE_IP_HEADER_CUT);
            CHECK_EQ_INT(issue.limit, words * 4u);
            CHECK_EQ_INT(issue.value, 21);
        }
    }

    for (uint8_t words = 0; words < 5; words++) {
        tl_ipv4 ip = tcp_syn(80, 7);
        size_t n = with_link(frame, ether_ipv4, 14, &ip);
        frame[14] = (uint8_t)(0x40 | words);
        CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_MALFORMED);
        CHECK_EQ_INT(issue.problem, DT_ISSUE_IHL_TOO_SMALL);
        CHECK_EQ_INT(issue.value, words);
        char text[160];
        CHECK(strstr(dt_decode_describe(&issue, text, sizeof text), "IHL") != NULL);
    }
}

static void test_fragments(void)
{
    uint8_t frame[128];
    dt_packet pkt;
    dt_decode_issue issue;
    tl_ipv4 ip = {.proto = 17, .src = SRC, .dst = DST, .sport = 5353, .dport = 53};

    ip.frag = 0x2000; /* more fragments, offset 0: the first fragment has the ports */
    size_t n = with_link(frame, ether_ipv4, 14, &ip);
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.dport, 53);
    CHECK_EQ_INT(pkt.has_ports, 1);

    static const uint16_t later[] = {0x2001, 0x0001, 0x1FFF, 0x20B9};
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        ip.frag = later[i];
        n = with_link(frame, ether_ipv4, 14, &ip);
        CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4_FRAGMENT);
        CHECK_EQ_INT(pkt.proto, DT_PROTO_UDP);
        CHECK_EQ_INT(pkt.src, SRC);
        CHECK_EQ_INT(pkt.dport, 0);
        CHECK_EQ_INT(pkt.has_ports, 0);
    }

    ip = tcp_syn(23, DST); /* a later TCP fragment: no flags, no fingerprint */
    ip.frag = 0x0010;
    n = with_link(frame, ether_ipv4, 14, &ip);
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4_FRAGMENT);
    CHECK_EQ_INT(pkt.tcp_flags, 0);
    CHECK_EQ_INT(pkt.mirai, 0);
}

static void test_portless_protocols(void)
{
    uint8_t frame[128];
    dt_packet pkt;
    dt_decode_issue issue;
    static const uint8_t protos[] = {DT_PROTO_ICMP, DT_PROTO_GRE, 132 /* SCTP */};
    for (size_t i = 0; i < sizeof protos; i++) {
        tl_ipv4 ip = {.proto = protos[i], .src = SRC, .dst = DST, .sport = 0x0800, .dport = 0x1234};
        size_t n = with_link(frame, ether_ipv4, 14, &ip);
        CHECK_EQ_INT(decode(DLT_EN10MB, frame, n, &pkt, &issue), DT_DECODE_IPV4);
        CHECK_EQ_INT(pkt.proto, protos[i]);
        CHECK_EQ_INT(pkt.dport, 0);
        CHECK_EQ_INT(pkt.has_ports, 0);
    }
}

static void test_link_padding_is_not_transport(void)
{
    /* A bare 20-byte TCP "packet" padded to Ethernet's 60 bytes: the padding is no header. */
    uint8_t frame[60] = {0};
    tl_ipv4 ip = tcp_syn(23, 5);
    with_link(frame, ether_ipv4, 14, &ip);
    frame[14 + 2] = 0;
    frame[14 + 3] = 20;
    dt_packet pkt;
    dt_decode_issue issue;
    CHECK_EQ_INT(decode(DLT_EN10MB, frame, 60, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.has_ports, 0);
    CHECK_EQ_INT(pkt.dport, 0);
}

static void test_raw_links(void)
{
    uint8_t frame[128];
    dt_packet pkt;
    dt_decode_issue issue;
    tl_ipv4 ip = tcp_syn(22, 1);
    size_t n = tl_ipv4_packet(frame, &ip);
    CHECK_EQ_INT(decode(DLT_RAW, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.dport, 22);
    CHECK_EQ_INT(decode(DLT_IPV4, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.src, SRC);

    frame[0] = 0x60;
    CHECK_EQ_INT(decode(DLT_RAW, frame, n, &pkt, &issue), DT_DECODE_IPV6);
    CHECK_EQ_INT(decode(DLT_IPV6, frame, n, &pkt, &issue), DT_DECODE_IPV6);
    CHECK_EQ_INT(decode(DLT_IPV4, frame, n, &pkt, &issue), DT_DECODE_MALFORMED);
    CHECK_EQ_INT(issue.problem, DT_ISSUE_IP_VERSION);
    frame[0] = 0x55;
    CHECK_EQ_INT(decode(DLT_RAW, frame, n, &pkt, &issue), DT_DECODE_MALFORMED);
    CHECK_EQ_INT(issue.value, 5);
    CHECK_EQ_INT(decode(DLT_RAW, frame, 0, &pkt, &issue), DT_DECODE_MALFORMED);
}

static void test_linux_cooked(void)
{
    uint8_t sll[16] = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00};
    uint8_t sll2[20] = {0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0};
    uint8_t frame[128];
    dt_packet pkt;
    dt_decode_issue issue;
    tl_ipv4 ip = tcp_syn(3389, 9);

    size_t n = with_link(frame, sll, 16, &ip);
    CHECK_EQ_INT(decode(DLT_LINUX_SLL, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.dport, 3389);
    frame[14] = 0x86, frame[15] = 0xDD;
    CHECK_EQ_INT(decode(DLT_LINUX_SLL, frame, n, &pkt, &issue), DT_DECODE_IPV6);
    frame[14] = 0x08, frame[15] = 0x06;
    CHECK_EQ_INT(decode(DLT_LINUX_SLL, frame, n, &pkt, &issue), DT_DECODE_OTHER);

    /* A cooked capture that kept an 802.1Q tag. */
    uint8_t sll_vlan[20] = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x81, 0x00, 0, 5, 0x08, 0};
    n = with_link(frame, sll_vlan, 20, &ip);
    CHECK_EQ_INT(decode(DLT_LINUX_SLL, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.dport, 3389);

    n = with_link(frame, sll2, 20, &ip);
    CHECK_EQ_INT(decode(DLT_LINUX_SLL2, frame, n, &pkt, &issue), DT_DECODE_IPV4);
    CHECK_EQ_INT(pkt.dst, DST);
    CHECK_EQ_INT(decode(DLT_LINUX_SLL2, frame, 19, &pkt, &issue), DT_DECODE_MALFORMED);
    CHECK_EQ_INT(issue.limit, 20);
    frame[0] = 0x86, frame[1] = 0xDD;
    CHECK_EQ_INT(decode(DLT_LINUX_SLL2, frame, n, &pkt, &issue), DT_DECODE_IPV6);
}

static void test_bsd_loopback(void)
{
    static const struct {
        int dlt;
        uint8_t family[4];
        dt_decode_kind kind;
    } cases[] = {
        {DLT_NULL, {2, 0, 0, 0}, DT_DECODE_IPV4},  {DLT_NULL, {0, 0, 0, 2}, DT_DECODE_IPV4},
        {DLT_LOOP, {0, 0, 0, 2}, DT_DECODE_IPV4},  {DLT_NULL, {24, 0, 0, 0}, DT_DECODE_IPV6},
        {DLT_NULL, {0, 0, 0, 28}, DT_DECODE_IPV6}, {DLT_LOOP, {0, 0, 0, 30}, DT_DECODE_IPV6},
        {DLT_NULL, {7, 0, 0, 0}, DT_DECODE_OTHER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t frame[128];
        dt_packet pkt;
        dt_decode_issue issue;
        tl_ipv4 ip = tcp_syn(5060, 3);
        size_t n = with_link(frame, cases[i].family, 4, &ip);
        CHECK_EQ_INT(decode(cases[i].dlt, frame, n, &pkt, &issue), cases[i].kind);
        if (cases[i].kind == DT_DECODE_IPV4)
            CHECK_EQ_INT(pkt.dport, 5060);
    }
}

/* Every prefix of a good frame decodes to what its length allows, without over-reads. */
static void check_prefixes(int dlt, const uint8_t *frame, size_t n, size_t link_len)
{
    for (size_t len = 0; len <= n; len++) {
        dt_packet pkt;
        dt_decode_issue issue;
        dt_decode_kind kind = decode(dlt, frame, len, &pkt, &issue);
        if (len < link_len) {
            CHECK_EQ_INT(kind, DT_DECODE_MALFORMED);
        } else if (len < link_len + 20) {
            CHECK_EQ_INT(kind, DT_DECODE_MALFORMED);
            CHECK_EQ_INT(issue.problem, DT_ISSUE_IP_TRUNCATED);
            CHECK_EQ_INT(issue.value, len - link_len);
        } else {
            CHECK_EQ_INT(kind, DT_DECODE_IPV4);
            CHECK_EQ_INT(pkt.has_ports, len >= link_len + 24);
            CHECK_EQ_INT(pkt.mirai, len >= link_len + 28);
            CHECK_EQ_INT(pkt.tcp_flags, len >= link_len + 34 ? 0x02 : 0);
        }
    }
}

static void test_every_truncation(void)
{
    static const uint8_t sll[16] = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00};
    static const uint8_t sll2[20] = {0x08, 0x00};
    static const uint8_t null_inet[4] = {2, 0, 0, 0};
    static const uint8_t loop_inet[4] = {0, 0, 0, 2};
    struct {
        int dlt;
        const uint8_t *link;
        size_t len;
    } links[] = {{DLT_EN10MB, ether_ipv4, 14}, {DLT_LINUX_SLL, sll, 16}, {DLT_LINUX_SLL2, sll2, 20},
                 {DLT_NULL, null_inet, 4},     {DLT_LOOP, loop_inet, 4}, {DLT_RAW, NULL, 0},
                 {DLT_IPV4, NULL, 0}};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        uint8_t frame[128];
        tl_ipv4 ip = tcp_syn(23, DST);
        size_t n = links[i].len ? with_link(frame, links[i].link, links[i].len, &ip)
                                : tl_ipv4_packet(frame, &ip);
        check_prefixes(links[i].dlt, frame, n, links[i].len);
    }
}

static void test_unknown_link_type(void)
{
    uint8_t frame[64] = {0};
    dt_packet pkt;
    dt_decode_issue issue;
    CHECK(!dt_decode_link_supported(DLT_IEEE802_11));
    CHECK(dt_decode_link_supported(DLT_LINUX_SLL2));
    CHECK_EQ_INT(decode(DLT_IEEE802_11, frame, 64, &pkt, &issue), DT_DECODE_MALFORMED);
    CHECK_EQ_INT(issue.problem, DT_ISSUE_LINKTYPE);
    char text[160];
    dt_decode_describe(&issue, text, sizeof text);
    CHECK(strstr(text, "link type 105") != NULL);
    CHECK(strstr(text, "IEEE802_11") != NULL);
    CHECK_EQ_INT(decode(-7, frame, 64, &pkt, &issue), DT_DECODE_MALFORMED);
}

int main(void)
{
    test_ethernet_tcp_and_mirai();
    test_vlan_stacks();
    test_other_ethertypes();
    test_options_and_bad_ihl();
    test_fragments();
    test_portless_protocols();
    test_link_padding_is_not_transport();
    test_raw_links();
    test_linux_cooked();
    test_bsd_loopback();
    test_every_truncation();
    test_unknown_link_type();
    return dt_test_finish("test_reader_decode");
}
