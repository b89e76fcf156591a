/* Prints every IPv4 packet darktrack's reader decodes from a capture, one line each, then
 * the counts: the reader's side of the comparison with tshark in reader_vs_tshark.py. */
#include "dt_capture.h"
#include "dt_log.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void print_address(uint32_t a)
{
    printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255u, (a >> 8) & 255u, a & 255u);
}

static void print_packet(const dt_packet *p)
{
    printf("%" PRId64 " ", p->ts_ns);
    print_address(p->src);
    putchar(' ');
    print_address(p->dst);
    printf(" %u %u %u %u %u\n", p->proto, p->dport, p->has_ports, p->tcp_flags, p->mirai);
}

static void print_counts(const dt_capture_counts *c)
{
    printf("# records=%" PRIu64 " ipv4=%" PRIu64 " ipv6=%" PRIu64 " other=%" PRIu64
           " filtered=%" PRIu64 " fragments=%" PRIu64 " malformed=%" PRIu64 " damaged=%d\n",
           c->records, c->ipv4, c->ipv6, c->other, c->filtered, c->fragments, c->malformed,
           c->damaged);
}

static dt_status dump(const char *path, const char *bpf)
{
    dt_capture *cap = NULL;
    DT_CHECK(dt_capture_open(path, bpf, &cap));

    dt_status st = DT_OK;
    dt_packet pkt;
    int got = 1;
    while (got) {
        DT_CHECK_GOTO(st, dt_capture_next(cap, &pkt, &got));
        if (got)
            print_packet(&pkt);
    }
    print_counts(dt_capture_get_counts(cap));

out:
    dt_capture_close(cap);
    return st;
}

int main(int argc, char **argv)
{
    const char *bpf = NULL;
    int first = 1;
    if (argc > first && strcmp(argv[first], "-v") == 0) {
        dt_log_init(DT_LOG_DEBUG, 0);
        first++;
    }
    if (argc > first + 1 && strcmp(argv[first], "--bpf") == 0) {
        bpf = argv[first + 1];
        first += 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: reader_dump [-v] [--bpf EXPR] CAPTURE...\n");
        return 2;
    }

    for (int i = first; i < argc; i++) {
        dt_status st = dump(argv[i], bpf);
        if (st != DT_OK) {
            dt_log_failure();
            return (int)st;
        }
    }
    return 0;
}
