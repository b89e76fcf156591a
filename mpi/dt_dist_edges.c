/* Boruvka rounds over the mutual-reachability graph, fed by cached candidate lists, exact
 * searches and, when too many rows are undecided, a fresh pass over all pairs. */
#include "dt_dist_edges.h"

#include "dt_chain.h"
#include "dt_dist_core.h"
#include "dt_dist_exact.h"
#include "dt_dist_pass.h"
#include "dt_dist_query.h"
#include "dt_log.h"
#include "dt_mpi.h"

#include <stdlib.h>
#include <string.h>

/* The replicated state of the rounds: every rank holds the same copy and applies the same
 * merges, so no rank ever needs another's component labels. */
typedef struct {
    size_t n;
    double *core;     /* per row */
    uint32_t *parent; /* union-find forest */
    uint32_t *comp;   /* per row: component label 0..ncomp-1 */
    size_t ncomp;
    double *floor;  /* per held row: no uncached outgoing edge weighs less */
    dt_edge *best;  /* per component: least known outgoing edge */
    double *lowest; /* per component: least floor of its held rows, reduced over ranks */
    dt_edge *tree;  /* edges found so far */
    size_t n_tree;
    MPI_Datatype edge_type;
    MPI_Op edge_op;
} boruvka;

static uint32_t find_root(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* Numbers the components 0.. in the order of their smallest row. */
static void relabel(boruvka *b)
{
    size_t next = 0;
    for (size_t i = 0; i < b->n; i++)
        b->comp[i] = UINT32_MAX;
    for (size_t i = 0; i < b->n; i++) {
        uint32_t root = find_root(b->parent, (uint32_t)i);
        if (b->comp[root] == UINT32_MAX)
            b->comp[root] = (uint32_t)next++;
        b->comp[i] = b->comp[root];
    }
    b->ncomp = next;
}

/* Lower bounds on the uncached outgoing edges of each held row after a pass. After the
 * distance pass an uncached j is at least kth - margin away; after a reachability pass its
 * float weight was at least kth. */
static void set_floors(const dt_dist_pass_ctx *ctx, boruvka *b, int reachability_pass)
{
    for (size_t h = 0; h < ctx->held_rows; h++) {
        double bound = ctx->held_kth[h] - ctx->margin;
        double core = b->core[ctx->held_ids[h]];
        b->floor[h] = reachability_pass || bound > core ? bound : core;
    }
}

static dt_edge held_row_best(const dt_dist_pass_ctx *ctx, const boruvka *b, size_t h)
{
    uint32_t i = ctx->held_ids[h];
    const dt_cand *list = ctx->held.entries + h * (size_t)ctx->k;
    dt_edge best = dt_edge_none();
    for (int t = 0; t < ctx->held.count[h]; t++) {
        uint32_t j = list[t].j;
        if (b->comp[j] == b->comp[i])
            continue;
        double w = list[t].exact;
        w = w > b->core[i] ? w : b->core[i];
        w = w > b->core[j] ? w : b->core[j];
        dt_edge e = dt_edge_make(i, j, w);
        if (dt_edge_before(&e, &best))
            best = e;
    }
    return best;
}

/* Collective: every component's least cached outgoing edge and least floor. */
static dt_status reduce_cached(const dt_dist_pass_ctx *ctx, boruvka *b)
{
    for (size_t c = 0; c < b->ncomp; c++) {
        b->best[c] = dt_edge_none();
        b->lowest[c] = (double)INFINITY;
    }
    for (size_t h = 0; h < ctx->held_rows; h++) {
        uint32_t c = b->comp[ctx->held_ids[h]];
        dt_edge e = held_row_best(ctx, b, h);
        if (dt_edge_before(&e, &b->best[c]))
            b->best[c] = e;
        if (b->floor[h] < b->lowest[c])
            b->lowest[c] = b->floor[h];
    }
    int count = (int)b->ncomp;
    DT_CHECK(dt_mpi_check(
        MPI_Allreduce(MPI_IN_PLACE, b->best, count, b->edge_type, b->edge_op, ctx->comm),
        "reducing component edges"));
    DT_CHECK(
        dt_mpi_check(MPI_Allreduce(MPI_IN_PLACE, b->lowest, count, MPI_DOUBLE, MPI_MIN, ctx->comm),
                     "reducing component floors"));
    return DT_OK;
}

/* Held rows that might still have an edge lighter than their component's best. */
static size_t undecided_rows(const dt_dist_pass_ctx *ctx, const boruvka *b, uint32_t *rows)
{
    size_t count = 0;
    for (size_t h = 0; h < ctx->held_rows; h++) {
        uint32_t c = b->comp[ctx->held_ids[h]];
        if (!(b->best[c].weight < b->floor[h]))
            rows[count++] = (uint32_t)h;
    }
    return count;
}

/* Collective: exact searches for the undecided rows, folded into the components' bests. */
static dt_status search_exactly(const dt_dist_pass_ctx *ctx, boruvka *b, const uint32_t *rows,
                                size_t count)
{
    dt_dist_held_queries hq = {0};
    dt_edge *found = NULL;
    dt_status st = dt_dist_held_queries_make(ctx, rows, count, &hq);
    if (st == DT_OK)
        st = dt_malloc(&found, count + 1, sizeof(dt_edge), "edge queries");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));

    DT_CHECK_GOTO(
        st, dt_dist_exact_outgoing(ctx->layout, ctx->comm, &hq.queries, b->comp, b->core, found));
    for (size_t q = 0; q < count; q++) {
        uint32_t c = b->comp[hq.ids[q]];
        if (dt_edge_before(&found[q], &b->best[c]))
            b->best[c] = found[q];
    }
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allreduce(MPI_IN_PLACE, b->best, (int)b->ncomp, b->edge_type,
                                                 b->edge_op, ctx->comm),
                                   "reducing searched edges"));

out:
    dt_dist_held_queries_free(&hq);
    free(found);
    return st;
}

/* Adds every component's best edge unless an earlier one already joined the two sides. */
static dt_status add_best_edges(boruvka *b)
{
    for (size_t c = 0; c < b->ncomp; c++) {
        dt_edge e = b->best[c];
        if (e.a == UINT32_MAX)
            return dt_fail(DT_ERR_INTERNAL, "component %zu of %zu has no outgoing edge", c,
                           b->ncomp);
        uint32_t ra = find_root(b->parent, e.a), rb = find_root(b->parent, e.b);
        if (ra == rb)
            continue;
        b->parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        b->tree[b->n_tree++] = e;
    }
    return DT_OK;
}

static size_t global_sum(MPI_Comm comm, size_t local)
{
    unsigned long mine = local, total = 0;
    MPI_Allreduce(&mine, &total, 1, MPI_UNSIGNED_LONG, MPI_SUM, comm);
    return total;
}

/* Collective: fresh single-precision candidate lists for the undecided rows, replacing
 * their cached lists and floors. */
static dt_status refresh_rows(dt_dist_pass_ctx *ctx, boruvka *b, const uint32_t *rows, size_t count)
{
    size_t k = (size_t)ctx->k;
    dt_dist_held_queries hq = {0};
    dt_cand *lists = NULL;
    int *counts = NULL;
    double *bound = NULL;
    dt_status st = dt_dist_held_queries_make(ctx, rows, count, &hq);
    if (st == DT_OK)
        st = dt_malloc(&lists, count * k + 1, sizeof(dt_cand), "refreshed lists");
    if (st == DT_OK)
        st = dt_malloc(&counts, count + 1, sizeof(int), "refreshed lists");
    if (st == DT_OK)
        st = dt_malloc(&bound, count + 1, sizeof(double), "refreshed bounds");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));

    DT_CHECK_GOTO(st, dt_dist_query_lists(ctx->layout, ctx->comm, &hq.queries, b->comp, b->core,
                                          ctx->k, lists, counts, bound));
    for (size_t q = 0; q < count; q++) {
        size_t h = rows[q];
        memcpy(ctx->held.entries + h * k, lists + q * k, (size_t)counts[q] * sizeof(dt_cand));
        ctx->held.count[h] = counts[q];
        b->floor[h] = bound[q] - ctx->margin;
    }

out:
    dt_dist_held_queries_free(&hq);
    free(lists);
    free(counts);
    free(bound);
    return st;
}

/* One Boruvka round. Rows whose cached candidates cannot decide get fresh lists, from a
 * full pass when more than half of all rows are undecided, else from a search for just
 * those rows; rows still undecided (near ties within the float margin) are searched
 * exactly in double. */
static dt_status boruvka_round(dt_dist_pass_ctx *ctx, boruvka *b, uint32_t *rows,
                               dt_dist_mst_info *info)
{
    relabel(b);
    DT_CHECK(reduce_cached(ctx, b));
    size_t count = undecided_rows(ctx, b, rows);
    size_t total = global_sum(ctx->comm, count);
    if (total > b->n / 2) {
        double start = dt_wall_seconds();
        DT_CHECK(dt_dist_pass_run(ctx, b->comp, b->core));
        info->pass_seconds += dt_wall_seconds() - start;
        set_floors(ctx, b, 1);
        DT_CHECK(reduce_cached(ctx, b));
        count = undecided_rows(ctx, b, rows);
        total = global_sum(ctx->comm, count);
    }
    if (total > 0) {
        info->refreshed_rows += total;
        double start = dt_wall_seconds();
        DT_CHECK(refresh_rows(ctx, b, rows, count));
        info->refresh_seconds += dt_wall_seconds() - start;
        DT_CHECK(reduce_cached(ctx, b));
        count = undecided_rows(ctx, b, rows);
    }

    info->exact_queries += global_sum(ctx->comm, count);
    DT_CHECK(search_exactly(ctx, b, rows, count));
    DT_CHECK(add_best_edges(b));
    return DT_OK;
}

static void boruvka_free(boruvka *b)
{
    free(b->core);
    free(b->parent);
    free(b->comp);
    free(b->floor);
    free(b->best);
    free(b->lowest);
    free(b->tree);
    dt_dist_edge_op_free(&b->edge_type, &b->edge_op);
}

static dt_status boruvka_alloc(boruvka *b, size_t n, size_t held_rows)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    b->edge_type = MPI_DATATYPE_NULL;
    b->edge_op = MPI_OP_NULL;
    DT_CHECK(dt_malloc(&b->core, n, sizeof(double), "core distances"));
    DT_CHECK(dt_malloc(&b->parent, n, sizeof(uint32_t), "components"));
    DT_CHECK(dt_malloc(&b->comp, n, sizeof(uint32_t), "component labels"));
    DT_CHECK(dt_malloc(&b->floor, held_rows + 1, sizeof(double), "edge floors"));
    DT_CHECK(dt_malloc(&b->best, n, sizeof(dt_edge), "component edges"));
    DT_CHECK(dt_malloc(&b->lowest, n, sizeof(double), "component floors"));
    DT_CHECK(dt_malloc(&b->tree, n, sizeof(dt_edge), "tree edges"));
    for (size_t i = 0; i < n; i++)
        b->parent[i] = (uint32_t)i;
    return DT_OK;
}

static int compare_edges(const void *x, const void *y)
{
    const dt_edge *a = x, *b = y;
    return dt_edge_before(a, b) ? -1 : dt_edge_before(b, a) ? 1 : 0;
}

/* The first pass's candidate edges with their exact weights: every edge within a row's
 * core radius is among them, which is what the R-ordered chain needs beyond the tree. */
static dt_status snapshot_candidates(const dt_dist_pass_ctx *ctx, const boruvka *b, dt_edge **edges,
                                     size_t *count)
{
    DT_CHECK(
        dt_malloc(edges, ctx->held_rows * (size_t)ctx->k + 1, sizeof(dt_edge), "candidate edges"));
    *count = 0;
    for (size_t h = 0; h < ctx->held_rows; h++) {
        uint32_t i = ctx->held_ids[h];
        const dt_cand *list = ctx->held.entries + h * (size_t)ctx->k;
        for (int t = 0; t < ctx->held.count[h]; t++) {
            uint32_t j = list[t].j;
            double w = list[t].exact;
            w = w > b->core[i] ? w : b->core[i];
            w = w > b->core[j] ? w : b->core[j];
            (*edges)[(*count)++] = dt_edge_make(i, j, w);
        }
    }
    return DT_OK;
}

/* Collective: gathers the candidate edges on rank 0 (NULL elsewhere), the tree appended. */
static dt_status gather_graph(MPI_Comm comm, const boruvka *b, const dt_edge *mine, size_t n_mine,
                              dt_edge **graph, size_t *n_graph)
{
    int rank = 0, size = 1, count = (int)n_mine;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int *counts = NULL, *displs = NULL;
    dt_status st = dt_malloc(&counts, (size_t)size, sizeof(int), "edge counts");
    if (st == DT_OK)
        st = dt_malloc(&displs, (size_t)size, sizeof(int), "edge counts");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, comm),
                                   "gathering edge counts"));
    *n_graph = 0;
    for (int r = 0; rank == 0 && r < size; r++) {
        displs[r] = (int)*n_graph;
        *n_graph += (size_t)counts[r];
    }
    if (rank == 0)
        st = dt_malloc(graph, *n_graph + b->n_tree + 1, sizeof(dt_edge), "candidate graph");
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Gatherv(mine, count, b->edge_type, rank == 0 ? *graph : NULL,
                                               counts, displs, b->edge_type, 0, comm),
                                   "gathering candidate edges"));
    if (rank == 0) {
        memcpy(*graph + *n_graph, b->tree, b->n_tree * sizeof(dt_edge));
        *n_graph += b->n_tree;
    }

out:
    free(counts);
    free(displs);
    return st;
}

/* Collective: rank 0's result: the sorted tree, R's chain, the core distances. */
static dt_status hand_over(MPI_Comm comm, boruvka *b, const dt_edge *candidates,
                           size_t n_candidates, dt_dist_mst_result *out)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    dt_edge *graph = NULL;
    size_t n_graph = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, gather_graph(comm, b, candidates, n_candidates, &graph, &n_graph));
    if (rank == 0) {
        st = dt_malloc(&out->chain, b->n, sizeof(dt_edge), "chain");
        if (st == DT_OK)
            st = dt_chain_prim(b->n, graph, n_graph, out->chain);
        qsort(b->tree, b->n_tree, sizeof(dt_edge), compare_edges);
        out->tree = b->tree;
        out->core = b->core;
        b->tree = NULL;
        b->core = NULL;
    }
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

out:
    free(graph);
    return st;
}

void dt_dist_mst_result_free(dt_dist_mst_result *r)
{
    free(r->tree);
    free(r->chain);
    free(r->core);
    memset(r, 0, sizeof *r);
}

static dt_status check_arguments(size_t n_total, int dim, int min_samples)
{
    if (n_total < 1 || n_total > UINT32_MAX || dim < 1)
        return dt_fail(DT_ERR_USAGE, "cannot cluster %zu vectors of dimension %d", n_total, dim);
    if (min_samples < 1 || min_samples > 65 || (size_t)min_samples > n_total)
        return dt_fail(DT_ERR_USAGE,
                       "min_samples %d must be between 1 and min(65, number of vectors %zu)",
                       min_samples, n_total);
    return DT_OK;
}

/* Candidates kept per row: enough beyond min_samples that most rows decide their core
 * distance and their first few Boruvka edges from the list. */
static int candidates_per_row(size_t n, int min_samples)
{
    int k = 2 * min_samples > 32 ? 2 * min_samples : 32;
    return (size_t)k < n - 1 ? k : (int)(n - 1);
}

static dt_status build(dt_dist_pass_ctx *ctx, boruvka *b, int min_samples, dt_dist_mst_result *out,
                       dt_dist_mst_info *info)
{
    uint32_t *rows = NULL;
    dt_edge *candidates = NULL;
    size_t n_candidates = 0;
    dt_status st = dt_malloc(&rows, ctx->held_rows + 1, sizeof(uint32_t), "undecided rows");
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));

    double start = dt_wall_seconds();
    DT_CHECK_GOTO(st, dt_dist_pass_run(ctx, NULL, NULL));
    info->pass_seconds = dt_wall_seconds() - start;
    DT_CHECK_GOTO(st, dt_dist_core_compute(ctx, min_samples, b->core, &info->exact_queries));
    st = snapshot_candidates(ctx, b, &candidates, &n_candidates);
    DT_CHECK_GOTO(st, dt_mpi_agree(ctx->comm, st));
    set_floors(ctx, b, 0);
    while (b->n_tree + 1 < b->n) {
        DT_CHECK_GOTO(st, boruvka_round(ctx, b, rows, info));
        info->rounds++;
    }
    info->passes = ctx->passes;
    DT_CHECK_GOTO(st, hand_over(ctx->comm, b, candidates, n_candidates, out));

out:
    free(rows);
    free(candidates);
    return st;
}

dt_status dt_dist_mst(const float *my_rows, size_t n_local, size_t n_total, int dim,
                      int min_samples, MPI_Comm comm, dt_dist_mst_result *on_root,
                      dt_dist_mst_info *info)
{
    double start = dt_wall_seconds();
    dt_dist_mst_info scratch_info;
    info = info ? info : &scratch_info;
    memset(info, 0, sizeof *info);
    memset(on_root, 0, sizeof *on_root);
    dt_dist_layout layout;
    memset(&layout, 0, sizeof layout);
    dt_dist_pass_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    boruvka b;
    memset(&b, 0, sizeof b);
    b.edge_type = MPI_DATATYPE_NULL;
    b.edge_op = MPI_OP_NULL;

    dt_status st = check_arguments(n_total, dim, min_samples);
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, dt_dist_layout_init(comm, my_rows, n_local, n_total, dim, &layout));
    if (n_total == 1) {
        st = dt_calloc(&on_root->core, 1, sizeof(double), "core distances");
        DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
        goto out;
    }
    DT_CHECK_GOTO(st,
                  dt_dist_pass_open(&ctx, &layout, comm, candidates_per_row(n_total, min_samples)));
    info->grid_rows = ctx.grid.rows;
    info->grid_cols = ctx.grid.cols;
    st = boruvka_alloc(&b, n_total, ctx.held_rows);
    if (st == DT_OK)
        st = dt_dist_edge_op_create(&b.edge_type, &b.edge_op);
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));
    DT_CHECK_GOTO(st, build(&ctx, &b, min_samples, on_root, info));

out:
    if (st != DT_OK)
        dt_dist_mst_result_free(on_root);
    boruvka_free(&b);
    dt_dist_pass_close(&ctx);
    dt_dist_layout_free(&layout);
    info->seconds = dt_wall_seconds() - start;
    return st;
}
