/* Walker's alias table: O(1) draws of words from the unigram distribution to a power. */
#ifndef DT_W2V_SAMPLER_H
#define DT_W2V_SAMPLER_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* Bucket b is chosen uniformly; it yields b when the low 32 bits of the draw fall below
 * threshold[b] (a probability scaled by 2^32) and alias[b] otherwise. */
typedef struct {
    size_t n;
    uint64_t *threshold;
    uint32_t *alias;
} dt_w2v_sampler;

/* Builds the table for weights counts[i]^power (Vose's method; deterministic for equal
 * input). Words with count 0 are never drawn. n must be below 2^32. When every count is
 * 0 the table is empty (n = 0) and must not be drawn from. Errors: DT_ERR_NOMEM. */
dt_status dt_w2v_sampler_build(dt_w2v_sampler *s, const uint64_t *counts, size_t n, double power);

void dt_w2v_sampler_free(dt_w2v_sampler *s);

/* One word for the 64 random bits r: the high half picks the bucket, the low half the
 * side. */
static inline uint32_t dt_w2v_sampler_draw(const dt_w2v_sampler *s, uint64_t r)
{
    uint64_t bucket = ((r >> 32) * (uint64_t)s->n) >> 32;
    return (r & 0xffffffffu) < s->threshold[bucket] ? (uint32_t)bucket : s->alias[bucket];
}

#endif
