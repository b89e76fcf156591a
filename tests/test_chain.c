/* dt_chain_prim on sparse graphs against the serial Prim chain on the complete graph. */
#include "dt_chain.h"
#include "dt_mst.h"
#include "dt_rng.h"
#include "dt_test.h"

#include <stdlib.h>

DT_TEST_MAIN_STATE;

/* Every pair of points as an edge: the chain over it must be dt_mst_prim's. */
static void check_complete_graph(size_t n, size_t dim, int min_samples, int levels)
{
    float *x = malloc(n * dim * sizeof(float));
    dt_rng rng;
    dt_rng_init(&rng, 11, 0, DT_RNG_TEST, (uint64_t)levels);
    for (size_t t = 0; t < n * dim; t++)
        x[t] = (float)dt_rng_below(&rng, (uint64_t)levels) + 1.0f;

    double *core = malloc(n * sizeof(double));
    dt_edge *serial = malloc(n * sizeof(dt_edge)), *chain = malloc(n * sizeof(dt_edge));
    dt_edge *all = malloc(n * n * sizeof(dt_edge));
    dt_mst_points p;
    CHECK_EQ_INT(dt_mst_points_init(&p, n, dim, x), DT_OK);
    CHECK_EQ_INT(dt_mst_build(n, dim, x, min_samples, core, serial), DT_OK);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double w = dt_mst_distance(&p, i, j);
            w = w > core[i] ? w : core[i];
            w = w > core[j] ? w : core[j];
            all[count++] = (dt_edge){(uint32_t)j, (uint32_t)i, w};
        }
    CHECK_EQ_INT(dt_chain_prim(n, all, count, chain), DT_OK);
    size_t diff = 0;
    for (size_t e = 0; e + 1 < n; e++)
        diff += chain[e].a != serial[e].a || chain[e].b != serial[e].b ||
                chain[e].weight != serial[e].weight;
    CHECK_EQ_INT(diff, 0);

    dt_mst_points_free(&p);
    free(x);
    free(core);
    free(serial);
    free(chain);
    free(all);
}

/* A graph that leaves a point out is a format error, not a crash. */
static void check_disconnected(void)
{
    dt_edge edges[2] = {{0, 1, 0.5}, {1, 2, 0.25}};
    dt_edge chain[3];
    CHECK_EQ_INT(dt_chain_prim(4, edges, 2, chain), DT_ERR_FORMAT);
    dt_edge bad[1] = {{0, 9, 0.5}};
    CHECK_EQ_INT(dt_chain_prim(2, bad, 1, chain), DT_ERR_FORMAT);
}

int main(void)
{
    check_complete_graph(300, 3, 6, 4); /* many exact ties */
    check_complete_graph(200, 16, 5, 1000);
    check_disconnected();
    return dt_test_finish("test_chain");
}
