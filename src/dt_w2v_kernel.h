/* The Word2Vec update kernels: one context window at a time, or one pair at a time. */
#ifndef DT_W2V_KERNEL_H
#define DT_W2V_KERNEL_H

#include "dt_w2v.h"

#include <stddef.h>
#include <stdint.h>

/* Scratch space for the kernels, sized for at most max_ctx context words and max_tgt
 * targets (the centre word and its negatives). */
typedef struct {
    size_t max_ctx;
    size_t max_tgt;
    size_t stride;
    float *ctx;   /* max_ctx x stride: gathered input rows */
    float *tgt;   /* max_tgt x stride: gathered output rows */
    float *grad;  /* max_ctx x max_tgt: scores, then gradients times alpha */
    float *d_ctx; /* max_ctx x stride: input updates */
    float *d_tgt; /* max_tgt x stride: output updates */
    float *neu1e; /* stride: accumulated input update (pair kernel) */
} dt_w2v_work;

dt_status dt_w2v_work_new(dt_w2v_work *w, size_t max_ctx, size_t max_tgt, size_t stride);
void dt_w2v_work_free(dt_w2v_work *w);

/*
 * One skip-gram window with shared negatives (pWord2Vec's formulation): the input rows
 * ctx[0..n_ctx) each predict the output rows tgt[0..n_tgt), where tgt[0] is the centre
 * word (label 1) and the rest are negatives (label 0; a negative equal to tgt[0] is
 * skipped, as in word2vec.c). The rows are gathered, one SGEMM gives every score, two more
 * give the updates, and the updates are added back, so a row that appears twice gets both.
 * All scores use the rows as they were before the window. Needs n_ctx <= max_ctx and
 * n_tgt <= max_tgt.
 */
void dt_w2v_window_blas(dt_w2v_model *m, dt_w2v_work *w, const uint32_t *ctx, size_t n_ctx,
                        const uint32_t *tgt, size_t n_tgt, float alpha);

/* word2vec.c's update of one (context, centre) pair: tgt[0] is the centre word, the rest
 * negatives; each output row is updated before the next is scored. */
void dt_w2v_pair(dt_w2v_model *m, dt_w2v_work *w, uint32_t ctx, const uint32_t *tgt, size_t n_tgt,
                 float alpha);

#endif
