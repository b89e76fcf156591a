/* history-bench: time per committed day of a paper-scale history, and what copying the
 * whole file each day (the simple copy-on-write commit) would cost at the same sizes.
 *
 *   history-bench DIR DAYS SENDERS DIM
 *
 * DIM 0 writes no embeddings. Prints one line per sampled day: commit seconds, file size,
 * and the seconds of a synced full copy of the file as it stands. */
#include "dt_history.h"
#include "dt_history_files.h"
#include "dt_log.h"
#include "dt_rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { CLUSTERS = 60, TRANSITIONS = 80 };

typedef struct {
    uint32_t *ip;
    int32_t *packets, *cluster;
    float *embedding;
    dt_cluster_row clusters[CLUSTERS];
    dt_transition transitions[TRANSITIONS];
    dt_day_record record;
} bench_day;

/* A day shaped like the paper's: sorted addresses, 60 clusters, random vectors (trained
 * vectors compress about as badly as random floats). */
static void make_day(bench_day *d, int k, size_t n, int dim)
{
    dt_rng rng;
    dt_rng_init(&rng, 1, k, DT_RNG_TEST, 0);
    uint32_t ip = 0x0A000000u;
    for (size_t i = 0; i < n; i++) {
        ip += 1 + (uint32_t)dt_rng_below(&rng, 500000);
        d->ip[i] = ip;
        d->packets[i] = 6 + (int32_t)dt_rng_below(&rng, 2000);
        d->cluster[i] = dt_rng_below(&rng, 4) == 0 ? -1 : 1000 + (int32_t)(i % CLUSTERS);
    }
    for (size_t i = 0; i < n * (size_t)dim; i++)
        d->embedding[i] = (float)(dt_rng_uniform(&rng) * 2 - 1);
    for (int c = 0; c < CLUSTERS; c++)
        d->clusters[c] =
            (dt_cluster_row){1000 + c, 100,         0.5f,        DT_SURVIVED, 0,
                             -1,       0.0f / 0.0f, {23, 80, 0}, {6, 6, 0},   {0.6f, 0.3f, 0.0f}};
    for (int t = 0; t < TRANSITIONS; t++)
        d->transitions[t] =
            (dt_transition){1000 + t % CLUSTERS, 1000 + t % CLUSTERS, DT_SURVIVED, 0.9f};
    d->record = (dt_day_record){20454 + k,
                                2000000,
                                45000,
                                (int32_t)n,
                                n,
                                d->ip,
                                d->packets,
                                d->cluster,
                                dim ? d->embedding : NULL,
                                dim,
                                CLUSTERS,
                                d->clusters,
                                TRANSITIONS,
                                d->transitions};
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static int sampled(int k, int days)
{
    return k == 0 || k == 1 || (k + 1) % 20 == 0 || k == days - 1;
}

/* Seconds of a synced copy of the history, the per-day price of copy-on-write. */
static double copy_cost(const char *path, const char *dir)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s/copy.nc", dir);
    double t0 = dt_wall_seconds();
    dt_status st = dt_hist_copy_file(path, copy);
    double t = dt_wall_seconds() - t0;
    unlink(copy);
    return st == DT_OK ? t : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: history-bench DIR DAYS SENDERS DIM\n");
        return 2;
    }
    const char *dir = argv[1];
    int days = (int)strtol(argv[2], NULL, 10);
    size_t n = (size_t)strtol(argv[3], NULL, 10);
    int dim = (int)strtol(argv[4], NULL, 10);

    char path[4096];
    snprintf(path, sizeof path, "%s/bench.nc", dir);
    unlink(path);
    dt_params p;
    dt_params_defaults(&p);
    p.save_embeddings = dim > 0;
    p.dim = dim > 0 ? dim : 200;
    dt_history_run run = {1, "history-bench", NULL, NULL};
    dt_history *h = NULL;
    bench_day d = {0};
    d.ip = malloc(n * sizeof *d.ip);
    d.packets = malloc(n * sizeof *d.packets);
    d.cluster = malloc(n * sizeof *d.cluster);
    d.embedding = malloc((n * (size_t)dim + 1) * sizeof *d.embedding);
    if (!d.ip || !d.packets || !d.cluster || !d.embedding ||
        dt_history_open(path, &p, &run, &h) != DT_OK) {
        fprintf(stderr, "history-bench: %s\n", dt_error_message());
        return 1;
    }

    printf("%5s  %10s  %10s  %12s  %10s\n", "day", "commit s", "cpu s", "file MB", "copy s");
    double total = 0, total_cpu = 0;
    for (int k = 0; k < days; k++) {
        make_day(&d, k, n, dim);
        double t0 = dt_wall_seconds(), c0 = cpu_seconds();
        if (dt_history_commit(h, &d.record) != DT_OK) {
            fprintf(stderr, "history-bench: %s\n", dt_error_message());
            return 1;
        }
        double t = dt_wall_seconds() - t0, c = cpu_seconds() - c0;
        total += t;
        total_cpu += c;
        if (sampled(k, days))
            printf("%5d  %10.3f  %10.3f  %12.1f  %10.3f\n", k + 1, t, c,
                   (double)file_size(path) / 1e6, copy_cost(path, dir));
        fflush(stdout);
    }
    printf("mean commit %.3f s wall, %.3f s cpu over %d days\n", total / days, total_cpu / days,
           days);
    dt_history_close(h);
    free(d.ip);
    free(d.packets);
    free(d.cluster);
    free(d.embedding);
    return 0;
}
