/* Bad input to the distributed MST: every rank gets the same error, none waits forever. */
#include "dt_dist_edges.h"
#include "dt_test.h"

#include <mpi.h>

DT_TEST_MAIN_STATE;

enum { ROWS_PER_RANK = 5, DIM = 3 };

/* Runs dt_dist_mst on rows_per_rank rows per rank, one of them poisoned on the last rank,
 * and checks that every rank returns want. */
static void expect_status(float poison, int poison_row, int min_samples, dt_status want)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    float rows[ROWS_PER_RANK * DIM];
    for (int t = 0; t < ROWS_PER_RANK * DIM; t++)
        rows[t] = (float)((rank * ROWS_PER_RANK * DIM + t) % 7 + 1);
    if (rank == size - 1 && poison_row >= 0)
        for (int d = 0; d < DIM; d++)
            rows[poison_row * DIM + d] = d == 1 || poison == 0.0f ? poison : rows[d];

    dt_dist_mst_result result;
    dt_status st = dt_dist_mst(rows, ROWS_PER_RANK, (size_t)(ROWS_PER_RANK * size), DIM,
                               min_samples, MPI_COMM_WORLD, &result, NULL);
    CHECK_EQ_INT(st, want);
    CHECK(result.tree == NULL || st == DT_OK);
    dt_dist_mst_result_free(&result);
    dt_error_clear();
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    expect_status(0.0f, 2, 3, DT_ERR_FORMAT);     /* a zero vector */
    expect_status(NAN, 4, 3, DT_ERR_FORMAT);      /* a NaN component */
    expect_status(INFINITY, 0, 3, DT_ERR_FORMAT); /* an infinite component */
    expect_status(1.0f, -1, 0, DT_ERR_USAGE);     /* min_samples 0 */
    expect_status(1.0f, -1, 66, DT_ERR_USAGE);    /* beyond the distributed limit */
    expect_status(1.0f, -1, 3, DT_OK);            /* and the same rows, clean, work */

    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int failed = dt_test_finish("test_dist_edges_bad");
    int any = 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return any;
}
