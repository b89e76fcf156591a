/* Private pieces shared by the history's files: schema, append, read and validation. */
#ifndef DT_HISTORY_INTERNAL_H
#define DT_HISTORY_INTERNAL_H

#include "dt_history.h"

#include <stddef.h>
#include <stdint.h>

/* Rows per chunk along the observation dimensions; see docs/history.md for the choice. */
enum {
    DT_HIST_SENDER_CHUNK = 16384,
    DT_HIST_CLUSTER_CHUNK = 1024,
    DT_HIST_TRANSITION_CHUNK = 1024,
    DT_HIST_EMBEDDING_ROWS = 64,
    DT_HIST_DEFLATE = 4,
    DT_HIST_DEFLATE_EMBEDDING = 1 /* trained floats barely compress: spend little on them */
};

/* Records a failure for a netCDF error code: what was attempted on which file. Returns
 * DT_OK for NC_NOERR. Damage-looking codes (HDF5 errors, bad checksums) give DT_ERR_FORMAT,
 * everything else DT_ERR_IO. */
dt_status dt_hist_nc(int code, const char *path, const char *what);

/* The in-memory index of a validated history: the day coordinate and the ragged counts,
 * with the first row of every day in each observation dimension. */
typedef struct {
    size_t n_days;
    int32_t *day;
    int32_t *sender_count;
    int32_t *cluster_count;
    int32_t *transition_count;
    size_t *sender_start; /* n_days + 1 entries: prefix sums of the counts */
    size_t *cluster_start;
    size_t *transition_start;
    int embedding_dim; /* 0 when the history holds no sender_embedding */
} dt_hist_index;

void dt_hist_index_free(dt_hist_index *ix);

/* Opens path (mode NC_NOWRITE or NC_WRITE) and validates it as a darktrack history: the
 * file kind, the version attribute, every contract variable with its type and dimensions,
 * and the ragged counts against the observation dimensions. Fills *ix when ix is not NULL.
 * Refusals are DT_ERR_FORMAT with a message saying what the file is or where it is
 * damaged; the file is left as it was. */
dt_status dt_hist_open_valid(const char *path, int mode, int *ncid, dt_hist_index *ix);

/* Compares every pipeline parameter attribute and mpi_ranks of an open history with the
 * run's; DT_ERR_MISMATCH names the first differing parameter with both values. */
dt_status dt_hist_check_params(int ncid, const char *path, const dt_params *params, int mpi_ranks);

/* Reads the parameter attributes of an open history into params (defaults first). */
dt_status dt_hist_load_params(int ncid, const char *path, dt_params *params, int *mpi_ranks);

/* Defines the whole layout in a new file: dimensions, variables with their attributes,
 * the fixed global attributes and one attribute per parameter. Leaves define mode. */
dt_status dt_hist_define(int ncid, const char *path, const dt_params *params, int mpi_ranks);

/* The global attributes a run rewrites on every commit (history, provenance, labels). */
typedef struct {
    char *history;      /* every earlier run's line plus this run's */
    char *source;       /* "darktrack 0.1.0 (git ...)" */
    char *libraries;    /* library versions */
    char *command_line; /* this run's */
    char *input_files;
    char *labels;
    int mpi_ranks;
} dt_hist_run_attrs;

void dt_hist_run_attrs_free(dt_hist_run_attrs *a);

/* Writes the run attributes into an open file (data mode is fine: netCDF-4 switches). */
dt_status dt_hist_put_run_attrs(int ncid, const char *path, const dt_hist_run_attrs *a);

/* Appends one day at the end of every dimension of an open, writable history. Calls the
 * commit hook with stage mid when the sender rows are written (the crash tests kill there). */
dt_status dt_hist_append_day(int ncid, const char *path, const dt_day_record *day, int mid);

/* Reads day number i of an open history with its index; with_senders 0 skips the sender
 * rows. */
dt_status dt_hist_read_day(int ncid, const char *path, const dt_hist_index *ix, size_t i,
                           int with_senders, dt_history_day *out);

/* Reads the history at path (all but the embeddings) in a child process first. A child
 * killed by a signal (the HDF5 library crashes on some damaged files) is DT_ERR_FORMAT
 * naming the file; read errors are left for the caller's own open to report. Costs a fork
 * and one read of the file; used where a file comes from outside (open, reader open). */
dt_status dt_hist_probe(const char *path);

/* dt_history_reader_open without the probe, for files this process has just written. */
dt_status dt_hist_reader_open_trusted(const char *path, dt_history_reader **out);

/* Calls the commit hook, when one is set. */
void dt_hist_stage(int stage);

/* A text attribute of an open file as a new string, "" when absent. */
dt_status dt_hist_get_text(int ncid, const char *path, const char *name, char **out);

#endif
