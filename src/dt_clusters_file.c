/* Writing a clustering: one CSV table of points and clusters, or a netCDF file. */
#include "dt_clusters_file.h"

#include "dt_ncfile.h"

#include <errno.h>
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <string.h>

static void format_ip(char *buf, size_t len, uint32_t ip, int is_row)
{
    if (is_row)
        snprintf(buf, len, "%u", ip);
    else
        snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255u, (ip >> 8) & 255u, ip & 255u);
}

static void write_point_rows(FILE *f, const dt_clusters_summary *s)
{
    const dt_hdbscan_result *r = s->result;
    for (size_t i = 0; i < r->n; i++) {
        char ip[32];
        char sil[40] = "";
        format_ip(ip, sizeof ip, s->ips[i], s->ips_are_rows);
        if (r->labels[i] >= 0)
            snprintf(sil, sizeof sil, "%.9g", s->silhouette[i]);
        fprintf(f, "point,%zu,%s,%d,%.9g,%.9g,%s,%.17g,,\n", i, ip, r->labels[i],
                (double)r->outlier[i], (double)r->probability[i], sil, s->core[i]);
    }
}

static void write_cluster_rows(FILE *f, const dt_clusters_summary *s)
{
    const dt_hdbscan_result *r = s->result;
    for (int32_t c = 0; c < r->n_clusters; c++)
        fprintf(f, "cluster,%d,,%d,,,%.9g,,%d,%.17g\n", c, c, s->cluster_silhouette[c], r->size[c],
                r->stability[c]);
}

dt_status dt_clusters_write_csv(const char *path, const dt_clusters_summary *s)
{
    int to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f)
        return dt_fail(DT_ERR_IO, "%s: cannot create: %s", path, strerror(errno));

    fprintf(f, "# darktrack cluster: HDBSCAN (cosine) of %s\n", s->source);
    fprintf(f, "# min_cluster_size %d, min_samples %d: %zu points, %d clusters\n",
            s->min_cluster_size, s->min_samples, s->result->n, s->result->n_clusters);
    fprintf(f, "kind,index,ip,label,outlier,probability,silhouette,core_distance,size,"
               "stability\n");
    write_point_rows(f, s);
    write_cluster_rows(f, s);

    int failed = ferror(f) != 0;
    if (to_stdout)
        failed |= fflush(f) != 0;
    else
        failed |= fclose(f) != 0;
    if (failed)
        return dt_fail(DT_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    return DT_OK;
}

#define NC_TRY(st, call, path, what) DT_CHECK_GOTO(st, dt_ncfile_check(call, DT_ERR_IO, path, what))

typedef struct {
    int point_dim, cluster_dim;
    int ip, label, outlier, probability, silhouette, core;
    int size, stability, cluster_silhouette;
} cluster_vars;

static dt_status define_point_vars(int nc, const char *path, cluster_vars *v)
{
    dt_status st = DT_OK;
    const int *d = &v->point_dim;
    NC_TRY(st, nc_def_var(nc, "sender_ip", NC_UINT, 1, d, &v->ip), path, "defining sender_ip");
    NC_TRY(st, nc_def_var(nc, "label", NC_INT, 1, d, &v->label), path, "defining label");
    NC_TRY(st, nc_def_var(nc, "outlier", NC_FLOAT, 1, d, &v->outlier), path, "defining outlier");
    NC_TRY(st, nc_def_var(nc, "probability", NC_FLOAT, 1, d, &v->probability), path,
           "defining probability");
    NC_TRY(st, nc_def_var(nc, "silhouette", NC_DOUBLE, 1, d, &v->silhouette), path,
           "defining silhouette");
    NC_TRY(st, nc_def_var(nc, "core_distance", NC_DOUBLE, 1, d, &v->core), path,
           "defining core_distance");
    double fill = NAN;
    NC_TRY(st, nc_put_att_double(nc, v->silhouette, "_FillValue", NC_DOUBLE, 1, &fill), path,
           "writing silhouette fill value");
    static const char label_note[] = "cluster number, -1 for noise";
    NC_TRY(st, nc_put_att_text(nc, v->label, "long_name", sizeof label_note - 1, label_note), path,
           "writing attributes");
out:
    return st;
}

static dt_status define_cluster_vars(int nc, const char *path, cluster_vars *v)
{
    dt_status st = DT_OK;
    const int *d = &v->cluster_dim;
    NC_TRY(st, nc_def_var(nc, "cluster_size", NC_INT, 1, d, &v->size), path,
           "defining cluster_size");
    NC_TRY(st, nc_def_var(nc, "stability", NC_DOUBLE, 1, d, &v->stability), path,
           "defining stability");
    NC_TRY(st, nc_def_var(nc, "cluster_silhouette", NC_DOUBLE, 1, d, &v->cluster_silhouette), path,
           "defining cluster_silhouette");
out:
    return st;
}

static dt_status define_file(int nc, const char *path, const dt_clusters_summary *s,
                             cluster_vars *v)
{
    dt_status st = DT_OK;
    size_t k = (size_t)s->result->n_clusters;
    NC_TRY(st, nc_def_dim(nc, "point", s->result->n, &v->point_dim), path, "defining point");
    NC_TRY(st, nc_def_dim(nc, "cluster", k, &v->cluster_dim), path, "defining cluster");
    DT_CHECK_GOTO(st, define_point_vars(nc, path, v));
    DT_CHECK_GOTO(st, define_cluster_vars(nc, path, v));
    NC_TRY(st, nc_put_att_text(nc, NC_GLOBAL, "source", strlen(s->source), s->source), path,
           "writing attributes");
    NC_TRY(st, nc_put_att_int(nc, NC_GLOBAL, "min_cluster_size", NC_INT, 1, &s->min_cluster_size),
           path, "writing attributes");
    NC_TRY(st, nc_put_att_int(nc, NC_GLOBAL, "min_samples", NC_INT, 1, &s->min_samples), path,
           "writing attributes");
    static const char method[] = "HDBSCAN on cosine distance, R dbscan::hdbscan semantics";
    NC_TRY(st, nc_put_att_text(nc, NC_GLOBAL, "method", sizeof method - 1, method), path,
           "writing attributes");
    NC_TRY(st, nc_enddef(nc), path, "ending define mode");
out:
    return st;
}

static dt_status put_values(int nc, const char *path, const dt_clusters_summary *s,
                            const cluster_vars *v)
{
    dt_status st = DT_OK;
    const dt_hdbscan_result *r = s->result;
    if (r->n > 0) {
        NC_TRY(st, nc_put_var_uint(nc, v->ip, s->ips), path, "writing sender_ip");
        NC_TRY(st, nc_put_var_int(nc, v->label, r->labels), path, "writing label");
        NC_TRY(st, nc_put_var_float(nc, v->outlier, r->outlier), path, "writing outlier");
        NC_TRY(st, nc_put_var_float(nc, v->probability, r->probability), path,
               "writing probability");
        NC_TRY(st, nc_put_var_double(nc, v->silhouette, s->silhouette), path, "writing silhouette");
        NC_TRY(st, nc_put_var_double(nc, v->core, s->core), path, "writing core_distance");
    }
    if (r->n_clusters > 0) {
        NC_TRY(st, nc_put_var_int(nc, v->size, r->size), path, "writing cluster_size");
        NC_TRY(st, nc_put_var_double(nc, v->stability, r->stability), path, "writing stability");
        NC_TRY(st, nc_put_var_double(nc, v->cluster_silhouette, s->cluster_silhouette), path,
               "writing cluster_silhouette");
    }
out:
    return st;
}

dt_status dt_clusters_write_netcdf(const char *path, const dt_clusters_summary *s)
{
    char tmp[4096];
    int nc = -1;
    cluster_vars v;
    dt_status st = DT_OK;
    DT_CHECK(dt_ncfile_create_temp(path, tmp, sizeof tmp, &nc));
    DT_CHECK_GOTO(st, define_file(nc, tmp, s, &v));
    DT_CHECK_GOTO(st, put_values(nc, tmp, s, &v));
    int done = nc;
    nc = -1; /* dt_ncfile_commit closes it, whatever happens */
    DT_CHECK_GOTO(st, dt_ncfile_commit(done, tmp, path));
out:
    if (st != DT_OK && nc >= 0)
        dt_ncfile_abandon(nc, tmp);
    return st;
}
