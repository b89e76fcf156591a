/* Cosine silhouettes from cluster vector sums: one product of the points with the sums. */
#include "dt_silhouette.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_BLOCK = 1024 }; /* points whose products with the sums are held at once */

/* Unit rows in double, and each cluster's count and vector sum. */
static dt_status unit_rows_and_sums(size_t n, size_t dim, const float *x, const int32_t *labels,
                                    int32_t k, double *unit, double *sums, double *count)
{
    for (size_t i = 0; i < n; i++) {
        if (labels[i] < -1 || labels[i] >= k)
            return dt_fail(DT_ERR_FORMAT, "point %zu has label %d; expected -1 to %d", i, labels[i],
                           k - 1);
        double sq = 0;
        for (size_t e = 0; e < dim; e++)
            sq += (double)x[i * dim + e] * (double)x[i * dim + e];
        if (!(sq > 0) || !isfinite(sq))
            return dt_fail(DT_ERR_FORMAT,
                           "vector %zu has length %g; a cosine silhouette "
                           "needs a nonzero finite vector",
                           i, sqrt(sq));
        double inv = 1.0 / sqrt(sq);
        for (size_t e = 0; e < dim; e++)
            unit[i * dim + e] = (double)x[i * dim + e] * inv;
        if (labels[i] < 0)
            continue;
        double *s = sums + (size_t)labels[i] * dim;
        for (size_t e = 0; e < dim; e++)
            s[e] += unit[i * dim + e];
        count[labels[i]] += 1;
    }
    return DT_OK;
}

/* One point's silhouette from its products with every cluster sum. */
static double point_silhouette(const double *dots, double self, int32_t own, int32_t k,
                               const double *count)
{
    double m = count[own];
    if (m < 2)
        return 0; /* alone in its cluster, as sklearn */
    double a = (m - 1 - dots[own] + self) / (m - 1);
    double b = INFINITY;
    for (int32_t c = 0; c < k; c++)
        if (c != own && count[c] > 0 && 1 - dots[c] / count[c] < b)
            b = 1 - dots[c] / count[c];
    double top = a > b ? a : b;
    return top > 0 ? (b - a) / top : 0; /* sklearn turns 0/0 into 0 */
}

static void block_silhouettes(size_t r0, size_t rows, size_t dim, const double *unit,
                              const int32_t *labels, int32_t k, const double *sums,
                              const double *count, double *dots, double *point, double *total)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)k, (int)dim, 1.0,
                unit + r0 * dim, (int)dim, sums, (int)dim, 0.0, dots, (int)k);
    for (size_t r = 0; r < rows; r++) {
        size_t i = r0 + r;
        if (labels[i] < 0) {
            if (point)
                point[i] = NAN;
            continue;
        }
        const double *u = unit + i * dim;
        double self = 0;
        for (size_t e = 0; e < dim; e++)
            self += u[e] * u[e];
        double s = point_silhouette(dots + r * (size_t)k, self, labels[i], k, count);
        if (point)
            point[i] = s;
        total[labels[i]] += s;
    }
}

/* Fewer than two clusters: every silhouette is 0 (noise NAN). */
static void degenerate(size_t n, const int32_t *labels, int32_t k, double *point,
                       double *cluster_mean)
{
    for (size_t i = 0; point && i < n; i++)
        point[i] = labels[i] < 0 ? (double)NAN : 0.0;
    for (int32_t c = 0; cluster_mean && c < k; c++)
        cluster_mean[c] = 0;
}

dt_status dt_silhouette(size_t n, size_t dim, const float *x, const int32_t *labels,
                        int32_t n_clusters, double *point, double *cluster_mean)
{
    if (n_clusters < 0 || dim == 0 || dim > INT_MAX / ROW_BLOCK || n_clusters > INT_MAX / 2)
        return dt_fail(DT_ERR_USAGE, "silhouette of %d clusters in %zu dimensions", n_clusters,
                       dim);
    size_t k = (size_t)n_clusters;
    double *unit = NULL, *sums = NULL, *count = NULL, *dots = NULL, *total = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&unit, n * dim + 1, sizeof *unit, "unit vectors"));
    DT_CHECK_GOTO(st, dt_calloc(&sums, k * dim + 1, sizeof *sums, "cluster sums"));
    DT_CHECK_GOTO(st, dt_calloc(&count, k + 1, sizeof *count, "cluster counts"));
    DT_CHECK_GOTO(st, dt_calloc(&total, k + 1, sizeof *total, "silhouette totals"));
    DT_CHECK_GOTO(st, dt_malloc(&dots, (size_t)ROW_BLOCK * k + 1, sizeof *dots, "products"));
    DT_CHECK_GOTO(st, unit_rows_and_sums(n, dim, x, labels, n_clusters, unit, sums, count));
    if (n_clusters < 2) {
        degenerate(n, labels, n_clusters, point, cluster_mean);
        goto out;
    }

    for (size_t r0 = 0; r0 < n; r0 += ROW_BLOCK) {
        size_t rows = n - r0 < ROW_BLOCK ? n - r0 : ROW_BLOCK;
        block_silhouettes(r0, rows, dim, unit, labels, n_clusters, sums, count, dots, point, total);
    }
    for (size_t c = 0; cluster_mean && c < k; c++)
        cluster_mean[c] = count[c] > 0 ? total[c] / count[c] : 0;

out:
    free(unit);
    free(sums);
    free(count);
    free(dots);
    free(total);
    return st;
}
