/* Core distances and spanning tree for `darktrack cluster`, computed on rank 0. */
#include "dt_cluster_edges.h"

#include "dt_mpi.h"
#include "dt_mst.h"

dt_status dt_cluster_edges(MPI_Comm comm, size_t n, size_t dim, const float *x, int min_samples,
                           double *core, dt_edge *mst)
{
    int rank = 0;
    DT_CHECK(dt_mpi_check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank"));
    dt_status st = DT_OK;
    if (rank == 0)
        st = dt_mst_build(n, dim, x, min_samples, core, mst);
    DT_CHECK(dt_mpi_agree(comm, st));
    return DT_OK;
}
