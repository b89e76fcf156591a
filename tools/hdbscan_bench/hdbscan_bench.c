/* Times the HDBSCAN tree on large random trees and the serial edges on random vectors. */
#include "dt_hdbscan.h"
#include "dt_log.h"
#include "dt_mst.h"
#include "dt_rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Median of a few wall-clock repetitions, so one slow moment does not decide. */
static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa;
    double b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* A random spanning tree: point i hangs on a random earlier point, at a random height. */
static dt_edge *random_tree(size_t n, uint64_t seed)
{
    dt_edge *e = malloc((n - 1) * sizeof *e);
    dt_rng rng;
    dt_rng_init(&rng, seed, 0, DT_RNG_TEST, 1);
    for (size_t i = 1; i < n; i++)
        e[i - 1] =
            (dt_edge){(uint32_t)i, (uint32_t)dt_rng_below(&rng, i), 0.01 + dt_rng_uniform(&rng)};
    return e;
}

static int bench_tree(size_t n, int min_cluster_size, int repeats)
{
    dt_edge *e = random_tree(n, 11);
    double t[16];
    int clusters = 0;
    for (int r = 0; r < repeats; r++) {
        dt_hdbscan_result res;
        double t0 = dt_wall_seconds();
        if (dt_hdbscan_from_mst(n, e, NULL, min_cluster_size, &res) != DT_OK)
            return 1;
        t[r] = dt_wall_seconds() - t0;
        clusters = res.n_clusters;
        dt_hdbscan_result_free(&res);
    }
    qsort(t, (size_t)repeats, sizeof *t, compare_double);
    printf("tree      n %8zu  min_cluster_size %3d  %7.4f s (median of %d)  %d clusters\n", n,
           min_cluster_size, t[repeats / 2], repeats, clusters);
    free(e);
    return 0;
}

static float *random_vectors(size_t n, size_t dim)
{
    float *x = malloc(n * dim * sizeof *x);
    dt_rng rng;
    dt_rng_init(&rng, 5, 0, DT_RNG_TEST, 2);
    float centers[50][256];
    for (size_t c = 0; c < 50; c++)
        for (size_t k = 0; k < dim; k++)
            centers[c][k] = (float)(dt_rng_uniform(&rng) - 0.5);
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)dt_rng_below(&rng, 50);
        for (size_t k = 0; k < dim; k++)
            x[i * dim + k] = centers[c][k] + (float)(0.2 * (dt_rng_uniform(&rng) - 0.5));
    }
    return x;
}

static int bench_edges(size_t n, size_t dim, int min_samples)
{
    float *x = random_vectors(n, dim);
    double *core = malloc(n * sizeof *core);
    dt_edge *mst = malloc(n * sizeof *mst);
    dt_mst_points p;
    if (dt_mst_points_init(&p, n, dim, x) != DT_OK)
        return 1;
    double t0 = dt_wall_seconds();
    if (dt_mst_core_distances(&p, min_samples, core) != DT_OK)
        return 1;
    double t1 = dt_wall_seconds();
    if (dt_mst_prim(&p, core, mst) != DT_OK)
        return 1;
    double t2 = dt_wall_seconds();
    double flops = 2.0 * (double)n * (double)n * (double)dim;
    printf("edges     n %8zu  dim %3zu  core %7.3f s (%5.1f GFLOP/s)  prim %7.3f s "
           "(%5.1f GFLOP/s)\n",
           n, dim, t1 - t0, flops / (t1 - t0) * 1e-9, t2 - t1, flops / 2 / (t2 - t1) * 1e-9);
    dt_mst_points_free(&p);
    free(x);
    free(core);
    free(mst);
    return 0;
}

int main(int argc, char **argv)
{
    size_t tree_n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
    size_t edges_n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 8000;
    size_t dim = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 200;
    if (tree_n < 2 || edges_n < 16 || dim == 0 || dim > 256) {
        fprintf(stderr, "usage: hdbscan_bench [TREE_N [EDGES_N [DIM <= 256]]]\n");
        return 2;
    }
    int failed =
        bench_tree(tree_n, 10, 5) || bench_tree(tree_n, 100, 5) || bench_edges(edges_n, dim, 10);
    return failed;
}
