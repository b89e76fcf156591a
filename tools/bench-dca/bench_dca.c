/* Benchmark of the DCA over a long synthetic history: time per day of dt_dca_track and
 * commit, and of the backward search done the naive way (scanning every earlier day) for
 * the same new clusters, which also cross-checks the index's matches.
 *
 * Usage: bench_dca [DAYS] [ACTIVE]   (default 180 days of about 8,000 active senders) */
#include "dt_dca.h"
#include "dt_log.h"
#include "dt_rng.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { POOL = 45000, GROUPS = 80, MAX_GROUP = 150 };

/* The synthetic telescope: groups of senders that pause and come back, slowly replaced by
 * new groups, plus noise senders drawn from the rest of the pool. */
typedef struct {
    uint32_t first[GROUPS]; /* group g is pool senders first[g] .. first[g] + size[g] */
    uint32_t size[GROUPS];
    int active[GROUPS];
    uint32_t next_first;
} world;

static uint32_t pool_ip(uint32_t k)
{
    return k * 2654435761u; /* an odd multiplier is a bijection: distinct addresses */
}

static void new_group(world *w, dt_rng *rng, int g)
{
    w->size[g] = 60 + (uint32_t)dt_rng_below(rng, MAX_GROUP - 60);
    if (w->next_first + w->size[g] > POOL / 2)
        w->next_first = 0;
    w->first[g] = w->next_first;
    w->next_first += w->size[g];
    w->active[g] = 1;
}

/* One day's active senders and HDBSCAN-like labels (groups in label order, -1 noise). */
static size_t make_day(world *w, dt_rng *rng, int day, uint32_t active, uint32_t *ip,
                       int32_t *label)
{
    if (day % 10 == 9)
        new_group(w, rng, (int)dt_rng_below(rng, GROUPS)); /* a novelty now and then */
    size_t n = 0;
    int32_t next_label = 0;
    for (int g = 0; g < GROUPS; g++) {
        double flip = dt_rng_uniform(rng);
        w->active[g] = w->active[g] ? flip > 0.1 : flip < 0.3;
        if (!w->active[g])
            continue;
        int32_t lab = next_label++;
        for (uint32_t k = 0; k < w->size[g]; k++) {
            if (dt_rng_uniform(rng) < 0.8) {
                ip[n] = pool_ip(w->first[g] + k);
                label[n++] = dt_rng_uniform(rng) < 0.05 ? -1 : lab;
            }
        }
    }
    while (n < active) {
        ip[n] = pool_ip(POOL / 2 + (uint32_t)dt_rng_below(rng, POOL / 2));
        label[n++] = -1; /* duplicates are removed below */
    }
    return n;
}

static int ip_label_cmp(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Removes duplicate addresses (the noise draw may repeat one). */
static size_t dedupe(uint32_t *ip, int32_t *label, size_t n)
{
    uint64_t *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (uint64_t)ip[i] << 32 | (uint32_t)label[i];
    qsort(v, n, sizeof *v, ip_label_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && (uint32_t)(v[i] >> 32) == ip[k - 1])
            continue;
        ip[k] = (uint32_t)(v[i] >> 32);
        label[k++] = (int32_t)(uint32_t)v[i];
    }
    free(v);
    return k;
}

/* Every committed day kept whole, for the naive search. Rows sorted by address. */
typedef struct {
    int32_t day;
    size_t n;
    uint32_t *ip;
    int32_t *id;
} kept_day;

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The naive backward search for one cluster: every day before yesterday, every member
 * looked up. Returns the matched day (INT32_MIN for none) and id. */
static int32_t naive_match(const kept_day *days, size_t n_days, const uint32_t *members, size_t m,
                           int32_t *counts, int32_t *sizes, int32_t n_ids, int32_t *id)
{
    int32_t best_day = INT32_MIN;
    double best_ol = -1;
    int32_t best_shared = 0;
    for (size_t d = 0; d + 1 < n_days; d++) { /* the last kept day is yesterday */
        const kept_day *k = &days[d];
        memset(counts, 0, (size_t)n_ids * sizeof *counts);
        memset(sizes, 0, (size_t)n_ids * sizeof *sizes);
        for (size_t i = 0; i < k->n; i++)
            if (k->id[i] >= 0)
                sizes[k->id[i]]++;
        for (size_t i = 0; i < m; i++) {
            const uint32_t *p = bsearch(&members[i], k->ip, k->n, sizeof *k->ip, u32_cmp);
            if (p && k->id[p - k->ip] >= 0)
                counts[k->id[p - k->ip]]++;
        }
        for (int32_t c = 0; c < n_ids; c++) {
            if (counts[c] == 0)
                continue;
            double ol = (double)counts[c] / (double)sizes[c];
            int better =
                k->day > best_day || (ol > best_ol || (ol == best_ol && counts[c] > best_shared));
            if (ol >= 0.65 && better) {
                best_day = k->day;
                best_ol = ol;
                best_shared = counts[c];
                *id = c;
            }
        }
    }
    return best_day;
}

/* CPU seconds of this thread: the machine is shared, and the ratio of medians should not
 * depend on what the neighbours do. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, double_cmp);
    return n ? v[n / 2] : 0;
}

int main(int argc, char **argv)
{
    int n_days = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 180;
    uint32_t active = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 8000;
    if (n_days < 20 || active < 1000 || active > POOL / 2) {
        fprintf(stderr, "usage: bench_dca [DAYS >= 20] [ACTIVE in 1000..%d]\n", POOL / 2);
        return 2;
    }

    dt_rng rng;
    dt_rng_init(&rng, 7, 0, 1, 0);
    world w = {0};
    for (int g = 0; g < GROUPS; g++)
        new_group(&w, &rng, g);
    dt_dca_options opt = dt_dca_default_options();
    dt_dca_state *s = NULL;
    if (dt_dca_state_create(&s, &opt) != DT_OK)
        return 1;

    kept_day *days = calloc((size_t)n_days, sizeof *days);
    double *t_index = calloc((size_t)n_days, sizeof(double));
    double *t_naive = calloc((size_t)n_days, sizeof(double));
    double *t_cpu = calloc((size_t)n_days, sizeof(double));
    double *t_track = calloc((size_t)n_days, sizeof(double));
    double *postings = calloc((size_t)n_days, sizeof(double));
    uint32_t *ip = malloc((active + GROUPS * MAX_GROUP) * sizeof *ip);
    int32_t *label = malloc((active + GROUPS * MAX_GROUP) * sizeof *label);
    uint32_t *members = malloc((active + GROUPS * MAX_GROUP) * sizeof *members);
    size_t new_clusters = 0, reappeared = 0, disagree = 0;
    printf("%5s %7s %8s %5s %9s %9s %9s %9s\n", "day", "active", "clusters", "new", "wall_ms",
           "cpu_ms", "track_ms", "naive_ms");

    for (int d = 0; d < n_days; d++) {
        size_t n = dedupe(ip, label, make_day(&w, &rng, d, active, ip, label));
        dt_dca_result r;
        double t0 = dt_wall_seconds(), c0 = cpu_seconds();
        if (dt_dca_track(s, 20000 + d, ip, label, n, &r) != DT_OK)
            return 1;
        double c1 = cpu_seconds();
        if (dt_dca_commit(s, 20000 + d, ip, &r) != DT_OK)
            return 1;
        t_index[d] = dt_wall_seconds() - t0;
        t_track[d] = c1 - c0;
        postings[d] = (double)r.postings_read;
        t_cpu[d] = cpu_seconds() - c0;

        /* The naive search for the same new clusters, over the same earlier days. */
        int32_t n_ids = dt_dca_state_next_id(s);
        int32_t *counts = malloc((size_t)n_ids * sizeof *counts);
        int32_t *sizes = malloc((size_t)n_ids * sizeof *sizes);
        size_t n_new = 0;
        t0 = cpu_seconds();
        for (size_t c = 0; c < r.n_clusters; c++) {
            if (r.clusters[c].origin == DT_SURVIVED)
                continue;
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (label[i] == (int32_t)c)
                    members[m++] = ip[i];
            int32_t id = -1;
            int32_t day = naive_match(days, (size_t)d, members, m, counts, sizes, n_ids, &id);
            n_new++;
            reappeared += r.clusters[c].origin == DT_REAPPEARED;
            disagree += day != r.matched_day[c] ||
                        (r.clusters[c].origin == DT_REAPPEARED && id != r.clusters[c].id);
        }
        t_naive[d] = cpu_seconds() - t0;
        new_clusters += n_new;
        free(counts);
        free(sizes);

        /* Keep the day for the naive search (it looks at days before yesterday). */
        kept_day *k = &days[d];
        k->day = 20000 + d;
        k->n = n;
        k->ip = malloc(n * sizeof *k->ip);
        k->id = malloc(n * sizeof *k->id);
        uint64_t *v = malloc(n * sizeof *v);
        for (size_t i = 0; i < n; i++)
            v[i] = (uint64_t)ip[i] << 32 | (uint32_t)r.sender_id[i];
        qsort(v, n, sizeof *v, ip_label_cmp);
        for (size_t i = 0; i < n; i++) {
            k->ip[i] = (uint32_t)(v[i] >> 32);
            k->id[i] = (int32_t)(uint32_t)v[i];
        }
        free(v);
        if (d < 3 || d % 30 == 29 || d == n_days - 1)
            printf("%5d %7zu %8zu %5zu %9.3f %9.3f %9.3f %9.3f\n", d + 1, n, r.n_clusters, n_new,
                   1e3 * t_index[d], 1e3 * t_cpu[d], 1e3 * t_track[d], 1e3 * t_naive[d]);
        dt_dca_result_free(&r);
    }

    /* Medians of the first and last 20 days: flat means a ratio near 1. */
    double early = median(t_cpu + 1, 20), late = median(t_cpu + n_days - 20, 20);
    double early_w = median(t_index + 1, 20), late_w = median(t_index + n_days - 20, 20);
    double early_n = median(t_naive + 1, 20), late_n = median(t_naive + n_days - 20, 20);
    printf("\nnew clusters %zu (reappeared %zu); index and naive search disagree on %zu\n",
           new_clusters, reappeared, disagree);
    printf("dca (track + commit) per day, median CPU ms: days 2-21 %.3f, last 20 days %.3f, "
           "ratio %.2f\n",
           1e3 * early, 1e3 * late, late / early);
    printf("the same, median wall ms: days 2-21 %.3f, last 20 days %.3f, ratio %.2f\n",
           1e3 * early_w, 1e3 * late_w, late_w / early_w);
    printf("postings the search read per day, median: days 2-21 %.0f, last 20 days %.0f, "
           "ratio %.2f\n",
           median(postings + 1, 20), median(postings + n_days - 20, 20),
           median(postings + n_days - 20, 20) / median(postings + 1, 20));
    printf("naive search per day, median CPU ms: days 2-21 %.3f, last 20 days %.3f, ratio %.2f\n",
           1e3 * early_n, 1e3 * late_n, late_n / early_n);

    for (int d = 0; d < n_days; d++) {
        free(days[d].ip);
        free(days[d].id);
    }
    free(days);
    free(t_index);
    free(t_naive);
    free(t_cpu);
    free(t_track);
    free(postings);
    free(ip);
    free(label);
    free(members);
    dt_dca_state_free(s);
    return disagree != 0;
}
