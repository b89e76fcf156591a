/* Times darktrack's capture reader against a bare pcap_next_ex loop on one file. */
#include "dt_capture.h"
#include "dt_gzfile.h"
#include "dt_log.h"

#include <pcap/pcap.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One way of reading the file; returns packets read (or -1) and adds to *sink so the
 * compiler cannot drop the work. */
typedef long long (*reader_fn)(const char *path, unsigned long long *sink);

static long long drain_pcap(pcap_t *p, unsigned long long *sink)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    long long n = 0;
    while (pcap_next_ex(p, &h, &data) == 1) {
        n++;
        *sink += h->caplen;
    }
    pcap_close(p);
    return n;
}

/* (a) libpcap opening the file itself. */
static long long bare_libpcap(const char *path, unsigned long long *sink)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p)
        return -1; /* e.g. gzip: reported once in the table */
    return drain_pcap(p, sink);
}

/* (a') the same loop on darktrack's zlib stream, to see what the single path costs. */
static long long bare_on_zlib_stream(const char *path, unsigned long long *sink)
{
    int fd = open(path, O_RDONLY);
    FILE *stream;
    dt_gzfile *gz;
    char errbuf[PCAP_ERRBUF_SIZE];
    if (fd < 0 || dt_gzfile_fdopen(fd, &stream, &gz) != DT_OK)
        return -1;
    pcap_t *p =
        pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        fclose(stream);
        return -1;
    }
    return drain_pcap(p, sink);
}

/* (b) darktrack's reader: checks, decoding, dt_packet. */
static long long darktrack_reader(const char *path, unsigned long long *sink)
{
    dt_capture *cap;
    if (dt_capture_open(path, NULL, &cap) != DT_OK)
        return -1;
    dt_packet pkt;
    int got;
    long long n = 0;
    while (dt_capture_next(cap, &pkt, &got) == DT_OK && got) {
        n++;
        *sink += pkt.src ^ pkt.dport;
    }
    dt_capture_close(cap);
    return n;
}

/* A minimal per-source count: open addressing on the address, doubling at half full. */
typedef struct {
    uint32_t *key;
    uint32_t *count;
    size_t cap;
    size_t used;
} source_table;

static size_t slot_of(const source_table *t, uint32_t key)
{
    size_t i = (size_t)((key * 2654435761u) & (t->cap - 1));
    while (t->count[i] != 0 && t->key[i] != key)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static int table_grow(source_table *t)
{
    source_table bigger = {calloc(t->cap * 2, 4), calloc(t->cap * 2, 4), t->cap * 2, t->used};
    if (!bigger.key || !bigger.count) {
        free(bigger.key);
        free(bigger.count);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (t->count[i] == 0)
            continue;
        size_t j = slot_of(&bigger, t->key[i]);
        bigger.key[j] = t->key[i];
        bigger.count[j] = t->count[i];
    }
    free(t->key);
    free(t->count);
    *t = bigger;
    return 0;
}

static int table_add(source_table *t, uint32_t key)
{
    size_t i = slot_of(t, key);
    if (t->count[i] == 0) {
        t->key[i] = key;
        if (++t->used * 2 > t->cap) {
            t->count[i] = 1;
            return table_grow(t);
        }
    }
    t->count[i]++;
    return 0;
}

/* (c) darktrack's reader feeding a per-source packet count. */
static long long reader_and_count(const char *path, unsigned long long *sink)
{
    source_table t = {calloc(1024, 4), calloc(1024, 4), 1024, 0};
    dt_capture *cap = NULL;
    long long n = -1;
    if (!t.key || !t.count || dt_capture_open(path, NULL, &cap) != DT_OK)
        goto out;

    dt_packet pkt;
    int got;
    n = 0;
    while (dt_capture_next(cap, &pkt, &got) == DT_OK && got) {
        n++;
        if (table_add(&t, pkt.src) != 0) {
            n = -1;
            goto out;
        }
    }
    *sink += t.used;

out:
    dt_capture_close(cap);
    free(t.key);
    free(t.count);
    return n;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { N_READERS = 4, MAX_REPS = 51 };

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench-reader CAPTURE [REPETITIONS (default 5)]\n");
        return 2;
    }
    long reps = argc == 3 ? strtol(argv[2], NULL, 10) : 5;
    if (reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "bench-reader: repetitions must be 1 to %d\n", MAX_REPS);
        return 2;
    }

    const char *names[N_READERS] = {"(a) bare pcap_next_ex", "(a') bare, darktrack's zlib stream",
                                    "(b) dt_capture_next", "(c) dt_capture_next + count/source"};
    reader_fn fns[N_READERS] = {bare_libpcap, bare_on_zlib_stream, darktrack_reader,
                                reader_and_count};
    double rate[N_READERS][MAX_REPS];
    long long packets[N_READERS] = {0};
    unsigned long long sink = 0;

    /* Alternate the readers within each repetition so that they share the machine's state. */
    for (long r = 0; r < reps; r++) {
        for (int k = 0; k < N_READERS; k++) {
            double t0 = dt_wall_seconds();
            packets[k] = fns[k](argv[1], &sink);
            double dt = dt_wall_seconds() - t0;
            /* libpcap alone cannot read gzip: then (a') is the reference. */
            if (packets[k] < 0 && k > 0) {
                fprintf(stderr, "bench-reader: %s failed on %s\n", names[k], argv[1]);
                return 1;
            }
            rate[k][r] = packets[k] < 0 ? 0.0 : (double)packets[k] / dt;
        }
    }

    double median[N_READERS];
    for (int k = 0; k < N_READERS; k++) {
        qsort(rate[k], (size_t)reps, sizeof rate[k][0], compare_doubles);
        median[k] = rate[k][reps / 2];
    }
    int ref = median[0] > 0 ? 0 : 1;
    printf("%s: %lld packets, %ld repetitions, medians (sink %llu)\n", argv[1], packets[2], reps,
           sink % 10);
    for (int k = 0; k < N_READERS; k++) {
        if (median[k] <= 0) {
            printf("%-38s unavailable: libpcap cannot open this file itself\n", names[k]);
            continue;
        }
        printf("%-38s %8.2f M packets/s  ratio to %s %.3f  (%lld packets)\n", names[k],
               median[k] / 1e6, ref ? "(a')" : "(a)", median[k] / median[ref], packets[k]);
    }
    return 0;
}
