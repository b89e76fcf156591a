/* R's Prim chain from any minimum spanning tree plus the core neighbourhoods. */
#include "dt_mst.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An undirected graph in CSR form: the tree edges and the neighbour edges, both ways. */
typedef struct {
    size_t *start; /* n + 1 */
    uint32_t *to;
    double *weight;
} graph;

/* Lazy binary heap of (key, point): a stale entry pops after the fresh one and is skipped. */
typedef struct {
    double *key;
    uint32_t *point;
    size_t count;
} key_heap;

static int heap_less(const key_heap *h, size_t a, size_t b)
{
    return h->key[a] < h->key[b] || (h->key[a] == h->key[b] && h->point[a] < h->point[b]);
}

static void heap_swap(key_heap *h, size_t a, size_t b)
{
    double k = h->key[a];
    uint32_t p = h->point[a];
    h->key[a] = h->key[b];
    h->point[a] = h->point[b];
    h->key[b] = k;
    h->point[b] = p;
}

static void heap_push(key_heap *h, double key, uint32_t point)
{
    size_t i = h->count++;
    h->key[i] = key;
    h->point[i] = point;
    while (i > 0 && heap_less(h, i, (i - 1) / 2)) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_pop(key_heap *h)
{
    heap_swap(h, 0, --h->count);
    for (size_t i = 0;;) {
        size_t first = i;
        size_t l = 2 * i + 1;
        if (l < h->count && heap_less(h, l, first))
            first = l;
        if (l + 1 < h->count && heap_less(h, l + 1, first))
            first = l + 1;
        if (first == i)
            return;
        heap_swap(h, i, first);
        i = first;
    }
}

static dt_status check_input(size_t n, const dt_edge *tree, const size_t *start,
                             const uint32_t *neighbour)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (tree[i].a >= n || tree[i].b >= n)
            return dt_fail(DT_ERR_FORMAT,
                           "tree edge %zu joins %u and %u; expected points "
                           "below %zu",
                           i, tree[i].a, tree[i].b, n);
    for (size_t u = 0; u < n; u++) {
        if (start[u + 1] < start[u])
            return dt_fail(DT_ERR_FORMAT, "neighbour_start decreases at point %zu", u);
        for (size_t j = start[u]; j < start[u + 1]; j++)
            if (neighbour[j] >= n)
                return dt_fail(DT_ERR_FORMAT, "neighbour %u of point %zu is out of range",
                               neighbour[j], u);
    }
    return DT_OK;
}

static void add_edge(graph *g, size_t *fill, uint32_t a, uint32_t b, double w)
{
    g->to[fill[a]] = b;
    g->weight[fill[a]++] = w;
    g->to[fill[b]] = a;
    g->weight[fill[b]++] = w;
}

static dt_status build_graph(size_t n, const dt_edge *tree, const double *core, const size_t *start,
                             const uint32_t *neighbour, graph *g)
{
    size_t m = 2 * (n - 1 + start[n]);
    size_t *fill = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_calloc(&g->start, n + 1, sizeof *g->start, "chain graph"));
    DT_CHECK_GOTO(st, dt_malloc(&g->to, m, sizeof *g->to, "chain graph"));
    DT_CHECK_GOTO(st, dt_malloc(&g->weight, m, sizeof *g->weight, "chain graph"));
    DT_CHECK_GOTO(st, dt_malloc(&fill, n + 1, sizeof *fill, "chain graph"));

    for (size_t i = 0; i + 1 < n; i++) {
        g->start[tree[i].a + 1]++;
        g->start[tree[i].b + 1]++;
    }
    for (size_t u = 0; u < n; u++)
        for (size_t j = start[u]; j < start[u + 1]; j++) {
            g->start[u + 1]++;
            g->start[neighbour[j] + 1]++;
        }
    for (size_t u = 0; u < n; u++)
        g->start[u + 1] += g->start[u];
    memcpy(fill, g->start, (n + 1) * sizeof *fill);

    for (size_t i = 0; i + 1 < n; i++)
        add_edge(g, fill, tree[i].a, tree[i].b, tree[i].weight);
    for (size_t u = 0; u < n; u++)
        for (size_t j = start[u]; j < start[u + 1]; j++)
            add_edge(g, fill, (uint32_t)u, neighbour[j], fmax(core[u], core[neighbour[j]]));
out:
    free(fill);
    return st;
}

/* Prim's algorithm from point 0 with R's rules, writing the chain. */
static dt_status grow_chain(size_t n, const graph *g, double *key, unsigned char *done, key_heap *h,
                            dt_edge *chain)
{
    uint32_t previous = 0;
    done[0] = 1;
    for (size_t step = 1; step < n; step++) {
        for (size_t e = g->start[previous]; e < g->start[previous + 1]; e++) {
            uint32_t v = g->to[e];
            if (!done[v] && g->weight[e] < key[v]) {
                key[v] = g->weight[e];
                heap_push(h, key[v], v);
            }
        }
        while (h->count > 0 && done[h->point[0]])
            heap_pop(h);
        if (h->count == 0)
            return dt_fail(DT_ERR_FORMAT, "the tree edges do not connect all %zu points", n);
        uint32_t v = h->point[0];
        heap_pop(h);
        done[v] = 1;
        chain[step - 1] = (dt_edge){v, previous, key[v]};
        previous = v;
    }
    return DT_OK;
}

dt_status dt_mst_prim_chain(size_t n, const dt_edge *tree, const double *core,
                            const size_t *neighbour_start, const uint32_t *neighbour,
                            dt_edge *chain)
{
    if (n < 2)
        return DT_OK;
    DT_CHECK(check_input(n, tree, neighbour_start, neighbour));

    graph g = {0};
    key_heap h = {0};
    double *key = NULL;
    unsigned char *done = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, build_graph(n, tree, core, neighbour_start, neighbour, &g));
    size_t m = g.start[n];
    DT_CHECK_GOTO(st, dt_malloc(&h.key, m + 1, sizeof *h.key, "chain heap"));
    DT_CHECK_GOTO(st, dt_malloc(&h.point, m + 1, sizeof *h.point, "chain heap"));
    DT_CHECK_GOTO(st, dt_malloc(&key, n, sizeof *key, "chain keys"));
    DT_CHECK_GOTO(st, dt_calloc(&done, n, sizeof *done, "chain flags"));
    for (size_t i = 0; i < n; i++)
        key[i] = INFINITY;
    DT_CHECK_GOTO(st, grow_chain(n, &g, key, done, &h, chain));

out:
    free(g.start);
    free(g.to);
    free(g.weight);
    free(h.key);
    free(h.point);
    free(key);
    free(done);
    return st;
}
