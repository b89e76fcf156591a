/* HDBSCAN from a minimum spanning tree: hierarchy, condensed tree, excess of mass, GLOSH. */
#include "dt_hdbscan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * The semantics are those of R's dbscan::hdbscan (computeStability and the unsupervised
 * FOSC extraction), written out in docs/hdbscan.md. In short, with heights h (mutual
 * reachability distances) and lambda = 1/h:
 *   - merges are made in order of weight, equal weights in the order the edges are given,
 *     so the binary hierarchy is fixed even when weights tie (R's order() is stable);
 *   - walking the merges from the top, a cluster dies where both merged parts have at
 *     least min_cluster_size points, and each part becomes a new cluster born there;
 *   - a point belongs to the cluster that owns the merge where it stops being a singleton,
 *     and leaves it at that merge's height, or at the cluster's death if that came first;
 *   - stability = sum over those points of (1/h_point - 1/h_birth), plus, for a cluster
 *     that died, its size at death times (1/h_death - 1/h_birth);
 *   - selection keeps the children when their summed score is strictly larger than the
 *     parent's stability, and never selects the root.
 * Distance zero (exact duplicates) would make lambda infinite; docs/hdbscan.md says how
 * it is kept finite here.
 */

typedef struct {
    double birth;     /* height at which the cluster appears */
    double death;     /* height at which it splits into two clusters, when it does */
    double eps_death; /* R's eps_death: the death, or the lowest merge of a leaf */
    double leaf_min;  /* smallest eps_death over the leaf clusters below, GLOSH's reference */
    int processed;    /* 1 once the walk from the top has passed the cluster's death */
    int32_t parent;
    int32_t child[2]; /* -1 for a leaf */
    uint32_t size_at_death;
    long double mass; /* running sum of 1/h_point - 1/h_birth, as R's sum() adds it */
    uint32_t zeros;   /* points leaving at height 0: an unbounded share of mass */
    double stability; /* finite part of the excess of mass */
    double score;     /* best selection below and including this cluster */
    uint32_t score_zeros;
    int chooses_self; /* own stability at least the children's summed score */
    int32_t selected; /* the selected cluster this one lies in, or -1 */
} cluster_node;

typedef struct {
    size_t n;
    uint32_t min_size;
    /* merges, in the order made: node ids below n are points, n + k is merge k */
    uint32_t *left;
    uint32_t *right;
    double *height;
    uint32_t *size;
    int32_t *tracker; /* per merge: the cluster that owns it */
    /* clusters of the condensed tree, parents before children */
    cluster_node *clusters;
    int32_t n_clusters;
    /* per point: the cluster it leaves and the height at which it leaves */
    int32_t *point_cluster;
    double *point_height;
} hierarchy;

typedef struct {
    double weight;
    size_t position; /* in the caller's list: equal weights keep this order */
} edge_key;

static int compare_keys(const void *pa, const void *pb)
{
    const edge_key *a = pa;
    const edge_key *b = pb;
    if (a->weight != b->weight)
        return a->weight < b->weight ? -1 : 1;
    return (a->position > b->position) - (a->position < b->position);
}

/* The edges by weight, equal weights in the order given (R's order() is stable too). */
static dt_status sort_edges(size_t n, const dt_edge *mst, dt_edge *sorted)
{
    edge_key *keys = NULL;
    DT_CHECK(dt_malloc(&keys, n - 1, sizeof *keys, "tree edge order"));
    for (size_t i = 0; i + 1 < n; i++)
        keys[i] = (edge_key){mst[i].weight, i};
    qsort(keys, n - 1, sizeof *keys, compare_keys);
    for (size_t i = 0; i + 1 < n; i++)
        sorted[i] = mst[keys[i].position];
    free(keys);
    return DT_OK;
}

static dt_status check_edges(size_t n, const dt_edge *mst)
{
    for (size_t i = 0; i + 1 < n; i++) {
        const dt_edge *e = &mst[i];
        if (e->a >= n || e->b >= n || e->a == e->b)
            return dt_fail(DT_ERR_FORMAT,
                           "tree edge %zu joins points %u and %u; expected two different "
                           "points below %zu",
                           i, e->a, e->b, n);
        if (!isfinite(e->weight) || e->weight < 0)
            return dt_fail(DT_ERR_FORMAT,
                           "tree edge %zu (%u-%u) has weight %g; expected a finite distance "
                           ">= 0",
                           i, e->a, e->b, e->weight);
    }
    return DT_OK;
}

static uint32_t find_root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving keeps the trees shallow */
        x = parent[x];
    }
    return x;
}

/* Single linkage: merges the sorted edges with union-find, recording the binary tree. */
static dt_status build_merges(hierarchy *h, const dt_edge *sorted)
{
    size_t n = h->n;
    uint32_t *parent = NULL;
    uint32_t *node = NULL; /* per union-find root: the tree node of its component */
    uint32_t *count = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&parent, n, sizeof *parent, "union-find parents"));
    DT_CHECK_GOTO(st, dt_malloc(&node, n, sizeof *node, "union-find nodes"));
    DT_CHECK_GOTO(st, dt_malloc(&count, n, sizeof *count, "union-find sizes"));
    for (size_t i = 0; i < n; i++) {
        parent[i] = (uint32_t)i;
        node[i] = (uint32_t)i;
        count[i] = 1;
    }

    for (size_t k = 0; k + 1 < n; k++) {
        uint32_t ra = find_root(parent, sorted[k].a);
        uint32_t rb = find_root(parent, sorted[k].b);
        if (ra == rb) {
            st = dt_fail(DT_ERR_FORMAT,
                         "edge %u-%u closes a cycle: the %zu edges are not a spanning tree "
                         "of %zu points",
                         sorted[k].a, sorted[k].b, n - 1, n);
            goto out;
        }
        h->left[k] = node[ra];
        h->right[k] = node[rb];
        h->height[k] = sorted[k].weight;
        h->size[k] = count[ra] + count[rb];

        uint32_t big = count[ra] >= count[rb] ? ra : rb;
        uint32_t small = big == ra ? rb : ra;
        parent[small] = big;
        count[big] += count[small];
        node[big] = (uint32_t)(n + k);
    }

out:
    free(parent);
    free(node);
    free(count);
    return st;
}

static int32_t new_cluster(hierarchy *h, int32_t parent, double birth, double eps_death)
{
    int32_t id = h->n_clusters++;
    cluster_node *c = &h->clusters[id];
    memset(c, 0, sizeof *c);
    c->birth = birth;
    c->eps_death = eps_death;
    c->parent = parent;
    c->child[0] = -1;
    c->child[1] = -1;
    c->selected = -1;
    return id;
}

/* A point leaves cluster id at height eps; its share of mass is added in R's order. */
static void record_point(hierarchy *h, int32_t id, uint32_t point, double eps)
{
    cluster_node *c = &h->clusters[id];
    h->point_cluster[point] = id;
    h->point_height[point] = eps;
    if (eps > 0)
        c->mass += (long double)(1.0 / eps - 1.0 / c->birth);
    else
        c->zeros++;
}

/* A merge of two parts that both hold min_size points: the owner dies, two are born. */
static void split_cluster(hierarchy *h, size_t k, int32_t owner)
{
    size_t n = h->n;
    uint32_t l = h->left[k] - (uint32_t)n;
    uint32_t r = h->right[k] - (uint32_t)n;
    cluster_node *c = &h->clusters[owner];
    c->death = h->height[k];
    c->eps_death = h->height[k];
    c->processed = 1;
    c->size_at_death = h->size[l] + h->size[r];

    int32_t cl = new_cluster(h, owner, h->height[k], h->height[l]);
    int32_t cr = new_cluster(h, owner, h->height[k], h->height[r]);
    h->clusters[owner].child[0] = cl;
    h->clusters[owner].child[1] = cr;
    h->tracker[l] = cl;
    h->tracker[r] = cr;
}

/* One merge of the walk from the top, owned by cluster id. */
static void condense_merge(hierarchy *h, size_t k)
{
    size_t n = h->n;
    int32_t id = h->tracker[k];
    cluster_node *c = &h->clusters[id];
    uint32_t l = h->left[k];
    uint32_t r = h->right[k];
    double eps = c->processed ? c->death : h->height[k];

    if (l < n && r < n) {
        record_point(h, id, l, eps);
        record_point(h, id, r, eps);
        if (!c->processed)
            c->eps_death = fmin(h->height[k], c->eps_death);
    } else if (l < n || r < n) {
        record_point(h, id, l < n ? l : r, eps);
        h->tracker[(l < n ? r : l) - n] = id;
    } else if (h->size[l - n] >= h->min_size && h->size[r - n] >= h->min_size && h->height[k] > 0) {
        /* Parts at height zero are copies of one point: splitting them is meaningless. */
        split_cluster(h, k, id);
    } else {
        h->tracker[l - n] = id;
        h->tracker[r - n] = id;
    }
}

/* R's stability: the mass of the points that left, then the mass of those still there at
 * the cluster's death. */
static void finish_stability(cluster_node *c)
{
    double points = (double)c->mass;
    double remaining = 0;
    if (c->processed) {
        double count = (double)c->size_at_death;
        remaining = count / c->death - count / c->birth;
    }
    c->stability = points + remaining;
}

static void condense(hierarchy *h)
{
    size_t n = h->n;
    new_cluster(h, -1, h->height[n - 2], 0.0); /* R leaves the root's eps_death at 0 */
    h->tracker[n - 2] = 0;
    for (size_t k = n - 1; k-- > 0;)
        condense_merge(h, k);
    for (int32_t i = 0; i < h->n_clusters; i++)
        finish_stability(&h->clusters[i]);
}

/* Is mass (za, a) strictly less than (zb, b)? Points at height zero count first. */
static int mass_less(uint32_t za, double a, uint32_t zb, double b)
{
    if (za != zb)
        return za < zb;
    return a < b;
}

/* Excess of mass, children before parents (they have larger ids), then top-down marks. */
static void select_clusters(hierarchy *h)
{
    for (int32_t i = h->n_clusters - 1; i >= 0; i--) {
        cluster_node *c = &h->clusters[i];
        c->score = c->stability;
        c->score_zeros = c->zeros;
        c->chooses_self = 1;
        c->leaf_min = c->eps_death;
        if (c->child[0] < 0)
            continue;

        const cluster_node *l = &h->clusters[c->child[0]];
        const cluster_node *r = &h->clusters[c->child[1]];
        double sum = l->score + r->score;
        uint32_t sum_zeros = l->score_zeros + r->score_zeros;
        c->leaf_min = fmin(l->leaf_min, r->leaf_min);
        if (mass_less(c->zeros, c->stability, sum_zeros, sum)) {
            c->score = sum;
            c->score_zeros = sum_zeros;
            c->chooses_self = 0;
        }
    }

    for (int32_t i = 1; i < h->n_clusters; i++) {
        cluster_node *c = &h->clusters[i];
        int32_t above = h->clusters[c->parent].selected;
        c->selected = above >= 0 ? above : (c->chooses_self ? i : -1);
    }
}

static dt_status alloc_result(dt_hdbscan_result *out, size_t n, int32_t n_clusters)
{
    DT_CHECK(dt_malloc(&out->labels, n ? n : 1, sizeof *out->labels, "cluster labels"));
    DT_CHECK(dt_malloc(&out->outlier, n ? n : 1, sizeof *out->outlier, "outlier scores"));
    DT_CHECK(dt_malloc(&out->probability, n ? n : 1, sizeof *out->probability,
                       "membership probabilities"));
    size_t k = n_clusters > 0 ? (size_t)n_clusters : 1;
    DT_CHECK(dt_calloc(&out->stability, k, sizeof *out->stability, "cluster stabilities"));
    DT_CHECK(dt_calloc(&out->size, k, sizeof *out->size, "cluster sizes"));
    out->n = n;
    out->n_clusters = n_clusters;
    return DT_OK;
}

/* Labels every point by its selected cluster, numbering clusters by first member. */
static dt_status label_points(const hierarchy *h, dt_hdbscan_result *out)
{
    int32_t *number = NULL;
    DT_CHECK(dt_malloc(&number, (size_t)h->n_clusters, sizeof *number, "cluster numbers"));
    for (int32_t i = 0; i < h->n_clusters; i++)
        number[i] = -1;

    int32_t next = 0;
    for (size_t x = 0; x < h->n; x++) {
        int32_t sel = h->clusters[h->point_cluster[x]].selected;
        if (sel >= 0 && number[sel] < 0)
            number[sel] = next++;
    }

    dt_status st = alloc_result(out, h->n, next);
    if (st == DT_OK) {
        for (size_t x = 0; x < h->n; x++) {
            int32_t sel = h->clusters[h->point_cluster[x]].selected;
            out->labels[x] = sel >= 0 ? number[sel] : -1;
        }
        for (int32_t i = 0; i < h->n_clusters; i++)
            if (number[i] >= 0)
                out->stability[number[i]] = h->clusters[i].stability;
    }
    free(number);
    DT_CHECK(st);
    return DT_OK;
}

/* GLOSH as R computes it: 1 - (lowest death among the leaves below) / (point's height). */
static void outlier_scores(const hierarchy *h, dt_hdbscan_result *out)
{
    for (size_t x = 0; x < h->n; x++) {
        double eps = h->point_height[x];
        double ref = h->clusters[h->point_cluster[x]].leaf_min;
        out->outlier[x] = eps > 0 ? (float)(1.0 - ref / eps) : 0.0f;
    }
}

/* R's membership probability: (max core distance in cluster - core) / that maximum. */
static dt_status probabilities(dt_hdbscan_result *out, const double *core)
{
    size_t n = out->n;
    double *max_core = NULL;
    size_t k = out->n_clusters > 0 ? (size_t)out->n_clusters : 1;
    DT_CHECK(dt_calloc(&max_core, k, sizeof *max_core, "cluster core maxima"));

    for (size_t x = 0; x < n; x++) {
        int32_t c = out->labels[x];
        if (c < 0)
            continue;
        out->size[c]++;
        if (core && core[x] > max_core[c])
            max_core[c] = core[x];
    }

    for (size_t x = 0; x < n; x++) {
        int32_t c = out->labels[x];
        double p = 0;
        if (c >= 0)
            p = core && max_core[c] > 0 ? (max_core[c] - core[x]) / max_core[c] : 1.0;
        out->probability[x] = (float)p;
    }
    free(max_core);
    return DT_OK;
}

static void free_hierarchy(hierarchy *h)
{
    free(h->left);
    free(h->right);
    free(h->height);
    free(h->size);
    free(h->tracker);
    free(h->clusters);
    free(h->point_cluster);
    free(h->point_height);
}

static dt_status alloc_hierarchy(hierarchy *h, size_t n)
{
    DT_CHECK(dt_malloc(&h->left, n - 1, sizeof *h->left, "hierarchy merges"));
    DT_CHECK(dt_malloc(&h->right, n - 1, sizeof *h->right, "hierarchy merges"));
    DT_CHECK(dt_malloc(&h->height, n - 1, sizeof *h->height, "hierarchy heights"));
    DT_CHECK(dt_malloc(&h->size, n - 1, sizeof *h->size, "hierarchy sizes"));
    DT_CHECK(dt_malloc(&h->tracker, n - 1, sizeof *h->tracker, "hierarchy owners"));
    /* each split adds two clusters of at least two points: fewer than n in all */
    DT_CHECK(dt_malloc(&h->clusters, n, sizeof *h->clusters, "condensed tree"));
    DT_CHECK(dt_malloc(&h->point_cluster, n, sizeof *h->point_cluster, "point clusters"));
    DT_CHECK(dt_malloc(&h->point_height, n, sizeof *h->point_height, "point heights"));
    return DT_OK;
}

/* Fewer than two points: no tree, every point is noise. */
static dt_status trivial_result(size_t n, dt_hdbscan_result *out)
{
    DT_CHECK(alloc_result(out, n, 0));
    for (size_t x = 0; x < n; x++) {
        out->labels[x] = -1;
        out->outlier[x] = 0;
        out->probability[x] = 0;
    }
    return DT_OK;
}

dt_status dt_hdbscan_from_mst(size_t n, const dt_edge *mst, const double *core_distance,
                              int min_cluster_size, dt_hdbscan_result *out)
{
    memset(out, 0, sizeof *out);
    if (min_cluster_size < 2)
        return dt_fail(DT_ERR_USAGE, "min_cluster_size is %d; expected at least 2",
                       min_cluster_size);
    if (n > UINT32_MAX / 2)
        return dt_fail(DT_ERR_USAGE, "%zu points; at most %u can be clustered", n, UINT32_MAX / 2);
    if (n < 2)
        return trivial_result(n, out);
    DT_CHECK(check_edges(n, mst));

    hierarchy h = {.n = n, .min_size = (uint32_t)min_cluster_size};
    dt_edge *sorted = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&sorted, n - 1, sizeof *sorted, "sorted tree edges"));
    DT_CHECK_GOTO(st, sort_edges(n, mst, sorted));
    DT_CHECK_GOTO(st, alloc_hierarchy(&h, n));
    DT_CHECK_GOTO(st, build_merges(&h, sorted));

    condense(&h);
    select_clusters(&h);

    DT_CHECK_GOTO(st, label_points(&h, out));
    outlier_scores(&h, out);
    DT_CHECK_GOTO(st, probabilities(out, core_distance));

out:
    if (st != DT_OK)
        dt_hdbscan_result_free(out);
    free(sorted);
    free_hierarchy(&h);
    return st;
}

void dt_hdbscan_result_free(dt_hdbscan_result *r)
{
    if (!r)
        return;
    free(r->labels);
    free(r->outlier);
    free(r->probability);
    free(r->stability);
    free(r->size);
    memset(r, 0, sizeof *r);
}
