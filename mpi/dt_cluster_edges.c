/* Core distances and spanning tree for `darktrack cluster`, computed on all ranks. */
#include "dt_cluster_edges.h"

#include "dt_dist_edges.h"
#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_mst.h"

#include <stdlib.h>
#include <string.h>

/* The largest min_samples the distributed builder takes (dt_dist_mst). */
enum { DIST_MIN_SAMPLES_MAX = 65 };

/* Collective: rank 0's rows dealt out in contiguous shares; *mine is malloc'd. */
static dt_status scatter_rows(MPI_Comm comm, size_t n, size_t dim, const float *x, float **mine,
                              size_t *n_mine)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int *counts = NULL, *displs = NULL;
    dt_status st = dt_malloc(&counts, (size_t)size, sizeof(int), "row shares");
    if (st == DT_OK)
        st = dt_malloc(&displs, (size_t)size, sizeof(int), "row shares");
    if (st == DT_OK && n * dim > INT32_MAX)
        st = dt_fail(DT_ERR_USAGE, "%zu x %zu vectors are too many to scatter from rank 0", n, dim);
    for (int r = 0; st == DT_OK && r < size; r++) {
        size_t first = n * (size_t)r / (size_t)size, last = n * (size_t)(r + 1) / (size_t)size;
        counts[r] = (int)((last - first) * dim);
        displs[r] = (int)(first * dim);
    }
    *n_mine = st == DT_OK ? (size_t)counts[rank] / dim : 0;
    if (st == DT_OK)
        st = dt_malloc(mine, *n_mine * dim + 1, sizeof(float), "this rank's vectors");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    st = dt_mpi_check(
        MPI_Scatterv(x, counts, displs, MPI_FLOAT, *mine, counts[rank], MPI_FLOAT, 0, comm),
        "scattering the vectors");

out:
    free(counts);
    free(displs);
    return st;
}

/* Collective: the distributed builder (mpi/dt_dist_edges.c), its chain and core distances
 * copied into rank 0's arrays. */
static dt_status distributed_edges(MPI_Comm comm, size_t n, size_t dim, const float *x,
                                   int min_samples, double *core, dt_edge *mst)
{
    float *mine = NULL;
    size_t n_mine = 0;
    dt_dist_mst_result result;
    memset(&result, 0, sizeof result);
    dt_dist_mst_info info;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, scatter_rows(comm, n, dim, x, &mine, &n_mine));
    DT_CHECK_GOTO(st, dt_dist_mst(mine, n_mine, n, (int)dim, min_samples, comm, &result, &info));
    if (result.core) {
        memcpy(core, result.core, n * sizeof(double));
        if (n > 1)
            memcpy(mst, result.chain, (n - 1) * sizeof(dt_edge));
    }
    dt_debug("cluster: edges on a %d x %d grid: %d full passes, %d Boruvka rounds, %zu rows "
             "refreshed, %zu searched exactly, %.3f s (passes %.3f s)",
             info.grid_rows, info.grid_cols, info.passes, info.rounds, info.refreshed_rows,
             info.exact_queries, info.seconds, info.pass_seconds);

out:
    free(mine);
    dt_dist_mst_result_free(&result);
    return st;
}

dt_status dt_cluster_edges(MPI_Comm comm, size_t n, size_t dim, const float *x, int min_samples,
                           double *core, dt_edge *mst)
{
    if (min_samples <= DIST_MIN_SAMPLES_MAX && dim <= INT32_MAX) {
        DT_CHECK(distributed_edges(comm, n, dim, x, min_samples, core, mst));
        return DT_OK;
    }

    /* Beyond what the distributed builder's fixed-size merges take: serially on rank 0. */
    int rank = 0;
    DT_CHECK(dt_mpi_check(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank"));
    dt_status st = DT_OK;
    if (rank == 0)
        st = dt_mst_build(n, dim, x, min_samples, core, mst);
    DT_CHECK(dt_mpi_agree(comm, st));
    return DT_OK;
}
