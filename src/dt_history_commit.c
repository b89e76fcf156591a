/* Opening a history for a run and committing days whole: the shadow-and-rename protocol. */
#include "dt_history_files.h"
#include "dt_history_internal.h"

#include "dt_log.h"
#include "dt_provenance.h"

#include <errno.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The shadow's day count when there is no usable shadow (the next commit copies one). */
#define NO_SHADOW ((size_t)-1)

struct dt_history {
    char *path;   /* the history readers open */
    char *tmp;    /* path.tmp: the next version while it is being written */
    char *shadow; /* path.shadow: the previous version, a day or so behind */
    char *lock;   /* path.lock: held while this run may write */
    int lock_fd;
    int save_embeddings;
    int dim;
    dt_hist_run_attrs attrs;
    int32_t *days;
    size_t n_days;
    size_t shadow_days;
};

static void (*commit_hook)(int stage);

void dt_history_set_commit_hook(void (*hook)(int stage))
{
    commit_hook = hook;
}

void dt_hist_stage(int stage)
{
    if (commit_hook && stage >= 0)
        commit_hook(stage);
}

static dt_status dup_text(char **out, const char *text)
{
    const char *t = text ? text : "";
    size_t len = strlen(t) + 1;
    DT_CHECK(dt_malloc(out, len, 1, "history text"));
    memcpy(*out, t, len);
    return DT_OK;
}

static dt_status suffixed(char **out, const char *path, const char *suffix)
{
    size_t len = strlen(path) + strlen(suffix) + 1;
    DT_CHECK(dt_malloc(out, len, 1, "history path"));
    snprintf(*out, len, "%s%s", path, suffix);
    return DT_OK;
}

/* The run's provenance; history is the earlier runs' lines followed by this run's. */
static dt_status make_run_attrs(dt_hist_run_attrs *a, const dt_history_run *run,
                                const char *earlier)
{
    char version[256], libraries[1024], stamp[32];
    dt_version_string(version, sizeof version);
    dt_library_versions(libraries, sizeof libraries);
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);

    const char *cmd = run->command_line ? run->command_line : "";
    size_t len = strlen(earlier) + strlen(stamp) + strlen(version) + strlen(cmd) + 64;
    DT_CHECK(dt_malloc(&a->history, len, 1, "history attribute"));
    snprintf(a->history, len, "%s%s%s %s: %s (%d ranks)", earlier, earlier[0] ? "\n" : "", stamp,
             version, cmd, run->mpi_ranks);

    DT_CHECK(dup_text(&a->source, version));
    DT_CHECK(dup_text(&a->libraries, libraries));
    DT_CHECK(dup_text(&a->command_line, cmd));
    DT_CHECK(dup_text(&a->input_files, run->input_files));
    DT_CHECK(dup_text(&a->labels, run->labels));
    a->mpi_ranks = run->mpi_ranks;
    return DT_OK;
}

/* Writes an empty history under the temporary name and renames it into place. */
static dt_status create_empty(dt_history *h, const dt_params *params)
{
    int ncid = -1;
    dt_status st = DT_OK;
    DT_CHECK(dt_hist_remove(h->tmp));
    DT_CHECK_GOTO(
        st, dt_hist_nc(nc_create(h->tmp, NC_NETCDF4 | NC_CLOBBER, &ncid), h->tmp, "creating"));
    DT_CHECK_GOTO(st, dt_hist_define(ncid, h->tmp, params, h->attrs.mpi_ranks));
    DT_CHECK_GOTO(st, dt_hist_put_run_attrs(ncid, h->tmp, &h->attrs));
    int code = nc_close(ncid);
    ncid = -1;
    DT_CHECK_GOTO(st, dt_hist_nc(code, h->tmp, "closing"));

    DT_CHECK_GOTO(st, dt_hist_fsync_path(h->tmp));
    if (rename(h->tmp, h->path) != 0) {
        st = dt_fail(DT_ERR_IO, "%s: cannot rename into place: %s", h->path, strerror(errno));
        goto out;
    }
    DT_CHECK_GOTO(st, dt_hist_fsync_dir(h->path));

out:
    if (ncid >= 0)
        nc_close(ncid);
    if (st != DT_OK)
        dt_hist_remove(h->tmp);
    return st;
}

/* Validates an existing history against the run and learns its days and earlier runs. */
static dt_status load_existing(dt_history *h, const dt_params *params, const dt_history_run *run)
{
    int ncid = -1;
    dt_hist_index ix = {0};
    char *earlier = NULL;
    dt_status st = DT_OK;
    DT_CHECK(dt_hist_open_valid(h->path, NC_NOWRITE, &ncid, &ix));
    DT_CHECK_GOTO(st, dt_hist_check_params(ncid, h->path, params, run->mpi_ranks));
    DT_CHECK_GOTO(st, dt_hist_get_text(ncid, h->path, "history", &earlier));
    DT_CHECK_GOTO(st, make_run_attrs(&h->attrs, run, earlier));

    h->days = ix.day;
    h->n_days = ix.n_days;
    ix.day = NULL;

out:
    free(earlier);
    dt_hist_index_free(&ix);
    nc_close(ncid);
    return st;
}

/* Keeps the shadow when it is a separate, valid earlier version of the history. */
static void adopt_shadow(dt_history *h, const dt_params *params)
{
    h->shadow_days = NO_SHADOW;
    if (!dt_hist_exists(h->shadow) || dt_hist_same_file(h->shadow, h->path))
        return;

    int ncid = -1;
    dt_hist_index ix = {0};
    if (dt_hist_open_valid(h->shadow, NC_NOWRITE, &ncid, &ix) != DT_OK) {
        dt_error_clear();
        return;
    }
    int prefix = ix.n_days <= h->n_days &&
                 (ix.n_days == 0 || memcmp(ix.day, h->days, ix.n_days * sizeof *ix.day) == 0);
    if (prefix && dt_hist_check_params(ncid, h->shadow, params, h->attrs.mpi_ranks) == DT_OK)
        h->shadow_days = ix.n_days;
    dt_error_clear();
    nc_close(ncid);
    dt_hist_index_free(&ix);
}

static dt_status open_paths(dt_history *h, const char *path)
{
    DT_CHECK(dup_text(&h->path, path));
    DT_CHECK(suffixed(&h->tmp, path, ".tmp"));
    DT_CHECK(suffixed(&h->lock, path, ".lock"));
    return suffixed(&h->shadow, path, ".shadow");
}

/* Releases the lock and frees everything h owns. */
static void free_history(dt_history *h)
{
    if (h->lock)
        dt_hist_unlock(h->lock, h->lock_fd);
    dt_hist_run_attrs_free(&h->attrs);
    free(h->days);
    free(h->path);
    free(h->tmp);
    free(h->shadow);
    free(h->lock);
    free(h);
}

static dt_status check_run(const dt_params *params, const dt_history_run *run)
{
    if (run->mpi_ranks < 1)
        return dt_fail(DT_ERR_INTERNAL, "history: mpi_ranks is %d", run->mpi_ranks);
    if (params->save_embeddings && params->dim < 1)
        return dt_fail(DT_ERR_USAGE, "history: embeddings asked for with dim %d", params->dim);
    return DT_OK;
}

dt_status dt_history_open(const char *path, const dt_params *params, const dt_history_run *run,
                          dt_history **out)
{
    *out = NULL;
    DT_CHECK(check_run(params, run));
    dt_history *h = NULL;
    DT_CHECK(dt_calloc(&h, 1, sizeof *h, "history"));
    h->save_embeddings = params->save_embeddings;
    h->dim = params->dim;
    h->lock_fd = -1;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, open_paths(h, path));
    DT_CHECK_GOTO(st, dt_hist_lock(h->lock, path, &h->lock_fd));

    if (dt_hist_exists(path)) {
        DT_CHECK_GOTO(st, dt_hist_probe(path));
        DT_CHECK_GOTO(st, load_existing(h, params, run));
        DT_CHECK_GOTO(st, dt_hist_remove(h->tmp)); /* an unfinished commit of a killed run */
        adopt_shadow(h, params);
    } else {
        DT_CHECK_GOTO(st, make_run_attrs(&h->attrs, run, ""));
        DT_CHECK_GOTO(st, dt_hist_remove(h->shadow)); /* belongs to a history since removed */
        DT_CHECK_GOTO(st, create_empty(h, params));
        h->shadow_days = NO_SHADOW;
    }
    *out = h;
    h = NULL;

out:
    if (h)
        free_history(h);
    return st;
}

const char *dt_history_path(const dt_history *h)
{
    return h->path;
}

const int32_t *dt_history_days(const dt_history *h, size_t *n_days)
{
    *n_days = h->n_days;
    return h->days;
}

int dt_history_last_day(const dt_history *h, int32_t *day)
{
    if (h->n_days == 0)
        return 0;
    *day = h->days[h->n_days - 1];
    return 1;
}

int dt_history_has_day(const dt_history *h, int32_t day)
{
    for (size_t i = h->n_days; i > 0; i--)
        if (h->days[i - 1] == day)
            return 1;
    return 0;
}

/* Checks that a record fits the history before anything is touched. */
static dt_status check_record(const dt_history *h, const dt_day_record *d)
{
    int32_t last = 0;
    if (dt_history_last_day(h, &last) && d->day <= last)
        return dt_fail(DT_ERR_INTERNAL, "%s: day %d committed after day %d; days go forward",
                       h->path, (int)d->day, (int)last);
    if (h->save_embeddings && (!d->sender_embedding || d->dim != h->dim))
        return dt_fail(DT_ERR_INTERNAL, "%s: day %d needs embeddings of dim %d, got dim %d",
                       h->path, (int)d->day, h->dim, d->sender_embedding ? d->dim : 0);
    if (!h->save_embeddings && d->sender_embedding)
        return dt_fail(DT_ERR_INTERNAL, "%s: day %d carries embeddings the run does not save",
                       h->path, (int)d->day);
    if ((d->n_senders > 0 && (!d->sender_ip || !d->sender_packets || !d->sender_cluster)) ||
        (d->n_clusters > 0 && !d->clusters) || (d->n_transitions > 0 && !d->transitions))
        return dt_fail(DT_ERR_INTERNAL, "%s: day %d lacks some of its arrays", h->path,
                       (int)d->day);
    return DT_OK;
}

/* Makes the shadow a fresh copy of the history (first commit, or after a crash). */
static dt_status make_shadow(dt_history *h)
{
    DT_CHECK(dt_hist_remove(h->shadow));
    DT_CHECK(dt_hist_copy_file(h->path, h->tmp));
    if (rename(h->tmp, h->shadow) != 0)
        return dt_fail(DT_ERR_IO, "%s: cannot rename: %s", h->shadow, strerror(errno));
    h->shadow_days = h->n_days;
    return DT_OK;
}

/* Appends to the open next version the days the history has and it lacks. */
static dt_status catch_up(dt_history *h, int ncid)
{
    if (h->shadow_days == h->n_days)
        return DT_OK;

    dt_history_reader *r = NULL;
    dt_history_day day = {0};
    dt_status st = DT_OK;
    DT_CHECK(dt_hist_reader_open_trusted(h->path, &r)); /* written by this run */
    for (size_t i = h->shadow_days; i < h->n_days; i++) {
        DT_CHECK_GOTO(st, dt_history_read_day(r, i, &day));
        DT_CHECK_GOTO(st, dt_hist_append_day(ncid, h->tmp, &day.record, -1));
        dt_history_day_free(&day);
    }

out:
    dt_history_day_free(&day);
    dt_history_reader_close(r);
    return st;
}

/* Writes the next version under the temporary name: the shadow plus what it lacks. */
static dt_status write_next(dt_history *h, const dt_day_record *d)
{
    if (rename(h->shadow, h->tmp) != 0)
        return dt_fail(DT_ERR_IO, "%s: cannot rename: %s", h->shadow, strerror(errno));
    dt_hist_stage(0);

    int ncid = -1;
    dt_status st = DT_OK;
    DT_CHECK(dt_hist_nc(nc_open(h->tmp, NC_WRITE, &ncid), h->tmp, "opening to append"));
    DT_CHECK_GOTO(st, catch_up(h, ncid));
    dt_hist_stage(1);
    DT_CHECK_GOTO(st, dt_hist_put_run_attrs(ncid, h->tmp, &h->attrs));
    DT_CHECK_GOTO(st, dt_hist_append_day(ncid, h->tmp, d, 2));
    dt_hist_stage(3);
    int code = nc_close(ncid);
    ncid = -1;
    DT_CHECK_GOTO(st, dt_hist_nc(code, h->tmp, "closing"));
    dt_hist_stage(4);
    DT_CHECK_GOTO(st, dt_hist_fsync_path(h->tmp));
    dt_hist_stage(5);

out:
    if (ncid >= 0)
        nc_close(ncid);
    return st;
}

/* Puts the next version in place; the old one stays behind as the next shadow. */
static dt_status publish(dt_history *h)
{
    int linked = link(h->path, h->shadow) == 0;
    if (!linked)
        dt_debug("%s: no hard link for the shadow (%s); the next commit copies", h->shadow,
                 strerror(errno));
    dt_hist_stage(6);

    if (rename(h->tmp, h->path) != 0)
        return dt_fail(DT_ERR_IO, "%s: cannot rename into place: %s", h->path, strerror(errno));
    dt_hist_stage(7);
    DT_CHECK(dt_hist_fsync_dir(h->path));
    dt_hist_stage(8);

    h->shadow_days = linked ? h->n_days : NO_SHADOW;
    return DT_OK;
}

static dt_status remember_day(dt_history *h, int32_t day)
{
    DT_CHECK(dt_realloc(&h->days, h->n_days + 1, sizeof *h->days, "history days"));
    h->days[h->n_days++] = day;
    return DT_OK;
}

/* After a failed commit: drop the half-written version; the shadow is rebuilt next time. */
static void abandon(dt_history *h)
{
    dt_hist_remove(h->tmp);
    if (dt_hist_same_file(h->shadow, h->path))
        dt_hist_remove(h->shadow);
    if (!dt_hist_exists(h->shadow))
        h->shadow_days = NO_SHADOW;
}

dt_status dt_history_commit(dt_history *h, const dt_day_record *day)
{
    DT_CHECK(check_record(h, day));

    dt_status st = DT_OK;
    if (h->shadow_days == NO_SHADOW)
        DT_CHECK_GOTO(st, make_shadow(h));
    DT_CHECK_GOTO(st, write_next(h, day));
    DT_CHECK_GOTO(st, publish(h));
    DT_CHECK_GOTO(st, remember_day(h, day->day));

out:
    if (st != DT_OK)
        abandon(h);
    return st;
}

dt_status dt_history_close(dt_history *h)
{
    if (!h)
        return DT_OK;
    dt_status st = dt_hist_remove(h->shadow);
    free_history(h);
    return st;
}
