/* The Word2Vec model state as a netCDF-4 checkpoint: exact save and restore. */
#include "dt_ncfile.h"
#include "dt_w2v.h"
#include "dt_w2v_state.h"

#include <netcdf.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char checkpoint_kind[] = "darktrack Word2Vec checkpoint";
enum { CHECKPOINT_VERSION = 1, ROWS_PER_BLOCK = 4096 };

/* The integer settings the state depends on, by attribute name. */
typedef struct {
    const char *attr;
    size_t offset;
} int_setting;

static const int_setting int_settings[] = {
    {"embedding_dim", offsetof(dt_w2v_model, dim)},
    {"window", offsetof(dt_w2v_model, window)},
    {"negative", offsetof(dt_w2v_model, negative)},
    {"epochs", offsetof(dt_w2v_model, epochs)},
    {"warmup_days", offsetof(dt_w2v_model, warmup_days)},
    {"warmup_epochs", offsetof(dt_w2v_model, warmup_epochs)},
    {"forget_after", offsetof(dt_w2v_model, forget_after)},
    {"sync_words", offsetof(dt_w2v_model, sync_words)},
};

static int int_field(const dt_w2v_model *m, const int_setting *s)
{
    int v;
    memcpy(&v, (const char *)m + s->offset, sizeof v);
    return v;
}

#define NC_TRY(st, call, path, what) DT_CHECK_GOTO(st, dt_ncfile_check(call, DT_ERR_IO, path, what))

static dt_status put_settings(int ncid, const dt_w2v_model *m, const char *path)
{
    dt_status st = DT_OK;
    int version = CHECKPOINT_VERSION;
    NC_TRY(st,
           nc_put_att_text(ncid, NC_GLOBAL, "kind", sizeof checkpoint_kind - 1, checkpoint_kind),
           path, "writing attributes");
    NC_TRY(st, nc_put_att_int(ncid, NC_GLOBAL, "version", NC_INT, 1, &version), path,
           "writing attributes");
    for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++) {
        int v = int_field(m, &int_settings[i]);
        NC_TRY(st, nc_put_att_int(ncid, NC_GLOBAL, int_settings[i].attr, NC_INT, 1, &v), path,
               "writing attributes");
    }
    unsigned long long seed = m->seed;
    NC_TRY(st, nc_put_att_double(ncid, NC_GLOBAL, "alpha", NC_DOUBLE, 1, &m->alpha), path,
           "writing attributes");
    NC_TRY(st, nc_put_att_ulonglong(ncid, NC_GLOBAL, "seed", NC_UINT64, 1, &seed), path,
           "writing attributes");
    NC_TRY(st, nc_put_att_int(ncid, NC_GLOBAL, "day", NC_INT, 1, &m->day), path,
           "writing attributes");
    NC_TRY(st, nc_put_att_int(ncid, NC_GLOBAL, "days_trained", NC_INT, 1, &m->days_trained), path,
           "writing attributes");
out:
    return st;
}

typedef struct {
    int ip, last_seen, count, in, out;
} checkpoint_vars;

static dt_status define_vars(int ncid, const dt_w2v_model *m, const char *path, checkpoint_vars *v)
{
    dt_status st = DT_OK;
    int dims[2];
    NC_TRY(st, nc_def_dim(ncid, "sender", m->n_rows, &dims[0]), path, "defining sender");
    NC_TRY(st, nc_def_dim(ncid, "embedding_dim", (size_t)m->dim, &dims[1]), path,
           "defining embedding_dim");
    NC_TRY(st, nc_def_var(ncid, "sender_ip", NC_UINT, 1, dims, &v->ip), path, "defining vars");
    NC_TRY(st, nc_def_var(ncid, "last_seen", NC_INT, 1, dims, &v->last_seen), path,
           "defining vars");
    NC_TRY(st, nc_def_var(ncid, "word_count", NC_UINT64, 1, dims, &v->count), path,
           "defining vars");
    NC_TRY(st, nc_def_var(ncid, "input_vector", NC_FLOAT, 2, dims, &v->in), path, "defining vars");
    NC_TRY(st, nc_def_var(ncid, "output_vector", NC_FLOAT, 2, dims, &v->out), path,
           "defining vars");
    DT_CHECK_GOTO(st, put_settings(ncid, m, path));
    NC_TRY(st, nc_enddef(ncid), path, "ending define mode");
out:
    return st;
}

/* The shape of a padded vector array: rows of dim floats, stride floats apart. */
typedef struct {
    size_t rows, dim, stride;
} row_layout;

/* Writes a padded vector array through a packed block buffer. */
static dt_status write_vectors(int ncid, int var, const float *base, row_layout lay,
                               const char *path)
{
    float *block = NULL;
    dt_status st = DT_OK;
    DT_CHECK(dt_malloc(&block, ROWS_PER_BLOCK * lay.dim, sizeof *block, "a block of vectors"));

    for (size_t first = 0; first < lay.rows; first += ROWS_PER_BLOCK) {
        size_t rows = lay.rows - first < ROWS_PER_BLOCK ? lay.rows - first : ROWS_PER_BLOCK;
        for (size_t r = 0; r < rows; r++)
            memcpy(block + r * lay.dim, base + (first + r) * lay.stride, lay.dim * sizeof(float));
        size_t start[2] = {first, 0}, count[2] = {rows, lay.dim};
        NC_TRY(st, nc_put_vara_float(ncid, var, start, count, block), path, "writing vectors");
    }
out:
    free(block);
    return st;
}

/* Reads a vector array into padded rows, zeroing the padding. */
static dt_status read_vectors(int ncid, int var, float *base, row_layout lay, const char *path)
{
    float *block = NULL;
    dt_status st = DT_OK;
    DT_CHECK(dt_malloc(&block, ROWS_PER_BLOCK * lay.dim, sizeof *block, "a block of vectors"));

    for (size_t first = 0; first < lay.rows; first += ROWS_PER_BLOCK) {
        size_t rows = lay.rows - first < ROWS_PER_BLOCK ? lay.rows - first : ROWS_PER_BLOCK;
        size_t start[2] = {first, 0}, count[2] = {rows, lay.dim};
        NC_TRY(st, nc_get_vara_float(ncid, var, start, count, block), path, "reading vectors");
        for (size_t r = 0; r < rows; r++) {
            float *row = base + (first + r) * lay.stride;
            memcpy(row, block + r * lay.dim, lay.dim * sizeof(float));
            memset(row + lay.dim, 0, (lay.stride - lay.dim) * sizeof(float));
        }
    }
out:
    free(block);
    return st;
}

dt_status dt_w2v_checkpoint_save(const dt_w2v_model *m, const char *path)
{
    char tmp[4096];
    int ncid = -1;
    checkpoint_vars v;
    dt_status st = DT_OK;
    DT_CHECK(dt_ncfile_create_temp(path, tmp, sizeof tmp, &ncid));

    DT_CHECK_GOTO(st, define_vars(ncid, m, tmp, &v));
    if (m->n_rows > 0) {
        unsigned long long *counts = (unsigned long long *)(void *)m->count;
        NC_TRY(st, nc_put_var_uint(ncid, v.ip, m->ip), tmp, "writing sender_ip");
        NC_TRY(st, nc_put_var_int(ncid, v.last_seen, m->last_seen), tmp, "writing last_seen");
        NC_TRY(st, nc_put_var_ulonglong(ncid, v.count, counts), tmp, "writing word_count");
        row_layout lay = {m->n_rows, (size_t)m->dim, m->stride};
        DT_CHECK_GOTO(st, write_vectors(ncid, v.in, m->in, lay, tmp));
        DT_CHECK_GOTO(st, write_vectors(ncid, v.out, m->out, lay, tmp));
    }

    DT_CHECK_GOTO(st, dt_ncfile_commit(ncid, tmp, path));
    ncid = -1;
out:
    if (st != DT_OK && ncid >= 0)
        dt_ncfile_abandon(ncid, tmp);
    return st;
}

/* Fails with DT_ERR_MISMATCH unless every setting in the file equals the model's. */
static dt_status check_settings(int ncid, const dt_w2v_model *m, const char *path)
{
    for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++) {
        int have = 0, want = int_field(m, &int_settings[i]);
        if (nc_get_att_int(ncid, NC_GLOBAL, int_settings[i].attr, &have) != NC_NOERR)
            return dt_fail(DT_ERR_FORMAT, "%s: checkpoint lacks the %s attribute", path,
                           int_settings[i].attr);
        if (have != want)
            return dt_fail(DT_ERR_MISMATCH,
                           "%s: checkpoint was written with %s = %d, this run has %d", path,
                           int_settings[i].attr, have, want);
    }

    double alpha = 0;
    unsigned long long seed = 0;
    if (nc_get_att_double(ncid, NC_GLOBAL, "alpha", &alpha) != NC_NOERR ||
        nc_get_att_ulonglong(ncid, NC_GLOBAL, "seed", &seed) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: checkpoint lacks alpha or seed", path);
    if (alpha != m->alpha)
        return dt_fail(DT_ERR_MISMATCH,
                       "%s: checkpoint was written with alpha = %.17g, this run has %.17g", path,
                       alpha, m->alpha);
    if (seed != m->seed)
        return dt_fail(DT_ERR_MISMATCH,
                       "%s: checkpoint was written with seed = %llu, this run has %" PRIu64, path,
                       seed, m->seed);
    return DT_OK;
}

/* Checks the file is a checkpoint this version reads, and reads its day counters. */
static dt_status check_kind(int ncid, dt_w2v_model *m, const char *path)
{
    char kind[sizeof checkpoint_kind] = {0};
    size_t len = 0;
    int version = 0;
    if (nc_inq_attlen(ncid, NC_GLOBAL, "kind", &len) != NC_NOERR ||
        len != sizeof checkpoint_kind - 1 ||
        nc_get_att_text(ncid, NC_GLOBAL, "kind", kind) != NC_NOERR ||
        memcmp(kind, checkpoint_kind, len) != 0)
        return dt_fail(DT_ERR_FORMAT, "%s: not a Word2Vec checkpoint (no kind attribute '%s')",
                       path, checkpoint_kind);
    if (nc_get_att_int(ncid, NC_GLOBAL, "version", &version) != NC_NOERR ||
        version != CHECKPOINT_VERSION)
        return dt_fail(DT_ERR_FORMAT, "%s: checkpoint version %d, this darktrack reads %d", path,
                       version, CHECKPOINT_VERSION);
    if (nc_get_att_int(ncid, NC_GLOBAL, "day", &m->day) != NC_NOERR ||
        nc_get_att_int(ncid, NC_GLOBAL, "days_trained", &m->days_trained) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: checkpoint lacks day or days_trained", path);
    return DT_OK;
}

/* Finds a variable of the given type laid over the first ndims of dims. */
static dt_status find_var(int ncid, const char *path, const char *name, nc_type type, int ndims,
                          const int *dims, int *var)
{
    nc_type have_type;
    int have_ndims = 0, have_dims[NC_MAX_VAR_DIMS];
    if (nc_inq_varid(ncid, name, var) != NC_NOERR ||
        nc_inq_var(ncid, *var, NULL, &have_type, &have_ndims, have_dims, NULL) != NC_NOERR)
        return dt_fail(DT_ERR_FORMAT, "%s: checkpoint lacks variable %s", path, name);
    if (have_type != type || have_ndims != ndims || have_dims[0] != dims[0] ||
        (ndims == 2 && have_dims[1] != dims[1]))
        return dt_fail(DT_ERR_FORMAT, "%s: checkpoint variable %s has the wrong shape", path, name);
    return DT_OK;
}

static dt_status read_rows(int ncid, dt_w2v_model *m, const char *path)
{
    int dims[2];
    size_t rows = 0, dim = 0;
    if (nc_inq_dimid(ncid, "sender", &dims[0]) != NC_NOERR ||
        nc_inq_dimid(ncid, "embedding_dim", &dims[1]) != NC_NOERR ||
        nc_inq_dimlen(ncid, dims[0], &rows) != NC_NOERR ||
        nc_inq_dimlen(ncid, dims[1], &dim) != NC_NOERR || dim != (size_t)m->dim)
        return dt_fail(DT_ERR_FORMAT, "%s: checkpoint dimensions are missing or wrong", path);

    checkpoint_vars v;
    DT_CHECK(find_var(ncid, path, "sender_ip", NC_UINT, 1, dims, &v.ip));
    DT_CHECK(find_var(ncid, path, "last_seen", NC_INT, 1, dims, &v.last_seen));
    DT_CHECK(find_var(ncid, path, "word_count", NC_UINT64, 1, dims, &v.count));
    DT_CHECK(find_var(ncid, path, "input_vector", NC_FLOAT, 2, dims, &v.in));
    DT_CHECK(find_var(ncid, path, "output_vector", NC_FLOAT, 2, dims, &v.out));
    DT_CHECK(dt_w2v_model_set_rows(m, rows));
    if (rows == 0)
        return dt_w2v_model_reindex(m);

    unsigned long long *counts = (unsigned long long *)(void *)m->count;
    dt_status st = DT_OK;
    NC_TRY(st, nc_get_var_uint(ncid, v.ip, m->ip), path, "reading sender_ip");
    NC_TRY(st, nc_get_var_int(ncid, v.last_seen, m->last_seen), path, "reading last_seen");
    NC_TRY(st, nc_get_var_ulonglong(ncid, v.count, counts), path, "reading word_count");
    row_layout lay = {rows, dim, m->stride};
    DT_CHECK_GOTO(st, read_vectors(ncid, v.in, m->in, lay, path));
    DT_CHECK_GOTO(st, read_vectors(ncid, v.out, m->out, lay, path));
    DT_CHECK_GOTO(st, dt_w2v_model_reindex(m));
out:
    return st;
}

dt_status dt_w2v_checkpoint_load(const char *path, const dt_params *p, dt_w2v_model **out)
{
    *out = NULL;
    dt_w2v_model *m = NULL;
    int ncid = -1;
    dt_status st = DT_OK;
    DT_CHECK(dt_w2v_model_new(p, &m));
    DT_CHECK_GOTO(st, dt_ncfile_check(nc_open(path, NC_NOWRITE, &ncid), DT_ERR_IO, path,
                                      "cannot open checkpoint"));

    DT_CHECK_GOTO(st, check_kind(ncid, m, path));
    DT_CHECK_GOTO(st, check_settings(ncid, m, path));
    DT_CHECK_GOTO(st, read_rows(ncid, m, path));
    *out = m;
    m = NULL;
out:
    if (ncid >= 0)
        nc_close(ncid);
    dt_w2v_model_free(m);
    return st;
}
