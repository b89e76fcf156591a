/* The history: one netCDF-4 file of every processed day, committed a whole day at a time. */
#ifndef DT_HISTORY_H
#define DT_HISTORY_H

#include "dt_params.h"
#include "dt_record.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The layout is the contract in docs/history-format.md (shared/docs); docs/history.md
 * explains the commit protocol. In short: the file at `path` is only ever replaced by
 * rename(2), never written in place. A second copy, `path.shadow`, one day behind, is
 * brought up to date with the new day under the name `path.tmp`, synced to disk and renamed
 * over `path`; the old file becomes the next shadow. A kill at any moment leaves `path`
 * holding whole days only. dt_history_close removes the shadow.
 */

/* The layout version this code writes and reads (the darktrack_history_version attribute). */
enum { DT_HISTORY_VERSION = 1 };

/* What a run tells the history about itself (provenance). Strings are copied. */
typedef struct {
    int mpi_ranks;            /* ranks of the run; a history refuses another rank count */
    const char *command_line; /* the full command line, for the history attribute */
    const char *input_files;  /* the captures read, one per line; NULL for none */
    const char *labels;       /* ground-truth classes, comma-separated; NULL or "" without */
} dt_history_run;

/* argv joined into one line for dt_history_run.command_line, each argument shell-quoted
 * when needed, so the line can be pasted back into a shell. *out is the caller's to free. */
dt_status dt_history_command_line(int argc, char **argv, char **out);

/* A history open for appending. */
typedef struct dt_history dt_history;

/* Opens the history at path for appending, creating an empty one when path does not exist.
 * An existing file is validated first and refused, untouched, when it is not a darktrack
 * history (DT_ERR_FORMAT), is damaged (DT_ERR_FORMAT), or was written with other pipeline
 * parameters or another rank count (DT_ERR_MISMATCH, naming the parameter and both values).
 * A second run on the same history is refused (DT_ERR_IO) while this one holds path.lock.
 * The file is first read in a forked child (see docs/history.md: some damaged files crash
 * the HDF5 library). Leftovers of a killed commit (path.tmp) are removed. On success *out
 * owns the handle. Not thread-safe; call from one process (rank 0). */
dt_status dt_history_open(const char *path, const dt_params *params, const dt_history_run *run,
                          dt_history **out);

/* The days already in the history, in time order (days since 1970-01-01). The pointer is
 * valid until the next commit or close. */
const int32_t *dt_history_days(const dt_history *h, size_t *n_days);

/* 1 and the last committed day in *day, or 0 for a history without days. */
int dt_history_last_day(const dt_history *h, int32_t *day);

/* 1 when day is already in the history (the caller skips it on resume). */
int dt_history_has_day(const dt_history *h, int32_t day);

/* Commits one day, whole: when this returns DT_OK the day is on disk and a reader opening
 * the path sees it; on failure or a kill the file still holds the days before it. The day
 * must come after the last committed one. sender_embedding must be given exactly when the
 * run's save_embeddings is set, with dim equal to the run's embedding_dim. */
dt_status dt_history_commit(dt_history *h, const dt_day_record *day);

/* Removes the shadow copy and frees h (NULL is fine). The history itself is complete after
 * every commit; close only tidies up. */
dt_status dt_history_close(dt_history *h);

/* The path the history was opened with. */
const char *dt_history_path(const dt_history *h);

/*
 * The commit protocol with the model checkpoint (docs/history.md). For each day d:
 *   1. write the model state after d to dt_history_checkpoint_path(path, d), atomically
 *      (temporary name, fsync, rename);
 *   2. dt_history_commit(h, d): from here on d is done;
 *   3. dt_history_prune_checkpoints(h): keeps the checkpoints of the last two committed
 *      days, removes older ones.
 * On resume, dt_history_resume_checkpoint names the checkpoint of the last committed day:
 * it exists, because it was written before that day's commit. A checkpoint of a later day
 * (killed between 1 and 2) is ignored and overwritten when the day is redone.
 */

/* "HISTORY.ckpt-2026-01-31.nc" for day 20484 of HISTORY, into buf. */
void dt_history_checkpoint_path(const char *history, int32_t day, char *buf, size_t len);

/* 1 with the checkpoint of the last committed day in buf; 0 for a history without days
 * (start from a fresh model). */
int dt_history_resume_checkpoint(const dt_history *h, char *buf, size_t len);

/* Removes the checkpoints of every committed day but the last two. */
dt_status dt_history_prune_checkpoints(const dt_history *h);

/* One parameter as text the way the history compares it: min_samples as used, doubles in
 * the shortest form that reads back exactly, the rest as dt_params_format. */
void dt_history_format_param(const dt_params *p, const dt_param_info *info, char *buf, size_t len);

/* Fault injection for the crash tests: when set, hook(stage) is called at each step of a
 * commit (stages in docs/history.md, 0 to DT_HISTORY_STAGES - 1). NULL switches it off. */
enum { DT_HISTORY_STAGES = 9 };
void dt_history_set_commit_hook(void (*hook)(int stage));

/* One day read back, owning its arrays; `record` points into them. */
typedef struct {
    dt_day_record record;
    uint32_t *sender_ip;
    int32_t *sender_packets;
    int32_t *sender_cluster;
    float *sender_embedding; /* NULL when the history holds no embeddings */
    dt_cluster_row *clusters;
    dt_transition *transitions;
} dt_history_day;

void dt_history_day_free(dt_history_day *day);

/* A history open for reading. */
typedef struct dt_history_reader dt_history_reader;

/* Opens and validates the structure of a history (not its parameters), after reading it in
 * a forked child as dt_history_open does. Errors as for dt_history_open. */
dt_status dt_history_reader_open(const char *path, dt_history_reader **out);

void dt_history_reader_close(dt_history_reader *r);

/* The days in the file, in time order. */
const int32_t *dt_history_reader_days(const dt_history_reader *r, size_t *n_days);

/* Reads day number index (0 is the first day in the file) with every array. */
dt_status dt_history_read_day(dt_history_reader *r, size_t index, dt_history_day *out);

/* Reads day number index without its sender rows (record.n_senders is 0; senders_active
 * still counts them): the clusters, transitions and day totals, cheap for a report. */
dt_status dt_history_read_summary(dt_history_reader *r, size_t index, dt_history_day *out);

/* Reads only the sender addresses and cluster ids of day number index, for replaying the
 * DCA state. *ip and *cluster are grown with realloc as needed (*capacity tracks them;
 * start with NULL and 0) and stay owned by the caller. */
dt_status dt_history_read_senders(dt_history_reader *r, size_t index, uint32_t **ip,
                                  int32_t **cluster, size_t *capacity, size_t *n);

/* The pipeline parameters and rank count stored in the history. params is filled from the
 * defaults, then from the attributes; the caller frees it with dt_params_free. */
dt_status dt_history_reader_params(dt_history_reader *r, dt_params *params, int *mpi_ranks);

/* A global text attribute as a new string (caller frees), "" when absent. */
dt_status dt_history_reader_text(dt_history_reader *r, const char *name, char **out);

/* Reads a whole history at path once: the convenience form of the reader for one day. */
dt_status dt_history_read_day_at(const char *path, size_t index, dt_history_day *out);

#endif
