/* Bounded lists of nearest candidates per row, kept as max-heaps during a distance pass. */
#ifndef DT_DIST_LISTS_H
#define DT_DIST_LISTS_H

#include "dt_status.h"

#include <math.h>
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

/* One candidate neighbour j of a row: key is the single-precision value that ranked it
 * (a distance or a mutual-reachability distance, within the float margin of the truth);
 * exact is the double cosine distance, filled in after the pass. */
typedef struct {
    double key;
    double exact;
    uint32_t j;
    uint32_t unused;
} dt_cand;

#define DT_CAND_NONE UINT32_MAX

/* rows lists of at most k candidates each, the k smallest keys seen. */
typedef struct {
    size_t rows;
    int k;
    dt_cand *entries; /* rows x k */
    int *count;       /* per row */
    double *worst;    /* per row: largest kept key when full, +inf before */
    float *worst_up;  /* per row: worst rounded up to float, for a cheap first test */
} dt_cand_lists;

dt_status dt_cand_lists_alloc(dt_cand_lists *lists, size_t rows, int k);
void dt_cand_lists_free(dt_cand_lists *lists);

/* Empties every list. */
void dt_cand_lists_clear(dt_cand_lists *lists);

/* Offers candidate j with key to row; kept when it beats the row's worst (call only when
 * key < lists->worst[row]). */
void dt_cand_lists_push(dt_cand_lists *lists, size_t row, double key, uint32_t j);

/* The same, with the candidate's exact distance already known. */
void dt_cand_lists_push_exact(dt_cand_lists *lists, size_t row, double key, uint32_t j,
                              double exact);

/* Sorts candidates by (key, j). */
void dt_cand_sort(dt_cand *cands, int count);

/* Collective over row_comm (the ranks of one process row, in column order): hands row li
 * of the per-rank tile lists to member li % members, which merges the members' partial
 * lists into the k smallest keys, sorted by (key, j). held receives those merged lists
 * (row h is tile row h * members + my_member); kth_key[h] the k-th smallest key when
 * some candidate of that row was left out, +inf when the list holds all candidates. */
dt_status dt_cand_lists_merge(const dt_cand_lists *tile, MPI_Comm row_comm, dt_cand_lists *held,
                              double *kth_key);

#endif
