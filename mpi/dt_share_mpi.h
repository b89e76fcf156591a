/* Rank 0's day corpus cut into contiguous shares, one per rank, balanced by words. */
#ifndef DT_SHARE_MPI_H
#define DT_SHARE_MPI_H

#include "dt_day.h"
#include "dt_status.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

/* What every rank learns of a day: its active senders and word counts (all ranks the
 * same) and its own block of sentences (words are indexes into active_ip). */
typedef struct {
    int32_t day;
    size_t n_active;
    uint32_t *active_ip;
    uint64_t *counts; /* corpus words of each active sender, the whole day */
    size_t n_sentences;
    size_t *start; /* n_sentences + 1 offsets into words, start[0] = 0 */
    size_t n_words;
    uint32_t *words;
} dt_day_share;

/* Collective over comm. Rank 0 passes the day (the others NULL); rank 0 checks the corpus
 * (every word below n_active, offsets increasing), then broadcasts the senders and counts
 * and scatters sentence blocks: rank r gets the sentences that start in the r-th P-th of
 * the words. Counts travel as 64-bit values and arrays in pieces that fit MPI's int
 * counts. Errors are agreed: every rank returns the worst status. share is freed with
 * dt_day_share_free (also after a failure). */
dt_status dt_share_day_mpi(const dt_day *day, MPI_Comm comm, dt_day_share *share);

void dt_day_share_free(dt_day_share *share);

#endif
