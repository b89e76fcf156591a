/* Sender vectors as a netCDF file: writing (atomic) and reading with checks. */
#include "dt_vectors.h"

#include "dt_ncfile.h"

#include <netcdf.h>

#include <stdlib.h>

#define NC_TRY(st, call, path, what) DT_CHECK_GOTO(st, dt_ncfile_check(call, DT_ERR_IO, path, what))

static dt_status define_vectors(int ncid, const char *path, size_t n, size_t dim, int *ip_var,
                                int *emb_var)
{
    dt_status st = DT_OK;
    int dims[2];
    NC_TRY(st, nc_def_dim(ncid, "sender", n, &dims[0]), path, "defining sender");
    NC_TRY(st, nc_def_dim(ncid, "embedding_dim", dim, &dims[1]), path, "defining embedding_dim");
    NC_TRY(st, nc_def_var(ncid, "sender_ip", NC_UINT, 1, dims, ip_var), path, "defining sender_ip");
    NC_TRY(st, nc_def_var(ncid, "embedding", NC_FLOAT, 2, dims, emb_var), path,
           "defining embedding");

    static const char ip_note[] = "IPv4 address as an unsigned integer, host byte order";
    NC_TRY(st, nc_put_att_text(ncid, *ip_var, "long_name", sizeof ip_note - 1, ip_note), path,
           "writing attributes");
    NC_TRY(st, nc_enddef(ncid), path, "ending define mode");
out:
    return st;
}

dt_status dt_vectors_write(const char *path, size_t n, size_t dim, const uint32_t *ips,
                           const float *data)
{
    char tmp[4096];
    int ncid = -1;
    dt_status st = DT_OK;
    DT_CHECK(dt_ncfile_create_temp(path, tmp, sizeof tmp, &ncid));

    int ip_var = -1, emb_var = -1;
    DT_CHECK_GOTO(st, define_vectors(ncid, tmp, n, dim, &ip_var, &emb_var));
    if (n > 0) {
        NC_TRY(st, nc_put_var_uint(ncid, ip_var, ips), tmp, "writing sender_ip");
        NC_TRY(st, nc_put_var_float(ncid, emb_var, data), tmp, "writing embedding");
    }

    DT_CHECK_GOTO(st, dt_ncfile_commit(ncid, tmp, path));
    ncid = -1;
out:
    if (st != DT_OK && ncid >= 0)
        dt_ncfile_abandon(ncid, tmp);
    return st;
}

/* Finds a variable and checks its type and dimensions. */
static dt_status find_var(int ncid, const char *path, const char *name, nc_type want_type,
                          int ndims, const int *want_dims, int *varid)
{
    if (nc_inq_varid(ncid, name, varid) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: no variable %s: not a vectors file", path, name);

    nc_type type;
    int have_ndims = 0, dims[NC_MAX_VAR_DIMS];
    DT_CHECK(dt_ncfile_check(nc_inq_var(ncid, *varid, NULL, &type, &have_ndims, dims, NULL),
                             DT_ERR_FORMAT, path, name));
    if (type != want_type || have_ndims != ndims)
        return dt_fail(DT_ERR_FORMAT, "%s: variable %s has the wrong type or rank", path, name);
    for (int i = 0; i < ndims; i++)
        if (dims[i] != want_dims[i])
            return dt_fail(DT_ERR_FORMAT, "%s: variable %s has the wrong dimensions", path, name);
    return DT_OK;
}

static dt_status find_dim(int ncid, const char *path, const char *name, int *dimid, size_t *len)
{
    if (nc_inq_dimid(ncid, name, dimid) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: no dimension %s: not a vectors file", path, name);
    return dt_ncfile_check(nc_inq_dimlen(ncid, *dimid, len), DT_ERR_FORMAT, path, name);
}

dt_status dt_vectors_read(const char *path, size_t *n, size_t *dim, uint32_t **ips, float **data)
{
    int ncid = -1;
    uint32_t *ip_buf = NULL;
    float *data_buf = NULL;
    dt_status st = DT_OK;
    DT_CHECK(dt_ncfile_check(nc_open(path, NC_NOWRITE, &ncid), DT_ERR_IO, path, "cannot open"));

    int dims[2], ip_var, emb_var;
    size_t rows = 0, cols = 0;
    DT_CHECK_GOTO(st, find_dim(ncid, path, "sender", &dims[0], &rows));
    DT_CHECK_GOTO(st, find_dim(ncid, path, "embedding_dim", &dims[1], &cols));
    if (cols == 0 || (rows > 0 && cols > SIZE_MAX / sizeof(float) / rows)) {
        st = dt_fail(DT_ERR_FORMAT, "%s: %zu senders of dimension %zu cannot be held", path, rows,
                     cols);
        goto out;
    }
    DT_CHECK_GOTO(st, find_var(ncid, path, "sender_ip", NC_UINT, 1, dims, &ip_var));
    DT_CHECK_GOTO(st, find_var(ncid, path, "embedding", NC_FLOAT, 2, dims, &emb_var));

    DT_CHECK_GOTO(st, dt_malloc(&ip_buf, rows, sizeof *ip_buf, "sender addresses"));
    DT_CHECK_GOTO(st, dt_malloc(&data_buf, rows * cols, sizeof *data_buf, "sender vectors"));
    if (rows > 0) {
        NC_TRY(st, nc_get_var_uint(ncid, ip_var, ip_buf), path, "reading sender_ip");
        NC_TRY(st, nc_get_var_float(ncid, emb_var, data_buf), path, "reading embedding");
    }

    *n = rows;
    *dim = cols;
    *ips = ip_buf;
    *data = data_buf;
    ip_buf = NULL;
    data_buf = NULL;
out:
    free(ip_buf);
    free(data_buf);
    nc_close(ncid);
    return st;
}
