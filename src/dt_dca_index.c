/* The index of past clusters by sender that makes the DCA's backward search cheap. */
#include "dt_dca_internal.h"

#include <stdlib.h>
#include <string.h>

uint64_t dt_dca_mix(uint64_t h, uint64_t v)
{
    /* splitmix64's finaliser over the running value: order-sensitive and well spread. */
    uint64_t z = h ^ (v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2));
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t slot_of(const dt_dca_postings *slots, size_t cap, uint32_t ip)
{
    /* Fibonacci hashing: the high bits of a golden-ratio product; addresses in one /24
     * land far apart. */
    size_t i = (size_t)(((uint64_t)ip * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
    while (slots[i].refs && slots[i].ip != ip)
        i = (i + 1) & (cap - 1);
    return i;
}

const dt_dca_postings *dt_dca_index_find(const dt_dca_index *idx, uint32_t ip)
{
    if (idx->cap == 0)
        return NULL;
    const dt_dca_postings *p = &idx->slots[slot_of(idx->slots, idx->cap, ip)];
    return p->refs ? p : NULL;
}

/* Rehashes every non-empty list into a table of new_cap slots (the lists move). */
static dt_status rehash(dt_dca_index *idx, size_t new_cap)
{
    dt_dca_postings *slots = NULL;
    DT_CHECK(dt_calloc(&slots, new_cap, sizeof *slots, "the DCA sender index"));

    size_t used = 0;
    for (size_t i = 0; i < idx->cap; i++) {
        dt_dca_postings *p = &idx->slots[i];
        if (!p->refs)
            continue;
        if (p->n == 0) {
            free(p->refs);
            continue;
        }
        slots[slot_of(slots, new_cap, p->ip)] = *p;
        used++;
    }

    free(idx->slots);
    idx->slots = slots;
    idx->cap = new_cap;
    idx->used = used;
    return DT_OK;
}

static dt_status append_ref(dt_dca_index *idx, uint32_t ip, uint32_t ref)
{
    if (2 * (idx->used + 1) > idx->cap)
        DT_CHECK(rehash(idx, idx->cap ? 2 * idx->cap : 1024));

    dt_dca_postings *p = &idx->slots[slot_of(idx->slots, idx->cap, ip)];
    if (!p->refs) {
        DT_CHECK(dt_malloc(&p->refs, 4, sizeof *p->refs, "a sender's past clusters"));
        p->ip = ip;
        p->n = 0;
        p->cap = 4;
        idx->used++;
    }
    if (p->n == p->cap) {
        DT_CHECK(
            dt_realloc(&p->refs, 2 * (size_t)p->cap, sizeof *p->refs, "a sender's past clusters"));
        p->cap *= 2;
    }
    p->refs[p->n++] = ref;
    return DT_OK;
}

typedef struct {
    int32_t id;
    uint32_t ip;
} member;

static int member_cmp(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->ip > y->ip) - (x->ip < y->ip);
}

static dt_status grow_clusters(dt_dca_index *idx, size_t extra)
{
    size_t need = idx->n_clusters + extra;
    if (need <= idx->cap_clusters)
        return DT_OK;
    size_t cap = idx->cap_clusters ? idx->cap_clusters : 256;
    while (cap < need)
        cap *= 2;
    DT_CHECK(dt_realloc(&idx->clusters, cap, sizeof *idx->clusters, "the DCA cluster table"));
    idx->cap_clusters = cap;
    return DT_OK;
}

dt_status dt_dca_index_add_day(dt_dca_index *idx, int32_t day, const uint32_t *ips,
                               const int32_t *ids, size_t n)
{
    dt_status st = DT_OK;
    member *m = NULL;
    size_t k = 0;
    DT_CHECK_GOTO(st, dt_malloc(&m, n, sizeof *m, "the day's cluster members"));
    for (size_t i = 0; i < n; i++)
        if (ids[i] >= 0)
            m[k++] = (member){ids[i], ips[i]};
    qsort(m, k, sizeof *m, member_cmp);

    /* One table entry per cluster, in id order; its members post a reference to it. */
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && m[j].id == m[i].id)
            j++;
        DT_CHECK_GOTO(st, grow_clusters(idx, 1));
        uint32_t ref = (uint32_t)idx->n_clusters;
        idx->clusters[idx->n_clusters++] = (dt_dca_past_cluster){day, m[i].id, (uint32_t)(j - i)};
        for (size_t t = i; t < j; t++)
            DT_CHECK_GOTO(st, append_ref(idx, m[t].ip, ref));
        i = j;
    }

out:
    free(m);
    return st;
}

dt_status dt_dca_index_prune(dt_dca_index *idx, int32_t cutoff_day)
{
    size_t k0 = 0;
    while (k0 < idx->n_clusters && idx->clusters[k0].day < cutoff_day)
        k0++;
    if (k0 == 0)
        return DT_OK;

    /* The table is in day order, so the expired clusters are a prefix: drop it and shift
     * every surviving reference down by its length. */
    memmove(idx->clusters, idx->clusters + k0, (idx->n_clusters - k0) * sizeof *idx->clusters);
    idx->n_clusters -= k0;
    for (size_t i = 0; i < idx->cap; i++) {
        dt_dca_postings *p = &idx->slots[i];
        if (!p->refs)
            continue;
        uint32_t keep = 0;
        for (uint32_t r = 0; r < p->n; r++)
            if (p->refs[r] >= k0)
                p->refs[keep++] = p->refs[r] - (uint32_t)k0;
        p->n = keep;
    }

    /* Emptied lists leave through a rehash, which keeps probe chains intact. */
    return rehash(idx, idx->cap);
}

static int better_match(const dt_dca_match *a, const dt_dca_match *b)
{
    if (!b->found)
        return 1;
    if (a->day != b->day)
        return a->day > b->day;
    if (a->overlap != b->overlap)
        return a->overlap > b->overlap;
    if (a->shared != b->shared)
        return a->shared > b->shared;
    return a->id < b->id;
}

/* Heap order: the newest reference on top. */
static uint32_t top_ref(const dt_dca_cursor *c)
{
    return c->refs[c->at];
}

static void sift_down(dt_dca_cursor *heap, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < n && top_ref(&heap[l]) > top_ref(&heap[top]))
            top = l;
        if (r < n && top_ref(&heap[r]) > top_ref(&heap[top]))
            top = r;
        if (top == i)
            return;
        dt_dca_cursor tmp = heap[i];
        heap[i] = heap[top];
        heap[top] = tmp;
        i = top;
    }
}

/* Evaluates the clusters of one day counted so far, keeps the best match and clears the
 * counts. Returns 1 when that day holds a match. */
static int settle_day(const dt_dca_index *idx, double tau0, uint32_t *counts, uint32_t *touched,
                      size_t *n_touched, dt_dca_match *best)
{
    for (size_t t = 0; t < *n_touched; t++) {
        const dt_dca_past_cluster *x = &idx->clusters[touched[t]];
        uint32_t shared = counts[touched[t]];
        dt_dca_match c = {1, x->day, x->id, (double)shared / (double)x->size, shared, 0};
        if (c.overlap >= tau0 && better_match(&c, best)) {
            c.postings = best->postings;
            *best = c;
        }
        counts[touched[t]] = 0;
    }
    *n_touched = 0;
    return best->found;
}

void dt_dca_index_match(const dt_dca_index *idx, const uint32_t *member_ips, size_t m,
                        int32_t min_day, int32_t before_day, double tau0, uint32_t *counts,
                        uint32_t *touched, dt_dca_cursor *heap, dt_dca_match *best)
{
    memset(best, 0, sizeof *best);

    /* One cursor per member at its newest cluster before yesterday. */
    size_t h = 0;
    for (size_t i = 0; i < m; i++) {
        const dt_dca_postings *p = dt_dca_index_find(idx, member_ips[i]);
        uint32_t at = p ? p->n : 0;
        while (at > 0 && idx->clusters[p->refs[at - 1]].day >= before_day)
            at--;
        if (at > 0)
            heap[h++] = (dt_dca_cursor){p->refs, at - 1};
    }
    for (size_t i = h / 2; i-- > 0;)
        sift_down(heap, h, i);

    /* Walk the members' postings newest first, one day at a time: the rule wants the most
     * recent day with a match, so the walk stops there, and a cluster that pauses for a
     * few days costs a few days of postings however long the history is. */
    size_t n_touched = 0;
    int32_t day = INT32_MAX;
    while (h > 0) {
        uint32_t ref = top_ref(&heap[0]);
        int32_t d = idx->clusters[ref].day;
        if (d != day) {
            if (settle_day(idx, tau0, counts, touched, &n_touched, best) || d < min_day)
                return;
            day = d;
        }
        if (counts[ref]++ == 0)
            touched[n_touched++] = ref;
        best->postings++;
        if (heap[0].at == 0)
            heap[0] = heap[--h];
        else
            heap[0].at--;
        sift_down(heap, h, 0);
    }
    settle_day(idx, tau0, counts, touched, &n_touched, best);
}

static int postings_cmp(const void *a, const void *b)
{
    const dt_dca_postings *x = *(const dt_dca_postings *const *)a;
    const dt_dca_postings *y = *(const dt_dca_postings *const *)b;
    return (x->ip > y->ip) - (x->ip < y->ip);
}

dt_status dt_dca_index_digest(const dt_dca_index *idx, uint64_t *h)
{
    *h = dt_dca_mix(*h, idx->n_clusters);
    for (size_t i = 0; i < idx->n_clusters; i++) {
        const dt_dca_past_cluster *c = &idx->clusters[i];
        *h = dt_dca_mix(*h, (uint64_t)(uint32_t)c->day << 32 | (uint32_t)c->id);
        *h = dt_dca_mix(*h, c->size);
    }

    /* Slot order depends on insertion history; address order does not. */
    const dt_dca_postings **lists = NULL;
    DT_CHECK(dt_malloc(&lists, idx->used, sizeof *lists, "the index digest"));
    size_t k = 0;
    for (size_t i = 0; i < idx->cap; i++)
        if (idx->slots[i].refs && idx->slots[i].n > 0)
            lists[k++] = &idx->slots[i];
    qsort(lists, k, sizeof *lists, postings_cmp);

    *h = dt_dca_mix(*h, k);
    for (size_t i = 0; i < k; i++) {
        *h = dt_dca_mix(*h, (uint64_t)lists[i]->ip << 32 | lists[i]->n);
        for (uint32_t r = 0; r < lists[i]->n; r++)
            *h = dt_dca_mix(*h, lists[i]->refs[r]);
    }
    free(lists);
    return DT_OK;
}

void dt_dca_index_free(dt_dca_index *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->cap; i++)
        free(idx->slots[i].refs);
    free(idx->slots);
    free(idx->clusters);
    memset(idx, 0, sizeof *idx);
}
