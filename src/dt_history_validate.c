/* Telling a darktrack history from anything else, finding damage, comparing parameters. */
#include "dt_history_internal.h"

#include <errno.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A contract variable as validation expects it. */
typedef struct {
    const char *name;
    nc_type type;
    const char *dim0;
    const char *dim1; /* NULL for one dimension */
} expected_var;

static const expected_var expected[] = {
    {"day", NC_INT, "day", NULL},
    {"packets", NC_INT64, "day", NULL},
    {"senders_seen", NC_INT, "day", NULL},
    {"senders_active", NC_INT, "day", NULL},
    {"sender_count", NC_INT, "day", NULL},
    {"sender_ip", NC_UINT, "sender_obs", NULL},
    {"sender_packets", NC_INT, "sender_obs", NULL},
    {"sender_cluster", NC_INT, "sender_obs", NULL},
    {"cluster_count", NC_INT, "day", NULL},
    {"cluster_id", NC_INT, "cluster_obs", NULL},
    {"cluster_size", NC_INT, "cluster_obs", NULL},
    {"cluster_silhouette", NC_FLOAT, "cluster_obs", NULL},
    {"cluster_origin", NC_BYTE, "cluster_obs", NULL},
    {"cluster_novel", NC_BYTE, "cluster_obs", NULL},
    {"cluster_label", NC_INT, "cluster_obs", NULL},
    {"cluster_purity", NC_FLOAT, "cluster_obs", NULL},
    {"cluster_top_port", NC_USHORT, "cluster_obs", "top_service"},
    {"cluster_top_proto", NC_UBYTE, "cluster_obs", "top_service"},
    {"cluster_top_share", NC_FLOAT, "cluster_obs", "top_service"},
    {"transition_count", NC_INT, "day", NULL},
    {"transition_from", NC_INT, "transition_obs", NULL},
    {"transition_to", NC_INT, "transition_obs", NULL},
    {"transition_kind", NC_BYTE, "transition_obs", NULL},
    {"transition_overlap", NC_FLOAT, "transition_obs", NULL},
};

/* Looks at the first bytes: netCDF-4 files are HDF5 files, classic ones start with CDF. */
typedef enum { KIND_HDF5, KIND_CLASSIC, KIND_OTHER } file_kind;

static dt_status sniff(const char *path, file_kind *kind)
{
    unsigned char head[8] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return dt_fail(DT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);

    static const unsigned char hdf5[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (got == 8 && memcmp(head, hdf5, 8) == 0)
        *kind = KIND_HDF5;
    else if (got >= 4 && memcmp(head, "CDF", 3) == 0)
        *kind = KIND_CLASSIC;
    else
        *kind = KIND_OTHER;
    return DT_OK;
}

static dt_status check_version(int ncid, const char *path)
{
    nc_type type = NC_NAT;
    size_t len = 0;
    int code = nc_inq_att(ncid, NC_GLOBAL, "darktrack_history_version", &type, &len);
    if (code != NC_NOERR && code != NC_ENOTATT)
        return dt_fail(DT_ERR_FORMAT, "%s: damaged history: its attributes cannot be read (%s)",
                       path, nc_strerror(code));
    if (code == NC_ENOTATT)
        return dt_fail(DT_ERR_FORMAT,
                       "%s: not a darktrack history: a netCDF file without the "
                       "darktrack_history_version attribute; left untouched",
                       path);

    int version = 0;
    if (len != 1 || nc_get_att_int(ncid, NC_GLOBAL, "darktrack_history_version", &version))
        return dt_fail(DT_ERR_FORMAT, "%s: darktrack_history_version is not one integer", path);
    if (version != DT_HISTORY_VERSION)
        return dt_fail(DT_ERR_FORMAT,
                       "%s: history layout version %d; this darktrack reads version %d", path,
                       version, DT_HISTORY_VERSION);
    return DT_OK;
}

static dt_status check_var(int ncid, const char *path, const expected_var *e)
{
    int varid = 0, ndims = 0, dims[NC_MAX_VAR_DIMS];
    nc_type type = NC_NAT;
    if (nc_inq_varid(ncid, e->name, &varid) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: damaged history: variable '%s' is missing", path,
                       e->name);
    DT_CHECK(dt_hist_nc(nc_inq_var(ncid, varid, NULL, &type, &ndims, dims, NULL), path, e->name));

    char dim0[NC_MAX_NAME + 1] = "", dim1[NC_MAX_NAME + 1] = "";
    if (ndims >= 1)
        DT_CHECK(dt_hist_nc(nc_inq_dimname(ncid, dims[0], dim0), path, e->name));
    if (ndims >= 2)
        DT_CHECK(dt_hist_nc(nc_inq_dimname(ncid, dims[1], dim1), path, e->name));
    int want_dims = e->dim1 ? 2 : 1;
    if (type != e->type || ndims != want_dims || strcmp(dim0, e->dim0) != 0 ||
        (e->dim1 && strcmp(dim1, e->dim1) != 0))
        return dt_fail(DT_ERR_FORMAT,
                       "%s: damaged history: variable '%s' has the wrong type or dimensions "
                       "(type %d over %d dimensions, first '%s')",
                       path, e->name, (int)type, ndims, dim0);
    return DT_OK;
}

static dt_status read_ints(int ncid, const char *path, const char *name, size_t n, int32_t *out)
{
    if (n == 0)
        return DT_OK;
    int varid = 0;
    size_t start = 0;
    DT_CHECK(dt_hist_nc(nc_inq_varid(ncid, name, &varid), path, name));
    DT_CHECK(dt_hist_nc(nc_get_vara_int(ncid, varid, &start, &n, out), path, name));
    return DT_OK;
}

static dt_status dim_len(int ncid, const char *path, const char *name, size_t *len)
{
    int dimid = 0;
    if (nc_inq_dimid(ncid, name, &dimid) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: damaged history: dimension '%s' is missing", path, name);
    return dt_hist_nc(nc_inq_dimlen(ncid, dimid, len), path, name);
}

/* Prefix sums of one count variable, checked against its observation dimension. */
static dt_status ragged_starts(int ncid, const char *path, const char *count_name, const char *obs,
                               const int32_t *count, size_t n, size_t *start)
{
    size_t rows = 0;
    DT_CHECK(dim_len(ncid, path, obs, &rows));
    start[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (count[i] < 0)
            return dt_fail(DT_ERR_FORMAT, "%s: damaged history: %s[%zu] is %d", path, count_name, i,
                           (int)count[i]);
        start[i + 1] = start[i] + (size_t)count[i];
    }
    if (start[n] != rows)
        return dt_fail(DT_ERR_FORMAT,
                       "%s: damaged history: %s sums to %zu over %zu days but %s has %zu rows",
                       path, count_name, start[n], n, obs, rows);
    return DT_OK;
}

void dt_hist_index_free(dt_hist_index *ix)
{
    free(ix->day);
    free(ix->sender_count);
    free(ix->cluster_count);
    free(ix->transition_count);
    free(ix->sender_start);
    free(ix->cluster_start);
    free(ix->transition_start);
    memset(ix, 0, sizeof *ix);
}

static dt_status alloc_index(dt_hist_index *ix, size_t n)
{
    size_t m = n > 0 ? n : 1;
    DT_CHECK(dt_malloc(&ix->day, m, sizeof *ix->day, "history days"));
    DT_CHECK(dt_malloc(&ix->sender_count, m, sizeof(int32_t), "history counts"));
    DT_CHECK(dt_malloc(&ix->cluster_count, m, sizeof(int32_t), "history counts"));
    DT_CHECK(dt_malloc(&ix->transition_count, m, sizeof(int32_t), "history counts"));
    DT_CHECK(dt_malloc(&ix->sender_start, n + 1, sizeof(size_t), "history index"));
    DT_CHECK(dt_malloc(&ix->cluster_start, n + 1, sizeof(size_t), "history index"));
    return dt_malloc(&ix->transition_start, n + 1, sizeof(size_t), "history index");
}

static dt_status embedding_dim(int ncid, const char *path, int *dim)
{
    int varid = 0, dimid = 0;
    *dim = 0;
    if (nc_inq_varid(ncid, "sender_embedding", &varid) != NC_NOERR)
        return DT_OK;
    size_t len = 0;
    DT_CHECK(dt_hist_nc(nc_inq_dimid(ncid, "embedding_dim", &dimid), path, "embedding_dim"));
    DT_CHECK(dt_hist_nc(nc_inq_dimlen(ncid, dimid, &len), path, "embedding_dim"));
    *dim = (int)len;
    return DT_OK;
}

static dt_status check_days(const char *path, const dt_hist_index *ix)
{
    for (size_t i = 1; i < ix->n_days; i++)
        if (ix->day[i] <= ix->day[i - 1])
            return dt_fail(DT_ERR_FORMAT,
                           "%s: damaged history: day[%zu] = %d does not follow day[%zu] = %d", path,
                           i, (int)ix->day[i], i - 1, (int)ix->day[i - 1]);
    return DT_OK;
}

static dt_status load_index(int ncid, const char *path, dt_hist_index *ix)
{
    size_t n = 0;
    DT_CHECK(dim_len(ncid, path, "day", &n));
    DT_CHECK(alloc_index(ix, n));
    ix->n_days = n;

    DT_CHECK(read_ints(ncid, path, "day", n, ix->day));
    DT_CHECK(read_ints(ncid, path, "sender_count", n, ix->sender_count));
    DT_CHECK(read_ints(ncid, path, "cluster_count", n, ix->cluster_count));
    DT_CHECK(read_ints(ncid, path, "transition_count", n, ix->transition_count));
    DT_CHECK(check_days(path, ix));

    DT_CHECK(ragged_starts(ncid, path, "sender_count", "sender_obs", ix->sender_count, n,
                           ix->sender_start));
    DT_CHECK(ragged_starts(ncid, path, "cluster_count", "cluster_obs", ix->cluster_count, n,
                           ix->cluster_start));
    DT_CHECK(ragged_starts(ncid, path, "transition_count", "transition_obs", ix->transition_count,
                           n, ix->transition_start));
    return embedding_dim(ncid, path, &ix->embedding_dim);
}

static dt_status open_by_kind(const char *path, int mode, int *ncid)
{
    file_kind kind = KIND_OTHER;
    DT_CHECK(sniff(path, &kind));
    if (kind == KIND_OTHER)
        return dt_fail(DT_ERR_FORMAT,
                       "%s: not a darktrack history: not a netCDF file; left "
                       "untouched",
                       path);

    int code = nc_open(path, mode, ncid);
    if (code != NC_NOERR && kind == KIND_HDF5)
        return dt_fail(DT_ERR_FORMAT,
                       "%s: damaged history: the netCDF-4 file cannot be opened (%s); it may "
                       "be truncated; left untouched",
                       path, nc_strerror(code));
    return dt_hist_nc(code, path, "opening");
}

dt_status dt_hist_open_valid(const char *path, int mode, int *ncid, dt_hist_index *ix)
{
    DT_CHECK(open_by_kind(path, mode, ncid));

    dt_status st = check_version(*ncid, path);
    for (size_t i = 0; st == DT_OK && i < sizeof expected / sizeof expected[0]; i++)
        st = check_var(*ncid, path, &expected[i]);
    dt_hist_index local = {0};
    if (st == DT_OK)
        st = load_index(*ncid, path, ix ? ix : &local);
    dt_hist_index_free(&local);

    if (st != DT_OK) {
        if (ix)
            dt_hist_index_free(ix);
        nc_close(*ncid);
        *ncid = -1;
        dt_error_trace(__func__, __FILE__, __LINE__);
    }
    return st;
}

/* Reads one parameter attribute into the matching field of p. */
static dt_status load_param(int ncid, const char *path, const dt_param_info *info, dt_params *p)
{
    char *field = (char *)p + info->offset;
    nc_type type = NC_NAT;
    size_t len = 0;
    if (nc_inq_att(ncid, NC_GLOBAL, info->attr, &type, &len) != NC_NOERR)
        return dt_fail(DT_ERR_MISMATCH, "%s: the history has no '%s' parameter attribute", path,
                       info->attr);

    int code = NC_NOERR;
    switch (info->type) {
    case DT_PARAM_INT:
    case DT_PARAM_FLAG:
        code = len == 1 ? nc_get_att_int(ncid, NC_GLOBAL, info->attr, (int *)(void *)field)
                        : NC_EBADTYPE;
        break;
    case DT_PARAM_DOUBLE:
        code = len == 1 ? nc_get_att_double(ncid, NC_GLOBAL, info->attr, (double *)(void *)field)
                        : NC_EBADTYPE;
        break;
    case DT_PARAM_U64:
        code = len == 1 ? nc_get_att_ulonglong(ncid, NC_GLOBAL, info->attr,
                                               (unsigned long long *)(void *)field)
                        : NC_EBADTYPE;
        break;
    case DT_PARAM_STRING: {
        char **slot = (char **)(void *)field;
        free(*slot);
        *slot = NULL;
        DT_CHECK(dt_hist_get_text(ncid, path, info->attr, slot));
        if (!(*slot)[0]) {
            free(*slot);
            *slot = NULL;
        }
        break;
    }
    }
    return dt_hist_nc(code, path, info->attr);
}

dt_status dt_hist_load_params(int ncid, const char *path, dt_params *params, int *mpi_ranks)
{
    dt_params_defaults(params);
    size_t n = 0;
    const dt_param_info *table = dt_params_table(&n);
    for (size_t i = 0; i < n; i++)
        DT_CHECK(load_param(ncid, path, &table[i], params));

    *mpi_ranks = 0;
    if (nc_get_att_int(ncid, NC_GLOBAL, "mpi_ranks", mpi_ranks) != NC_NOERR)
        return dt_fail(DT_ERR_MISMATCH, "%s: the history has no 'mpi_ranks' attribute", path);
    return DT_OK;
}

void dt_history_format_param(const dt_params *p, const dt_param_info *info, char *buf, size_t len)
{
    const void *field = (const char *)p + info->offset;
    if (strcmp(info->attr, "min_samples") == 0) {
        snprintf(buf, len, "%d", dt_params_min_samples(p));
    } else if (info->type == DT_PARAM_DOUBLE) {
        /* The shortest form that reads back as the same double: 0.65, not 0.65000000000000002 */
        double v = *(const double *)field;
        for (int digits = 6; digits <= 17; digits++) {
            snprintf(buf, len, "%.*g", digits, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    } else {
        dt_params_format(p, info, buf, len);
    }
}

dt_status dt_hist_check_params(int ncid, const char *path, const dt_params *params, int mpi_ranks)
{
    dt_params stored;
    int stored_ranks = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_hist_load_params(ncid, path, &stored, &stored_ranks));

    size_t n = 0;
    const dt_param_info *table = dt_params_table(&n);
    for (size_t i = 0; i < n; i++) {
        char was[512], now[512];
        dt_history_format_param(&stored, &table[i], was, sizeof was);
        dt_history_format_param(params, &table[i], now, sizeof now);
        if (strcmp(was, now) != 0) {
            st = dt_fail(DT_ERR_MISMATCH,
                         "%s: written with %s = '%s', this run has %s = '%s'; resume with the "
                         "same parameters or write a new history",
                         path, table[i].attr, was, table[i].attr, now);
            goto out;
        }
    }

    /* The vectors depend on how the ranks split each day's training (floating-point sums in
     * another order), so a resume on another rank count would not reproduce a single run. */
    if (stored_ranks != mpi_ranks)
        st = dt_fail(DT_ERR_MISMATCH,
                     "%s: written with mpi_ranks = %d, this run has mpi_ranks = %d; resume on "
                     "%d rank%s (the vectors depend on the rank count)",
                     path, stored_ranks, mpi_ranks, stored_ranks, stored_ranks == 1 ? "" : "s");

out:
    dt_params_free(&stored);
    return st;
}
