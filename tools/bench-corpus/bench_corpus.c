/* Measures, on one capture and in one run, packets per second of: a bare pcap_next_ex loop
 * (the machine's limit for reading), the darktrack reader alone, the reader feeding the day
 * binner (the whole ingest), and the day builder alone on packets already in memory; plus
 * the time to finish the day (corpus and tables). Medians of several repeats; ratios are
 * against the bare loop. usage: bench_corpus CAPTURE [REPEATS] */
#include "dt_capture.h"
#include "dt_daybin.h"
#include "dt_daybuild.h"
#include "dt_log.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_REPEATS = 15 };

typedef struct {
    dt_packet *pkts;
    size_t n;
    size_t cap;
} packet_list;

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_double);
    return v[n / 2];
}

static double time_bare(const char *path, size_t *count)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        fprintf(stderr, "bench_corpus: %s\n", errbuf);
        exit(1);
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    size_t n = 0;
    double start = dt_wall_seconds();
    while (pcap_next_ex(p, &h, &data) == 1)
        n++;
    double elapsed = dt_wall_seconds() - start;
    pcap_close(p);
    *count = n;
    return elapsed;
}

static dt_status ignore_day(void *ctx, dt_day *day)
{
    (void)ctx;
    (void)day;
    return DT_OK;
}

/* The reader alone (bin == NULL) or feeding the binner; keep collects the packets. */
static double time_reader(const char *path, dt_daybin *bin, packet_list *keep)
{
    dt_capture *cap = NULL;
    if (dt_capture_open(path, NULL, &cap) != DT_OK) {
        dt_log_failure();
        exit(1);
    }
    double start = dt_wall_seconds();
    dt_packet pkt;
    int got = 0;
    while (dt_capture_next(cap, &pkt, &got) == DT_OK && got) {
        if (bin && dt_daybin_add(bin, &pkt) != DT_OK)
            exit(1);
        if (keep) {
            if (keep->n == keep->cap &&
                dt_realloc(&keep->pkts, keep->cap = keep->cap ? 2 * keep->cap : 1 << 20,
                           sizeof *keep->pkts, "packets") != DT_OK)
                exit(1);
            keep->pkts[keep->n++] = pkt;
        }
    }
    if (bin && dt_daybin_finish(bin) != DT_OK)
        exit(1);
    double elapsed = dt_wall_seconds() - start;
    dt_capture_close(cap);
    return elapsed;
}

/* The day builder alone: add time and finish time, for the first day's packets. */
static void time_builder(const packet_list *list, double *add_s, double *finish_s)
{
    dt_daybuild_params params = {dt_day_of_ns(list->pkts[0].ts_ns), 5, 2500, 10000};
    dt_daybuild *b = NULL;
    if (dt_daybuild_new(&params, 0, &b) != DT_OK)
        exit(1);
    double start = dt_wall_seconds();
    for (size_t i = 0; i < list->n; i++)
        if (dt_daybuild_add(b, &list->pkts[i]) != DT_OK)
            exit(1);
    double mid = dt_wall_seconds();
    dt_day day;
    if (dt_daybuild_finish(b, &day) != DT_OK)
        exit(1);
    *finish_s = dt_wall_seconds() - mid;
    *add_s = mid - start;
    if (list->n > 0)
        printf("day: %u senders seen, %u active, %u services, %zu sentences, %zu words\n",
               day.senders_seen, day.n_active, day.n_services, day.n_sentences, day.n_words);
    dt_day_free(&day);
    dt_daybuild_free(b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_corpus CAPTURE [REPEATS]\n");
        return 2;
    }
    int repeats = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    if (repeats < 1 || repeats > MAX_REPEATS)
        repeats = 5;
    dt_log_init(DT_LOG_WARN, 0);

    packet_list list = {0};
    time_reader(argv[1], NULL, &list);
    if (list.n == 0) {
        fprintf(stderr, "bench_corpus: %s holds no IPv4 packets\n", argv[1]);
        return 1;
    }
    double bare[MAX_REPEATS], reader[MAX_REPEATS], ingest[MAX_REPEATS], add[MAX_REPEATS],
        finish[MAX_REPEATS];
    size_t records = 0;
    for (int r = 0; r < repeats; r++) {
        bare[r] = time_bare(argv[1], &records);
        reader[r] = time_reader(argv[1], NULL, NULL);
        dt_daybuild_params params = {0, 5, 2500, 10000};
        dt_daybin *bin = NULL;
        if (dt_daybin_new(&params, ignore_day, NULL, &bin) != DT_OK)
            return 1;
        ingest[r] = time_reader(argv[1], bin, NULL);
        dt_daybin_free(bin);
        time_builder(&list, &add[r], &finish[r]);
    }

    double n = (double)records, b = median(bare, repeats);
    printf("%zu records, %zu IPv4 packets, median of %d runs\n", records, list.n, repeats);
    printf("%-34s %8.2f M packets/s  ratio %.2f\n", "bare pcap_next_ex loop", n / b * 1e-6, 1.0);
    double rd = median(reader, repeats), in = median(ingest, repeats);
    printf("%-34s %8.2f M packets/s  ratio %.2f\n", "reader (dt_capture_next)", n / rd * 1e-6,
           b / rd);
    printf("%-34s %8.2f M packets/s  ratio %.2f\n", "reader + day binning + finish", n / in * 1e-6,
           b / in);
    double ad = median(add, repeats);
    printf("%-34s %8.2f M packets/s  (%.1f ns a packet)\n", "dt_daybuild_add alone",
           (double)list.n / ad * 1e-6, ad / (double)list.n * 1e9);
    printf("%-34s %8.3f s\n", "dt_daybuild_finish", median(finish, repeats));
    free(list.pkts);
    return 0;
}
