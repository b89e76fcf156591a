/* Prim's algorithm on mutual-reachability cosine distances, with R's dbscan tie rules. */
#include "dt_mst.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Prim's state: the points not yet in the tree, kept packed so each step's product
 * touches only them, with their best known edge into the tree. */
typedef struct {
    size_t left;    /* points not yet in the tree */
    uint32_t *id;   /* packed position -> point */
    float *unit;    /* packed unit vectors */
    float *sim;     /* similarities of the newest tree point to the packed points */
    double *weight; /* per point: lightest known edge into the tree, its key */
} prim_state;

static void prim_remove(prim_state *s, size_t pos, size_t dim)
{
    size_t last = --s->left;
    s->id[pos] = s->id[last];
    memcpy(s->unit + pos * dim, s->unit + last * dim, dim * sizeof *s->unit);
}

/* Relaxes every packed point against the newest tree point v; returns the packed position
 * of the next point to join: the lightest, lowest index first. */
static size_t prim_relax(const dt_mst_points *p, const double *core, prim_state *s, size_t v)
{
    if (s->left == 0)
        return 0;
    cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)s->left, (int)p->dim, 1.0f, s->unit, (int)p->dim,
                p->unit + v * p->dim, 1, 0.0f, s->sim, 1);

    size_t best = 0;
    for (size_t pos = 0; pos < s->left; pos++) {
        uint32_t i = s->id[pos];
        double floor = core[v] > core[i] ? core[v] : core[i];
        double low = 1.0 - (double)s->sim[pos] - p->slack;
        if ((low > floor ? low : floor) <= s->weight[i]) {
            /* only a weight that might win, or tie, is worth its exact value */
            double d = dt_mst_distance(p, v, i);
            double w = d > floor ? d : floor;
            if (w < s->weight[i])
                s->weight[i] = w;
        }
        uint32_t b = s->id[best];
        if (s->weight[i] < s->weight[b] || (s->weight[i] == s->weight[b] && i < b))
            best = pos;
    }
    return best;
}

static void free_prim(prim_state *s)
{
    free(s->id);
    free(s->unit);
    free(s->sim);
    free(s->weight);
}

static dt_status init_prim(prim_state *s, const dt_mst_points *p)
{
    size_t n = p->n;
    memset(s, 0, sizeof *s);
    DT_CHECK(dt_malloc(&s->id, n, sizeof *s->id, "Prim's points"));
    DT_CHECK(dt_malloc(&s->unit, n * p->dim, sizeof *s->unit, "Prim's vectors"));
    DT_CHECK(dt_malloc(&s->sim, n, sizeof *s->sim, "Prim's similarities"));
    DT_CHECK(dt_malloc(&s->weight, n, sizeof *s->weight, "Prim's weights"));
    memcpy(s->unit, p->unit, n * p->dim * sizeof *s->unit);
    for (size_t i = 0; i < n; i++) {
        s->id[i] = (uint32_t)i;
        s->weight[i] = INFINITY;
    }
    s->left = n;
    return DT_OK;
}

dt_status dt_mst_prim(const dt_mst_points *p, const double *core, dt_edge *mst)
{
    if (p->n < 2)
        return DT_OK;
    prim_state s;
    dt_status st = init_prim(&s, p);
    if (st != DT_OK) {
        free_prim(&s);
        DT_CHECK(st);
    }

    size_t pos = 0; /* point 0 starts the tree, as in R's dbscan */
    size_t previous = 0;
    for (size_t step = 0; step < p->n; step++) {
        size_t v = s.id[pos];
        if (step > 0)
            mst[step - 1] = (dt_edge){(uint32_t)v, (uint32_t)previous, s.weight[v]};
        previous = v;
        prim_remove(&s, pos, p->dim);
        pos = prim_relax(p, core, &s, v);
    }
    free_prim(&s);
    return DT_OK;
}
