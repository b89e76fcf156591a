/* Serial core distances and Prim's chain against a brute force on the full matrix. */
#include "dt_mst.h"
#include "dt_rng.h"
#include "dt_test.h"

#include <math.h>
#include <stdlib.h>

DT_TEST_MAIN_STATE;

/* Points around a few directions; with levels > 0 the components are rounded to integers
 * in [-levels, levels], which makes distances tie and vectors repeat. */
static float *make_points(size_t n, size_t dim, int levels, uint64_t seed)
{
    float *x = malloc(n * dim * sizeof *x);
    dt_rng rng;
    dt_rng_init(&rng, seed, 0, DT_RNG_TEST, 0);
    double centers[4][64];
    for (int c = 0; c < 4; c++)
        for (size_t k = 0; k < dim; k++)
            centers[c][k] = 2 * dt_rng_uniform(&rng) - 1;
    for (size_t i = 0; i < n; i++) {
        int c = (int)dt_rng_below(&rng, 4);
        for (size_t k = 0; k < dim; k++) {
            double v = centers[c][k] + 0.3 * (2 * dt_rng_uniform(&rng) - 1);
            x[i * dim + k] = levels > 0 ? (float)nearbyint(v * levels) : (float)v;
        }
        if (levels > 0)
            x[i * dim] = (float)levels; /* never the zero vector */
    }
    return x;
}

static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa;
    double b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* R's dbscan steps, literally, on the full matrix of exact distances. */
static void brute_force(const dt_mst_points *p, int min_samples, double *core, dt_edge *mst)
{
    size_t n = p->n;
    double *row = malloc(n * sizeof *row);
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                row[m++] = dt_mst_distance(p, i, j);
        qsort(row, m, sizeof *row, compare_double);
        core[i] = min_samples > 1 ? row[min_samples - 2] : 0.0;
    }

    double *key = malloc(n * sizeof *key);
    int *done = calloc(n, sizeof *done);
    for (size_t i = 0; i < n; i++)
        key[i] = INFINITY;
    size_t node = 0;
    for (size_t step = 0; step + 1 < n; step++) {
        done[node] = 1;
        size_t next = n;
        for (size_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            double d = dt_mst_distance(p, node, i);
            double w = fmax(fmax(core[node], core[i]), d);
            if (w < key[i])
                key[i] = w;
            if (next == n || key[i] < key[next])
                next = i;
        }
        mst[step] = (dt_edge){(uint32_t)next, (uint32_t)node, key[next]};
        node = next;
    }
    free(row);
    free(key);
    free(done);
}

static void compare_with_brute_force(size_t n, size_t dim, int levels, int min_samples,
                                     uint64_t seed)
{
    float *x = make_points(n, dim, levels, seed);
    double *core = malloc(n * sizeof *core);
    double *core_ref = malloc(n * sizeof *core_ref);
    dt_edge *mst = malloc(n * sizeof *mst);
    dt_edge *mst_ref = malloc(n * sizeof *mst_ref);
    dt_mst_points p;
    CHECK_EQ_INT(dt_mst_points_init(&p, n, dim, x), DT_OK);
    CHECK_EQ_INT(dt_mst_core_distances(&p, min_samples, core), DT_OK);
    CHECK_EQ_INT(dt_mst_prim(&p, core, mst), DT_OK);
    brute_force(&p, min_samples, core_ref, mst_ref);

    size_t core_diff = 0, edge_diff = 0;
    for (size_t i = 0; i < n; i++)
        core_diff += core[i] != core_ref[i];
    for (size_t i = 0; i + 1 < n; i++)
        edge_diff += mst[i].a != mst_ref[i].a || mst[i].b != mst_ref[i].b ||
                     mst[i].weight != mst_ref[i].weight;
    if (core_diff || edge_diff)
        fprintf(stderr, "n %zu dim %zu levels %d min_samples %d: %zu core, %zu edge diffs\n", n,
                dim, levels, min_samples, core_diff, edge_diff);
    CHECK_EQ_INT(core_diff, 0);
    CHECK_EQ_INT(edge_diff, 0);

    dt_mst_points_free(&p);
    free(x);
    free(core);
    free(core_ref);
    free(mst);
    free(mst_ref);
}

static void test_duplicates_at_zero(void)
{
    float x[] = {1, 2, 3, 1, 2, 3, 1, 2, 3, -1, 0, 2};
    double core[4];
    dt_edge mst[3];
    CHECK_EQ_INT(dt_mst_build(4, 3, x, 3, core, mst), DT_OK);
    CHECK_NEAR(core[0], 0.0, 0); /* two exact copies besides itself: distance exactly 0 */
    CHECK(core[3] > 0);
}

static void test_bad_vectors(void)
{
    float x[] = {1, 0, 0, 0, 0, 0, 0, 1, 0};
    double core[3];
    dt_edge mst[2];
    CHECK_EQ_INT(dt_mst_build(3, 3, x, 2, core, mst), DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "vector 1") != NULL);
    x[3] = NAN;
    CHECK_EQ_INT(dt_mst_build(3, 3, x, 2, core, mst), DT_ERR_FORMAT);
    x[3] = 1;
    CHECK_EQ_INT(dt_mst_build(3, 3, x, 4, core, mst), DT_ERR_USAGE);
}

int main(void)
{
    compare_with_brute_force(300, 16, 0, 5, 1);
    compare_with_brute_force(300, 16, 0, 1, 2);
    compare_with_brute_force(400, 8, 2, 6, 3);    /* many ties and exact copies */
    compare_with_brute_force(350, 4, 1, 10, 4);   /* ties everywhere */
    compare_with_brute_force(2500, 40, 0, 10, 5); /* crosses the similarity blocks */
    compare_with_brute_force(12, 3, 0, 12, 6);    /* every point a neighbour */
    test_duplicates_at_zero();
    test_bad_vectors();
    return dt_test_finish("test_mst");
}
