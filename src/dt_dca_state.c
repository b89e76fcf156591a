/* The DCA state: yesterday's partition, the past-cluster index and the id counter. */
#include "dt_dca_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dt_dca_options dt_dca_default_options(void)
{
    return (dt_dca_options){.tau0 = 0.65, .tau1 = 0.3, .horizon_days = 0};
}

dt_status dt_dca_state_create(dt_dca_state **out, const dt_dca_options *opt)
{
    *out = NULL;
    if (!(opt->tau0 > 0 && opt->tau0 <= 1))
        return dt_fail(DT_ERR_USAGE, "DCA: tau0 must lie in (0, 1], got %g", opt->tau0);
    if (!(opt->tau1 > 0 && opt->tau1 <= opt->tau0))
        return dt_fail(DT_ERR_USAGE, "DCA: tau1 must lie in (0, tau0], got %g", opt->tau1);
    if (opt->horizon_days < 0)
        return dt_fail(DT_ERR_USAGE, "DCA: the horizon must be 0 (every day) or positive, got %d",
                       (int)opt->horizon_days);

    dt_dca_state *s = NULL;
    DT_CHECK(dt_calloc(&s, 1, sizeof *s, "the DCA state"));
    s->opt = *opt;
    s->last_day = INT32_MIN;
    *out = s;
    return DT_OK;
}

void dt_dca_state_free(dt_dca_state *s)
{
    if (!s)
        return;
    free(s->prev_ip);
    free(s->prev_id);
    dt_dca_index_free(&s->index);
    free(s);
}

int dt_dca_state_has_days(const dt_dca_state *s)
{
    return s->has_days;
}

int32_t dt_dca_state_last_day(const dt_dca_state *s)
{
    return s->last_day;
}

int32_t dt_dca_state_next_id(const dt_dca_state *s)
{
    return s->next_id;
}

dt_dca_options dt_dca_state_options(const dt_dca_state *s)
{
    return s->opt;
}

typedef struct {
    uint32_t ip;
    int32_t id;
} sender;

static int sender_cmp(const void *a, const void *b)
{
    const sender *x = a, *y = b;
    return (x->ip > y->ip) - (x->ip < y->ip);
}

/* Checks one day's rows and returns them sorted by address in *out (caller frees). */
static dt_status sorted_day(int32_t day, const uint32_t *ips, const int32_t *ids, size_t n,
                            sender **out)
{
    sender *v = NULL;
    DT_CHECK(dt_malloc(&v, n, sizeof *v, "the day's senders"));
    for (size_t i = 0; i < n; i++) {
        if (ids[i] < -1 || ids[i] == INT32_MAX) {
            free(v);
            return dt_fail(DT_ERR_FORMAT,
                           "DCA, day %d: sender %zu has cluster id %d (expected -1 "
                           "for noise or an id in 0..2147483646)",
                           (int)day, i, (int)ids[i]);
        }
        v[i] = (sender){ips[i], ids[i]};
    }
    qsort(v, n, sizeof *v, sender_cmp);

    for (size_t i = 1; i < n; i++) {
        if (v[i].ip == v[i - 1].ip) {
            uint32_t a = v[i].ip;
            free(v);
            return dt_fail(DT_ERR_FORMAT, "DCA, day %d: sender %u.%u.%u.%u appears twice", (int)day,
                           a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
        }
    }
    *out = v;
    return DT_OK;
}

dt_status dt_dca_state_add_day(dt_dca_state *s, int32_t day, const uint32_t *ips,
                               const int32_t *ids, size_t n)
{
    if (s->has_days && day <= s->last_day)
        return dt_fail(DT_ERR_FORMAT, "DCA: day %d committed after day %d (days must increase)",
                       (int)day, (int)s->last_day);

    dt_status st = DT_OK;
    sender *v = NULL;
    uint32_t *new_ip = NULL;
    int32_t *new_id = NULL;
    DT_CHECK_GOTO(st, sorted_day(day, ips, ids, n, &v));
    DT_CHECK_GOTO(st, dt_malloc(&new_ip, n, sizeof *new_ip, "yesterday's senders"));
    DT_CHECK_GOTO(st, dt_malloc(&new_id, n, sizeof *new_id, "yesterday's cluster ids"));
    int32_t max_id = -1;
    for (size_t i = 0; i < n; i++) {
        new_ip[i] = v[i].ip;
        new_id[i] = v[i].id;
        max_id = v[i].id > max_id ? v[i].id : max_id;
    }

    DT_CHECK_GOTO(st, dt_dca_index_add_day(&s->index, day, new_ip, new_id, n));
    if (s->opt.horizon_days > 0)
        DT_CHECK_GOTO(st, dt_dca_index_prune(&s->index, day - s->opt.horizon_days));

    /* The counter is derived from the ids themselves, so replaying a history rebuilds it:
     * fresh ids are handed out from it in order and each appears in its day. */
    if (max_id >= s->next_id)
        s->next_id = max_id + 1;
    free(s->prev_ip);
    free(s->prev_id);
    s->prev_ip = new_ip;
    s->prev_id = new_id;
    new_ip = NULL;
    new_id = NULL;
    s->n_prev = n;
    s->last_day = day;
    s->has_days = 1;

out:
    free(v);
    free(new_ip);
    free(new_id);
    return st;
}

dt_status dt_dca_state_replay(dt_dca_state *s, size_t n_days, const int32_t *days,
                              const int32_t *counts, const uint32_t *ips, const int32_t *ids,
                              size_t n_rows, const char *where)
{
    size_t first = 0;
    for (size_t d = 0; d < n_days; d++) {
        if (counts[d] < 0 || (size_t)counts[d] > n_rows - first)
            return dt_fail(DT_ERR_FORMAT, "%s: day %d claims %d senders, %zu rows are left", where,
                           (int)days[d], (int)counts[d], n_rows - first);
        dt_status st =
            dt_dca_state_add_day(s, days[d], ips + first, ids + first, (size_t)counts[d]);
        if (st == DT_ERR_FORMAT) {
            char why[512];
            snprintf(why, sizeof why, "%s", dt_error_message());
            return dt_fail(DT_ERR_FORMAT, "%s: %s", where, why);
        }
        DT_CHECK(st);
        first += (size_t)counts[d];
    }
    if (first != n_rows)
        return dt_fail(DT_ERR_FORMAT, "%s: the day counts add up to %zu senders, the rows are %zu",
                       where, first, n_rows);
    return DT_OK;
}

dt_status dt_dca_commit(dt_dca_state *s, int32_t day, const uint32_t *ips, const dt_dca_result *r)
{
    DT_CHECK(dt_dca_state_add_day(s, day, ips, r->sender_id, r->n_senders));
    return DT_OK;
}

static uint64_t double_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

uint64_t dt_dca_state_digest(const dt_dca_state *s)
{
    uint64_t h = 0x6474646361ull; /* "dtdca" */
    h = dt_dca_mix(h, double_bits(s->opt.tau0));
    h = dt_dca_mix(h, double_bits(s->opt.tau1));
    h = dt_dca_mix(h, (uint32_t)s->opt.horizon_days);
    h = dt_dca_mix(h, (uint64_t)s->has_days << 32 | (uint32_t)s->last_day);
    h = dt_dca_mix(h, (uint32_t)s->next_id);
    h = dt_dca_mix(h, s->n_prev);
    for (size_t i = 0; i < s->n_prev; i++)
        h = dt_dca_mix(h, (uint64_t)s->prev_ip[i] << 32 | (uint32_t)s->prev_id[i]);
    if (dt_dca_index_digest(&s->index, &h) != DT_OK)
        return 0; /* out of memory: a digest that matches no real state */
    return h;
}
