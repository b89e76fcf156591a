/* Single-precision candidate searches for a few rows against every rank's own rows. */
#include "dt_dist_query.h"

#include "dt_mpi.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

enum {
    TILE_FLOATS = 4 << 20, /* bound on the similarity tile of one block of own rows */
    LIST_MAX = 256         /* largest k a reduction accepts (min_samples <= 65 gives 130) */
};

/* A list as it travels through the reduction: a header, then k candidates. */
typedef struct {
    double bound;
    int32_t count;
    int32_t unused;
} list_head;

static size_t record_bytes(int k)
{
    return sizeof(list_head) + (size_t)k * sizeof(dt_cand);
}

/* Merges two sorted lists; candidates pushed out bound the result like left-out ones. */
static void merge_lists(const list_head *x, list_head *y, int k)
{
    const dt_cand *a = (const dt_cand *)(x + 1);
    dt_cand *b = (dt_cand *)(y + 1), merged[LIST_MAX];
    int ia = 0, ib = 0, total = x->count + y->count, kept = total < k ? total : k;
    for (int t = 0; t < kept; t++) {
        int take_a = ib >= y->count ||
                     (ia < x->count &&
                      (a[ia].key < b[ib].key || (a[ia].key == b[ib].key && a[ia].j < b[ib].j)));
        merged[t] = take_a ? a[ia++] : b[ib++];
    }
    double bound = x->bound < y->bound ? x->bound : y->bound;
    if (total > k && merged[k - 1].key < bound)
        bound = merged[k - 1].key;
    memcpy(b, merged, (size_t)kept * sizeof(dt_cand));
    y->count = kept;
    y->bound = bound;
}

static void merge_lists_op(void *in, void *inout, int *len, MPI_Datatype *type)
{
    int bytes = 0;
    MPI_Type_size(*type, &bytes);
    int k = (int)(((size_t)bytes - sizeof(list_head)) / sizeof(dt_cand));
    for (int q = 0; q < *len; q++)
        merge_lists((const list_head *)((const char *)in + (size_t)q * (size_t)bytes),
                    (list_head *)((char *)inout + (size_t)q * (size_t)bytes), k);
}

/* What one round's scan needs. */
typedef struct {
    const dt_dist_layout *layout;
    const dt_dist_gathered *g;
    const uint32_t *comp;
    const double *core;
    double *query_sq;
    float *query_unit;
    dt_cand_lists lists;
} round_state;

static void scan_block(round_state *rs, const float *tile, size_t block_first, size_t width)
{
    size_t own_first = rs->layout->offsets[rs->layout->rank];
    for (int q = 0; q < rs->g->total; q++) {
        uint32_t i = rs->g->ids[q];
        const float *row = tile + (size_t)q * width;
        for (size_t c = 0; c < width; c++) {
            size_t local = block_first + c;
            uint32_t j = (uint32_t)(own_first + local);
            double key = 1.0 - (double)row[c];
            key = key > rs->core[j] ? key : rs->core[j];
            key = key > rs->core[i] ? key : rs->core[i];
            if (key < rs->lists.worst[q] && rs->comp[j] != rs->comp[i])
                dt_cand_lists_push(&rs->lists, (size_t)q, key, j);
        }
    }
}

/* Exact distances of the kept candidates, all of them own rows. */
static void fill_exact(round_state *rs)
{
    const dt_dist_layout *layout = rs->layout;
    size_t dim = (size_t)layout->dim, own_first = layout->offsets[layout->rank];
    for (int q = 0; q < rs->g->total; q++)
        for (int t = 0; t < rs->lists.count[q]; t++) {
            dt_cand *c = &rs->lists.entries[(size_t)q * (size_t)rs->lists.k + (size_t)t];
            size_t local = c->j - own_first;
            c->exact =
                dt_dist_cosine(rs->g->rows + (size_t)q * dim, rs->query_sq[q],
                               layout->own + local * dim, layout->own_sq[local], layout->dim);
        }
}

static dt_status scan_own_rows(round_state *rs)
{
    const dt_dist_layout *layout = rs->layout;
    size_t own = layout->offsets[layout->rank + 1] - layout->offsets[layout->rank];
    size_t total = (size_t)rs->g->total, dim = (size_t)layout->dim;
    size_t width = total > 0 ? TILE_FLOATS / total : own;
    width = width < 64 ? 64 : width;
    float *tile = NULL;
    DT_CHECK(dt_malloc(&tile, total * width + 1, sizeof(float), "query similarities"));

    for (size_t first = 0; first < own && total > 0; first += width) {
        size_t w = own - first < width ? own - first : width;
        /* tile(c, q) = own_c . query_q, column-major: the "TN" form, whose operands OpenBLAS
         * packs without transposing them. Column q of the tile is query q's row. */
        cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)w, (int)total, (int)dim, 1.0f,
                    layout->own_unit + first * dim, (int)dim, rs->query_unit, (int)dim, 0.0f, tile,
                    (int)w);
        scan_block(rs, tile, first, w);
    }
    fill_exact(rs);
    free(tile);
    return DT_OK;
}

static void pack_records(round_state *rs, char *records, int k)
{
    size_t bytes = record_bytes(k);
    for (int q = 0; q < rs->g->total; q++) {
        list_head *head = (list_head *)(records + (size_t)q * bytes);
        dt_cand *cands = (dt_cand *)(head + 1);
        int count = rs->lists.count[q];
        memcpy(cands, rs->lists.entries + (size_t)q * (size_t)k, (size_t)count * sizeof(dt_cand));
        dt_cand_sort(cands, count);
        head->count = count;
        head->unused = 0;
        head->bound = count == k ? rs->lists.worst[q] : (double)INFINITY;
    }
}

static void unpack_mine(const round_state *rs, const char *records, int k, size_t out_first,
                        dt_cand *lists, int *counts, double *bound)
{
    size_t bytes = record_bytes(k);
    for (int q = 0; q < rs->g->mine_count; q++) {
        const list_head *head =
            (const list_head *)(records + (size_t)(rs->g->mine_first + q) * bytes);
        size_t at = out_first + (size_t)q;
        counts[at] = head->count;
        bound[at] = head->bound;
        memcpy(lists + at * (size_t)k, head + 1, (size_t)head->count * sizeof(dt_cand));
    }
}

static dt_status prepare_round(round_state *rs, int k)
{
    size_t total = (size_t)rs->g->total, dim = (size_t)rs->layout->dim;
    DT_CHECK(dt_malloc(&rs->query_sq, total + 1, sizeof(double), "query sqs"));
    DT_CHECK(dt_malloc(&rs->query_unit, total * dim + 1, sizeof(float), "query rows"));
    DT_CHECK(dt_cand_lists_alloc(&rs->lists, total, k));
    for (size_t q = 0; q < total; q++) {
        rs->query_sq[q] = dt_dist_sq(rs->g->rows + q * dim, (int)dim);
        dt_dist_unit_row(rs->g->rows + q * dim, rs->query_sq[q], (int)dim,
                         rs->query_unit + q * dim);
    }
    return DT_OK;
}

static void round_free(round_state *rs)
{
    free(rs->query_sq);
    free(rs->query_unit);
    dt_cand_lists_free(&rs->lists);
    rs->query_sq = NULL;
    rs->query_unit = NULL;
}

/* One round: gather, scan, reduce, keep this rank's answers. */
static dt_status one_round(round_state *rs, MPI_Comm comm, const dt_dist_queries *queries,
                           size_t first, int k, MPI_Datatype type, MPI_Op op, dt_cand *lists,
                           int *counts, double *bound)
{
    dt_dist_gathered g;
    memset(&g, 0, sizeof g);
    char *records = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_dist_gather_queries(rs->layout, comm, queries, first, &g));
    rs->g = &g;
    st = prepare_round(rs, k);
    if (st == DT_OK)
        st = dt_malloc(&records, (size_t)g.total * record_bytes(k) + 1, 1, "query lists");
    if (st == DT_OK)
        st = scan_own_rows(rs);
    DT_CHECK_GOTO(st, dt_mpi_agree(comm, st));

    pack_records(rs, records, k);
    DT_CHECK_GOTO(st, dt_mpi_check(MPI_Allreduce(MPI_IN_PLACE, records, g.total, type, op, comm),
                                   "merging query candidate lists"));
    unpack_mine(rs, records, k, first, lists, counts, bound);

out:
    free(records);
    round_free(rs);
    dt_dist_gathered_free(&g);
    return st;
}

dt_status dt_dist_query_lists(const dt_dist_layout *layout, MPI_Comm comm,
                              const dt_dist_queries *queries, const uint32_t *comp,
                              const double *core, int k, dt_cand *lists, int *counts, double *bound)
{
    if (k < 1 || k > LIST_MAX)
        return dt_fail(DT_ERR_INTERNAL, "candidate list length %d outside 1..%d", k, LIST_MAX);
    round_state rs = {.layout = layout, .comp = comp, .core = core};
    MPI_Datatype type = MPI_DATATYPE_NULL;
    MPI_Op op = MPI_OP_NULL;
    size_t rounds = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_dist_query_rounds(comm, queries->count, &rounds));
    MPI_Type_contiguous((int)record_bytes(k), MPI_BYTE, &type);
    MPI_Type_commit(&type);
    MPI_Op_create(merge_lists_op, 1, &op);

    for (size_t r = 0; r < rounds; r++)
        DT_CHECK_GOTO(st, one_round(&rs, comm, queries, r * DT_DIST_QUERY_CHUNK, k, type, op, lists,
                                    counts, bound));

out:
    if (type != MPI_DATATYPE_NULL)
        MPI_Type_free(&type);
    if (op != MPI_OP_NULL)
        MPI_Op_free(&op);
    return st;
}
