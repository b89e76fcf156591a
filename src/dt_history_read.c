/* Reading a history back: whole days for the report, sender lists for the DCA replay. */
#include "dt_history_internal.h"

#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

struct dt_history_reader {
    char *path;
    int ncid;
    dt_hist_index ix;
};

/* Reads rows [start, start + n) of a variable into memory of the variable's own type. */
static dt_status get_rows(int ncid, const char *path, const char *name, size_t start, size_t n,
                          size_t width, void *data)
{
    if (n == 0)
        return DT_OK;
    int varid = 0;
    DT_CHECK(dt_hist_nc(nc_inq_varid(ncid, name, &varid), path, name));
    size_t first[2] = {start, 0};
    size_t count[2] = {n, width};
    return dt_hist_nc(nc_get_vara(ncid, varid, first, count, data), path, name);
}

void dt_history_day_free(dt_history_day *day)
{
    if (!day)
        return;
    free(day->sender_ip);
    free(day->sender_packets);
    free(day->sender_cluster);
    free(day->sender_embedding);
    free(day->clusters);
    free(day->transitions);
    memset(day, 0, sizeof *day);
}

static dt_status read_senders_full(int ncid, const char *path, const dt_hist_index *ix, size_t i,
                                   dt_history_day *out)
{
    size_t at = ix->sender_start[i];
    size_t n = (size_t)ix->sender_count[i];
    size_t m = n > 0 ? n : 1;
    DT_CHECK(dt_malloc(&out->sender_ip, m, sizeof *out->sender_ip, "sender addresses"));
    DT_CHECK(dt_malloc(&out->sender_packets, m, sizeof(int32_t), "sender packets"));
    DT_CHECK(dt_malloc(&out->sender_cluster, m, sizeof(int32_t), "sender clusters"));
    DT_CHECK(get_rows(ncid, path, "sender_ip", at, n, 1, out->sender_ip));
    DT_CHECK(get_rows(ncid, path, "sender_packets", at, n, 1, out->sender_packets));
    DT_CHECK(get_rows(ncid, path, "sender_cluster", at, n, 1, out->sender_cluster));

    if (ix->embedding_dim > 0) {
        size_t e = (size_t)ix->embedding_dim;
        DT_CHECK(dt_malloc(&out->sender_embedding, m * e, sizeof(float), "sender embeddings"));
        DT_CHECK(get_rows(ncid, path, "sender_embedding", at, n, e, out->sender_embedding));
    }
    return DT_OK;
}

static dt_status read_cluster_columns(int ncid, const char *path, size_t at, size_t n,
                                      dt_cluster_row *rows)
{
    enum { T = DT_TOP_SERVICES };
    int32_t *ints = NULL;
    float *floats = NULL;
    signed char *bytes = NULL;
    uint16_t *ports = NULL;
    uint8_t *protos = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&ints, 3 * n, sizeof *ints, "cluster columns"));
    DT_CHECK_GOTO(st, dt_malloc(&floats, (2 + T) * n, sizeof *floats, "cluster columns"));
    DT_CHECK_GOTO(st, dt_malloc(&bytes, 2 * n, sizeof *bytes, "cluster columns"));
    DT_CHECK_GOTO(st, dt_malloc(&ports, T * n, sizeof *ports, "cluster columns"));
    DT_CHECK_GOTO(st, dt_malloc(&protos, T * n, sizeof *protos, "cluster columns"));

    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_id", at, n, 1, ints));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_size", at, n, 1, ints + n));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_label", at, n, 1, ints + 2 * n));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_silhouette", at, n, 1, floats));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_purity", at, n, 1, floats + n));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_top_share", at, n, T, floats + 2 * n));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_origin", at, n, 1, bytes));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_novel", at, n, 1, bytes + n));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_top_port", at, n, T, ports));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "cluster_top_proto", at, n, T, protos));

    for (size_t c = 0; c < n; c++) {
        dt_cluster_row *r = &rows[c];
        r->id = ints[c];
        r->size = ints[n + c];
        r->label = ints[2 * n + c];
        r->silhouette = floats[c];
        r->purity = floats[n + c];
        r->origin = (uint8_t)bytes[c];
        r->novel = (uint8_t)bytes[n + c];
        for (size_t k = 0; k < T; k++) {
            r->top_share[k] = floats[2 * n + c * T + k];
            r->top_port[k] = ports[c * T + k];
            r->top_proto[k] = protos[c * T + k];
        }
    }

out:
    free(ints);
    free(floats);
    free(bytes);
    free(ports);
    free(protos);
    return st;
}

static dt_status read_transitions(int ncid, const char *path, size_t at, size_t n,
                                  dt_transition *rows)
{
    int32_t *ints = NULL;
    float *overlap = NULL;
    signed char *kind = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&ints, 2 * n, sizeof *ints, "transition columns"));
    DT_CHECK_GOTO(st, dt_malloc(&overlap, n, sizeof *overlap, "transition columns"));
    DT_CHECK_GOTO(st, dt_malloc(&kind, n, sizeof *kind, "transition columns"));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "transition_from", at, n, 1, ints));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "transition_to", at, n, 1, ints + n));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "transition_kind", at, n, 1, kind));
    DT_CHECK_GOTO(st, get_rows(ncid, path, "transition_overlap", at, n, 1, overlap));

    for (size_t t = 0; t < n; t++)
        rows[t] = (dt_transition){ints[t], ints[n + t], (uint8_t)kind[t], overlap[t]};

out:
    free(ints);
    free(overlap);
    free(kind);
    return st;
}

static dt_status read_day_scalars(int ncid, const char *path, size_t i, dt_day_record *rec)
{
    DT_CHECK(get_rows(ncid, path, "packets", i, 1, 1, &rec->packets));
    DT_CHECK(get_rows(ncid, path, "senders_seen", i, 1, 1, &rec->senders_seen));
    return get_rows(ncid, path, "senders_active", i, 1, 1, &rec->senders_active);
}

static dt_status read_day_into(int ncid, const char *path, const dt_hist_index *ix, size_t i,
                               int with_senders, dt_history_day *out)
{
    if (with_senders)
        DT_CHECK(read_senders_full(ncid, path, ix, i, out));

    size_t nc = (size_t)ix->cluster_count[i];
    size_t nt = (size_t)ix->transition_count[i];
    DT_CHECK(dt_calloc(&out->clusters, nc > 0 ? nc : 1, sizeof *out->clusters, "clusters"));
    DT_CHECK(
        dt_calloc(&out->transitions, nt > 0 ? nt : 1, sizeof *out->transitions, "transitions"));
    if (nc > 0)
        DT_CHECK(read_cluster_columns(ncid, path, ix->cluster_start[i], nc, out->clusters));
    if (nt > 0)
        DT_CHECK(read_transitions(ncid, path, ix->transition_start[i], nt, out->transitions));

    dt_day_record *rec = &out->record;
    rec->day = ix->day[i];
    DT_CHECK(read_day_scalars(ncid, path, i, rec));
    rec->n_senders = with_senders ? (size_t)ix->sender_count[i] : 0;
    rec->sender_ip = out->sender_ip;
    rec->sender_packets = out->sender_packets;
    rec->sender_cluster = out->sender_cluster;
    rec->sender_embedding = out->sender_embedding;
    rec->dim = ix->embedding_dim;
    rec->n_clusters = nc;
    rec->clusters = out->clusters;
    rec->n_transitions = nt;
    rec->transitions = out->transitions;
    return DT_OK;
}

dt_status dt_hist_read_day(int ncid, const char *path, const dt_hist_index *ix, size_t i,
                           int with_senders, dt_history_day *out)
{
    memset(out, 0, sizeof *out);
    if (i >= ix->n_days)
        return dt_fail(DT_ERR_USAGE, "%s: day number %zu asked for; the history has %zu days", path,
                       i, ix->n_days);

    dt_status st = read_day_into(ncid, path, ix, i, with_senders, out);
    if (st != DT_OK) {
        dt_history_day_free(out);
        dt_error_trace(__func__, __FILE__, __LINE__);
    }
    return st;
}

dt_status dt_history_reader_open(const char *path, dt_history_reader **out)
{
    *out = NULL;
    DT_CHECK(dt_hist_probe(path));
    return dt_hist_reader_open_trusted(path, out);
}

dt_status dt_hist_reader_open_trusted(const char *path, dt_history_reader **out)
{
    *out = NULL;
    dt_history_reader *r = NULL;
    DT_CHECK(dt_calloc(&r, 1, sizeof *r, "history reader"));
    r->ncid = -1;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&r->path, strlen(path) + 1, 1, "history path"));
    memcpy(r->path, path, strlen(path) + 1);
    DT_CHECK_GOTO(st, dt_hist_open_valid(path, NC_NOWRITE, &r->ncid, &r->ix));
    *out = r;
    r = NULL;

out:
    dt_history_reader_close(r);
    return st;
}

void dt_history_reader_close(dt_history_reader *r)
{
    if (!r)
        return;
    if (r->ncid >= 0)
        nc_close(r->ncid);
    dt_hist_index_free(&r->ix);
    free(r->path);
    free(r);
}

const int32_t *dt_history_reader_days(const dt_history_reader *r, size_t *n_days)
{
    *n_days = r->ix.n_days;
    return r->ix.day;
}

dt_status dt_history_read_day(dt_history_reader *r, size_t index, dt_history_day *out)
{
    return dt_hist_read_day(r->ncid, r->path, &r->ix, index, 1, out);
}

dt_status dt_history_read_summary(dt_history_reader *r, size_t index, dt_history_day *out)
{
    return dt_hist_read_day(r->ncid, r->path, &r->ix, index, 0, out);
}

dt_status dt_history_read_senders(dt_history_reader *r, size_t index, uint32_t **ip,
                                  int32_t **cluster, size_t *capacity, size_t *n)
{
    *n = 0;
    if (index >= r->ix.n_days)
        return dt_fail(DT_ERR_USAGE, "%s: day number %zu asked for; the history has %zu days",
                       r->path, index, r->ix.n_days);

    size_t count = (size_t)r->ix.sender_count[index];
    if (count > *capacity) {
        DT_CHECK(dt_realloc(ip, count, sizeof **ip, "sender addresses"));
        DT_CHECK(dt_realloc(cluster, count, sizeof **cluster, "sender clusters"));
        *capacity = count;
    }

    size_t at = r->ix.sender_start[index];
    DT_CHECK(get_rows(r->ncid, r->path, "sender_ip", at, count, 1, *ip));
    DT_CHECK(get_rows(r->ncid, r->path, "sender_cluster", at, count, 1, *cluster));
    *n = count;
    return DT_OK;
}

dt_status dt_history_reader_params(dt_history_reader *r, dt_params *params, int *mpi_ranks)
{
    return dt_hist_load_params(r->ncid, r->path, params, mpi_ranks);
}

dt_status dt_history_reader_text(dt_history_reader *r, const char *name, char **out)
{
    return dt_hist_get_text(r->ncid, r->path, name, out);
}

dt_status dt_history_read_day_at(const char *path, size_t index, dt_history_day *out)
{
    dt_history_reader *r = NULL;
    memset(out, 0, sizeof *out);
    DT_CHECK(dt_history_reader_open(path, &r));
    dt_status st = dt_history_read_day(r, index, out);
    dt_history_reader_close(r);
    DT_CHECK(st);
    return DT_OK;
}
