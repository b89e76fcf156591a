/* Silhouettes from cluster sums against the definition, pair by pair. */
#include "dt_rng.h"
#include "dt_silhouette.h"
#include "dt_test.h"

#include <math.h>
#include <stdlib.h>

DT_TEST_MAIN_STATE;

static double cosine_distance(const float *a, const float *b, size_t dim)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t k = 0; k < dim; k++) {
        ab += (double)a[k] * (double)b[k];
        aa += (double)a[k] * (double)a[k];
        bb += (double)b[k] * (double)b[k];
    }
    return 1 - ab / sqrt(aa * bb);
}

/* The textbook silhouette: mean distances over pairs, noise left out. */
static double brute_silhouette(size_t n, size_t dim, const float *x, const int32_t *labels,
                               int32_t k, size_t i)
{
    double sum[16] = {0};
    double count[16] = {0};
    for (size_t j = 0; j < n; j++) {
        if (labels[j] < 0 || j == i)
            continue;
        sum[labels[j]] += cosine_distance(x + i * dim, x + j * dim, dim);
        count[labels[j]] += 1;
    }
    int32_t own = labels[i];
    if (count[own] == 0)
        return 0;
    double a = sum[own] / count[own];
    double b = INFINITY;
    for (int32_t c = 0; c < k; c++)
        if (c != own && count[c] > 0 && sum[c] / count[c] < b)
            b = sum[c] / count[c];
    return (b - a) / fmax(a, b);
}

static void test_against_pairs(void)
{
    enum { N = 400, DIM = 12, K = 5 };
    float *x = malloc(N * DIM * sizeof *x);
    int32_t labels[N];
    dt_rng rng;
    dt_rng_init(&rng, 7, 0, DT_RNG_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        labels[i] = (int32_t)dt_rng_below(&rng, K + 1) - 1; /* a sixth of noise */
        for (size_t k = 0; k < DIM; k++)
            x[i * DIM + k] = (float)(dt_rng_uniform(&rng) - 0.5 + (labels[i] == (int)k % K));
    }
    /* make cluster 3 a single point, which sklearn scores 0 */
    for (size_t i = 0; i < N; i++)
        if (labels[i] == 3)
            labels[i] = 2;
    labels[1] = 3;

    double point[N], mean[K];
    CHECK_EQ_INT(dt_silhouette(N, DIM, x, labels, K, point, mean), DT_OK);
    double total[K] = {0}, count[K] = {0};
    for (size_t i = 0; i < N; i++) {
        if (labels[i] < 0) {
            CHECK(isnan(point[i]));
            continue;
        }
        double ref = brute_silhouette(N, DIM, x, labels, K, i);
        CHECK_NEAR(point[i], ref, 1e-12);
        total[labels[i]] += ref;
        count[labels[i]] += 1;
    }
    CHECK_NEAR(point[1], 0.0, 0); /* alone in its cluster */
    for (int c = 0; c < K; c++)
        CHECK_NEAR(mean[c], total[c] / count[c], 1e-12);
    free(x);
}

static void test_degenerate_cases(void)
{
    float x[] = {1, 0, 0.9f, 0.1f, 0, 1, 0, 0};
    int32_t one[] = {0, 0, -1, -1};
    double point[4], mean[1];
    CHECK_EQ_INT(dt_silhouette(3, 2, x, one, 1, point, mean), DT_OK);
    CHECK_NEAR(point[0], 0, 0);
    CHECK(isnan(point[2]));
    CHECK_EQ_INT(dt_silhouette(4, 2, x, one, 1, point, mean), DT_ERR_FORMAT); /* zero row */
    int32_t bad[] = {0, 5, -1, -1};
    CHECK_EQ_INT(dt_silhouette(3, 2, x, bad, 1, point, mean), DT_ERR_FORMAT);
}

int main(void)
{
    test_against_pairs();
    test_degenerate_cases();
    return dt_test_finish("test_silhouette");
}
