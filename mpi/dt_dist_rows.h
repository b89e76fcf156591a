/* Rows of the vector matrix spread over MPI ranks: who owns which row, and moving rows. */
#ifndef DT_DIST_ROWS_H
#define DT_DIST_ROWS_H

#include "dt_status.h"

#include <float.h>
#include <math.h>
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
    double *own_sq;   /* <x, x> of each own row, in double, owned */
    float *own_unit;  /* the own rows scaled to length 1, rounded to float, owned */
} dt_dist_layout;

/* Collective over comm: learns every rank's row count, checks that they sum to n_total,
 * and prepares the own rows (which must stay valid while the layout lives). Fails on every
 * rank alike when the counts do not add up or a row is zero or not finite. */
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

/* <x, x>, the squares of the float components summed in index order in double. */
double dt_dist_sq(const float *x, int dim);

/* unit = x / sqrt(sq), each product taken in double and rounded to float: the
 * single-precision rows every similarity product uses. */
void dt_dist_unit_row(const float *x, double sq, int dim, float *unit);

/* The cosine distance of two rows in double: max(0, 1 - <x, y> / sqrt(<x, x> <y, y>)), the
 * dot product summed in index order over the float components promoted to double (the
 * definition the serial dt_mst_distance uses too). It is the exact, rank-independent
 * distance every decision uses; it is symmetric bit for bit, and exact copies are at
 * distance exactly 0. */
static inline double dt_dist_cosine(const float *x, double x_sq, const float *y, double y_sq,
                                    int dim)
{
    double dot = 0.0;
    for (int k = 0; k < dim; k++)
        dot += (double)x[k] * (double)y[k];
    double d = 1.0 - dot / sqrt(x_sq * y_sq);
    return d > 0.0 ? d : 0.0;
}

/* A bound on |float distance - dt_dist_cosine| for distances computed in single precision
 * from rows normalised in single precision: the error of a dim-term float dot product of
 * unit vectors (dim units in the last place) plus the normalisation's, doubled for safety. */
static inline double dt_dist_float_margin(int dim)
{
    return (2.0 * dim + 32.0) * (double)FLT_EPSILON;
}

#endif
