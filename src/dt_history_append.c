/* Appending one day record at the end of an open history's dimensions. */
#include "dt_history_internal.h"

#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

/* Where the new day goes: the current length of every dimension. */
typedef struct {
    size_t day, sender, cluster, transition;
} ends;

static dt_status dim_length(int ncid, const char *path, const char *name, size_t *len)
{
    int dimid = 0;
    DT_CHECK(dt_hist_nc(nc_inq_dimid(ncid, name, &dimid), path, name));
    return dt_hist_nc(nc_inq_dimlen(ncid, dimid, len), path, name);
}

static dt_status find_ends(int ncid, const char *path, ends *e)
{
    DT_CHECK(dim_length(ncid, path, "day", &e->day));
    DT_CHECK(dim_length(ncid, path, "sender_obs", &e->sender));
    DT_CHECK(dim_length(ncid, path, "cluster_obs", &e->cluster));
    return dim_length(ncid, path, "transition_obs", &e->transition);
}

/* Writes rows [start, start + n) of a variable from memory in the variable's own type;
 * width is the length of the second dimension (1 for a plain list). */
static dt_status put_rows(int ncid, const char *path, const char *name, size_t start, size_t n,
                          size_t width, const void *data)
{
    if (n == 0)
        return DT_OK;
    int varid = 0;
    DT_CHECK(dt_hist_nc(nc_inq_varid(ncid, name, &varid), path, name));
    size_t first[2] = {start, 0};
    size_t count[2] = {n, width};
    return dt_hist_nc(nc_put_vara(ncid, varid, first, count, data), path, name);
}

static dt_status put_senders(int ncid, const char *path, const dt_day_record *d, size_t at)
{
    size_t n = d->n_senders;
    DT_CHECK(put_rows(ncid, path, "sender_ip", at, n, 1, d->sender_ip));
    DT_CHECK(put_rows(ncid, path, "sender_packets", at, n, 1, d->sender_packets));
    DT_CHECK(put_rows(ncid, path, "sender_cluster", at, n, 1, d->sender_cluster));
    if (d->sender_embedding)
        DT_CHECK(
            put_rows(ncid, path, "sender_embedding", at, n, (size_t)d->dim, d->sender_embedding));
    return DT_OK;
}

/* The cluster rows as columns, one array per variable. */
typedef struct {
    int32_t *id, *size, *label;
    float *silhouette, *purity, *top_share;
    signed char *origin, *novel;
    uint16_t *top_port;
    uint8_t *top_proto;
} cluster_columns;

static void columns_free(cluster_columns *c)
{
    free(c->id);
    free(c->size);
    free(c->label);
    free(c->silhouette);
    free(c->purity);
    free(c->top_share);
    free(c->origin);
    free(c->novel);
    free(c->top_port);
    free(c->top_proto);
}

static dt_status columns_alloc(cluster_columns *c, size_t n)
{
    size_t t = n * DT_TOP_SERVICES;
    DT_CHECK(dt_malloc(&c->id, n, sizeof *c->id, "cluster ids"));
    DT_CHECK(dt_malloc(&c->size, n, sizeof *c->size, "cluster sizes"));
    DT_CHECK(dt_malloc(&c->label, n, sizeof *c->label, "cluster labels"));
    DT_CHECK(dt_malloc(&c->silhouette, n, sizeof *c->silhouette, "cluster silhouettes"));
    DT_CHECK(dt_malloc(&c->purity, n, sizeof *c->purity, "cluster purities"));
    DT_CHECK(dt_malloc(&c->origin, n, sizeof *c->origin, "cluster origins"));
    DT_CHECK(dt_malloc(&c->novel, n, sizeof *c->novel, "cluster novelty"));
    DT_CHECK(dt_malloc(&c->top_share, t, sizeof *c->top_share, "cluster top shares"));
    DT_CHECK(dt_malloc(&c->top_port, t, sizeof *c->top_port, "cluster top ports"));
    return dt_malloc(&c->top_proto, t, sizeof *c->top_proto, "cluster top protocols");
}

static void columns_fill(cluster_columns *c, const dt_cluster_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c->id[i] = rows[i].id;
        c->size[i] = rows[i].size;
        c->label[i] = rows[i].label;
        c->silhouette[i] = rows[i].silhouette;
        c->purity[i] = rows[i].purity;
        c->origin[i] = (signed char)rows[i].origin;
        c->novel[i] = (signed char)rows[i].novel;
        for (size_t k = 0; k < DT_TOP_SERVICES; k++) {
            c->top_port[i * DT_TOP_SERVICES + k] = rows[i].top_port[k];
            c->top_proto[i * DT_TOP_SERVICES + k] = rows[i].top_proto[k];
            c->top_share[i * DT_TOP_SERVICES + k] = rows[i].top_share[k];
        }
    }
}

static dt_status put_clusters(int ncid, const char *path, const dt_day_record *d, size_t at)
{
    size_t n = d->n_clusters;
    if (n == 0)
        return DT_OK;

    cluster_columns c = {0};
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, columns_alloc(&c, n));
    columns_fill(&c, d->clusters, n);

    size_t w = DT_TOP_SERVICES;
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_id", at, n, 1, c.id));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_size", at, n, 1, c.size));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_silhouette", at, n, 1, c.silhouette));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_origin", at, n, 1, c.origin));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_novel", at, n, 1, c.novel));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_label", at, n, 1, c.label));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_purity", at, n, 1, c.purity));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_top_port", at, n, w, c.top_port));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_top_proto", at, n, w, c.top_proto));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "cluster_top_share", at, n, w, c.top_share));

out:
    columns_free(&c);
    return st;
}

static dt_status put_transitions(int ncid, const char *path, const dt_day_record *d, size_t at)
{
    size_t n = d->n_transitions;
    if (n == 0)
        return DT_OK;

    int32_t *from = NULL, *to = NULL;
    signed char *kind = NULL;
    float *overlap = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&from, n, sizeof *from, "transition sources"));
    DT_CHECK_GOTO(st, dt_malloc(&to, n, sizeof *to, "transition targets"));
    DT_CHECK_GOTO(st, dt_malloc(&kind, n, sizeof *kind, "transition kinds"));
    DT_CHECK_GOTO(st, dt_malloc(&overlap, n, sizeof *overlap, "transition overlaps"));
    for (size_t i = 0; i < n; i++) {
        from[i] = d->transitions[i].from;
        to[i] = d->transitions[i].to;
        kind[i] = (signed char)d->transitions[i].kind;
        overlap[i] = d->transitions[i].overlap;
    }

    DT_CHECK_GOTO(st, put_rows(ncid, path, "transition_from", at, n, 1, from));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "transition_to", at, n, 1, to));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "transition_kind", at, n, 1, kind));
    DT_CHECK_GOTO(st, put_rows(ncid, path, "transition_overlap", at, n, 1, overlap));

out:
    free(from);
    free(to);
    free(kind);
    free(overlap);
    return st;
}

/* The per-day scalars go last: within the file, too, a day's counts only appear once its
 * rows are there. */
static dt_status put_day_scalars(int ncid, const char *path, const dt_day_record *d, size_t at)
{
    int32_t senders = (int32_t)d->n_senders;
    int32_t clusters = (int32_t)d->n_clusters;
    int32_t transitions = (int32_t)d->n_transitions;
    DT_CHECK(put_rows(ncid, path, "sender_count", at, 1, 1, &senders));
    DT_CHECK(put_rows(ncid, path, "cluster_count", at, 1, 1, &clusters));
    DT_CHECK(put_rows(ncid, path, "transition_count", at, 1, 1, &transitions));
    DT_CHECK(put_rows(ncid, path, "packets", at, 1, 1, &d->packets));
    DT_CHECK(put_rows(ncid, path, "senders_seen", at, 1, 1, &d->senders_seen));
    DT_CHECK(put_rows(ncid, path, "senders_active", at, 1, 1, &d->senders_active));
    return put_rows(ncid, path, "day", at, 1, 1, &d->day);
}

dt_status dt_hist_append_day(int ncid, const char *path, const dt_day_record *day, int mid)
{
    if (day->n_senders > INT32_MAX || day->n_clusters > INT32_MAX || day->n_transitions > INT32_MAX)
        return dt_fail(DT_ERR_INTERNAL, "%s: day %d has more rows than the int counts hold", path,
                       (int)day->day);

    ends e;
    DT_CHECK(find_ends(ncid, path, &e));
    DT_CHECK(put_senders(ncid, path, day, e.sender));
    dt_hist_stage(mid);
    DT_CHECK(put_clusters(ncid, path, day, e.cluster));
    DT_CHECK(put_transitions(ncid, path, day, e.transition));
    return put_day_scalars(ncid, path, day, e.day);
}
