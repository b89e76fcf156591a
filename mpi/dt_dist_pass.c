/* The panel pass: psgemm similarity tiles reduced to per-row candidate lists. */
#include "dt_dist_pass.h"

#include "dt_mpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    BLOCK = 64,         /* ScaLAPACK block size for rows and panel columns */
    FETCH_CHUNK = 4096, /* rows fetched from their owners at a time */
    PANEL_MIN = 64,     /* narrowest panel, columns */
    PANEL_MAX = 4096,   /* widest panel, columns */
};

/* Bound on one rank's share of a panel, bytes. */
static size_t tile_bytes = (size_t)48 << 20;

void dt_dist_pass_set_tile_bytes(size_t bytes)
{
    tile_bytes = bytes > 0 ? bytes : (size_t)48 << 20;
}

static int chunk_rounds(MPI_Comm comm, size_t rows, size_t *out_rounds)
{
    unsigned long long mine = (rows + FETCH_CHUNK - 1) / FETCH_CHUNK, most = 0;
    int code = MPI_Allreduce(&mine, &most, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, comm);
    *out_rounds = (size_t)most;
    return code;
}

/* Fetches rows ids[0..count) chunk by chunk and hands each chunk to take(); collective, all
 * ranks run the same number of chunks. */
typedef void (*chunk_fn)(dt_dist_pass_ctx *ctx, size_t first, size_t count, const float *rows);

static dt_status fetch_chunked(dt_dist_pass_ctx *ctx, const uint32_t *ids, size_t count,
                               chunk_fn take)
{
    float *buf = NULL;
    size_t rounds = 0, dim = (size_t)ctx->layout->dim;
    dt_status st = dt_malloc(&buf, (size_t)FETCH_CHUNK * dim, sizeof(float), "fetched rows");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(chunk_rounds(ctx->comm, count, &rounds), "chunk count"));

    for (size_t r = 0; r < rounds; r++) {
        size_t first = r * FETCH_CHUNK < count ? r * FETCH_CHUNK : count;
        size_t n = count - first < FETCH_CHUNK ? count - first : FETCH_CHUNK;
        DT_CHECK_GOTO(st, dt_dist_fetch_rows(ctx->layout, ctx->comm, ids + first, n, buf));
        take(ctx, first, n, buf);
    }

out:
    free(buf);
    return st;
}

/* Stores normalised tile rows into the local block of X (only this grid column's dims). */
static void take_tile_rows(dt_dist_pass_ctx *ctx, size_t first, size_t count, const float *rows)
{
    int dim = ctx->layout->dim, cols = ctx->grid.cols, my_col = ctx->grid.my_col;
    int local_dims = dt_blacs_local_count(dim, ctx->dim_block, my_col, cols);
    size_t ld = (size_t)ctx->tile_rows;
    for (size_t r = 0; r < count; r++) {
        const float *row = rows + r * (size_t)dim;
        double sq = dt_dist_sq(row, dim);
        for (int ld_col = 0; ld_col < local_dims; ld_col++) {
            int d = dt_blacs_global_index(ld_col, ctx->dim_block, my_col, cols);
            float unit = 0.0f;
            dt_dist_unit_row(row + d, sq, 1, &unit);
            ctx->x[(size_t)ld_col * ld + first + r] = unit;
        }
    }
}

static void take_held_rows(dt_dist_pass_ctx *ctx, size_t first, size_t count, const float *rows)
{
    size_t dim = (size_t)ctx->layout->dim;
    memcpy(ctx->held_raw + first * dim, rows, count * dim * sizeof(float));
    for (size_t r = 0; r < count; r++)
        ctx->held_sq[first + r] = dt_dist_sq(rows + r * dim, (int)dim);
}

static int choose_panel(const dt_dist_pass_ctx *ctx)
{
    /* The same on every rank: sized by grid row 0, which holds the most rows. */
    int most = dt_blacs_local_count(ctx->n, BLOCK, 0, ctx->grid.rows);
    size_t rows = most > 0 ? (size_t)most : 1;
    size_t width = tile_bytes / sizeof(float) / rows * (size_t)ctx->grid.cols;
    width = width / BLOCK * BLOCK;
    if (width < PANEL_MIN)
        width = PANEL_MIN;
    if (width > PANEL_MAX)
        width = PANEL_MAX;
    return (int)width;
}

static dt_status describe_x(dt_dist_pass_ctx *ctx)
{
    int block = BLOCK, dim_block = ctx->dim_block, zero = 0, info = 0;
    int ld = ctx->tile_rows > 0 ? ctx->tile_rows : 1;
    descinit_(ctx->desc_x, &ctx->n, &ctx->layout->dim, &block, &dim_block, &zero, &zero,
              &ctx->grid.context, &ld, &info);
    if (info != 0)
        return dt_fail(DT_ERR_INTERNAL, "descinit for X (%d x %d) failed with info %d", ctx->n,
                       ctx->layout->dim, info);
    return DT_OK;
}

static dt_status alloc_rows(dt_dist_pass_ctx *ctx)
{
    const dt_blacs_grid *g = &ctx->grid;
    size_t dim = (size_t)ctx->layout->dim;
    ctx->tile_rows = dt_blacs_local_count(ctx->n, BLOCK, g->my_row, g->rows);
    size_t local_dims = (size_t)dt_blacs_local_count((int)dim, ctx->dim_block, g->my_col, g->cols);
    ctx->held_rows = ((size_t)ctx->tile_rows + (size_t)(g->cols - g->my_col) - 1) / (size_t)g->cols;

    DT_CHECK(dt_malloc(&ctx->tile_ids, (size_t)ctx->tile_rows + 1, sizeof(uint32_t), "tile ids"));
    DT_CHECK(dt_malloc(&ctx->x, (size_t)ctx->tile_rows * local_dims + 1, sizeof(float), "X"));
    DT_CHECK(dt_malloc(&ctx->held_ids, ctx->held_rows + 1, sizeof(uint32_t), "held ids"));
    DT_CHECK(dt_malloc(&ctx->held_raw, ctx->held_rows * dim + 1, sizeof(float), "held rows"));
    DT_CHECK(dt_malloc(&ctx->held_sq, ctx->held_rows + 1, sizeof(double), "held sqs"));
    DT_CHECK(dt_malloc(&ctx->held_kth, ctx->held_rows + 1, sizeof(double), "held bounds"));
    DT_CHECK(dt_cand_lists_alloc(&ctx->tile, (size_t)ctx->tile_rows, ctx->k));
    DT_CHECK(dt_cand_lists_alloc(&ctx->held, ctx->held_rows, ctx->k));

    for (int li = 0; li < ctx->tile_rows; li++)
        ctx->tile_ids[li] = (uint32_t)dt_blacs_global_index(li, BLOCK, g->my_row, g->rows);
    for (size_t h = 0; h < ctx->held_rows; h++)
        ctx->held_ids[h] = ctx->tile_ids[h * (size_t)g->cols + (size_t)g->my_col];
    return DT_OK;
}

/* X^T (dim x n), the second operand of every panel product, stored apart so that PBLAS
 * multiplies without transposing: rows (dimensions) dealt over grid rows like X's
 * columns, columns (points) over grid columns in panel blocks like the panels of S. */
static dt_status alloc_transposed(dt_dist_pass_ctx *ctx)
{
    const dt_blacs_grid *g = &ctx->grid;
    int dim = ctx->layout->dim, dim_block = ctx->dim_block, zero = 0, info = 0;
    ctx->y_rows = dt_blacs_local_count(dim, ctx->dim_block, g->my_row, g->rows);
    ctx->y_cols = dt_blacs_local_count(ctx->n, ctx->panel_block, g->my_col, g->cols);
    int ld = ctx->y_rows > 0 ? ctx->y_rows : 1;
    DT_CHECK(dt_malloc(&ctx->y, (size_t)ld * (size_t)ctx->y_cols + 1, sizeof(float), "X^T"));
    DT_CHECK(dt_malloc(&ctx->y_ids, (size_t)ctx->y_cols + 1, sizeof(uint32_t), "X^T ids"));
    for (int lc = 0; lc < ctx->y_cols; lc++)
        ctx->y_ids[lc] = (uint32_t)dt_blacs_global_index(lc, ctx->panel_block, g->my_col, g->cols);
    descinit_(ctx->desc_y, &dim, &ctx->n, &dim_block, &ctx->panel_block, &zero, &zero, &g->context,
              &ld, &info);
    if (info != 0)
        return dt_fail(DT_ERR_INTERNAL, "descinit for X^T (%d x %d) failed with info %d", dim,
                       ctx->n, info);
    return DT_OK;
}

/* Stores normalised rows as columns of the local block of X^T (this grid row's dims). */
static void take_y_columns(dt_dist_pass_ctx *ctx, size_t first, size_t count, const float *rows)
{
    int dim = ctx->layout->dim;
    size_t ld = ctx->y_rows > 0 ? (size_t)ctx->y_rows : 1;
    for (size_t r = 0; r < count; r++) {
        const float *row = rows + r * (size_t)dim;
        double sq = dt_dist_sq(row, dim);
        for (int ld_row = 0; ld_row < ctx->y_rows; ld_row++) {
            int d = dt_blacs_global_index(ld_row, ctx->dim_block, ctx->grid.my_row, ctx->grid.rows);
            float unit = 0.0f;
            dt_dist_unit_row(row + d, sq, 1, &unit);
            ctx->y[(first + r) * ld + (size_t)ld_row] = unit;
        }
    }
}

dt_status dt_dist_pass_open(dt_dist_pass_ctx *ctx, const dt_dist_layout *layout, MPI_Comm comm,
                            int k)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->comm = comm;
    ctx->row_comm = MPI_COMM_NULL;
    ctx->layout = layout;
    ctx->n = (int)layout->n;
    ctx->k = k;
    ctx->margin = dt_dist_float_margin(layout->dim);
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_blacs_grid_open(comm, &ctx->grid));
    /* All dimensions in one block: PBLAS then makes one sgemm per panel with the whole
     * inner dimension, instead of streaming the large tile once per block of it. */
    ctx->dim_block = layout->dim;
    DT_CHECK_GOTO(
        st, dt_mpi_check(MPI_Comm_split(comm, ctx->grid.my_row, ctx->grid.my_col, &ctx->row_comm),
                         "splitting the grid's process rows"));

    st = alloc_rows(ctx);
    if (st == DT_OK)
        st = describe_x(ctx);
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    /* One block of panel columns per grid column: PBLAS then makes few, large sgemm calls,
     * and every panel starts on a block boundary of X^T. */
    ctx->panel_block = (choose_panel(ctx) / ctx->grid.cols + BLOCK - 1) / BLOCK * BLOCK;
    ctx->panel = ctx->panel_block * ctx->grid.cols;
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, alloc_transposed(ctx)));
    DT_CHECK_GOTO(st, fetch_chunked(ctx, ctx->tile_ids, (size_t)ctx->tile_rows, take_tile_rows));
    DT_CHECK_GOTO(st, fetch_chunked(ctx, ctx->y_ids, (size_t)ctx->y_cols, take_y_columns));
    DT_CHECK_GOTO(st, fetch_chunked(ctx, ctx->held_ids, ctx->held_rows, take_held_rows));

out:
    return st;
}

void dt_dist_pass_close(dt_dist_pass_ctx *ctx)
{
    if (ctx->row_comm != MPI_COMM_NULL && ctx->row_comm != 0)
        MPI_Comm_free(&ctx->row_comm);
    dt_blacs_grid_close(&ctx->grid);
    free(ctx->tile_ids);
    free(ctx->x);
    free(ctx->y);
    free(ctx->y_ids);
    free(ctx->held_ids);
    free(ctx->held_raw);
    free(ctx->held_sq);
    free(ctx->held_kth);
    dt_cand_lists_free(&ctx->tile);
    dt_cand_lists_free(&ctx->held);
    memset(ctx, 0, sizeof *ctx);
    ctx->row_comm = MPI_COMM_NULL;
}

/* What a scan needs beyond the tile: the panel's place and, for mutual reachability, the
 * components and core distances (NULL for plain distances). */
typedef struct {
    int first;      /* global row of the panel's first column */
    int local_cols; /* panel columns this rank holds */
    const uint32_t *comp;
    const double *core;
} panel_view;

/* The scans test each entry in float first: 1 - s rounded to float, and core distances
 * rounded down, against the row's worst key rounded up. Rounding is monotone, so every
 * entry the exact test in double would keep passes the float test. */
static void scan_distances(dt_dist_pass_ctx *ctx, const float *tile, const panel_view *pv)
{
    size_t ld = ctx->tile_rows > 0 ? (size_t)ctx->tile_rows : 1;
    const float *worst_up = ctx->tile.worst_up;
    for (int lc = 0; lc < pv->local_cols; lc++) {
        uint32_t j =
            (uint32_t)(pv->first + dt_blacs_global_index(lc, ctx->panel_block, ctx->grid.my_col,
                                                         ctx->grid.cols));
        const float *col = tile + (size_t)lc * ld;
        for (int li = 0; li < ctx->tile_rows; li++) {
            if (!(1.0f - col[li] <= worst_up[li]))
                continue;
            double key = 1.0 - (double)col[li];
            if (key < ctx->tile.worst[li] && j != ctx->tile_ids[li])
                dt_cand_lists_push(&ctx->tile, (size_t)li, key, j);
        }
    }
}

static void scan_reachability(dt_dist_pass_ctx *ctx, const float *tile, const panel_view *pv,
                              const float *row_core_down)
{
    size_t ld = ctx->tile_rows > 0 ? (size_t)ctx->tile_rows : 1;
    const float *worst_up = ctx->tile.worst_up;
    for (int lc = 0; lc < pv->local_cols; lc++) {
        uint32_t j =
            (uint32_t)(pv->first + dt_blacs_global_index(lc, ctx->panel_block, ctx->grid.my_col,
                                                         ctx->grid.cols));
        uint32_t comp_j = pv->comp[j];
        double core_j = pv->core[j];
        float core_j_down = nextafterf((float)core_j, -INFINITY);
        const float *col = tile + (size_t)lc * ld;
        for (int li = 0; li < ctx->tile_rows; li++) {
            float low = 1.0f - col[li];
            low = low > core_j_down ? low : core_j_down;
            low = low > row_core_down[li] ? low : row_core_down[li];
            if (!(low <= worst_up[li]))
                continue;
            uint32_t i = ctx->tile_ids[li];
            double key = 1.0 - (double)col[li];
            key = key > core_j ? key : core_j;
            key = key > pv->core[i] ? key : pv->core[i];
            if (key < ctx->tile.worst[li] && pv->comp[i] != comp_j)
                dt_cand_lists_push(&ctx->tile, (size_t)li, key, j);
        }
    }
}

/* S(:, first .. first + width - 1) = X X^T(:, first ..) into the local tile. The panel of
 * X^T is described as a matrix of its own, starting at its local block: every operand then
 * starts at (1, 1), the case PBLAS handles without submatrix offsets. */
static dt_status panel_product(dt_dist_pass_ctx *ctx, int first, int width, float *tile)
{
    int block = BLOCK, zero = 0, info = 0, one_i = 1, dim = ctx->layout->dim;
    int ld_s = ctx->tile_rows > 0 ? ctx->tile_rows : 1, ld_y = ctx->y_rows > 0 ? ctx->y_rows : 1;
    int desc_s[9], desc_panel[9];
    descinit_(desc_s, &ctx->n, &width, &block, &ctx->panel_block, &zero, &zero, &ctx->grid.context,
              &ld_s, &info);
    if (info == 0)
        descinit_(desc_panel, &dim, &width, &ctx->dim_block, &ctx->panel_block, &zero, &zero,
                  &ctx->grid.context, &ld_y, &info);
    if (info != 0)
        return dt_fail(DT_ERR_INTERNAL, "descinit for a %d x %d panel failed with info %d", ctx->n,
                       width, info);

    const float *panel =
        ctx->y + (size_t)(first / ctx->panel) * (size_t)ctx->panel_block * (size_t)ld_y;
    float one = 1.0f, nothing = 0.0f;
    psgemm_("N", "N", &ctx->n, &width, &dim, &one, ctx->x, &one_i, &one_i, ctx->desc_x, panel,
            &one_i, &one_i, desc_panel, &nothing, tile, &one_i, &one_i, desc_s);
    return DT_OK;
}

static dt_status sweep_panels(dt_dist_pass_ctx *ctx, const uint32_t *comp, const double *core)
{
    float *tile = NULL, *row_core_down = NULL;
    int max_cols =
        dt_blacs_local_count(ctx->panel, ctx->panel_block, ctx->grid.my_col, ctx->grid.cols);
    dt_status st = dt_malloc(&tile, (size_t)ctx->tile_rows * (size_t)max_cols + 1, sizeof(float),
                             "similarity panel");
    if (st == DT_OK)
        st = dt_malloc(&row_core_down, (size_t)ctx->tile_rows + 1, sizeof(float), "core bounds");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));
    for (int li = 0; core && li < ctx->tile_rows; li++)
        row_core_down[li] = nextafterf((float)core[ctx->tile_ids[li]], -INFINITY);

    for (int first = 0; first < ctx->n; first += ctx->panel) {
        int width = ctx->n - first < ctx->panel ? ctx->n - first : ctx->panel;
        DT_CHECK_GOTO(st, panel_product(ctx, first, width, tile));
        panel_view pv = {.first = first,
                         .local_cols = dt_blacs_local_count(width, ctx->panel_block,
                                                            ctx->grid.my_col, ctx->grid.cols),
                         .comp = comp,
                         .core = core};
        if (comp)
            scan_reachability(ctx, tile, &pv, row_core_down);
        else
            scan_distances(ctx, tile, &pv);
    }

out:
    free(tile);
    free(row_core_down);
    return st;
}

/* Exact distances of the held rows' candidates: rows fetched a chunk of held rows at a time. */
static int compare_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static size_t find_u32(const uint32_t *sorted, size_t count, uint32_t id)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Collects the distinct candidate ids of held rows first .. first + rows - 1. */
static size_t distinct_candidates(const dt_dist_pass_ctx *ctx, size_t first, size_t rows,
                                  uint32_t *ids)
{
    size_t count = 0, k = (size_t)ctx->k;
    for (size_t h = first; h < first + rows; h++)
        for (int t = 0; t < ctx->held.count[h]; t++)
            ids[count++] = ctx->held.entries[h * k + (size_t)t].j;
    qsort(ids, count, sizeof *ids, compare_u32);
    size_t distinct = 0;
    for (size_t q = 0; q < count; q++)
        if (distinct == 0 || ids[distinct - 1] != ids[q])
            ids[distinct++] = ids[q];
    return distinct;
}

static void fill_exact(dt_dist_pass_ctx *ctx, size_t first, size_t rows, const uint32_t *ids,
                       size_t distinct, const float *fetched, double *sqs)
{
    size_t k = (size_t)ctx->k, dim = (size_t)ctx->layout->dim;
    for (size_t q = 0; q < distinct; q++)
        sqs[q] = dt_dist_sq(fetched + q * dim, (int)dim);
    for (size_t h = first; h < first + rows; h++)
        for (int t = 0; t < ctx->held.count[h]; t++) {
            dt_cand *c = &ctx->held.entries[h * k + (size_t)t];
            size_t at = find_u32(ids, distinct, c->j);
            c->exact = dt_dist_cosine(ctx->held_raw + h * dim, ctx->held_sq[h], fetched + at * dim,
                                      sqs[at], (int)dim);
        }
}

static dt_status refine_held(dt_dist_pass_ctx *ctx)
{
    /* Up to 8 x FETCH_CHUNK candidate rows per round (a few tens of MB): few collectives. */
    size_t rows_per_round = 8 * FETCH_CHUNK / (size_t)ctx->k + 1, rounds = 0;
    size_t mine = (ctx->held_rows + rows_per_round - 1) / rows_per_round;
    uint32_t *ids = NULL;
    float *fetched = NULL;
    double *sqs = NULL;
    size_t cap = rows_per_round * (size_t)ctx->k;
    dt_status st = dt_malloc(&ids, cap, sizeof *ids, "candidate ids");
    if (st == DT_OK)
        st = dt_malloc(&sqs, cap, sizeof(double), "candidate sqs");
    if (st == DT_OK)
        st = dt_malloc(&fetched, cap * (size_t)ctx->layout->dim, sizeof(float), "candidates");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));
    DT_CHECK_GOTO(
        st, dt_mpi_check(MPI_Allreduce(&mine, &rounds, 1, MPI_UNSIGNED_LONG, MPI_MAX, ctx->comm),
                         "counting refinement rounds"));

    for (size_t r = 0; r < rounds; r++) {
        size_t first = r * rows_per_round < ctx->held_rows ? r * rows_per_round : ctx->held_rows;
        size_t rows =
            ctx->held_rows - first < rows_per_round ? ctx->held_rows - first : rows_per_round;
        size_t distinct = distinct_candidates(ctx, first, rows, ids);
        DT_CHECK_GOTO(st, dt_dist_fetch_rows(ctx->layout, ctx->comm, ids, distinct, fetched));
        fill_exact(ctx, first, rows, ids, distinct, fetched, sqs);
    }

out:
    free(sqs);
    free(ids);
    free(fetched);
    return st;
}

dt_status dt_dist_pass_run(dt_dist_pass_ctx *ctx, const uint32_t *comp, const double *core)
{
    dt_cand_lists_clear(&ctx->tile);
    DT_CHECK(sweep_panels(ctx, comp, core));
    DT_CHECK(dt_cand_lists_merge(&ctx->tile, ctx->row_comm, &ctx->held, ctx->held_kth));
    DT_CHECK(refine_held(ctx));
    ctx->passes++;
    return DT_OK;
}

dt_status dt_dist_held_queries_make(const dt_dist_pass_ctx *ctx, const uint32_t *held, size_t count,
                                    dt_dist_held_queries *out)
{
    size_t dim = (size_t)ctx->layout->dim;
    memset(out, 0, sizeof *out);
    dt_status st = dt_malloc(&out->rows, count * dim + 1, sizeof(float), "query rows");
    if (st == DT_OK)
        st = dt_malloc(&out->ids, count + 1, sizeof(uint32_t), "query ids");
    if (st != DT_OK) {
        dt_dist_held_queries_free(out);
        return st;
    }

    for (size_t q = 0; q < count; q++) {
        out->ids[q] = ctx->held_ids[held[q]];
        memcpy(out->rows + q * dim, ctx->held_raw + (size_t)held[q] * dim, dim * sizeof(float));
    }
    out->queries = (dt_dist_queries){.count = count, .ids = out->ids, .rows = out->rows};
    return DT_OK;
}

void dt_dist_held_queries_free(dt_dist_held_queries *q)
{
    free(q->ids);
    free(q->rows);
    memset(q, 0, sizeof *q);
}
