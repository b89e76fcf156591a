/* The DCA rules of docs/dca.md applied to one day: fates, ids, backward search, rows. */
#include "dt_dca_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many of yesterday's cluster x's members are in today's cluster y (index ky: noise). */
typedef struct {
    uint32_t x;
    uint32_t y;
    uint32_t count;
} cell;

/* A sender of today, for the join with yesterday. */
typedef struct {
    uint32_t ip;
    int32_t label;
} today_sender;

/* Everything one call of dt_dca_track works on. X index kx and Y index ky are the noise
 * clusters X-1 and Y-1; yesterday's clusters are indexed in ascending id order. */
typedef struct {
    const dt_dca_state *s;
    double tau0, tau1;

    size_t ky;
    uint32_t *size_y;     /* ky + 1 */
    uint32_t *member_ip;  /* today's senders grouped by label ... */
    size_t *member_start; /* ... y's are member_ip[member_start[y] .. member_start[y+1]) */

    size_t kx;
    int32_t *x_id;      /* kx */
    uint32_t *size_x;   /* kx + 1 */
    uint32_t *active_x; /* kx + 1: |X n D_d|, so A(X) = active_x / size_x */

    cell *cells; /* sorted by (x, y) */
    size_t n_cells;
    size_t *cell_start; /* kx + 2 */
    uint32_t *claims;   /* ky: X (noise included) that strongly match y */

    uint8_t *fate;        /* kx: dt_transition_kind */
    uint32_t *fate_y;     /* kx: the target of survived / absorbed */
    uint32_t *fate_count; /* kx: |X n Y| for that target */
    double *fate_m;       /* kx: m(X,Y) of that target, m(X,Y-1) when disappeared */

    int32_t *y_id;         /* ky: persistent id, -1 until given */
    uint8_t *y_origin;     /* ky */
    uint8_t *y_novel;      /* ky */
    dt_dca_match *y_match; /* ky: best past match of an emerged y */
} dca_work;

static void work_free(dca_work *w)
{
    free(w->size_y);
    free(w->member_ip);
    free(w->member_start);
    free(w->x_id);
    free(w->size_x);
    free(w->active_x);
    free(w->cells);
    free(w->cell_start);
    free(w->claims);
    free(w->fate);
    free(w->fate_y);
    free(w->fate_count);
    free(w->fate_m);
    free(w->y_id);
    free(w->y_origin);
    free(w->y_novel);
    free(w->y_match);
}

static double ratio(uint32_t num, uint32_t den)
{
    /* One correctly rounded division: m(X,Y) = OL(X,Y)/A(X) = |X n Y| / |X n D_d| once
     * |X| cancels, so 13 of 20 is exactly the double nearest 0.65, as a reader expects. */
    return (double)num / (double)den;
}

/* Checks today's labels, counts the clusters and groups the members by label. */
static dt_status read_today(dca_work *w, int32_t day, const uint32_t *ips, const int32_t *labels,
                            size_t n)
{
    int32_t max_label = -1;
    for (size_t i = 0; i < n; i++) {
        if (labels[i] < -1)
            return dt_fail(DT_ERR_FORMAT,
                           "DCA, day %d: sender %zu has label %d (expected -1 "
                           "for noise or a cluster label >= 0)",
                           (int)day, i, (int)labels[i]);
        max_label = labels[i] > max_label ? labels[i] : max_label;
    }
    w->ky = (size_t)(max_label + 1);
    if (w->ky > n) /* checked before sizing anything by the largest label */
        return dt_fail(DT_ERR_FORMAT,
                       "DCA, day %d: cluster label %d among only %zu senders "
                       "(labels must be 0..k-1 without gaps)",
                       (int)day, (int)max_label, n);

    DT_CHECK(dt_calloc(&w->size_y, w->ky + 1, sizeof *w->size_y, "today's cluster sizes"));
    for (size_t i = 0; i < n; i++)
        w->size_y[labels[i] < 0 ? w->ky : (size_t)labels[i]]++;
    for (size_t y = 0; y < w->ky; y++)
        if (w->size_y[y] == 0)
            return dt_fail(DT_ERR_FORMAT,
                           "DCA, day %d: cluster label %zu has no members "
                           "(labels must be 0..%zu without gaps)",
                           (int)day, y, w->ky - 1);

    DT_CHECK(dt_malloc(&w->member_start, w->ky + 2, sizeof *w->member_start, "members"));
    DT_CHECK(dt_malloc(&w->member_ip, n, sizeof *w->member_ip, "today's members"));
    w->member_start[0] = 0;
    for (size_t y = 0; y <= w->ky; y++)
        w->member_start[y + 1] = w->member_start[y] + w->size_y[y];
    size_t *fill = NULL;
    DT_CHECK(dt_malloc(&fill, w->ky + 1, sizeof *fill, "members"));
    memcpy(fill, w->member_start, (w->ky + 1) * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        w->member_ip[fill[labels[i] < 0 ? w->ky : (size_t)labels[i]]++] = ips[i];
    free(fill);
    return DT_OK;
}

static int int32_cmp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Yesterday's clusters: their ids in ascending order and their sizes. */
static dt_status read_yesterday(dca_work *w)
{
    const dt_dca_state *s = w->s;
    DT_CHECK(dt_malloc(&w->x_id, s->n_prev, sizeof *w->x_id, "yesterday's cluster ids"));
    size_t k = 0;
    for (size_t i = 0; i < s->n_prev; i++)
        if (s->prev_id[i] >= 0)
            w->x_id[k++] = s->prev_id[i];
    qsort(w->x_id, k, sizeof *w->x_id, int32_cmp);
    size_t kx = 0;
    for (size_t i = 0; i < k; i++)
        if (kx == 0 || w->x_id[kx - 1] != w->x_id[i])
            w->x_id[kx++] = w->x_id[i];
    w->kx = kx;

    DT_CHECK(dt_calloc(&w->size_x, kx + 1, sizeof *w->size_x, "yesterday's cluster sizes"));
    DT_CHECK(dt_calloc(&w->active_x, kx + 1, sizeof *w->active_x, "yesterday's active shares"));
    return DT_OK;
}

/* The X index of one of yesterday's ids (kx for noise). */
static uint32_t x_index(const dca_work *w, int32_t id)
{
    if (id < 0)
        return (uint32_t)w->kx;
    const int32_t *p = bsearch(&id, w->x_id, w->kx, sizeof *w->x_id, int32_cmp);
    return (uint32_t)(p - w->x_id);
}

static int today_cmp(const void *a, const void *b)
{
    const today_sender *x = a, *y = b;
    return (x->ip > y->ip) - (x->ip < y->ip);
}

static int cell_cmp(const void *a, const void *b)
{
    const cell *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

/* Merges today's senders (sorted here) with yesterday's into pairs (x, y), one per sender
 * active on both days. Also checks today's addresses for duplicates. */
static dt_status join_days(dca_work *w, int32_t day, const uint32_t *ips, const int32_t *labels,
                           size_t n, cell **pairs_out, size_t *n_pairs)
{
    dt_status st = DT_OK;
    today_sender *t = NULL;
    cell *pairs = NULL;
    DT_CHECK_GOTO(st, dt_malloc(&t, n, sizeof *t, "today's senders"));
    for (size_t i = 0; i < n; i++)
        t[i] = (today_sender){ips[i], labels[i]};
    qsort(t, n, sizeof *t, today_cmp);
    for (size_t i = 1; i < n; i++) {
        if (t[i].ip == t[i - 1].ip) {
            uint32_t a = t[i].ip;
            st = dt_fail(DT_ERR_FORMAT, "DCA, day %d: sender %u.%u.%u.%u appears twice", (int)day,
                         a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
            goto out;
        }
    }

    const dt_dca_state *s = w->s;
    DT_CHECK_GOTO(st, dt_malloc(&pairs, n < s->n_prev ? n : s->n_prev, sizeof *pairs, "pairs"));
    size_t k = 0, j = 0;
    for (size_t i = 0; i < s->n_prev; i++) {
        uint32_t x = x_index(w, s->prev_id[i]);
        w->size_x[x]++;
        while (j < n && t[j].ip < s->prev_ip[i])
            j++;
        if (j < n && t[j].ip == s->prev_ip[i]) {
            uint32_t y = t[j].label < 0 ? (uint32_t)w->ky : (uint32_t)t[j].label;
            pairs[k++] = (cell){x, y, 1};
            w->active_x[x]++;
        }
    }
    *pairs_out = pairs;
    pairs = NULL;
    *n_pairs = k;

out:
    free(t);
    free(pairs);
    return st;
}

/* The contingency table |X n Y| as sorted non-zero cells, and how many X claim each Y. */
static dt_status count_cells(dca_work *w, cell *pairs, size_t n_pairs)
{
    qsort(pairs, n_pairs, sizeof *pairs, cell_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        if (k > 0 && pairs[k - 1].x == pairs[i].x && pairs[k - 1].y == pairs[i].y)
            pairs[k - 1].count++;
        else
            pairs[k++] = pairs[i];
    }
    w->cells = pairs;
    w->n_cells = k;

    DT_CHECK(dt_calloc(&w->cell_start, w->kx + 2, sizeof *w->cell_start, "cell offsets"));
    for (size_t i = 0; i < k; i++)
        w->cell_start[pairs[i].x + 1]++;
    for (size_t x = 0; x <= w->kx; x++)
        w->cell_start[x + 1] += w->cell_start[x];

    /* Every X counts as a claimant of Y, X-1 and inactive clusters included: the rule
     * asks only whether m(X',Y) >= tau0. */
    DT_CHECK(dt_calloc(&w->claims, w->ky + 1, sizeof *w->claims, "claims"));
    for (size_t i = 0; i < k; i++)
        if (pairs[i].y < w->ky && ratio(pairs[i].count, w->active_x[pairs[i].x]) >= w->tau0)
            w->claims[pairs[i].y]++;
    return DT_OK;
}

/* The fate of non-noise X number x, before survivors of one Y are reconciled. */
static void decide_fate(dca_work *w, uint32_t x)
{
    uint32_t a = w->active_x[x];
    w->fate_m[x] = (double)NAN;
    if (a == 0 || ratio(a, w->size_x[x]) < w->tau1) {
        w->fate[x] = DT_INACTIVE;
        return;
    }

    double m_noise = 0;
    int loose = 0;
    const cell *strong = NULL;
    for (size_t i = w->cell_start[x]; i < w->cell_start[x + 1]; i++) {
        const cell *c = &w->cells[i];
        double m = ratio(c->count, a);
        if (c->y == w->ky) {
            m_noise = m;
            continue;
        }
        loose |= m >= w->tau1;
        /* Two strong matches need tau0 <= 0.5: take the larger m, then the smaller label. */
        if (m >= w->tau0 && (!strong || m > ratio(strong->count, a)))
            strong = c;
    }

    if (!loose || m_noise >= w->tau0) {
        w->fate[x] = DT_DISAPPEARED;
        w->fate_m[x] = m_noise;
    } else if (strong) {
        int alone = w->claims[strong->y] == 1;
        int main_part = ratio(strong->count, w->size_y[strong->y]) >= w->tau0;
        w->fate[x] = alone || main_part ? DT_SURVIVED : DT_ABSORBED;
        w->fate_y[x] = strong->y;
        w->fate_count[x] = strong->count;
        w->fate_m[x] = ratio(strong->count, a);
    } else {
        w->fate[x] = DT_SPLIT;
    }
}

/* Decides every fate; of several survivors into one Y (possible only when tau0 <= 0.5)
 * the one with the larger OL(Y,X), then the smaller id, keeps Y and the rest are absorbed.
 * Survivors' Ys keep their ids. */
static dt_status decide_fates(dca_work *w)
{
    DT_CHECK(dt_calloc(&w->fate, w->kx + 1, sizeof *w->fate, "fates"));
    DT_CHECK(dt_calloc(&w->fate_y, w->kx + 1, sizeof *w->fate_y, "fates"));
    DT_CHECK(dt_calloc(&w->fate_count, w->kx + 1, sizeof *w->fate_count, "fates"));
    DT_CHECK(dt_calloc(&w->fate_m, w->kx + 1, sizeof *w->fate_m, "fates"));
    DT_CHECK(dt_calloc(&w->y_origin, w->ky + 1, sizeof *w->y_origin, "origins"));
    DT_CHECK(dt_calloc(&w->y_novel, w->ky + 1, sizeof *w->y_novel, "origins"));
    DT_CHECK(dt_malloc(&w->y_id, w->ky + 1, sizeof *w->y_id, "today's ids"));
    int32_t *survivor = NULL;
    DT_CHECK(dt_malloc(&survivor, w->ky + 1, sizeof *survivor, "survivors"));
    for (size_t y = 0; y <= w->ky; y++) {
        w->y_id[y] = -1;
        w->y_origin[y] = DT_EMERGED;
        survivor[y] = -1;
    }

    for (uint32_t x = 0; x < w->kx; x++) {
        decide_fate(w, x);
        if (w->fate[x] != DT_SURVIVED)
            continue;
        uint32_t y = w->fate_y[x];
        if (survivor[y] < 0 || w->fate_count[x] > w->fate_count[survivor[y]]) {
            if (survivor[y] >= 0)
                w->fate[survivor[y]] = DT_ABSORBED;
            survivor[y] = (int32_t)x;
        } else {
            w->fate[x] = DT_ABSORBED;
        }
    }

    for (size_t y = 0; y < w->ky; y++) {
        if (survivor[y] >= 0) {
            w->y_id[y] = w->x_id[survivor[y]];
            w->y_origin[y] = DT_SURVIVED;
        }
    }
    free(survivor);
    return DT_OK;
}

/* An emerged Y's claim on the id of its best past match. */
typedef struct {
    dt_dca_match m;
    uint32_t y;    /* its label */
    uint32_t rank; /* its place in serving order */
} id_claim;

/* Serving order: the claim on the most recent day, then the larger overlap, the more
 * shared members, the smaller label. */
static int claim_order_cmp(const void *a, const void *b)
{
    const id_claim *p = a, *q = b;
    if (p->m.day != q->m.day)
        return p->m.day > q->m.day ? -1 : 1;
    if (p->m.overlap != q->m.overlap)
        return p->m.overlap > q->m.overlap ? -1 : 1;
    if (p->m.shared != q->m.shared)
        return p->m.shared > q->m.shared ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static int claim_id_cmp(const void *a, const void *b)
{
    const id_claim *p = a, *q = b;
    if (p->m.id != q->m.id)
        return p->m.id < q->m.id ? -1 : 1;
    return (p->rank > q->rank) - (p->rank < q->rank);
}

/* Searches the past for every emerged Y (not on the first day). */
static dt_status search_past(dca_work *w, int32_t day)
{
    const dt_dca_state *s = w->s;
    DT_CHECK(dt_calloc(&w->y_match, w->ky + 1, sizeof *w->y_match, "past matches"));
    if (!s->has_days)
        return DT_OK;

    dt_status st = DT_OK;
    uint32_t *counts = NULL, *touched = NULL;
    dt_dca_cursor *heap = NULL;
    size_t nc = s->index.n_clusters;
    DT_CHECK_GOTO(st, dt_calloc(&counts, nc, sizeof *counts, "backward search"));
    DT_CHECK_GOTO(st, dt_malloc(&touched, nc, sizeof *touched, "backward search"));
    DT_CHECK_GOTO(st, dt_malloc(&heap, w->member_start[w->ky], sizeof *heap, "backward search"));
    int32_t min_day = INT32_MIN;
    if (s->opt.horizon_days > 0)
        min_day = day - s->opt.horizon_days;

    for (size_t y = 0; y < w->ky; y++) {
        if (w->y_origin[y] == DT_SURVIVED)
            continue;
        const uint32_t *members = w->member_ip + w->member_start[y];
        dt_dca_index_match(&s->index, members, w->size_y[y], min_day, s->last_day, w->tau0, counts,
                           touched, heap, &w->y_match[y]);
    }

out:
    free(counts);
    free(touched);
    free(heap);
    return st;
}

/* Gives back past ids to reappearing Ys (an id alive today stays with its holder; of two
 * claims on one id the first in serving order wins) and fresh ids, in label order, to every
 * other new Y. */
static dt_status assign_ids(dca_work *w)
{
    const dt_dca_state *s = w->s;
    dt_status st = DT_OK;
    int32_t *kept = NULL;
    id_claim *claims = NULL;
    DT_CHECK_GOTO(st, dt_malloc(&kept, w->ky + 1, sizeof *kept, "survivors' ids"));
    DT_CHECK_GOTO(st, dt_malloc(&claims, w->ky + 1, sizeof *claims, "id claims"));
    size_t n_kept = 0, k = 0;
    for (size_t y = 0; y < w->ky; y++) {
        if (w->y_origin[y] == DT_SURVIVED)
            kept[n_kept++] = w->y_id[y];
        else if (w->y_match[y].found)
            claims[k++] = (id_claim){w->y_match[y], (uint32_t)y, 0};
    }
    qsort(kept, n_kept, sizeof *kept, int32_cmp);

    /* Rank the claims, then group them by id: the first of each group is served. */
    qsort(claims, k, sizeof *claims, claim_order_cmp);
    for (size_t i = 0; i < k; i++)
        claims[i].rank = (uint32_t)i;
    qsort(claims, k, sizeof *claims, claim_id_cmp);
    for (size_t i = 0; i < k; i++) {
        int32_t id = claims[i].m.id;
        int first = i == 0 || claims[i - 1].m.id != id;
        if (first && !bsearch(&id, kept, n_kept, sizeof *kept, int32_cmp)) {
            w->y_id[claims[i].y] = id;
            w->y_origin[claims[i].y] = DT_REAPPEARED;
        }
    }

    if ((int64_t)s->next_id + (int64_t)w->ky > INT32_MAX) {
        st = dt_fail(DT_ERR_INTERNAL, "DCA: the cluster id counter (%d) is exhausted",
                     (int)s->next_id);
        goto out;
    }
    int32_t next = s->next_id;
    for (size_t y = 0; y < w->ky; y++) {
        if (w->y_id[y] >= 0)
            continue;
        w->y_id[y] = next++;
        w->y_novel[y] = s->has_days && !w->y_match[y].found;
    }

out:
    free(kept);
    free(claims);
    return st;
}

static int row_cmp(const void *a, const void *b)
{
    const dt_transition *p = a, *q = b;
    if (p->from != q->from)
        return p->from < q->from ? -1 : 1;
    return (p->to > q->to) - (p->to < q->to);
}

static void add_row(dt_dca_result *r, int32_t from, int32_t to, int kind, double overlap)
{
    r->transitions[r->n_transitions++] =
        (dt_transition){.from = from, .to = to, .kind = (uint8_t)kind, .overlap = (float)overlap};
}

/* One row per fate of yesterday's clusters, split rows once per loosely matched Y. */
static void fate_rows(const dca_work *w, dt_dca_result *r)
{
    for (uint32_t x = 0; x < w->kx; x++) {
        int32_t from = w->x_id[x];
        uint8_t f = w->fate[x];
        if (f == DT_SURVIVED || f == DT_ABSORBED) {
            add_row(r, from, w->y_id[w->fate_y[x]], f, w->fate_m[x]);
        } else if (f == DT_DISAPPEARED || f == DT_INACTIVE) {
            add_row(r, from, -1, f, w->fate_m[x]);
        } else {
            size_t first = r->n_transitions;
            for (size_t i = w->cell_start[x]; i < w->cell_start[x + 1]; i++) {
                const cell *c = &w->cells[i];
                double m = ratio(c->count, w->active_x[x]);
                if (c->y < w->ky && m >= w->tau1)
                    add_row(r, from, w->y_id[c->y], DT_SPLIT, m);
            }
            qsort(r->transitions + first, r->n_transitions - first, sizeof *r->transitions,
                  row_cmp);
        }
    }
}

static int origin_row_cmp(const void *a, const void *b)
{
    const dt_transition *p = a, *q = b;
    return (p->to > q->to) - (p->to < q->to);
}

/* Rows, cluster rows and per-sender ids of the result. */
static dt_status fill_result(const dca_work *w, const int32_t *labels, size_t n, dt_dca_result *r)
{
    size_t max_rows = w->ky;
    for (uint32_t x = 0; x < w->kx; x++)
        max_rows += w->fate[x] == DT_SPLIT ? w->cell_start[x + 1] - w->cell_start[x] : 1;
    DT_CHECK(dt_malloc(&r->transitions, max_rows, sizeof *r->transitions, "transitions"));
    fate_rows(w, r);
    size_t first_origin = r->n_transitions;
    for (size_t y = 0; y < w->ky; y++) {
        if (w->y_origin[y] == DT_REAPPEARED)
            add_row(r, w->y_id[y], w->y_id[y], DT_REAPPEARED, (double)NAN);
        else if (w->y_origin[y] == DT_EMERGED)
            add_row(r, -1, w->y_id[y], DT_EMERGED, (double)NAN);
    }
    qsort(r->transitions + first_origin, r->n_transitions - first_origin, sizeof *r->transitions,
          origin_row_cmp);

    r->n_clusters = w->ky;
    DT_CHECK(dt_calloc(&r->clusters, w->ky + 1, sizeof *r->clusters, "cluster rows"));
    DT_CHECK(dt_malloc(&r->matched_day, w->ky + 1, sizeof *r->matched_day, "cluster rows"));
    DT_CHECK(dt_malloc(&r->matched_overlap, w->ky + 1, sizeof *r->matched_overlap, "rows"));
    for (size_t y = 0; y < w->ky; y++) {
        dt_cluster_row *c = &r->clusters[y];
        c->id = w->y_id[y];
        c->size = (int32_t)w->size_y[y];
        c->silhouette = NAN;
        c->origin = w->y_origin[y];
        c->novel = w->y_novel[y];
        c->label = -1;
        c->purity = NAN;
        int found = w->y_match[y].found && w->y_origin[y] != DT_SURVIVED;
        r->matched_day[y] = found ? w->y_match[y].day : INT32_MIN;
        r->matched_overlap[y] = found ? (float)w->y_match[y].overlap : NAN;
    }

    for (size_t y = 0; y < w->ky; y++)
        r->postings_read += w->y_match[y].postings;
    r->n_senders = n;
    DT_CHECK(dt_malloc(&r->sender_id, n, sizeof *r->sender_id, "sender ids"));
    for (size_t i = 0; i < n; i++)
        r->sender_id[i] = labels[i] < 0 ? -1 : w->y_id[labels[i]];
    return DT_OK;
}

dt_status dt_dca_track(const dt_dca_state *s, int32_t day, const uint32_t *ips,
                       const int32_t *labels, size_t n, dt_dca_result *out)
{
    memset(out, 0, sizeof *out);
    if (s->has_days && day <= s->last_day)
        return dt_fail(DT_ERR_FORMAT, "DCA: day %d tracked after day %d (days must increase)",
                       (int)day, (int)s->last_day);

    dt_status st = DT_OK;
    dca_work w = {.s = s, .tau0 = s->opt.tau0, .tau1 = s->opt.tau1};
    cell *pairs = NULL;
    size_t n_pairs = 0;
    DT_CHECK_GOTO(st, read_today(&w, day, ips, labels, n));
    DT_CHECK_GOTO(st, read_yesterday(&w));
    DT_CHECK_GOTO(st, join_days(&w, day, ips, labels, n, &pairs, &n_pairs));
    DT_CHECK_GOTO(st, count_cells(&w, pairs, n_pairs));
    pairs = NULL; /* now w.cells */

    DT_CHECK_GOTO(st, decide_fates(&w));
    DT_CHECK_GOTO(st, search_past(&w, day));
    DT_CHECK_GOTO(st, assign_ids(&w));
    DT_CHECK_GOTO(st, fill_result(&w, labels, n, out));

out:
    free(pairs);
    work_free(&w);
    if (st != DT_OK)
        dt_dca_result_free(out);
    return st;
}

void dt_dca_result_free(dt_dca_result *r)
{
    if (!r)
        return;
    free(r->clusters);
    free(r->matched_day);
    free(r->matched_overlap);
    free(r->transitions);
    free(r->sender_id);
    memset(r, 0, sizeof *r);
}

const char *dt_dca_kind_name(int kind)
{
    static const char *const names[] = {"survived", "absorbed", "split",     "disappeared",
                                        "inactive", "emerged",  "reappeared"};
    return kind >= 0 && kind <= DT_REAPPEARED ? names[kind] : "?";
}
