/* One pass over all pairs of rows: block-cyclic similarity panels from ScaLAPACK's psgemm,
 * reduced on the fly to each row's nearest candidates. */
#ifndef DT_DIST_PASS_H
#define DT_DIST_PASS_H

#include "dt_blacs.h"
#include "dt_dist_exact.h"
#include "dt_dist_lists.h"
#include "dt_dist_rows.h"

/*
 * The n x n similarity matrix S = X X^T of the normalised rows is never formed. X lives
 * block-cyclically on a BLACS grid (rows of X over process rows, dimensions over process
 * columns); a pass walks over column panels of S, S(:, J) = X X^T(:, J), each panel a
 * block-cyclic tile of tile_rows x (panel / grid columns) floats per rank. X^T is kept as a
 * second block-cyclic matrix so that PBLAS multiplies plain operands. Every rank keeps,
 * for the rows of its process row, the k best candidates among the panel columns it holds;
 * at the end of the pass the ranks of a process row merge their lists, so that each row is
 * held by exactly one rank (its "held" rows), and the candidates' exact double distances
 * are computed from the raw rows.
 */
typedef struct {
    MPI_Comm comm;
    MPI_Comm row_comm; /* the ranks of this rank's process row, ordered by column */
    const dt_dist_layout *layout;
    dt_blacs_grid grid;
    int n;              /* all rows, as ScaLAPACK's int */
    int tile_rows;      /* rows of X held by this process row */
    uint32_t *tile_ids; /* global row of each tile row */
    float *x;           /* normalised X, local block, column-major, leading dimension tile_rows */
    int desc_x[9];
    float *y; /* X^T, dim x n, local block, column-major, leading dimension y_rows */
    int desc_y[9];
    int y_rows, y_cols; /* its local shape */
    uint32_t *y_ids;    /* global point of each local column of X^T */
    int panel;          /* columns of S per panel */
    int panel_block;    /* ScaLAPACK column block of a panel */
    int dim_block;      /* ScaLAPACK block of the vector dimensions */
    int k;              /* candidates kept per row */
    double margin;      /* dt_dist_float_margin(dim) */
    dt_cand_lists tile; /* per tile row, during a pass */
    /* The rows this rank holds after a pass: tile row li with li % grid.cols == grid.my_col. */
    size_t held_rows;
    uint32_t *held_ids;
    float *held_raw; /* held_rows x dim, as the caller gave them */
    double *held_sq;
    dt_cand_lists held; /* per held row, sorted by (key, j), exact filled in */
    double *held_kth;   /* per held row: the key no left-out candidate is below, or +inf */
    int passes;         /* full passes run so far */
} dt_dist_pass_ctx;

/* Sets the bound on one rank's share of a similarity panel (default 48 MiB; 0 restores
 * it). Panels are at least 64 columns wide whatever the bound. Not collective: every rank
 * must set the same value before dt_dist_pass_open. Tests use it to force many panels. */
void dt_dist_pass_set_tile_bytes(size_t bytes);

/* Collective over comm: builds the grid, the block-cyclic normalised X and the held rows.
 * k is the number of candidates kept per row (1 <= k < n). */
dt_status dt_dist_pass_open(dt_dist_pass_ctx *ctx, const dt_dist_layout *layout, MPI_Comm comm,
                            int k);

/* Collective over ctx's communicator; safe on a zeroed context. */
void dt_dist_pass_close(dt_dist_pass_ctx *ctx);

/* Collective: one pass over all panels. With comp == NULL the key of (i, j) is the float
 * cosine distance; otherwise it is the float mutual-reachability distance
 * max(core[i], core[j], distance) and only j in another component than i (comp[j] !=
 * comp[i]) count. The point itself never counts. comp and core have n entries, the same on
 * every rank. Fills ctx->held, ctx->held_kth. */
dt_status dt_dist_pass_run(dt_dist_pass_ctx *ctx, const uint32_t *comp, const double *core);

/* Queries for some of this rank's held rows: their global ids and raw rows, in arrays the
 * struct owns. Not collective; free with dt_dist_held_queries_free (a zeroed struct is
 * fine). */
typedef struct {
    dt_dist_queries queries;
    uint32_t *ids;
    float *rows;
} dt_dist_held_queries;

/* Fills out for the held rows held[0 .. count). Errors: DT_ERR_NOMEM. */
dt_status dt_dist_held_queries_make(const dt_dist_pass_ctx *ctx, const uint32_t *held, size_t count,
                                    dt_dist_held_queries *out);
void dt_dist_held_queries_free(dt_dist_held_queries *q);

#endif
