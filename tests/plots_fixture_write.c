/* Writes the history the plot tests read: five days of hand-chosen clusters and transitions,
 * committed through the real history writer. Usage: plots_fixture_write PATH */
#include "dt_history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The planted story (test_plots.py states the numbers every figure must show):
 *   day 0  clusters 0, 1, 2 emerge (the first day: no novelties)
 *   day 1  0 survives, 1 splits into 3 and 4 (novelties), 2 is absorbed into 0
 *   day 2  0 and 4 survive, 3 disappears, 5 emerges (novelty)
 *   day 3  0 survives, 4 goes inactive, 5 disappears, 2 reappears, 6 emerges (novelty)
 *   day 4  0 and 6 survive, 2 splits into 7 and 8 (novelties)
 * Cluster c of a day has members 10.0.c.1 .. 10.0.c.size; two noise senders a day.
 */
enum { DAYS = 5, FIRST_DAY = 18779 /* 2021-06-01 */, NOISE = 2 };

typedef struct {
    int day, id, size;
    float silhouette;
    int origin, novel, label;
    float purity;
} planted_cluster;

typedef struct {
    int day, from, to, kind;
    float overlap;
} planted_transition;

static const planted_cluster clusters[] = {
    {0, 0, 4, 0.90f, DT_EMERGED, 0, 0, 1.0f},    {0, 1, 3, 0.40f, DT_EMERGED, 0, 1, 0.5f},
    {0, 2, 5, 0.70f, DT_EMERGED, 0, -1, NAN},    {1, 0, 6, 0.85f, DT_SURVIVED, 0, 0, 1.0f},
    {1, 3, 2, 0.30f, DT_EMERGED, 1, -1, NAN},    {1, 4, 3, 0.55f, DT_EMERGED, 1, -1, NAN},
    {2, 0, 6, 0.80f, DT_SURVIVED, 0, 0, 0.75f},  {2, 4, 3, 0.60f, DT_SURVIVED, 0, -1, NAN},
    {2, 5, 7, 0.20f, DT_EMERGED, 1, -1, NAN},    {3, 0, 5, 0.95f, DT_SURVIVED, 0, 0, 1.0f},
    {3, 2, 4, 0.65f, DT_REAPPEARED, 0, -1, NAN}, {3, 6, 8, 0.50f, DT_EMERGED, 1, -1, NAN},
    {4, 0, 5, 0.92f, DT_SURVIVED, 0, 0, 1.0f},   {4, 6, 9, 0.45f, DT_SURVIVED, 0, -1, NAN},
    {4, 7, 2, 0.35f, DT_EMERGED, 1, -1, NAN},    {4, 8, 2, 0.25f, DT_EMERGED, 1, -1, NAN},
};

static const planted_transition transitions[] = {
    {0, -1, 0, DT_EMERGED, NAN},      {0, -1, 1, DT_EMERGED, NAN},
    {0, -1, 2, DT_EMERGED, NAN},      {1, 0, 0, DT_SURVIVED, 0.9f},
    {1, 1, 3, DT_SPLIT, 0.5f},        {1, 1, 4, DT_SPLIT, 0.4f},
    {1, 2, 0, DT_ABSORBED, 0.8f},     {1, -1, 3, DT_EMERGED, NAN},
    {1, -1, 4, DT_EMERGED, NAN},      {2, 0, 0, DT_SURVIVED, 0.95f},
    {2, 3, -1, DT_DISAPPEARED, 0.7f}, {2, 4, 4, DT_SURVIVED, 1.0f},
    {2, -1, 5, DT_EMERGED, NAN},      {3, 0, 0, DT_SURVIVED, 0.8f},
    {3, 4, -1, DT_INACTIVE, NAN},     {3, 5, -1, DT_DISAPPEARED, 0.9f},
    {3, 2, 2, DT_REAPPEARED, 0.7f},   {3, -1, 6, DT_EMERGED, NAN},
    {4, 0, 0, DT_SURVIVED, 1.0f},     {4, 6, 6, DT_SURVIVED, 0.85f},
    {4, 2, 7, DT_SPLIT, 0.5f},        {4, 2, 8, DT_SPLIT, 0.45f},
    {4, -1, 7, DT_EMERGED, NAN},      {4, -1, 8, DT_EMERGED, NAN},
};

enum {
    N_CLUSTERS = sizeof clusters / sizeof clusters[0],
    N_TRANSITIONS = sizeof transitions / sizeof transitions[0],
    MAX_ROWS = 64
};

/* The arrays of one day, sized for the largest planted day. */
typedef struct {
    uint32_t ip[MAX_ROWS];
    int32_t packets[MAX_ROWS];
    int32_t cluster[MAX_ROWS];
    dt_cluster_row clusters[MAX_ROWS];
    dt_transition transitions[MAX_ROWS];
} day_arrays;

/* Members of cluster c are 10.0.c.1 onwards, then the noise senders 10.9.day.1 onwards; the
 * addresses come out in order because cluster ids are listed in increasing order. */
static size_t fill_senders(int day, day_arrays *a)
{
    size_t n = 0;
    for (size_t c = 0; c < N_CLUSTERS; c++) {
        if (clusters[c].day != day)
            continue;
        for (int j = 0; j < clusters[c].size; j++) {
            a->ip[n] = 0x0A000000u | (uint32_t)clusters[c].id << 8 | (uint32_t)(j + 1);
            a->packets[n] = 6 + j;
            a->cluster[n++] = clusters[c].id;
        }
    }
    for (int j = 0; j < NOISE; j++) {
        a->ip[n] = 0x0A090000u | (uint32_t)day << 8 | (uint32_t)(j + 1);
        a->packets[n] = 7;
        a->cluster[n++] = -1;
    }
    return n;
}

static size_t fill_clusters(int day, day_arrays *a)
{
    size_t n = 0;
    for (size_t c = 0; c < N_CLUSTERS; c++) {
        if (clusters[c].day != day)
            continue;
        const planted_cluster *p = &clusters[c];
        dt_cluster_row *r = &a->clusters[n++];
        *r = (dt_cluster_row){.id = p->id,
                              .size = p->size,
                              .silhouette = p->silhouette,
                              .origin = (uint8_t)p->origin,
                              .novel = (uint8_t)p->novel,
                              .label = p->label,
                              .purity = p->purity,
                              .top_port = {23, 80},
                              .top_proto = {6, 6},
                              .top_share = {0.75f, 0.25f}};
    }
    return n;
}

static size_t fill_transitions(int day, day_arrays *a)
{
    size_t n = 0;
    for (size_t t = 0; t < N_TRANSITIONS; t++) {
        if (transitions[t].day != day)
            continue;
        const planted_transition *p = &transitions[t];
        a->transitions[n++] = (dt_transition){p->from, p->to, (uint8_t)p->kind, p->overlap};
    }
    return n;
}

static dt_status commit_day(dt_history *h, int day)
{
    static day_arrays a;
    size_t n = fill_senders(day, &a);
    dt_day_record r = {
        .day = FIRST_DAY + day,
        .packets = 1000 + 100 * day,
        .senders_seen = (int32_t)n + 10,
        .senders_active = (int32_t)n,
        .n_senders = n,
        .sender_ip = a.ip,
        .sender_packets = a.packets,
        .sender_cluster = a.cluster,
        .n_clusters = fill_clusters(day, &a),
        .clusters = a.clusters,
        .n_transitions = fill_transitions(day, &a),
        .transitions = a.transitions,
    };
    return dt_history_commit(h, &r);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: plots_fixture_write PATH\n");
        return 2;
    }
    dt_params params;
    dt_params_defaults(&params);
    dt_history_run run = {1, "plots_fixture_write", NULL, "censys,mirai"};
    dt_history *h = NULL;

    remove(argv[1]);
    dt_status st = dt_history_open(argv[1], &params, &run, &h);
    for (int day = 0; st == DT_OK && day < DAYS; day++)
        st = commit_day(h, day);

    dt_status closed = dt_history_close(h);
    dt_params_free(&params);
    if (st == DT_OK)
        st = closed;
    if (st != DT_OK)
        fprintf(stderr, "plots_fixture_write: %s\n", dt_error_message());
    return (int)st;
}
