/* Prim's algorithm over a sparse graph with a binary heap of (key, point) entries. */
#include "dt_chain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adjacency in compressed rows: the neighbours of v are at[start[v] .. start[v + 1]). */
typedef struct {
    size_t *start;
    uint32_t *to;
    double *weight;
} adjacency;

typedef struct {
    double key;
    uint32_t v;
} heap_entry;

typedef struct {
    heap_entry *items;
    size_t count;
} min_heap;

static int entry_before(const heap_entry *x, const heap_entry *y)
{
    return x->key < y->key || (x->key == y->key && x->v < y->v);
}

static void heap_push(min_heap *h, heap_entry e)
{
    size_t at = h->count++;
    h->items[at] = e;
    while (at > 0 && entry_before(&h->items[at], &h->items[(at - 1) / 2])) {
        heap_entry swap = h->items[at];
        h->items[at] = h->items[(at - 1) / 2];
        h->items[(at - 1) / 2] = swap;
        at = (at - 1) / 2;
    }
}

static heap_entry heap_pop(min_heap *h)
{
    heap_entry top = h->items[0];
    h->items[0] = h->items[--h->count];
    size_t at = 0;
    for (;;) {
        size_t least = at, left = 2 * at + 1, right = left + 1;
        if (left < h->count && entry_before(&h->items[left], &h->items[least]))
            least = left;
        if (right < h->count && entry_before(&h->items[right], &h->items[least]))
            least = right;
        if (least == at)
            return top;
        heap_entry swap = h->items[at];
        h->items[at] = h->items[least];
        h->items[least] = swap;
        at = least;
    }
}

static dt_status build_adjacency(size_t n, const dt_edge *edges, size_t n_edges, adjacency *adj)
{
    DT_CHECK(dt_calloc(&adj->start, n + 1, sizeof(size_t), "chain adjacency"));
    DT_CHECK(dt_malloc(&adj->to, 2 * n_edges + 1, sizeof(uint32_t), "chain adjacency"));
    DT_CHECK(dt_malloc(&adj->weight, 2 * n_edges + 1, sizeof(double), "chain adjacency"));
    for (size_t e = 0; e < n_edges; e++) {
        if (edges[e].a >= n || edges[e].b >= n)
            return dt_fail(DT_ERR_FORMAT, "edge %zu joins points %u and %u of %zu", e, edges[e].a,
                           edges[e].b, n);
        adj->start[edges[e].a + 1]++;
        adj->start[edges[e].b + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        adj->start[v + 1] += adj->start[v];

    size_t *fill = NULL;
    DT_CHECK(dt_malloc(&fill, n + 1, sizeof(size_t), "chain adjacency"));
    memcpy(fill, adj->start, n * sizeof(size_t));
    for (size_t e = 0; e < n_edges; e++) {
        size_t at = fill[edges[e].a]++;
        adj->to[at] = edges[e].b;
        adj->weight[at] = edges[e].weight;
        at = fill[edges[e].b]++;
        adj->to[at] = edges[e].a;
        adj->weight[at] = edges[e].weight;
    }
    free(fill);
    return DT_OK;
}

/* Lowers the keys of v's neighbours outside the tree. */
static void relax(const adjacency *adj, uint32_t v, const char *in_tree, double *key,
                  min_heap *heap)
{
    for (size_t at = adj->start[v]; at < adj->start[v + 1]; at++) {
        uint32_t u = adj->to[at];
        if (!in_tree[u] && adj->weight[at] < key[u]) {
            key[u] = adj->weight[at];
            heap_push(heap, (heap_entry){key[u], u});
        }
    }
}

static dt_status walk(size_t n, const adjacency *adj, double *key, char *in_tree, min_heap *heap,
                      dt_edge *chain)
{
    uint32_t previous = 0;
    in_tree[0] = 1;
    relax(adj, 0, in_tree, key, heap);
    for (size_t step = 1; step < n; step++) {
        heap_entry e = {(double)INFINITY, 0};
        while (heap->count > 0) {
            e = heap_pop(heap);
            if (!in_tree[e.v] && e.key == key[e.v])
                break;
            e.key = (double)INFINITY;
        }
        if (isinf(e.key))
            return dt_fail(DT_ERR_FORMAT, "the edges reach only %zu of %zu points", step, n);
        chain[step - 1] = (dt_edge){e.v, previous, e.key};
        in_tree[e.v] = 1;
        previous = e.v;
        relax(adj, e.v, in_tree, key, heap);
    }
    return DT_OK;
}

dt_status dt_chain_prim(size_t n, const dt_edge *edges, size_t n_edges, dt_edge *chain)
{
    if (n < 2)
        return DT_OK;
    adjacency adj = {0};
    min_heap heap = {0};
    double *key = NULL;
    char *in_tree = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, build_adjacency(n, edges, n_edges, &adj));
    DT_CHECK_GOTO(st, dt_malloc(&key, n, sizeof(double), "chain keys"));
    DT_CHECK_GOTO(st, dt_calloc(&in_tree, n, 1, "chain membership"));
    DT_CHECK_GOTO(st, dt_malloc(&heap.items, 2 * n_edges + 1, sizeof(heap_entry), "chain heap"));
    for (size_t v = 0; v < n; v++)
        key[v] = INFINITY;
    DT_CHECK_GOTO(st, walk(n, &adj, key, in_tree, &heap, chain));

out:
    free(adj.start);
    free(adj.to);
    free(adj.weight);
    free(heap.items);
    free(key);
    free(in_tree);
    return st;
}
