/* Data-parallel Word2Vec over MPI ranks: sentence shares, replicas, summed updates. */
#ifndef DT_TRAIN_MPI_H
#define DT_TRAIN_MPI_H

#include "dt_day.h"
#include "dt_status.h"
#include "dt_w2v.h"

#include <mpi.h>

/* How the ranks' updates since the last reduction are merged (docs/word2vec.md). */
typedef enum {
    DT_TRAIN_MERGE_SUM = 0,    /* every rank's update is applied in full (the default) */
    DT_TRAIN_MERGE_AVERAGE = 1 /* the mean update is applied */
} dt_train_merge;

typedef struct {
    dt_train_merge merge;
    double seconds_train; /* out: wall time in the training loop, this rank */
    double seconds_sync;  /* out: wall time in update reductions, this rank */
    double cpu_train;     /* out: processor time in the training loop, this rank: on a
                           * machine shared with other jobs, the work actually done */
    size_t words;         /* out: centre words this rank trained (over epochs) */
} dt_train_stats;

/*
 * Trains one day on every rank of comm. Collective. Rank 0 passes the day's corpus; the
 * other ranks pass NULL (day is ignored off rank 0). Every rank's model must be in the
 * same state (a replica); on return each holds the same trained vectors, and d (on every
 * rank) the day's row map, freed with dt_w2v_day_free.
 *
 * Rank 0 broadcasts the active senders and their word counts, every rank begins the day
 * (dt_w2v_begin_day), rank 0 scatters contiguous blocks of sentences balanced by words,
 * and each rank trains its block with its own random stream (seed, day, rank). After every
 * model->sync_words centre words the ranks add their updates of the day's rows since the
 * last reduction with MPI_Allreduce (or average them, per stats->merge) and continue from
 * the merged rows. With the same seed and rank count the result is bit-for-bit the same;
 * with one rank it equals dt_w2v_train_day.
 *
 * stats may be NULL (merge by sum). Errors are agreed across ranks: every rank returns the
 * worst status; the model is then in an unspecified state.
 */
dt_status dt_train_day_mpi(dt_w2v_model *m, const dt_day *day, MPI_Comm comm, dt_w2v_day *d,
                           dt_train_stats *stats);

#endif
