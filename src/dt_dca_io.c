/* Saving the DCA state to a netCDF group and rebuilding it from one. */
#include "dt_dca_internal.h"

#include <fcntl.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { DCA_STATE_VERSION = 1 };

/* A (day, address, id) membership of the saved state. */
typedef struct {
    int32_t day;
    uint32_t ip;
    int32_t id;
} membership;

static int membership_cmp(const void *a, const void *b)
{
    const membership *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->ip > y->ip) - (x->ip < y->ip);
}

static dt_status nc_check(int rc, const char *what, const char *where)
{
    if (rc == NC_NOERR)
        return DT_OK;
    return dt_fail(DT_ERR_IO, "%s: DCA state: %s: %s", where, what, nc_strerror(rc));
}

/* Every membership the state keeps: the index's for days before yesterday (their noise
 * is not needed) and yesterday's whole partition, sorted by day then address. */
static dt_status collect(const dt_dca_state *s, membership **out, size_t *count)
{
    const dt_dca_index *idx = &s->index;
    size_t total = s->n_prev;
    for (size_t i = 0; i < idx->cap; i++)
        total += idx->slots[i].refs ? idx->slots[i].n : 0;

    membership *m = NULL;
    DT_CHECK(dt_malloc(&m, total, sizeof *m, "the saved DCA state"));
    size_t k = 0;
    for (size_t i = 0; i < idx->cap; i++) {
        const dt_dca_postings *p = &idx->slots[i];
        for (uint32_t r = 0; p->refs && r < p->n; r++) {
            const dt_dca_past_cluster *c = &idx->clusters[p->refs[r]];
            if (!s->has_days || c->day < s->last_day)
                m[k++] = (membership){c->day, p->ip, c->id};
        }
    }
    for (size_t i = 0; i < s->n_prev; i++)
        m[k++] = (membership){s->last_day, s->prev_ip[i], s->prev_id[i]};
    qsort(m, k, sizeof *m, membership_cmp);
    *out = m;
    *count = k;
    return DT_OK;
}

/* Splits sorted memberships into days: day values and row counts (caller frees). */
static dt_status count_days(const membership *m, size_t k, int32_t **days, int32_t **counts,
                            size_t *n_days)
{
    /* One spare row: yesterday may have had no active sender at all. */
    DT_CHECK(dt_malloc(days, k + 1, sizeof **days, "saved days"));
    DT_CHECK(dt_malloc(counts, k + 1, sizeof **counts, "saved days"));
    size_t d = 0;
    for (size_t i = 0; i < k; i++) {
        if (d == 0 || (*days)[d - 1] != m[i].day) {
            (*days)[d] = m[i].day;
            (*counts)[d++] = 0;
        }
        (*counts)[d - 1]++;
    }
    *n_days = d;
    return DT_OK;
}

static dt_status put_attributes(const dt_dca_state *s, int ncid, const char *w)
{
    int version = DCA_STATE_VERSION;
    int32_t scalars[2] = {s->next_id, s->opt.horizon_days};
    DT_CHECK(nc_check(nc_put_att_int(ncid, NC_GLOBAL, "dca_state_version", NC_INT, 1, &version),
                      "writing attributes", w));
    DT_CHECK(nc_check(nc_put_att_int(ncid, NC_GLOBAL, "dca_next_id", NC_INT, 1, &scalars[0]),
                      "writing attributes", w));
    DT_CHECK(nc_check(nc_put_att_int(ncid, NC_GLOBAL, "dca_horizon_days", NC_INT, 1, &scalars[1]),
                      "writing attributes", w));
    DT_CHECK(nc_check(nc_put_att_double(ncid, NC_GLOBAL, "dca_tau0", NC_DOUBLE, 1, &s->opt.tau0),
                      "writing attributes", w));
    DT_CHECK(nc_check(nc_put_att_double(ncid, NC_GLOBAL, "dca_tau1", NC_DOUBLE, 1, &s->opt.tau1),
                      "writing attributes", w));
    return DT_OK;
}

/* Defines the dimensions and variables; returns the variable ids in vars[4]. */
static dt_status define_vars(int ncid, size_t n_days, size_t n_obs, int vars[4], const char *w)
{
    int dim_day, dim_obs;
    DT_CHECK(nc_check(nc_def_dim(ncid, "dca_day", n_days, &dim_day), "defining dca_day", w));
    DT_CHECK(nc_check(nc_def_dim(ncid, "dca_obs", n_obs, &dim_obs), "defining dca_obs", w));
    DT_CHECK(nc_check(nc_def_var(ncid, "dca_day", NC_INT, 1, &dim_day, &vars[0]), "dca_day", w));
    DT_CHECK(
        nc_check(nc_def_var(ncid, "dca_count", NC_INT, 1, &dim_day, &vars[1]), "dca_count", w));
    DT_CHECK(nc_check(nc_def_var(ncid, "dca_ip", NC_UINT, 1, &dim_obs, &vars[2]), "dca_ip", w));
    DT_CHECK(
        nc_check(nc_def_var(ncid, "dca_cluster", NC_INT, 1, &dim_obs, &vars[3]), "dca_cluster", w));
    const char *sample = "dca_obs";
    DT_CHECK(nc_check(nc_put_att_text(ncid, vars[1], "sample_dimension", strlen(sample), sample),
                      "dca_count", w));
    return DT_OK;
}

static dt_status write_vars(int ncid, const int vars[4], const membership *m, size_t k,
                            const int32_t *days, const int32_t *counts, size_t n_days,
                            const char *w)
{
    dt_status st = DT_OK;
    uint32_t *ip = NULL;
    int32_t *id = NULL;
    DT_CHECK_GOTO(st, dt_malloc(&ip, k, sizeof *ip, "the saved DCA state"));
    DT_CHECK_GOTO(st, dt_malloc(&id, k, sizeof *id, "the saved DCA state"));
    for (size_t i = 0; i < k; i++) {
        ip[i] = m[i].ip;
        id[i] = m[i].id;
    }

    int rc = nc_enddef(ncid);
    if (rc != NC_NOERR && rc != NC_ENOTINDEFINE)
        DT_CHECK_GOTO(st, nc_check(rc, "leaving define mode", w));
    if (n_days > 0) {
        DT_CHECK_GOTO(st, nc_check(nc_put_var_int(ncid, vars[0], days), "writing dca_day", w));
        DT_CHECK_GOTO(st, nc_check(nc_put_var_int(ncid, vars[1], counts), "writing dca_count", w));
    }
    if (k > 0) {
        DT_CHECK_GOTO(st, nc_check(nc_put_var_uint(ncid, vars[2], ip), "writing dca_ip", w));
        DT_CHECK_GOTO(st, nc_check(nc_put_var_int(ncid, vars[3], id), "writing dca_cluster", w));
    }

out:
    free(ip);
    free(id);
    return st;
}

dt_status dt_dca_state_save(const dt_dca_state *s, int ncid)
{
    const char *w = "netCDF group";
    dt_status st = DT_OK;
    membership *m = NULL;
    int32_t *days = NULL, *counts = NULL;
    size_t k = 0, n_days = 0;
    DT_CHECK_GOTO(st, collect(s, &m, &k));
    DT_CHECK_GOTO(st, count_days(m, k, &days, &counts, &n_days));

    /* Yesterday may be all noise or empty and still must be restored as yesterday. */
    if (s->has_days && (n_days == 0 || days[n_days - 1] != s->last_day)) {
        days[n_days] = s->last_day;
        counts[n_days++] = 0;
    }

    int vars[4];
    DT_CHECK_GOTO(st, put_attributes(s, ncid, w));
    DT_CHECK_GOTO(st, define_vars(ncid, n_days, k, vars, w));
    DT_CHECK_GOTO(st, write_vars(ncid, vars, m, k, days, counts, n_days, w));

out:
    free(m);
    free(days);
    free(counts);
    return st;
}

static dt_status get_int_att(int ncid, const char *name, int *value, const char *w)
{
    int rc = nc_get_att_int(ncid, NC_GLOBAL, name, value);
    if (rc != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: DCA state: attribute %s: %s", w, name, nc_strerror(rc));
    return DT_OK;
}

static dt_status read_options(int ncid, dt_dca_options *opt, int *next_id, const char *w)
{
    int version = 0, horizon = 0;
    DT_CHECK(get_int_att(ncid, "dca_state_version", &version, w));
    if (version != DCA_STATE_VERSION)
        return dt_fail(DT_ERR_FORMAT, "%s: DCA state version %d, this darktrack reads %d", w,
                       version, DCA_STATE_VERSION);
    DT_CHECK(get_int_att(ncid, "dca_next_id", next_id, w));
    DT_CHECK(get_int_att(ncid, "dca_horizon_days", &horizon, w));
    int rc = nc_get_att_double(ncid, NC_GLOBAL, "dca_tau0", &opt->tau0);
    if (rc == NC_NOERR)
        rc = nc_get_att_double(ncid, NC_GLOBAL, "dca_tau1", &opt->tau1);
    if (rc != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: DCA state: thresholds: %s", w, nc_strerror(rc));
    opt->horizon_days = horizon;
    return DT_OK;
}

/* The length of a dimension and the id of the variable of the same name. */
static dt_status find_var(int ncid, const char *dim, const char *var, size_t *len, int *varid,
                          const char *w)
{
    int dimid;
    int rc = nc_inq_dimid(ncid, dim, &dimid);
    if (rc == NC_NOERR)
        rc = nc_inq_dimlen(ncid, dimid, len);
    if (rc == NC_NOERR)
        rc = nc_inq_varid(ncid, var, varid);
    if (rc != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: DCA state: %s(%s): %s", w, var, dim, nc_strerror(rc));
    return DT_OK;
}

typedef struct {
    size_t n_days, n_obs;
    int32_t *day, *count, *id;
    uint32_t *ip;
} saved_rows;

static void saved_rows_free(saved_rows *r)
{
    free(r->day);
    free(r->count);
    free(r->id);
    free(r->ip);
}

static dt_status read_rows(int ncid, saved_rows *r, const char *w)
{
    int v_day, v_count, v_ip, v_id;
    size_t n_obs2;
    DT_CHECK(find_var(ncid, "dca_day", "dca_day", &r->n_days, &v_day, w));
    DT_CHECK(find_var(ncid, "dca_obs", "dca_ip", &r->n_obs, &v_ip, w));
    DT_CHECK(find_var(ncid, "dca_obs", "dca_cluster", &n_obs2, &v_id, w));
    DT_CHECK(find_var(ncid, "dca_day", "dca_count", &n_obs2, &v_count, w));

    DT_CHECK(dt_malloc(&r->day, r->n_days, sizeof *r->day, "the loaded DCA state"));
    DT_CHECK(dt_malloc(&r->count, r->n_days, sizeof *r->count, "the loaded DCA state"));
    DT_CHECK(dt_malloc(&r->ip, r->n_obs, sizeof *r->ip, "the loaded DCA state"));
    DT_CHECK(dt_malloc(&r->id, r->n_obs, sizeof *r->id, "the loaded DCA state"));
    if (r->n_days > 0) {
        DT_CHECK(nc_check(nc_get_var_int(ncid, v_day, r->day), "reading dca_day", w));
        DT_CHECK(nc_check(nc_get_var_int(ncid, v_count, r->count), "reading dca_count", w));
    }
    if (r->n_obs > 0) {
        DT_CHECK(nc_check(nc_get_var_uint(ncid, v_ip, r->ip), "reading dca_ip", w));
        DT_CHECK(nc_check(nc_get_var_int(ncid, v_id, r->id), "reading dca_cluster", w));
    }

    size_t total = 0;
    for (size_t d = 0; d < r->n_days; d++) {
        if (r->count[d] < 0 || (size_t)r->count[d] > r->n_obs - total)
            return dt_fail(DT_ERR_FORMAT,
                           "%s: DCA state: dca_count[%zu] = %d overruns the %zu "
                           "rows of dca_obs",
                           w, d, (int)r->count[d], r->n_obs);
        total += (size_t)r->count[d];
    }
    if (total != r->n_obs)
        return dt_fail(DT_ERR_FORMAT, "%s: DCA state: dca_count sums to %zu, dca_obs has %zu", w,
                       total, r->n_obs);
    return DT_OK;
}

dt_status dt_dca_state_load(dt_dca_state **out, int ncid, const char *where)
{
    *out = NULL;
    dt_status st = DT_OK;
    dt_dca_state *s = NULL;
    saved_rows rows = {0};
    dt_dca_options opt;
    int next_id = 0;
    DT_CHECK_GOTO(st, read_options(ncid, &opt, &next_id, where));
    DT_CHECK_GOTO(st, read_rows(ncid, &rows, where));
    DT_CHECK_GOTO(st, dt_dca_state_create(&s, &opt));

    /* Replaying the saved days rebuilds the index exactly as the days built it. */
    DT_CHECK_GOTO(st, dt_dca_state_replay(s, rows.n_days, rows.day, rows.count, rows.ip, rows.id,
                                          rows.n_obs, where));
    if (next_id > s->next_id)
        s->next_id = next_id;
    *out = s;
    s = NULL;

out:
    saved_rows_free(&rows);
    dt_dca_state_free(s);
    return st;
}

dt_status dt_dca_state_save_file(const dt_dca_state *s, const char *path)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return dt_fail(DT_ERR_IO, "%s: path too long", path);

    int ncid;
    DT_CHECK(nc_check(nc_create(tmp, NC_NETCDF4 | NC_CLOBBER, &ncid), "creating", tmp));
    dt_status st = dt_dca_state_save(s, ncid);
    int rc = nc_close(ncid);
    if (st == DT_OK)
        st = nc_check(rc, "closing", tmp);
    if (st != DT_OK) {
        unlink(tmp);
        DT_CHECK(st);
    }

    /* Durable before it replaces the old state: a crash leaves one whole file or the other. */
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        return dt_fail(DT_ERR_IO, "%s: could not sync the DCA state", tmp);
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return dt_fail(DT_ERR_IO, "%s: could not replace it with %s", path, tmp);
    }
    return DT_OK;
}

dt_status dt_dca_state_load_file(dt_dca_state **out, const char *path)
{
    *out = NULL;
    int ncid;
    int rc = nc_open(path, NC_NOWRITE, &ncid);
    if (rc != NC_NOERR)
        return dt_fail(DT_ERR_IO, "%s: cannot open the DCA state: %s", path, nc_strerror(rc));
    dt_status st = dt_dca_state_load(out, ncid, path);
    nc_close(ncid);
    DT_CHECK(st);
    return DT_OK;
}
