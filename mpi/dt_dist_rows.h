/* Rows of the vector matrix spread over MPI ranks: who owns which row, and moving rows. */
#ifndef DT_DIST_ROWS_H
#define DT_DIST_ROWS_H

#include "dt_status.h"

#include <float.h>
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

/* Rank r owns the contiguous global rows offsets[r] .. offsets[r + 1] - 1. */
typedef struct {
    size_t n;         /* rows in all */
    int dim;          /* floats per row */
    int rank, size;   /* this rank and the rank count of the communicator */
    size_t *offsets;  /* size + 1 entries, owned */
    const float *own; /* this rank's rows, row-major, borrowed from the caller */
    double *own_norm; /* Euclidean norm of each own row, in double, owned */
    float *own_unit;  /* the own rows divided by their norms, rounded to float, owned */
} dt_dist_layout;

/* Collective over comm: learns every rank's row count, checks that they sum to n_total,
 * and computes the norms of the own rows (which must stay valid while the layout lives).
 * Fails on every rank alike when the counts do not add up or a row has norm 0. */
dt_status dt_dist_layout_init(MPI_Comm comm, const float *own, size_t n_local, size_t n_total,
                              int dim, dt_dist_layout *layout);

void dt_dist_layout_free(dt_dist_layout *layout);

/* The rank owning global row i. */
int dt_dist_layout_owner(const dt_dist_layout *layout, size_t i);

/* Collective over comm: every rank asks for the rows ids[0..count) (any order, repeats
 * allowed; counts may differ by rank) and receives them into out (count x dim floats). */
dt_status dt_dist_fetch_rows(const dt_dist_layout *layout, MPI_Comm comm, const uint32_t *ids,
                             size_t count, float *out);

/* Collective over comm: every rank receives the global rows first .. first + count - 1
 * into out (count x dim floats). */
dt_status dt_dist_gather_range(const dt_dist_layout *layout, MPI_Comm comm, size_t first,
                               size_t count, float *out);

/* Euclidean norm of a row, summed in index order in double. */
double dt_dist_norm(const float *x, int dim);

/* unit = x / norm, each quotient taken in double and rounded to float: the single-precision
 * rows every similarity product uses. */
void dt_dist_unit_row(const float *x, double norm, int dim, float *unit);

/* The cosine distance of two rows in double: 1 - sum_k x_k y_k / (|x| |y|), the sum taken
 * in index order. It is the exact, rank-independent distance every decision uses; it is
 * symmetric bit for bit. */
static inline double dt_dist_cosine(const float *x, double x_norm, const float *y, double y_norm,
                                    int dim)
{
    double dot = 0.0;
    for (int k = 0; k < dim; k++)
        dot += (double)x[k] * (double)y[k];
    return 1.0 - dot / (x_norm * y_norm);
}

/* A bound on |float distance - dt_dist_cosine| for distances computed in single precision
 * from rows normalised in single precision: the error of a dim-term float dot product of
 * unit vectors (dim units in the last place) plus the normalisation's, doubled for safety. */
static inline double dt_dist_float_margin(int dim)
{
    return (2.0 * dim + 32.0) * (double)FLT_EPSILON;
}

#endif
