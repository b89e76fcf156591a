/* The damaged captures of the shared data set: what is kept and what the user is told. The
 * good ones are compared with tshark by reader_vs_tshark.py. Expectations come from reading
 * each file's bytes (xxd) and libpcap's documented behaviour, noted case by case. */
#include "dt_capture.h"
#include "dt_test.h"
#include "reader_testlib.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

DT_TEST_MAIN_STATE;

static char dir[1024];

typedef struct {
    dt_status status;
    dt_packet pkts[16];
    size_t n;
    dt_capture_counts counts;
    char err[4096];
    char path[1200];
} shared_read;

static shared_read r;

static void read_shared(const char *name)
{
    memset(&r, 0, sizeof r);
    snprintf(r.path, sizeof r.path, "%s/%s", dir, name);
    tl_stderr_begin();
    r.status = tl_read_all(r.path, NULL, r.pkts, 16, &r.n, &r.counts);
    snprintf(r.err, sizeof r.err, "%s", tl_stderr_end());
}

/* stderr (or the failure message) holds "<path>: text" or "<path> text". */
static void expect(const char *where, const char *text, char sep)
{
    char want[1400];
    snprintf(want, sizeof want, sep == ':' ? "%s: %s" : "%s %s", r.path, text);
    CHECK(strstr(where, want) != NULL);
    if (!strstr(where, want))
        fprintf(stderr, "  expected: %s\n  in: %s\n", want, where);
}

static void test_empty(void)
{
    /* A 24-byte file header and no records. */
    read_shared("empty.pcap");
    CHECK_EQ_INT(r.status, DT_OK);
    CHECK_EQ_INT(r.counts.records, 0);
    CHECK_EQ_INT(r.counts.damaged, 0);
    CHECK_STR(r.err, "");
}

static void test_not_readable(void)
{
    /* Major version 1 in the file header: libpcap refuses it as "archaic". */
    read_shared("invalid-version.pcap");
    CHECK_EQ_INT(r.status, DT_ERR_FORMAT);
    expect(dt_error_message(), "cannot be read as a pcap or pcapng capture: archaic", ' ');

    /* Its section header block's lengths disagree: libpcap stops at open. */
    read_shared("pcapng-option-too-long.pcapng");
    CHECK_EQ_INT(r.status, DT_ERR_FORMAT);
    expect(dt_error_message(), "cannot be read as a pcap or pcapng capture: block total length",
           ' ');
}

static void test_one_bad_record(const char *name, const char *text)
{
    read_shared(name);
    CHECK_EQ_INT(r.status, DT_OK);
    CHECK_EQ_INT(r.n, 0);
    CHECK_EQ_INT(r.counts.records, 1);
    CHECK_EQ_INT(r.counts.malformed, 1);
    CHECK_EQ_INT(r.counts.damaged, 0);
    expect(r.err, text, ':');
}

static void test_bad_records(void)
{
    /* Ethernet, then 0x44: IPv4 with IHL 4. */
    test_one_bad_record("ipv4-invalid-header-length.pcap",
                        "packet 1 at byte 24: IPv4 header length field (IHL) is 4, the minimum "
                        "is 5; skipped");
    /* caplen 20 of 46: the 14-byte Ethernet header and 6 bytes of IPv4. */
    test_one_bad_record("ipv4-truncated.pcap",
                        "packet 1 at byte 24: IPv4 header needs 20 bytes, only 6 captured");
    /* Snapshot length 1 and a record of caplen 8: libpcap keeps 1 byte of Ethernet. */
    test_one_bad_record("truncated-header.pcap",
                        "packet 1 at byte 24: link-layer header needs 14 bytes, only 1 captured");
}

static void test_invalid_microseconds(void)
{
    /* Three Linux cooked records; the second has 1000000 microseconds, the third 0x80000000. */
    read_shared("timestamp-invalid-micro.pcap");
    CHECK_EQ_INT(r.status, DT_OK);
    CHECK_EQ_INT(r.n, 1);
    CHECK_EQ_INT(r.counts.malformed, 2);
    CHECK_EQ_INT(r.pkts[0].ts_ns, 1418145369999999000LL);
    CHECK_EQ_INT(r.pkts[0].src, 0x839BD745u); /* 131.155.215.69 */
    CHECK_EQ_INT(r.pkts[0].dport, 80);
    expect(r.err, "packet 2 at byte 116: timestamp microseconds field 1000000 is not below", ':');
    expect(r.err, "packet 3 at byte 208: timestamp microseconds field 2147483648 is not", ':');
}

int main(void)
{
    const char *shared = getenv("DT_SHARED_DIR");
    struct stat st;
    snprintf(dir, sizeof dir, "%s/data/captures", shared ? shared : "");
    if (!shared || stat(dir, &st) != 0) {
        fprintf(stderr, "test_reader_shared: no shared captures at %s; skipped\n", dir);
        return 77;
    }
    test_empty();
    test_not_readable();
    test_bad_records();
    test_invalid_microseconds();
    return dt_test_finish("test_reader_shared");
}
