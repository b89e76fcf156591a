/* The Word2Vec model state: rows keyed by IPv4 address, new senders, forgetting. */
#include "dt_w2v.h"
#include "dt_w2v_state.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_ALIGN = 64, ROW_FLOAT_MULTIPLE = 16 };

/* The largest row count the model accepts: rows are indexed by uint32_t. */
static const size_t max_rows = (size_t)UINT32_MAX - 1;

static float *alloc_rows(size_t rows, size_t stride)
{
    size_t bytes = (rows ? rows : 1) * stride * sizeof(float);
    bytes = (bytes + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    return aligned_alloc(ROW_ALIGN, bytes);
}

dt_status dt_w2v_model_new(const dt_params *p, dt_w2v_model **out)
{
    *out = NULL;
    DT_CHECK(dt_params_validate(p));

    dt_w2v_model *m = NULL;
    DT_CHECK(dt_calloc(&m, 1, sizeof *m, "the Word2Vec model"));
    m->dim = p->dim;
    m->window = p->window;
    m->negative = p->negative;
    m->epochs = p->epochs;
    m->warmup_days = p->warmup_days;
    m->warmup_epochs = p->warmup_epochs;
    m->forget_after = p->forget_after;
    m->sync_words = p->sync_words;
    m->alpha = p->alpha;
    m->seed = p->seed;
    m->stride = ((size_t)p->dim + ROW_FLOAT_MULTIPLE - 1) / ROW_FLOAT_MULTIPLE * ROW_FLOAT_MULTIPLE;
    m->day = INT32_MIN;
    m->kernel = DT_W2V_KERNEL_BLAS;
    *out = m;
    return DT_OK;
}

void dt_w2v_model_free(dt_w2v_model *m)
{
    if (!m)
        return;
    free(m->ip);
    free(m->last_seen);
    free(m->count);
    free(m->in);
    free(m->out);
    free(m->slots);
    free(m);
}

static size_t slot_of(uint32_t ip, size_t n_slots)
{
    return (size_t)dt_mix64(ip) & (n_slots - 1);
}

int64_t dt_w2v_find(const dt_w2v_model *m, uint32_t ip)
{
    if (m->n_slots == 0)
        return -1;
    for (size_t s = slot_of(ip, m->n_slots);; s = (s + 1) & (m->n_slots - 1)) {
        uint32_t entry = m->slots[s];
        if (entry == 0)
            return -1;
        if (m->ip[entry - 1] == ip)
            return (int64_t)entry - 1;
    }
}

/* Refills the address map from the rows; the map must already be big enough. */
static void rebuild_map(dt_w2v_model *m)
{
    memset(m->slots, 0, m->n_slots * sizeof *m->slots);
    for (size_t r = 0; r < m->n_rows; r++) {
        size_t s = slot_of(m->ip[r], m->n_slots);
        while (m->slots[s] != 0)
            s = (s + 1) & (m->n_slots - 1);
        m->slots[s] = (uint32_t)(r + 1);
    }
}

/* Grows the address map so that rows rows keep it at most half full. */
static dt_status reserve_map(dt_w2v_model *m, size_t rows)
{
    size_t want = 16;
    while (want < 2 * rows + 2)
        want *= 2;
    if (want <= m->n_slots)
        return DT_OK;

    uint32_t *slots = NULL;
    DT_CHECK(dt_malloc(&slots, want, sizeof *slots, "the sender address map"));
    free(m->slots);
    m->slots = slots;
    m->n_slots = want;
    rebuild_map(m);
    return DT_OK;
}

/* Grows every per-row array to hold at least rows rows; the contents are kept. */
static dt_status reserve_rows(dt_w2v_model *m, size_t rows)
{
    if (rows <= m->cap_rows)
        return DT_OK;
    if (rows > max_rows)
        return dt_fail(DT_ERR_USAGE, "the model would hold %zu senders; at most %zu fit", rows,
                       max_rows);

    size_t cap = m->cap_rows ? m->cap_rows : 1024;
    while (cap < rows)
        cap = cap > max_rows / 2 ? max_rows : cap * 2;
    /* Growing the small arrays beyond cap_rows is harmless if a later step fails. */
    DT_CHECK(dt_realloc(&m->ip, cap, sizeof *m->ip, "sender addresses"));
    DT_CHECK(dt_realloc(&m->last_seen, cap, sizeof *m->last_seen, "sender last-seen days"));
    DT_CHECK(dt_realloc(&m->count, cap, sizeof *m->count, "sender word counts"));
    float *in = alloc_rows(cap, m->stride);
    float *out = alloc_rows(cap, m->stride);
    if (!in || !out) {
        free(in);
        free(out);
        return dt_fail(DT_ERR_NOMEM, "out of memory growing the model to %zu senders", cap);
    }

    if (m->n_rows > 0) {
        memcpy(in, m->in, m->n_rows * m->stride * sizeof(float));
        memcpy(out, m->out, m->n_rows * m->stride * sizeof(float));
    }
    free(m->in);
    free(m->out);
    m->in = in;
    m->out = out;
    m->cap_rows = cap;
    return DT_OK;
}

/* Drops rows last seen more than forget_after days before day, keeping the order. */
static void forget_stale(dt_w2v_model *m, int32_t day)
{
    int64_t oldest_kept = (int64_t)day - m->forget_after;
    size_t kept = 0;
    for (size_t r = 0; r < m->n_rows; r++) {
        if (m->last_seen[r] < oldest_kept)
            continue;
        if (kept != r) {
            m->ip[kept] = m->ip[r];
            m->last_seen[kept] = m->last_seen[r];
            m->count[kept] = m->count[r];
            memcpy(dt_w2v_in_row(m, kept), dt_w2v_in_row(m, r), m->stride * sizeof(float));
            memcpy(dt_w2v_out_row(m, kept), dt_w2v_out_row(m, r), m->stride * sizeof(float));
        }
        kept++;
    }
    m->n_rows = kept;
}

/* Appends a sender with its seeded vectors: they depend on (seed, ip) only, never on the
 * rank count or the order senders arrive in. */
static void append_sender(dt_w2v_model *m, uint32_t ip, int32_t day)
{
    size_t r = m->n_rows++;
    m->ip[r] = ip;
    m->last_seen[r] = day;
    m->count[r] = 0;

    dt_rng rng;
    dt_rng_init(&rng, m->seed, 0, DT_RNG_W2V_INIT, ip);
    float *in = dt_w2v_in_row(m, r);
    for (int k = 0; k < m->dim; k++)
        in[k] = (float)((dt_rng_uniform(&rng) - 0.5) / m->dim);
    memset(in + m->dim, 0, (m->stride - (size_t)m->dim) * sizeof(float));
    memset(dt_w2v_out_row(m, r), 0, m->stride * sizeof(float));
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Fails when an address is listed twice; counts the addresses the model lacks. */
static dt_status check_active(const dt_w2v_model *m, const uint32_t *active_ip, size_t n,
                              size_t *n_new)
{
    uint32_t *sorted = NULL;
    DT_CHECK(dt_malloc(&sorted, n, sizeof *sorted, "sorted active senders"));
    if (n > 0)
        memcpy(sorted, active_ip, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_u32);

    dt_status st = DT_OK;
    for (size_t i = 1; i < n && st == DT_OK; i++)
        if (sorted[i] == sorted[i - 1])
            st = dt_fail(DT_ERR_USAGE, "active sender %u.%u.%u.%u is listed twice", sorted[i] >> 24,
                         (sorted[i] >> 16) & 255, (sorted[i] >> 8) & 255, sorted[i] & 255);
    free(sorted);

    *n_new = 0;
    for (size_t i = 0; i < n && st == DT_OK; i++)
        *n_new += dt_w2v_find(m, active_ip[i]) < 0;
    return st;
}

/* Marks the day's known senders seen, forgets stale ones, appends the new ones. */
static void update_rows(dt_w2v_model *m, int32_t day, const uint32_t *active_ip,
                        const uint64_t *counts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t r = dt_w2v_find(m, active_ip[i]);
        if (r >= 0)
            m->last_seen[r] = day;
    }
    forget_stale(m, day);
    rebuild_map(m);

    for (size_t i = 0; i < n; i++)
        if (dt_w2v_find(m, active_ip[i]) < 0)
            append_sender(m, active_ip[i], day);
    rebuild_map(m);

    for (size_t i = 0; i < n; i++)
        m->count[dt_w2v_find(m, active_ip[i])] += counts[i];
}

dt_status dt_w2v_begin_day(dt_w2v_model *m, int32_t day, const uint32_t *active_ip,
                           const uint64_t *counts, size_t n, dt_w2v_day *d)
{
    memset(d, 0, sizeof *d);
    if (m->day != INT32_MIN && day <= m->day)
        return dt_fail(DT_ERR_USAGE, "day %d does not follow the model's last day %d", (int)day,
                       (int)m->day);

    size_t n_new = 0;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, check_active(m, active_ip, n, &n_new));
    DT_CHECK_GOTO(st, reserve_rows(m, m->n_rows + n_new));
    DT_CHECK_GOTO(st, reserve_map(m, m->n_rows + n_new));
    DT_CHECK_GOTO(st, dt_malloc(&d->row, n, sizeof *d->row, "the day's row map"));
    DT_CHECK_GOTO(st, dt_w2v_sampler_build(&d->sampler, counts, n, 0.75));

    /* Everything that may fail is done: from here on the model changes. */
    update_rows(m, day, active_ip, counts, n);

    for (size_t i = 0; i < n; i++)
        d->row[i] = (uint32_t)dt_w2v_find(m, active_ip[i]);
    d->day = day;
    d->n = n;
    d->epochs = m->days_trained < m->warmup_days ? m->warmup_epochs : m->epochs;
    m->day = day;
    m->days_trained++;
out:
    if (st != DT_OK)
        dt_w2v_day_free(d);
    return st;
}

void dt_w2v_day_free(dt_w2v_day *d)
{
    free(d->row);
    dt_w2v_sampler_free(&d->sampler);
    memset(d, 0, sizeof *d);
}

dt_status dt_w2v_count_words(const uint32_t *words, size_t n_words, size_t n_active,
                             uint64_t *counts)
{
    memset(counts, 0, n_active * sizeof *counts);
    for (size_t i = 0; i < n_words; i++) {
        if (words[i] >= n_active)
            return dt_fail(DT_ERR_FORMAT, "corpus word %zu is %u, but the day has %zu senders", i,
                           words[i], n_active);
        counts[words[i]]++;
    }
    return DT_OK;
}

void dt_w2v_day_vectors(const dt_w2v_model *m, const dt_w2v_day *d, float *out)
{
    for (size_t i = 0; i < d->n; i++)
        memcpy(out + i * (size_t)m->dim, dt_w2v_in_row(m, d->row[i]),
               (size_t)m->dim * sizeof(float));
}

dt_status dt_w2v_model_set_rows(dt_w2v_model *m, size_t rows)
{
    DT_CHECK(reserve_rows(m, rows));
    DT_CHECK(reserve_map(m, rows));
    m->n_rows = rows;
    return DT_OK;
}

dt_status dt_w2v_model_reindex(dt_w2v_model *m)
{
    rebuild_map(m);
    for (size_t r = 0; r < m->n_rows; r++)
        if (dt_w2v_find(m, m->ip[r]) != (int64_t)r)
            return dt_fail(DT_ERR_FORMAT, "sender %u.%u.%u.%u is in the model twice",
                           m->ip[r] >> 24, (m->ip[r] >> 16) & 255, (m->ip[r] >> 8) & 255,
                           m->ip[r] & 255);
    return DT_OK;
}
