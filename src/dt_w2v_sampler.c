/* Vose's alias method (Vose 1991) for the negative-sampling distribution. */
#include "dt_w2v_sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double two32 = 4294967296.0;

void dt_w2v_sampler_free(dt_w2v_sampler *s)
{
    free(s->threshold);
    free(s->alias);
    memset(s, 0, sizeof *s);
}

/* Splits the scaled weights (mean 1) into the small (< 1) and large (>= 1) work lists. */
static void split_lists(const double *scaled, size_t n, uint32_t *small, size_t *n_small,
                        uint32_t *large, size_t *n_large)
{
    *n_small = 0;
    *n_large = 0;
    for (size_t i = 0; i < n; i++) {
        if (scaled[i] < 1.0)
            small[(*n_small)++] = (uint32_t)i;
        else
            large[(*n_large)++] = (uint32_t)i;
    }
}

/* Pairs each small bucket with a large word that tops it up to probability 1. */
static void pair_buckets(dt_w2v_sampler *s, double *scaled, uint32_t *small, size_t n_small,
                         uint32_t *large, size_t n_large, uint32_t fallback)
{
    while (n_small > 0 && n_large > 0) {
        uint32_t lo = small[--n_small];
        uint32_t hi = large[n_large - 1];
        s->threshold[lo] = (uint64_t)(scaled[lo] * two32);
        s->alias[lo] = hi;
        scaled[hi] -= 1.0 - scaled[lo];
        if (scaled[hi] < 1.0) {
            n_large--;
            small[n_small++] = hi;
        }
    }

    /* What is left has probability 1 up to rounding; a word of weight 0 left over by
     * rounding must still never be drawn, so it hands its bucket to a word that may. */
    while (n_large > 0) {
        uint32_t i = large[--n_large];
        s->threshold[i] = (uint64_t)two32;
        s->alias[i] = i;
    }
    while (n_small > 0) {
        uint32_t i = small[--n_small];
        s->threshold[i] = scaled[i] > 0 ? (uint64_t)two32 : 0;
        s->alias[i] = scaled[i] > 0 ? i : fallback;
    }
}

dt_status dt_w2v_sampler_build(dt_w2v_sampler *s, const uint64_t *counts, size_t n, double power)
{
    memset(s, 0, sizeof *s);
    if (n >= UINT32_MAX)
        return dt_fail(DT_ERR_USAGE, "%zu words are too many for the negative sampler", n);

    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += pow((double)counts[i], power);
    if (n == 0 || total <= 0)
        return DT_OK;

    double *scaled = NULL;
    uint32_t *small = NULL, *large = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&scaled, n, sizeof *scaled, "sampler weights"));
    DT_CHECK_GOTO(st, dt_malloc(&small, n, sizeof *small, "sampler work list"));
    DT_CHECK_GOTO(st, dt_malloc(&large, n, sizeof *large, "sampler work list"));
    DT_CHECK_GOTO(st, dt_malloc(&s->threshold, n, sizeof *s->threshold, "sampler thresholds"));
    DT_CHECK_GOTO(st, dt_malloc(&s->alias, n, sizeof *s->alias, "sampler aliases"));
    s->n = n;

    uint32_t fallback = 0;
    for (size_t i = 0; i < n; i++) {
        scaled[i] = pow((double)counts[i], power) * (double)n / total;
        if (counts[i] > 0)
            fallback = (uint32_t)i;
    }
    size_t n_small, n_large;
    split_lists(scaled, n, small, &n_small, large, &n_large);
    pair_buckets(s, scaled, small, n_small, large, n_large, fallback);
out:
    free(scaled);
    free(small);
    free(large);
    if (st != DT_OK)
        dt_w2v_sampler_free(s);
    return st;
}
