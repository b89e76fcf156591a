/* BLACS process grids over MPI communicators. */
#include "dt_blacs.h"

#include <string.h>

/* The most square factorisation rows x cols of size with rows >= cols. */
static void grid_shape(int size, int *rows, int *cols)
{
    int c = 1;
    for (int f = 1; f * f <= size; f++)
        if (size % f == 0)
            c = f;
    *cols = c;
    *rows = size / c;
}

dt_status dt_blacs_grid_open(MPI_Comm comm, dt_blacs_grid *grid)
{
    memset(grid, 0, sizeof *grid);
    grid->context = -1;
    int size = 0;
    MPI_Comm_size(comm, &size);
    grid_shape(size, &grid->rows, &grid->cols);

    grid->system_handle = Csys2blacs_handle(comm);
    grid->context = grid->system_handle;
    Cblacs_gridinit(&grid->context, "Row-major", grid->rows, grid->cols);

    int rows = 0, cols = 0;
    Cblacs_gridinfo(grid->context, &rows, &cols, &grid->my_row, &grid->my_col);
    if (rows != grid->rows || cols != grid->cols || grid->my_row < 0)
        return dt_fail(DT_ERR_MPI, "BLACS grid %d x %d could not be formed (got %d x %d)",
                       grid->rows, grid->cols, rows, cols);
    return DT_OK;
}

void dt_blacs_grid_close(dt_blacs_grid *grid)
{
    if (grid->rows > 0 && grid->context >= 0) {
        Cblacs_gridexit(grid->context);
        Cfree_blacs_system_handle(grid->system_handle);
    }
    memset(grid, 0, sizeof *grid);
    grid->context = -1;
}

int dt_blacs_local_count(int n, int block, int iproc, int nprocs)
{
    int zero = 0;
    return numroc_(&n, &block, &iproc, &zero, &nprocs);
}
