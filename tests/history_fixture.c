/* Hand-built day records with planted values (see history_fixture.h). */
#include "history_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sender i of day k goes to cluster (i + k) mod (nc + 1); the last residue is noise. */
static void fill_senders(fixture_day *d, int k, size_t n, int nc, int dim)
{
    for (size_t i = 0; i < n; i++) {
        int ii = (int)i;
        d->ip[i] = 0x0A000000u + (uint32_t)((k * 7 + ii) * 3);
        d->packets[i] = 6 + (ii * 13 + k * 5) % 97;
        int g = (ii + k) % (nc + 1);
        d->cluster[i] = g == nc ? -1 : 100 + 10 * k + g;
        for (int j = 0; j < dim; j++)
            d->embedding[i * (size_t)dim + (size_t)j] = (float)sin(k * 1000 + ii * 10 + j);
    }
}

static int32_t members(const fixture_day *d, int32_t id)
{
    int32_t count = 0;
    for (size_t i = 0; i < d->record.n_senders; i++)
        count += d->cluster[i] == id;
    return count;
}

static void fill_clusters(fixture_day *d, int k, size_t n)
{
    static const uint8_t origins[3] = {DT_SURVIVED, DT_EMERGED, DT_REAPPEARED};
    for (size_t c = 0; c < n; c++) {
        int cc = (int)c;
        dt_cluster_row *r = &d->clusters[c];
        memset(r, 0, sizeof *r);
        r->id = 100 + 10 * k + cc;
        r->size = members(d, r->id);
        r->silhouette = (float)(0.5 + 0.05 * cc);
        r->origin = k == 0 ? DT_EMERGED : origins[cc % 3];
        r->novel = (uint8_t)(r->origin == DT_EMERGED && k > 0);
        r->label = cc % 2 == 0 ? (cc / 2) % 3 : -1;
        r->purity = r->label >= 0 ? (float)(0.6 + 0.1 * (cc % 4)) : NAN;
        r->top_port[0] = (uint16_t)(23 + cc);
        r->top_port[1] = 80;
        r->top_proto[0] = 6;
        r->top_proto[1] = cc % 2 ? 17 : 6;
        r->top_share[0] = 0.61f;
        r->top_share[1] = 0.3f;
    }
}

static void fill_transitions(fixture_day *d, int k, size_t n)
{
    for (size_t t = 0; t < n; t++) {
        int tt = (int)t;
        int emerged = t == 0 || k == 0 || k == 5; /* no cluster to come from */
        d->transitions[t].from = emerged ? -1 : 100 + 10 * (k - 1) + tt;
        d->transitions[t].to = 100 + 10 * k + tt;
        d->transitions[t].kind = (uint8_t)(emerged ? DT_EMERGED : (tt - 1) % 5);
        d->transitions[t].overlap = emerged ? NAN : (float)(0.1 * tt);
    }
}

int fixture_make(int k, int senders, int dim, fixture_day *out)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)(senders + 3 * k);
    size_t nc = k == 4 ? 0 : (size_t)(5 + k % 3);
    size_t nt = k == 4 ? 0 : (size_t)(2 + k % 4);
    out->ip = malloc(n * sizeof *out->ip);
    out->packets = malloc(n * sizeof *out->packets);
    out->cluster = malloc(n * sizeof *out->cluster);
    out->embedding = dim > 0 ? malloc(n * (size_t)dim * sizeof *out->embedding) : NULL;
    out->clusters = malloc((nc + 1) * sizeof *out->clusters);
    out->transitions = malloc((nt + 1) * sizeof *out->transitions);
    if (!out->ip || !out->packets || !out->cluster || (dim > 0 && !out->embedding) ||
        !out->clusters || !out->transitions)
        return -1;

    dt_day_record *r = &out->record;
    r->n_senders = n;
    fill_senders(out, k, n, (int)nc, dim);
    fill_clusters(out, k, nc);
    fill_transitions(out, k, nt);
    r->day = FIXTURE_FIRST_DAY + k;
    r->packets = 1000000 + (int64_t)k * 12345;
    r->senders_seen = (int32_t)n * 5 + k;
    r->senders_active = (int32_t)n;
    r->sender_ip = out->ip;
    r->sender_packets = out->packets;
    r->sender_cluster = out->cluster;
    r->sender_embedding = out->embedding;
    r->dim = dim;
    r->n_clusters = nc;
    r->clusters = out->clusters;
    r->n_transitions = nt;
    r->transitions = out->transitions;
    return 0;
}

void fixture_free(fixture_day *d)
{
    free(d->ip);
    free(d->packets);
    free(d->cluster);
    free(d->embedding);
    free(d->clusters);
    free(d->transitions);
    memset(d, 0, sizeof *d);
}

static int same_float(float a, float b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int same_cluster(const dt_cluster_row *a, const dt_cluster_row *b)
{
    int same = a->id == b->id && a->size == b->size && same_float(a->silhouette, b->silhouette) &&
               a->origin == b->origin && a->novel == b->novel && a->label == b->label &&
               same_float(a->purity, b->purity);
    for (int k = 0; k < DT_TOP_SERVICES; k++)
        same = same && a->top_port[k] == b->top_port[k] && a->top_proto[k] == b->top_proto[k] &&
               same_float(a->top_share[k], b->top_share[k]);
    return same;
}

static int same_transition(const dt_transition *a, const dt_transition *b)
{
    return a->from == b->from && a->to == b->to && a->kind == b->kind &&
           same_float(a->overlap, b->overlap);
}

static int same_senders(const dt_day_record *a, const dt_day_record *b)
{
    for (size_t i = 0; i < a->n_senders; i++)
        if (a->sender_ip[i] != b->sender_ip[i] || a->sender_packets[i] != b->sender_packets[i] ||
            a->sender_cluster[i] != b->sender_cluster[i])
            return 0;
    if (!a->sender_embedding != !b->sender_embedding || a->dim != b->dim)
        return 0;
    size_t values = a->sender_embedding ? a->n_senders * (size_t)a->dim : 0;
    for (size_t i = 0; i < values; i++)
        if (!same_float(a->sender_embedding[i], b->sender_embedding[i]))
            return 0;
    return 1;
}

int fixture_same(const dt_day_record *a, const dt_day_record *b)
{
    const char *what = NULL;
    if (a->day != b->day || a->packets != b->packets || a->senders_seen != b->senders_seen ||
        a->senders_active != b->senders_active)
        what = "day scalars";
    else if (a->n_senders != b->n_senders || !same_senders(a, b))
        what = "senders";
    else if (a->n_clusters != b->n_clusters || a->n_transitions != b->n_transitions)
        what = "row counts";
    for (size_t c = 0; !what && c < a->n_clusters; c++)
        if (!same_cluster(&a->clusters[c], &b->clusters[c]))
            what = "clusters";
    for (size_t t = 0; !what && t < a->n_transitions; t++)
        if (!same_transition(&a->transitions[t], &b->transitions[t]))
            what = "transitions";
    if (what)
        fprintf(stderr, "day %d: %s differ\n", (int)a->day, what);
    return what == NULL;
}
