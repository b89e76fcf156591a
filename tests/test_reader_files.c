/* Whole captures written here, good and damaged: kept packets, counts and messages. */
#include "dt_capture.h"
#include "dt_test.h"
#include "reader_testlib.h"

#include <pcap/pcap.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

/* Ethernet + IPv4 + TCP SYN: 54 bytes, so record k of a classic pcap file starts at byte
 * 24 + 70 (k - 1). */
enum { FRAME = 54, RECORD = 16 + FRAME, MAX_PACKETS = 512 };

static size_t syn_frame(uint8_t *out, uint32_t src, uint16_t dport)
{
    static const uint8_t ether[14] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
    memcpy(out, ether, 14);
    tl_ipv4 ip = {.proto = 6,
                  .src = src,
                  .dst = 0xC6336401u,
                  .sport = 1234,
                  .dport = dport,
                  .seq = 99,
                  .tcp_flags = 0x02};
    return 14 + tl_ipv4_packet(out + 14, &ip);
}

/* A file of n SYN records, source 10.0.0.k and second 1000 + k for record k. */
static void good_records(tl_buf *b, int nano, uint32_t n)
{
    tl_pcap_header(b, nano, 65535, DLT_EN10MB);
    for (uint32_t k = 1; k <= n; k++) {
        uint8_t frame[FRAME];
        syn_frame(frame, 0x0A000000u + k, 23);
        tl_pcap_packet(b, 1000 + k, nano ? 500000000u : 500000u, frame, FRAME);
    }
}

/* The records count is the sum of its five parts, whatever the file held. */
static void check_counts_add_up(const dt_capture_counts *c)
{
    CHECK_EQ_INT(c->records, c->ipv4 + c->ipv6 + c->other + c->filtered + c->malformed);
}

typedef struct {
    dt_status status;
    dt_packet pkts[MAX_PACKETS];
    size_t n;
    dt_capture_counts counts;
    const char *err; /* stderr of the read */
} read_result;

static read_result result;

static const read_result *read_buf(const tl_buf *b, const char *bpf, char *path, size_t size)
{
    tl_write_file(b, path, size);
    memset(&result.counts, 0, sizeof result.counts);
    tl_stderr_begin();
    result.status = tl_read_all(path, bpf, result.pkts, MAX_PACKETS, &result.n, &result.counts);
    result.err = tl_stderr_end();
    check_counts_add_up(&result.counts);
    return &result;
}

/* Checks that stderr holds "<path>: <text>". */
static void check_message(const char *err, const char *path, const char *text)
{
    char want[512];
    snprintf(want, sizeof want, "%s: %s", path, text);
    CHECK(strstr(err, want) != NULL);
    if (!strstr(err, want))
        fprintf(stderr, "  expected in stderr: %s\n", want);
}

static void test_good_micro_and_nano(void)
{
    for (int nano = 0; nano <= 1; nano++) {
        tl_buf b = {0};
        good_records(&b, nano, 3);
        char path[64];
        const read_result *r = read_buf(&b, NULL, path, sizeof path);
        CHECK_EQ_INT(r->status, DT_OK);
        CHECK_EQ_INT(r->n, 3);
        CHECK_EQ_INT(r->counts.records, 3);
        CHECK_EQ_INT(r->counts.damaged, 0);
        CHECK_STR(r->err, "");
        for (size_t i = 0; i < r->n; i++) {
            CHECK_EQ_INT(r->pkts[i].ts_ns, (1001 + (int64_t)i) * 1000000000LL + 500000000LL);
            CHECK_EQ_INT(r->pkts[i].src, 0x0A000001u + i);
            CHECK_EQ_INT(r->pkts[i].dport, 23);
        }
        unlink(path);
        tl_free(&b);
    }
}

static void test_cut_inside_a_record(void)
{
    tl_buf b = {0};
    good_records(&b, 0, 3);
    b.len = 24 + 2 * RECORD + 16 + 10; /* third record's data cut after 10 bytes */
    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(r->err, path, "damaged at byte 164 after packet 2: truncated dump file");
    unlink(path);

    b.len = 24 + 2 * RECORD + 9; /* cut inside the third record's header */
    r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(r->err, path, "damaged at byte 164 after packet 2");
    unlink(path);
    tl_free(&b);
}

static void test_trailing_garbage(void)
{
    tl_buf b = {0};
    good_records(&b, 0, 3);
    tl_put(&b, "garbage", 7);
    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->n, 3);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(r->err, path, "damaged at byte 234 after packet 3");
    unlink(path);

    /* Garbage long enough to look like a record header with an absurd length. */
    tl_buf big = {0};
    good_records(&big, 0, 2);
    static const char junk[] = "this is not a pcap record header, only text";
    tl_put(&big, junk, sizeof junk);
    r = read_buf(&big, NULL, path, sizeof path);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(r->err, path, "damaged at byte 164 after packet 2");
    unlink(path);
    tl_free(&b);
    tl_free(&big);
}

/* Three records with the middle one replaced by what write_bad writes. */
static void middle_record_bad(tl_buf *b, int nano, uint32_t sec, uint32_t frac, uint32_t caplen,
                              uint32_t len, const uint8_t *data, size_t n)
{
    uint8_t frame[FRAME];
    tl_pcap_header(b, nano, 65535, DLT_EN10MB);
    syn_frame(frame, 0x0A000001u, 23);
    tl_pcap_packet(b, 1001, 0, frame, FRAME);
    tl_pcap_record(b, sec, frac, caplen, len, data, n);
    syn_frame(frame, 0x0A000003u, 23);
    tl_pcap_packet(b, 1003, 0, frame, FRAME);
}

static void check_middle_skipped(const tl_buf *b, const char *text)
{
    char path[64];
    const read_result *r = read_buf(b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->counts.malformed, 1);
    CHECK_EQ_INT(r->counts.damaged, 0);
    if (r->n == 2) {
        CHECK_EQ_INT(r->pkts[0].src, 0x0A000001u);
        CHECK_EQ_INT(r->pkts[1].src, 0x0A000003u);
    }
    char want[256];
    snprintf(want, sizeof want, "packet 2 at byte 94: %s; skipped", text);
    check_message(r->err, path, want);
    unlink(path);
}

static void test_impossible_records(void)
{
    uint8_t frame[FRAME];
    syn_frame(frame, 0x0A000002u, 23);

    tl_buf b = {0};
    middle_record_bad(&b, 0, 1002, 0, 0, FRAME, frame, 0);
    check_middle_skipped(&b, "captured length is 0");
    tl_free(&b);

    middle_record_bad(&b, 0, 1002, 0, FRAME, 40, frame, FRAME);
    check_middle_skipped(&b, "captured length 54 exceeds the original length 40");
    tl_free(&b);

    middle_record_bad(&b, 0, 1002, 1000000, FRAME, FRAME, frame, FRAME);
    check_middle_skipped(&b, "timestamp microseconds field 1000000 is not below 1000000");
    tl_free(&b);

    middle_record_bad(&b, 0, 1002, 0xFFFFFFFFu, FRAME, FRAME, frame, FRAME);
    check_middle_skipped(&b, "timestamp microseconds field 4294967295 is not below 1000000");
    tl_free(&b);

    middle_record_bad(&b, 1, 1002, 1000000000, FRAME, FRAME, frame, FRAME);
    check_middle_skipped(&b, "timestamp nanoseconds field 1000000000 is not below 1000000000");
    tl_free(&b);

    uint8_t bad_ihl[FRAME];
    memcpy(bad_ihl, frame, FRAME);
    bad_ihl[14] = 0x43;
    middle_record_bad(&b, 0, 1002, 0, FRAME, FRAME, bad_ihl, FRAME);
    check_middle_skipped(&b, "IPv4 header length field (IHL) is 3, the minimum is 5");
    tl_free(&b);

    uint8_t ipv5[FRAME];
    memcpy(ipv5, frame, FRAME);
    ipv5[14] = 0x55;
    middle_record_bad(&b, 0, 1002, 0, FRAME, FRAME, ipv5, FRAME);
    check_middle_skipped(&b, "IP version 5 where 4 was expected");
    tl_free(&b);
}

static void test_unknown_link_type_and_warning_cap(void)
{
    tl_buf b = {0};
    tl_pcap_header(&b, 0, 65535, 147); /* LINKTYPE_USER0 */
    uint8_t frame[FRAME];
    syn_frame(frame, 1, 23);
    for (uint32_t k = 0; k < 25; k++)
        tl_pcap_packet(&b, 1000 + k, 0, frame, FRAME);
    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 0);
    CHECK_EQ_INT(r->counts.malformed, 25);
    check_message(r->err, path, "packet 1 at byte 24: link type 147");
    check_message(r->err, path, "packet 10 at byte 654: link type 147");
    check_message(r->err, path, "25 malformed records skipped in all; 15 more not shown above");

    int lines = 0;
    for (const char *p = r->err; (p = strstr(p, "; skipped")) != NULL; p++)
        lines++;
    CHECK_EQ_INT(lines, DT_CAPTURE_WARNINGS_PER_FILE);
    unlink(path);
    tl_free(&b);
}

static void test_gzip(void)
{
    tl_buf b = {0};
    uint8_t frame[FRAME];
    syn_frame(frame, 0x0A000002u, 23);
    middle_record_bad(&b, 0, 1002, 0, 0, FRAME, frame, 0);

    char path[64];
    tl_write_gzip(&b, SIZE_MAX, path, sizeof path);
    tl_stderr_begin();
    read_result *r = &result;
    r->status = tl_read_all(path, NULL, r->pkts, MAX_PACKETS, &r->n, &r->counts);
    const char *err = tl_stderr_end();
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->counts.malformed, 1);
    check_message(err, path, "packet 2 at byte 94 of the decompressed data: captured length is 0");
    unlink(path);
    tl_free(&b);

    /* A long file cut in the middle of its gzip stream keeps a prefix of its packets. */
    good_records(&b, 0, 400);
    tl_write_gzip(&b, 1500, path, sizeof path);
    tl_stderr_begin();
    r->status = tl_read_all(path, NULL, r->pkts, MAX_PACKETS, &r->n, &r->counts);
    err = tl_stderr_end();
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK(r->n > 0 && r->n < 400);
    CHECK_EQ_INT(r->counts.damaged, 1);
    for (size_t i = 0; i < r->n; i++)
        CHECK_EQ_INT(r->pkts[i].src, 0x0A000001u + i);
    check_message(err, path, "damaged");
    CHECK(strstr(err, "gzip data cut short") != NULL);
    unlink(path);

    /* Cut exactly after a record: libpcap sees a clean end, zlib knows better. */
    tl_free(&b);
    good_records(&b, 0, 3);
    tl_write_gzip_unfinished(&b, path, sizeof path);
    tl_stderr_begin();
    r->status = tl_read_all(path, NULL, r->pkts, MAX_PACKETS, &r->n, &r->counts);
    err = tl_stderr_end();
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 3);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(err, path, "damaged at byte 234 of the decompressed data after packet 3: gzip");
    unlink(path);

    /* Cut inside the gzip header: not a capture at all. */
    tl_write_gzip(&b, 5, path, sizeof path);
    dt_capture *cap = NULL;
    CHECK_EQ_INT(dt_capture_open(path, NULL, &cap), DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), path) != NULL);
    CHECK(cap == NULL);
    unlink(path);
    tl_free(&b);
}

static void put_be32(tl_buf *b, uint32_t v)
{
    uint8_t bytes[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    tl_put(b, bytes, 4);
}

static void test_big_endian_nanoseconds(void)
{
    /* A file written on a big-endian machine, nanosecond magic. */
    tl_buf b = {0};
    put_be32(&b, 0xA1B23C4Du);
    put_be32(&b, 0x00020004u);
    put_be32(&b, 0);
    put_be32(&b, 0);
    put_be32(&b, 65535);
    put_be32(&b, DLT_EN10MB);
    uint8_t frame[FRAME];
    syn_frame(frame, 0x0A0000FFu, 2323);
    put_be32(&b, 1700000000u);
    put_be32(&b, 999999999u);
    put_be32(&b, FRAME);
    put_be32(&b, FRAME);
    tl_put(&b, frame, FRAME);
    put_be32(&b, 1700000001u);
    put_be32(&b, 1000000001u);
    put_be32(&b, FRAME);
    put_be32(&b, FRAME);
    tl_put(&b, frame, FRAME);

    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->n, 1);
    CHECK_EQ_INT(r->pkts[0].ts_ns, 1700000000999999999LL);
    CHECK_EQ_INT(r->pkts[0].dport, 2323);
    check_message(r->err, path, "packet 2 at byte 94: timestamp nanoseconds field 1000000001");
    unlink(path);
    tl_free(&b);
}

static void test_absurd_first_record(void)
{
    /* A record header claiming 10 MB: libpcap gives up, nothing is left to read. */
    tl_buf b = {0};
    tl_pcap_header(&b, 0, 65535, DLT_EN10MB);
    uint8_t frame[FRAME];
    syn_frame(frame, 1, 23);
    tl_pcap_record(&b, 1, 0, 10000000, 10000000, frame, FRAME);
    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 0);
    CHECK_EQ_INT(r->counts.records, 0);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(r->err, path, "damaged at byte 24 before its first packet: invalid packet");
    CHECK(strstr(r->err, "10000000") != NULL);
    unlink(path);
    tl_free(&b);
}

static void test_not_captures(void)
{
    tl_buf b = {0};
    static const char text[] = "# a text file, not a capture\nhello\n";
    tl_put(&b, text, sizeof text - 1);
    char path[64];
    tl_write_file(&b, path, sizeof path);
    dt_capture *cap = NULL;
    CHECK_EQ_INT(dt_capture_open(path, NULL, &cap), DT_ERR_FORMAT);
    char want[128];
    snprintf(want, sizeof want, "%s cannot be read as a pcap or pcapng capture", path);
    CHECK(strstr(dt_error_message(), want) != NULL);
    unlink(path);

    tl_free(&b);
    tl_write_file(&b, path, sizeof path); /* empty: not even a file header */
    CHECK_EQ_INT(dt_capture_open(path, NULL, &cap), DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), path) != NULL);
    unlink(path);

    /* A descriptor that cannot be read: an I/O error, not a format problem. */
    tl_write_file(&b, path, sizeof path);
    int fd = open(path, O_WRONLY);
    CHECK_EQ_INT(dt_capture_open_fd(fd, "write-only", NULL, &cap), DT_ERR_IO);
    CHECK(strstr(dt_error_message(), "cannot read capture write-only: read error") != NULL);
    unlink(path);

    CHECK_EQ_INT(dt_capture_open("/nonexistent/day.pcap", NULL, &cap), DT_ERR_IO);
    CHECK(strstr(dt_error_message(), "/nonexistent/day.pcap") != NULL);
    CHECK_EQ_INT(dt_capture_open("/tmp", NULL, &cap), DT_ERR_IO);
    CHECK(strstr(dt_error_message(), "directory") != NULL);
    CHECK(cap == NULL);
}

static void test_bpf_filter(void)
{
    tl_buf b = {0};
    tl_pcap_header(&b, 0, 65535, DLT_EN10MB);
    static const uint16_t ports[] = {23, 80, 23, 443, 23};
    for (uint32_t k = 0; k < 5; k++) {
        uint8_t frame[FRAME];
        syn_frame(frame, 0x0A000001u + k, ports[k]);
        tl_pcap_packet(&b, 1000 + k, 0, frame, FRAME);
    }
    char path[64];
    const read_result *r = read_buf(&b, "tcp dst port 23", path, sizeof path);
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 3);
    CHECK_EQ_INT(r->counts.filtered, 2);
    for (size_t i = 0; i < r->n; i++)
        CHECK_EQ_INT(r->pkts[i].dport, 23);

    dt_capture *cap = NULL;
    CHECK_EQ_INT(dt_capture_open(path, "tcp port eleventy", &cap), DT_ERR_USAGE);
    CHECK(strstr(dt_error_message(), "\"tcp port eleventy\"") != NULL);
    CHECK(strstr(dt_error_message(), "eleventy") != NULL);
    CHECK(cap == NULL);
    unlink(path);
    tl_free(&b);
}

static void test_standard_input_and_peek(void)
{
    tl_buf b = {0};
    tl_pcap_header(&b, 1, 65535, DLT_EN10MB);
    uint8_t arp[42] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x06};
    tl_pcap_packet(&b, 500, 7, arp, sizeof arp);
    uint8_t frame[FRAME];
    syn_frame(frame, 0x0A000009u, 22);
    tl_pcap_packet(&b, 501, 9, frame, FRAME);
    char path[64];
    tl_write_gzip(&b, SIZE_MAX, path, sizeof path);

    int saved = dup(STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    dt_capture *cap = NULL;
    CHECK_EQ_INT(dt_capture_open("-", NULL, &cap), DT_OK);
    dup2(saved, STDIN_FILENO);
    close(saved);
    if (!cap)
        return;

    int64_t ts = 0;
    int has = 0;
    CHECK_EQ_INT(dt_capture_peek_time(cap, &ts, &has), DT_OK);
    CHECK_EQ_INT(has, 1);
    CHECK_EQ_INT(ts, 501000000009LL);
    CHECK_EQ_INT(dt_capture_peek_time(cap, &ts, &has), DT_OK); /* peeking twice reads once */
    CHECK_EQ_INT(ts, 501000000009LL);
    dt_packet pkt;
    int got = 0;
    CHECK_EQ_INT(dt_capture_next(cap, &pkt, &got), DT_OK);
    CHECK_EQ_INT(got, 1);
    CHECK_EQ_INT(pkt.ts_ns, 501000000009LL);
    CHECK_EQ_INT(pkt.src, 0x0A000009u);
    CHECK_EQ_INT(dt_capture_next(cap, &pkt, &got), DT_OK);
    CHECK_EQ_INT(got, 0);
    CHECK_EQ_INT(dt_capture_peek_time(cap, &ts, &has), DT_OK);
    CHECK_EQ_INT(has, 0);
    CHECK_EQ_INT(dt_capture_get_counts(cap)->other, 1);
    CHECK_STR(dt_capture_path(cap), "-");
    dt_capture_close(cap);
    unlink(path);
    tl_free(&b);
}

static void test_offsets_after_snapshot_cut(void)
{
    /* Snapshot length 40: libpcap silently cuts the 54-byte first record to 40 bytes and
     * skips the rest, so the reader must find the next offset with ftell. */
    tl_buf b = {0};
    tl_pcap_header(&b, 0, 40, DLT_EN10MB);
    uint8_t frame[FRAME];
    syn_frame(frame, 0x0A000001u, 23);
    tl_pcap_packet(&b, 1001, 0, frame, FRAME);
    uint8_t bad[30];
    memcpy(bad, frame, sizeof bad);
    bad[14] = 0x45;
    tl_pcap_packet(&b, 1002, 0, bad, sizeof bad);
    tl_pcap_packet(&b, 1003, 0, bad, sizeof bad);

    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->n, 1);
    CHECK_EQ_INT(r->pkts[0].dport, 23);
    CHECK_EQ_INT(r->pkts[0].has_ports, 1);
    CHECK_EQ_INT(r->counts.malformed, 2);
    check_message(r->err, path, "packet 2 at byte 94: IPv4 header needs 20 bytes, only 16");
    check_message(r->err, path, "packet 3 at byte 140: IPv4 header needs 20 bytes, only 16");
    unlink(path);
    tl_free(&b);
}

static void test_pcapng(void)
{
    tl_buf b = {0};
    tl_pcapng_header(&b, DLT_EN10MB);
    uint8_t frame[FRAME];
    syn_frame(frame, 0x0A000001u, 23);
    tl_pcapng_packet(&b, 1700000000123456ull, frame, FRAME);
    uint8_t bad[FRAME];
    memcpy(bad, frame, FRAME);
    bad[14] = 0x41;
    size_t bad_end = tl_pcapng_packet(&b, 1700000000123457ull, bad, FRAME);
    size_t good_end = tl_pcapng_packet(&b, 1700000000123458ull, frame, FRAME);

    char path[64];
    const read_result *r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->status, DT_OK);
    CHECK_EQ_INT(r->n, 2);
    CHECK_EQ_INT(r->pkts[0].ts_ns, 1700000000123456000LL);
    CHECK_EQ_INT(r->counts.malformed, 1);
    char want[128];
    snprintf(want, sizeof want, "packet 2 in the block ending at byte %zu: IPv4 header length",
             bad_end);
    check_message(r->err, path, want);
    unlink(path);

    b.len = good_end - 10; /* the last block cut short */
    r = read_buf(&b, NULL, path, sizeof path);
    CHECK_EQ_INT(r->n, 1);
    CHECK_EQ_INT(r->counts.damaged, 1);
    check_message(r->err, path, "damaged (reading stopped at byte");
    CHECK(strstr(r->err, "after packet 2") != NULL);
    unlink(path);
    tl_free(&b);
}

int main(void)
{
    test_good_micro_and_nano();
    test_cut_inside_a_record();
    test_trailing_garbage();
    test_impossible_records();
    test_unknown_link_type_and_warning_cap();
    test_gzip();
    test_big_endian_nanoseconds();
    test_absurd_first_record();
    test_not_captures();
    test_bpf_filter();
    test_standard_input_and_peek();
    test_offsets_after_snapshot_cut();
    test_pcapng();
    return dt_test_finish("test_reader_files");
}
