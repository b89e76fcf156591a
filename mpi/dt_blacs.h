/* BLACS process grids and the few ScaLAPACK/PBLAS routines darktrack calls. */
#ifndef DT_BLACS_H
#define DT_BLACS_H

#include "dt_status.h"

#include <mpi.h>

/*
 * Debian ships no C headers for BLACS or ScaLAPACK, so the symbols are declared here.
 * The Cblacs_* entry points are C; the others are Fortran (or PBLAS with a Fortran
 * interface): trailing underscore, every argument by pointer, indices 1-based.
 */
int Csys2blacs_handle(MPI_Comm comm);
void Cfree_blacs_system_handle(int handle);
void Cblacs_gridinit(int *context, const char *order, int nprow, int npcol);
void Cblacs_gridinfo(int context, int *nprow, int *npcol, int *myrow, int *mycol);
void Cblacs_gridexit(int context);

void descinit_(int *desc, const int *m, const int *n, const int *mb, const int *nb,
               const int *irsrc, const int *icsrc, const int *context, const int *lld, int *info);
int numroc_(const int *n, const int *nb, const int *iproc, const int *isrcproc, const int *nprocs);
void psgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k,
             const float *alpha, const float *a, const int *ia, const int *ja, const int *desca,
             const float *b, const int *ib, const int *jb, const int *descb, const float *beta,
             float *c, const int *ic, const int *jc, const int *descc);

/* A BLACS grid over an MPI communicator, ranks placed row-major (rank = row * cols + col). */
typedef struct {
    int context;
    int system_handle;
    int rows, cols; /* grid shape, rows >= cols, rows * cols = communicator size */
    int my_row, my_col;
} dt_blacs_grid;

/* Collective over comm: opens a grid as square as the rank count allows. */
dt_status dt_blacs_grid_open(MPI_Comm comm, dt_blacs_grid *grid);

/* Collective over the grid's ranks: releases it; safe on a zeroed grid. */
void dt_blacs_grid_close(dt_blacs_grid *grid);

/* How many of n items, dealt in blocks of block to nprocs processes starting at process 0,
 * process iproc holds (ScaLAPACK's numroc). */
int dt_blacs_local_count(int n, int block, int iproc, int nprocs);

/* The global 0-based index of local 0-based index local under the same dealing. */
static inline int dt_blacs_global_index(int local, int block, int iproc, int nprocs)
{
    return (local / block * nprocs + iproc) * block + local % block;
}

#endif
