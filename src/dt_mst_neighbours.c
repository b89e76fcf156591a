/* Core neighbourhoods: every point within each point's core distance, exactly. */
#include "dt_mst.h"

#include <stdlib.h>

enum {
    ROW_BLOCK = 128, /* rows of one similarity block */
    COL_BLOCK = 2048 /* columns of one similarity block */
};

/* Growing CSR arrays, filled row after row. */
typedef struct {
    size_t *start;
    uint32_t *neighbour;
    size_t count;
    size_t cap;
} csr;

static dt_status append(csr *out, uint32_t v)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 4096;
        DT_CHECK(dt_realloc(&out->neighbour, cap, sizeof *out->neighbour, "core neighbours"));
        out->cap = cap;
    }
    out->neighbour[out->count++] = v;
    return DT_OK;
}

/* Candidates of one block: pairs whose single-precision distance, less the error bound, is
 * within the row's core distance; the exact distance decides. Collected per row. */
static dt_status scan_block(const dt_mst_points *p, const double *core, const float *sim, size_t r0,
                            size_t rows, size_t c0, size_t cols, csr *rows_out)
{
    for (size_t r = 0; r < rows; r++) {
        size_t u = r0 + r;
        for (size_t c = 0; c < cols; c++) {
            size_t v = c0 + c;
            if (v == u || 1.0 - (double)sim[r * cols + c] - p->slack > core[u])
                continue;
            if (dt_mst_distance(p, u, v) <= core[u])
                DT_CHECK(append(&rows_out[r], (uint32_t)v));
        }
    }
    return DT_OK;
}

/* Moves the block's per-row lists into the result, in row order. */
static dt_status flush_rows(csr *rows_out, size_t r0, size_t rows, csr *out)
{
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < rows_out[r].count; j++)
            DT_CHECK(append(out, rows_out[r].neighbour[j]));
        out->start[r0 + r + 1] = out->count;
        rows_out[r].count = 0;
    }
    return DT_OK;
}

static dt_status scan_rows(const dt_mst_points *p, const double *core, float *sim, csr *rows_out,
                           csr *out)
{
    for (size_t r0 = 0; r0 < p->n; r0 += ROW_BLOCK) {
        size_t rows = p->n - r0 < ROW_BLOCK ? p->n - r0 : ROW_BLOCK;
        for (size_t c0 = 0; c0 < p->n; c0 += COL_BLOCK) {
            size_t cols = p->n - c0 < COL_BLOCK ? p->n - c0 : COL_BLOCK;
            dt_mst_similarity_block(p, r0, rows, c0, cols, sim);
            DT_CHECK(scan_block(p, core, sim, r0, rows, c0, cols, rows_out));
        }
        DT_CHECK(flush_rows(rows_out, r0, rows, out));
    }
    return DT_OK;
}

dt_status dt_mst_core_neighbours(const dt_mst_points *p, const double *core, size_t **start,
                                 uint32_t **neighbour)
{
    csr out = {0};
    csr rows_out[ROW_BLOCK] = {{0}};
    float *sim = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_calloc(&out.start, p->n + 1, sizeof *out.start, "core neighbours"));
    DT_CHECK_GOTO(st, append(&out, 0)); /* keeps the array allocated when nobody has any */
    out.count = 0;
    DT_CHECK_GOTO(st,
                  dt_malloc(&sim, (size_t)ROW_BLOCK * COL_BLOCK, sizeof *sim, "similarity block"));
    DT_CHECK_GOTO(st, scan_rows(p, core, sim, rows_out, &out));
    *start = out.start;
    *neighbour = out.neighbour;
    out.start = NULL;
    out.neighbour = NULL;

out:
    for (size_t r = 0; r < ROW_BLOCK; r++)
        free(rows_out[r].neighbour);
    free(out.start);
    free(out.neighbour);
    free(sim);
    return st;
}
