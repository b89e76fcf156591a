/* Serial core distances for cosine mutual reachability, from single-precision blocks. */
#include "dt_mst.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    ROW_BLOCK = 128,     /* rows of one similarity block */
    COL_BLOCK = 2048,    /* columns of one similarity block: 1 MiB of floats */
    EXTRA_NEIGHBOURS = 8 /* candidates kept beyond min_samples, so ties rarely fall back */
};

/* <x, y> summed in index order in double: the one dot product every exact value uses. */
static double dot_double(const float *x, const float *y, size_t dim)
{
    double s = 0;
    for (size_t k = 0; k < dim; k++)
        s += (double)x[k] * (double)y[k];
    return s;
}

double dt_mst_distance(const dt_mst_points *p, size_t a, size_t b)
{
    const float *xa = p->x + a * p->dim;
    const float *xb = p->x + b * p->dim;
    double d = 1.0 - dot_double(xa, xb, p->dim) / sqrt(p->sq[a] * p->sq[b]);
    return d > 0 ? d : 0.0;
}

static dt_status check_row(const float *row, size_t dim, size_t i, double *sq)
{
    for (size_t k = 0; k < dim; k++)
        if (!isfinite(row[k]))
            return dt_fail(DT_ERR_FORMAT,
                           "vector %zu, component %zu is %g; expected a finite "
                           "number",
                           i, k, (double)row[k]);
    *sq = dot_double(row, row, dim);
    if (!(*sq > 0) || !isfinite(*sq))
        return dt_fail(DT_ERR_FORMAT,
                       "vector %zu has length %g; a cosine distance needs a "
                       "nonzero finite vector",
                       i, sqrt(*sq));
    return DT_OK;
}

dt_status dt_mst_points_init(dt_mst_points *p, size_t n, size_t dim, const float *x)
{
    memset(p, 0, sizeof *p);
    if (n > INT_MAX || dim == 0 || dim > INT_MAX / ROW_BLOCK)
        return dt_fail(DT_ERR_USAGE,
                       "%zu vectors of %zu components; expected 1 to %d "
                       "components and at most %d vectors",
                       n, dim, INT_MAX / ROW_BLOCK, INT_MAX);
    p->n = n;
    p->dim = dim;
    p->x = x;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&p->sq, n ? n : 1, sizeof *p->sq, "vector lengths"));
    DT_CHECK_GOTO(st, dt_malloc(&p->unit, n ? n * dim : 1, sizeof *p->unit, "unit vectors"));

    for (size_t i = 0; i < n; i++) {
        DT_CHECK_GOTO(st, check_row(x + i * dim, dim, i, &p->sq[i]));
        double inv = 1.0 / sqrt(p->sq[i]);
        for (size_t k = 0; k < dim; k++)
            p->unit[i * dim + k] = (float)((double)x[i * dim + k] * inv);
    }

    /* Rounding the unit vectors costs 2u and a float dot product of length dim at most
     * dim u relative to the product of the lengths (u = 2^-24); twice that, plus the
     * double reference's own rounding, bounds |float cosine - double cosine|. */
    p->slack = ((double)dim + 4.0) * ldexp(1.0, -23);

out:
    if (st != DT_OK)
        dt_mst_points_free(p);
    return st;
}

void dt_mst_points_free(dt_mst_points *p)
{
    if (!p)
        return;
    free(p->sq);
    free(p->unit);
    memset(p, 0, sizeof *p);
}

/* The m nearest candidates of one point, as a max-heap on the single-precision distance. */
typedef struct {
    float *dist;
    uint32_t *index;
    size_t count;
} candidate_heap;

static void heap_sift_down(candidate_heap *h, size_t i)
{
    for (;;) {
        size_t big = i;
        size_t l = 2 * i + 1;
        size_t r = l + 1;
        if (l < h->count && h->dist[l] > h->dist[big])
            big = l;
        if (r < h->count && h->dist[r] > h->dist[big])
            big = r;
        if (big == i)
            return;
        float d = h->dist[i];
        uint32_t x = h->index[i];
        h->dist[i] = h->dist[big];
        h->index[i] = h->index[big];
        h->dist[big] = d;
        h->index[big] = x;
        i = big;
    }
}

static void heap_offer(candidate_heap *h, size_t capacity, float dist, uint32_t index)
{
    if (h->count < capacity) {
        size_t i = h->count++;
        h->dist[i] = dist;
        h->index[i] = index;
        while (i > 0 && h->dist[(i - 1) / 2] < h->dist[i]) {
            size_t up = (i - 1) / 2;
            float d = h->dist[i];
            uint32_t x = h->index[i];
            h->dist[i] = h->dist[up];
            h->index[i] = h->index[up];
            h->dist[up] = d;
            h->index[up] = x;
            i = up;
        }
        return;
    }
    if (dist >= h->dist[0])
        return;
    h->dist[0] = dist;
    h->index[0] = index;
    heap_sift_down(h, 0);
}

static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa;
    double b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The k-th smallest exact distance from i over every other point (the slow, sure way). */
static double exact_kth(const dt_mst_points *p, size_t i, size_t k, double *scratch)
{
    size_t m = 0;
    for (size_t j = 0; j < p->n; j++)
        if (j != i)
            scratch[m++] = dt_mst_distance(p, i, j);
    qsort(scratch, m, sizeof *scratch, compare_double);
    return scratch[k - 1];
}

/* The k-th smallest exact distance among the candidates, when the single-precision margin
 * proves no other point can come closer; otherwise the full row decides. */
static double core_from_candidates(const dt_mst_points *p, size_t i, const candidate_heap *h,
                                   size_t capacity, size_t k, double *scratch)
{
    for (size_t c = 0; c < h->count; c++)
        scratch[c] = dt_mst_distance(p, i, h->index[c]);
    qsort(scratch, h->count, sizeof *scratch, compare_double);
    double core = scratch[k - 1];

    int everyone_seen = h->count < capacity;
    double unseen_bound = (double)h->dist[0] - p->slack; /* heap top: the farthest kept */
    if (everyone_seen || core <= unseen_bound)
        return core;
    return exact_kth(p, i, k, scratch);
}

/* Offers the similarities of one block (rows r0.., columns c0..) to the rows' heaps. */
static void offer_block(const float *sim, size_t rows, size_t r0, size_t cols, size_t c0,
                        candidate_heap *heaps, size_t capacity)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            if (r0 + r == c0 + c)
                continue;
            float d = 1.0f - sim[r * cols + c];
            heap_offer(&heaps[r], capacity, d, (uint32_t)(c0 + c));
        }
}

static void similarity_block(const dt_mst_points *p, size_t r0, size_t rows, size_t c0, size_t cols,
                             float *sim)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)cols, (int)p->dim, 1.0f,
                p->unit + r0 * p->dim, (int)p->dim, p->unit + c0 * p->dim, (int)p->dim, 0.0f, sim,
                (int)cols);
}

/* Core distances of rows r0..r0+rows through every column block. */
static void core_row_block(const dt_mst_points *p, size_t r0, size_t rows, size_t k,
                           size_t capacity, candidate_heap *heaps, float *sim, double *scratch,
                           double *core)
{
    for (size_t r = 0; r < rows; r++)
        heaps[r].count = 0;
    for (size_t c0 = 0; c0 < p->n; c0 += COL_BLOCK) {
        size_t cols = p->n - c0 < COL_BLOCK ? p->n - c0 : COL_BLOCK;
        similarity_block(p, r0, rows, c0, cols, sim);
        offer_block(sim, rows, r0, cols, c0, heaps, capacity);
    }
    for (size_t r = 0; r < rows; r++)
        core[r0 + r] = core_from_candidates(p, r0 + r, &heaps[r], capacity, k, scratch);
}

dt_status dt_mst_core_distances(const dt_mst_points *p, int min_samples, double *core)
{
    if (min_samples < 1 || (size_t)min_samples > p->n)
        return dt_fail(DT_ERR_USAGE,
                       "min_samples is %d; expected 1 to the number of vectors "
                       "(%zu)",
                       min_samples, p->n);
    size_t k = (size_t)min_samples - 1; /* neighbours other than the point itself */
    if (k == 0) {
        for (size_t i = 0; i < p->n; i++)
            core[i] = 0;
        return DT_OK;
    }

    size_t capacity = k + EXTRA_NEIGHBOURS;
    float *sim = NULL;
    float *dist = NULL;
    uint32_t *index = NULL;
    double *scratch = NULL;
    candidate_heap heaps[ROW_BLOCK];
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st,
                  dt_malloc(&sim, (size_t)ROW_BLOCK * COL_BLOCK, sizeof *sim, "similarity block"));
    DT_CHECK_GOTO(st, dt_malloc(&dist, ROW_BLOCK * capacity, sizeof *dist, "neighbours"));
    DT_CHECK_GOTO(st, dt_malloc(&index, ROW_BLOCK * capacity, sizeof *index, "neighbours"));
    DT_CHECK_GOTO(st, dt_malloc(&scratch, p->n, sizeof *scratch, "distance row"));
    for (size_t r = 0; r < ROW_BLOCK; r++)
        heaps[r] = (candidate_heap){dist + r * capacity, index + r * capacity, 0};

    for (size_t r0 = 0; r0 < p->n; r0 += ROW_BLOCK) {
        size_t rows = p->n - r0 < ROW_BLOCK ? p->n - r0 : ROW_BLOCK;
        core_row_block(p, r0, rows, k, capacity, heaps, sim, scratch, core);
    }

out:
    free(sim);
    free(dist);
    free(index);
    free(scratch);
    return st;
}

dt_status dt_mst_build(size_t n, size_t dim, const float *x, int min_samples, double *core,
                       dt_edge *mst)
{
    dt_mst_points p;
    DT_CHECK(dt_mst_points_init(&p, n, dim, x));
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_mst_core_distances(&p, min_samples, core));
    DT_CHECK_GOTO(st, dt_mst_prim(&p, core, mst));
out:
    dt_mst_points_free(&p);
    return st;
}
