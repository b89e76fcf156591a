/* The history's layout: dimensions, variables, their attributes and the global ones. */
#include "dt_history_internal.h"

#include "dt_version.h"

#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

dt_status dt_hist_nc(int code, const char *path, const char *what)
{
    if (code == NC_NOERR)
        return DT_OK;
    int damaged = code == NC_EHDFERR || code == NC_ETRUNC || code == NC_EFILTER ||
                  code == NC_ENOTNC || code == NC_EBADCHUNK;
    return dt_fail(damaged ? DT_ERR_FORMAT : DT_ERR_IO, "%s: %s: %s%s", path, what,
                   nc_strerror(code), damaged ? " (a damaged file or a failing disk)" : "");
}

/* Which dimensions a variable spans (the observation dimension first). */
typedef enum { ON_DAY, ON_SENDER, ON_SENDER_EMB, ON_CLUSTER, ON_CLUSTER_TOP, ON_TRANSITION } span;

typedef struct {
    const char *name;
    nc_type type;
    span dims;
    const char *long_name;
    const char *units; /* NULL for none */
} var_spec;

static const var_spec variables[] = {
    {"day", NC_INT, ON_DAY, "UTC day", "days since 1970-01-01"},
    {"packets", NC_INT64, ON_DAY, "packets read that day, after filtering", "1"},
    {"senders_seen", NC_INT, ON_DAY, "distinct senders that day", "1"},
    {"senders_active", NC_INT, ON_DAY, "senders over the activity threshold", "1"},
    {"sender_count", NC_INT, ON_DAY, "rows of sender_obs for the day", NULL},
    {"sender_ip", NC_UINT, ON_SENDER, "IPv4 address as a host-order 32-bit integer", NULL},
    {"sender_packets", NC_INT, ON_SENDER, "the sender's packets that day", "1"},
    {"sender_cluster", NC_INT, ON_SENDER, "persistent cluster id of the sender, -1 noise", NULL},
    {"sender_embedding", NC_FLOAT, ON_SENDER_EMB, "the sender's vector that was clustered", NULL},
    {"cluster_count", NC_INT, ON_DAY, "rows of cluster_obs for the day", NULL},
    {"cluster_id", NC_INT, ON_CLUSTER, "persistent cluster id", NULL},
    {"cluster_size", NC_INT, ON_CLUSTER, "members that day", "1"},
    {"cluster_silhouette", NC_FLOAT, ON_CLUSTER, "mean cosine silhouette of the members", "1"},
    {"cluster_origin", NC_BYTE, ON_CLUSTER, "how the cluster came to be that day", NULL},
    {"cluster_novel", NC_BYTE, ON_CLUSTER, "1: emerged and matches no past cluster", NULL},
    {"cluster_label", NC_INT, ON_CLUSTER, "index into the labels attribute, -1 none", NULL},
    {"cluster_purity", NC_FLOAT, ON_CLUSTER, "share of members carrying the label", "1"},
    {"cluster_top_port", NC_USHORT, ON_CLUSTER_TOP, "busiest destination ports", NULL},
    {"cluster_top_proto", NC_UBYTE, ON_CLUSTER_TOP, "IP protocol of the busiest services", NULL},
    {"cluster_top_share", NC_FLOAT, ON_CLUSTER_TOP, "share of the members' packets", "1"},
    {"transition_count", NC_INT, ON_DAY, "rows of transition_obs for the day", NULL},
    {"transition_from", NC_INT, ON_TRANSITION, "previous day's cluster id, -1 noise or none", NULL},
    {"transition_to", NC_INT, ON_TRANSITION, "this day's cluster id, -1 noise or none", NULL},
    {"transition_kind", NC_BYTE, ON_TRANSITION, "kind of transition", NULL},
    {"transition_overlap", NC_FLOAT, ON_TRANSITION, "OL(X,Y)/A(X), NaN where not applicable", "1"},
};

typedef struct {
    int day, sender, cluster, transition, embedding, top;
    size_t embedding_len;
} dim_ids;

static dt_status define_dims(int ncid, const char *path, int dim, dim_ids *d)
{
    DT_CHECK(dt_hist_nc(nc_def_dim(ncid, "day", NC_UNLIMITED, &d->day), path, "defining day"));
    DT_CHECK(dt_hist_nc(nc_def_dim(ncid, "sender_obs", NC_UNLIMITED, &d->sender), path,
                        "defining sender_obs"));
    DT_CHECK(dt_hist_nc(nc_def_dim(ncid, "cluster_obs", NC_UNLIMITED, &d->cluster), path,
                        "defining cluster_obs"));
    DT_CHECK(dt_hist_nc(nc_def_dim(ncid, "transition_obs", NC_UNLIMITED, &d->transition), path,
                        "defining transition_obs"));
    DT_CHECK(dt_hist_nc(nc_def_dim(ncid, "top_service", DT_TOP_SERVICES, &d->top), path,
                        "defining top_service"));
    d->embedding = -1;
    d->embedding_len = (size_t)dim;
    if (dim > 0)
        DT_CHECK(dt_hist_nc(nc_def_dim(ncid, "embedding_dim", (size_t)dim, &d->embedding), path,
                            "defining embedding_dim"));
    return DT_OK;
}

/* Dimensions and chunk shape of one variable. */
static int var_shape(const var_spec *v, const dim_ids *d, int dims[2], size_t chunk[2])
{
    switch (v->dims) {
    case ON_DAY:
        dims[0] = d->day;
        chunk[0] = 1024;
        return 1;
    case ON_SENDER:
        dims[0] = d->sender;
        chunk[0] = DT_HIST_SENDER_CHUNK;
        return 1;
    case ON_SENDER_EMB:
        dims[0] = d->sender;
        dims[1] = d->embedding;
        chunk[0] = DT_HIST_EMBEDDING_ROWS;
        chunk[1] = d->embedding_len;
        return 2;
    case ON_CLUSTER:
        dims[0] = d->cluster;
        chunk[0] = DT_HIST_CLUSTER_CHUNK;
        return 1;
    case ON_CLUSTER_TOP:
        dims[0] = d->cluster;
        dims[1] = d->top;
        chunk[0] = DT_HIST_CLUSTER_CHUNK;
        chunk[1] = DT_TOP_SERVICES;
        return 2;
    case ON_TRANSITION:
        dims[0] = d->transition;
        chunk[0] = DT_HIST_TRANSITION_CHUNK;
        return 1;
    }
    return 0;
}

static dt_status put_text(int ncid, int varid, const char *path, const char *name, const char *text)
{
    const char *t = text ? text : "";
    return dt_hist_nc(nc_put_att_text(ncid, varid, name, strlen(t), t), path, name);
}

static const signed char flag_values[] = {0, 1, 2, 3, 4, 5, 6};
static const char flag_meanings[] = "survived absorbed split disappeared inactive emerged "
                                    "reappeared";

/* The attributes that make a variable self-describing (CF). */
static dt_status var_attributes(int ncid, int varid, const char *path, const var_spec *v)
{
    DT_CHECK(put_text(ncid, varid, path, "long_name", v->long_name));
    if (v->units)
        DT_CHECK(put_text(ncid, varid, path, "units", v->units));

    if (strcmp(v->name, "day") == 0) {
        DT_CHECK(put_text(ncid, varid, path, "standard_name", "time"));
        DT_CHECK(put_text(ncid, varid, path, "calendar", "standard"));
        DT_CHECK(put_text(ncid, varid, path, "axis", "T"));
    }

    const char *suffix = strstr(v->name, "_count");
    if (suffix && suffix[6] == '\0') {
        char sample[32];
        snprintf(sample, sizeof sample, "%.*s_obs", (int)(suffix - v->name), v->name);
        DT_CHECK(put_text(ncid, varid, path, "sample_dimension", sample));
    }

    if (strcmp(v->name, "transition_kind") == 0 || strcmp(v->name, "cluster_origin") == 0) {
        DT_CHECK(dt_hist_nc(
            nc_put_att_schar(ncid, varid, "flag_values", NC_BYTE, sizeof flag_values, flag_values),
            path, "flag_values"));
        DT_CHECK(put_text(ncid, varid, path, "flag_meanings", flag_meanings));
    }
    return DT_OK;
}

static dt_status define_var(int ncid, const char *path, const var_spec *v, const dim_ids *d)
{
    int dims[2];
    size_t chunk[2];
    int ndims = var_shape(v, d, dims, chunk);
    int varid = 0;
    DT_CHECK(dt_hist_nc(nc_def_var(ncid, v->name, v->type, ndims, dims, &varid), path, v->name));

    /* Shuffle groups the bytes of neighbouring values, which deflate then packs well;
     * Fletcher-32 makes a damaged chunk an error on reading instead of silent garbage. */
    DT_CHECK(dt_hist_nc(nc_def_var_chunking(ncid, varid, NC_CHUNKED, chunk), path, v->name));
    int level = v->dims == ON_SENDER_EMB ? DT_HIST_DEFLATE_EMBEDDING : DT_HIST_DEFLATE;
    DT_CHECK(dt_hist_nc(nc_def_var_deflate(ncid, varid, 1, 1, level), path, v->name));
    DT_CHECK(dt_hist_nc(nc_def_var_fletcher32(ncid, varid, NC_FLETCHER32), path, v->name));
    return var_attributes(ncid, varid, path, v);
}

static dt_status put_param(int ncid, const char *path, const dt_params *p,
                           const dt_param_info *info)
{
    const char *field = (const char *)p + info->offset;
    const char *name = info->attr;
    switch (info->type) {
    case DT_PARAM_INT:
    case DT_PARAM_FLAG: {
        int v = *(const int *)(const void *)field;
        if (strcmp(name, "min_samples") == 0)
            v = dt_params_min_samples(p); /* the value used, not the 0 that means "same" */
        return dt_hist_nc(nc_put_att_int(ncid, NC_GLOBAL, name, NC_INT, 1, &v), path, name);
    }
    case DT_PARAM_DOUBLE:
        return dt_hist_nc(nc_put_att_double(ncid, NC_GLOBAL, name, NC_DOUBLE, 1,
                                            (const double *)(const void *)field),
                          path, name);
    case DT_PARAM_U64: {
        unsigned long long v = *(const uint64_t *)(const void *)field;
        return dt_hist_nc(nc_put_att_ulonglong(ncid, NC_GLOBAL, name, NC_UINT64, 1, &v), path,
                          name);
    }
    case DT_PARAM_STRING:
        return put_text(ncid, NC_GLOBAL, path, name, *(char *const *)(const void *)field);
    }
    return dt_fail(DT_ERR_INTERNAL, "parameter %s has an unknown type", name);
}

static dt_status fixed_globals(int ncid, const char *path, int mpi_ranks)
{
    char created[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);

    int version = DT_HISTORY_VERSION;
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "Conventions", "CF-1.10"));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "title",
                      "darktrack history: coordinated sender groups in network-telescope "
                      "traffic, day by day"));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "date_created", created));
    DT_CHECK(dt_hist_nc(
        nc_put_att_int(ncid, NC_GLOBAL, "darktrack_history_version", NC_INT, 1, &version), path,
        "darktrack_history_version"));
    return dt_hist_nc(nc_put_att_int(ncid, NC_GLOBAL, "mpi_ranks", NC_INT, 1, &mpi_ranks), path,
                      "mpi_ranks");
}

dt_status dt_hist_define(int ncid, const char *path, const dt_params *params, int mpi_ranks)
{
    dim_ids d;
    DT_CHECK(define_dims(ncid, path, params->save_embeddings ? params->dim : 0, &d));

    for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++) {
        if (variables[i].dims == ON_SENDER_EMB && d.embedding < 0)
            continue;
        DT_CHECK(define_var(ncid, path, &variables[i], &d));
    }

    DT_CHECK(fixed_globals(ncid, path, mpi_ranks));
    size_t n_params = 0;
    const dt_param_info *table = dt_params_table(&n_params);
    for (size_t i = 0; i < n_params; i++)
        DT_CHECK(put_param(ncid, path, params, &table[i]));
    return dt_hist_nc(nc_enddef(ncid), path, "leaving define mode");
}

void dt_hist_run_attrs_free(dt_hist_run_attrs *a)
{
    free(a->history);
    free(a->source);
    free(a->libraries);
    free(a->command_line);
    free(a->input_files);
    free(a->labels);
    memset(a, 0, sizeof *a);
}

dt_status dt_hist_put_run_attrs(int ncid, const char *path, const dt_hist_run_attrs *a)
{
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "history", a->history));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "source", a->source));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "darktrack_version", DT_VERSION));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "darktrack_git_revision", DT_GIT_REVISION));
    DT_CHECK(dt_hist_nc(nc_put_att_int(ncid, NC_GLOBAL, "mpi_ranks", NC_INT, 1, &a->mpi_ranks),
                        path, "mpi_ranks"));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "library_versions", a->libraries));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "command_line", a->command_line));
    DT_CHECK(put_text(ncid, NC_GLOBAL, path, "input_files", a->input_files));
    return put_text(ncid, NC_GLOBAL, path, "labels", a->labels);
}

dt_status dt_hist_get_text(int ncid, const char *path, const char *name, char **out)
{
    *out = NULL;
    nc_type type = NC_NAT;
    size_t len = 0;
    int code = nc_inq_att(ncid, NC_GLOBAL, name, &type, &len);
    if (code == NC_ENOTATT || (code == NC_NOERR && type != NC_CHAR))
        len = 0;
    else
        DT_CHECK(dt_hist_nc(code, path, name));

    DT_CHECK(dt_malloc(out, len + 1, 1, "attribute text"));
    if (len > 0) {
        dt_status st = dt_hist_nc(nc_get_att_text(ncid, NC_GLOBAL, name, *out), path, name);
        if (st != DT_OK) {
            free(*out);
            *out = NULL;
            DT_CHECK(st);
        }
    }
    (*out)[len] = '\0';
    return DT_OK;
}
