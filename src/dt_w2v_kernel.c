/* Skip-gram negative-sampling updates: batched per window through SGEMM, and per pair.
 * Rows are 64-byte aligned and padded with zeros to a multiple of 16 floats, so the
 * hand-written pair loops run over whole 16-float vectors. */
#include "dt_w2v_kernel.h"

#include <cblas.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The vector helpers below are always inlined, so no vector ever crosses a call and the
 * ABI note GCC gives for vector arguments does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* 16 floats: one AVX-512 register, two AVX2 or four SSE registers, as the clone chooses. */
typedef float v16 __attribute__((vector_size(64)));

/* Each hot loop is compiled for AVX-512, AVX2 and the baseline; the loader picks the best
 * the machine has. The results then depend on the machine, never on the run. */
#define DT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

/* The small helpers are inlined into every clone, taking on its instruction set. */
#define DT_INLINE static inline __attribute__((always_inline))

enum { VLEN = 16 };

DT_INLINE v16 load16(const float *p)
{
    v16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

DT_INLINE void store16(float *p, v16 v)
{
    memcpy(p, &v, sizeof v);
}

/* The lanes added as a tree: log2(16) vector steps instead of 15 dependent scalar adds. */
typedef float v8 __attribute__((vector_size(32)));
typedef float v4 __attribute__((vector_size(16)));

DT_INLINE float sum16(v16 v)
{
    v8 lo8, hi8;
    memcpy(&lo8, &v, sizeof lo8);
    memcpy(&hi8, (const char *)&v + sizeof lo8, sizeof hi8);
    v8 s8 = lo8 + hi8;
    v4 lo4, hi4;
    memcpy(&lo4, &s8, sizeof lo4);
    memcpy(&hi4, (const char *)&s8 + sizeof lo4, sizeof hi4);
    v4 s4 = lo4 + hi4;
    return (s4[0] + s4[2]) + (s4[1] + s4[3]);
}

DT_INLINE float dot_rows(const float *a, const float *b, size_t stride)
{
    v16 acc = {0};
    for (size_t k = 0; k < stride; k += VLEN)
        acc += load16(a + k) * load16(b + k);
    return sum16(acc);
}

/* y += g * x over a whole row. */
DT_INLINE void axpy_row(float *y, float g, const float *x, size_t stride)
{
    for (size_t k = 0; k < stride; k += VLEN)
        store16(y + k, load16(y + k) + g * load16(x + k));
}

DT_INLINE float sigmoid(float x)
{
    return 1.0f / (1.0f + expf(-x));
}

static void free_work_buffers(dt_w2v_work *w)
{
    free(w->ctx);
    free(w->tgt);
    free(w->grad);
    free(w->d_ctx);
    free(w->d_tgt);
    free(w->neu1e);
}

dt_status dt_w2v_work_new(dt_w2v_work *w, size_t max_ctx, size_t max_tgt, size_t stride)
{
    memset(w, 0, sizeof *w);
    w->max_ctx = max_ctx;
    w->max_tgt = max_tgt;
    w->stride = stride;
    size_t row_bytes = stride * sizeof(float);
    w->ctx = aligned_alloc(64, max_ctx * row_bytes);
    w->tgt = aligned_alloc(64, max_tgt * row_bytes);
    w->d_ctx = aligned_alloc(64, max_ctx * row_bytes);
    w->d_tgt = aligned_alloc(64, max_tgt * row_bytes);
    w->neu1e = aligned_alloc(64, row_bytes);
    w->grad = malloc(max_ctx * max_tgt * sizeof(float));
    if (!w->ctx || !w->tgt || !w->d_ctx || !w->d_tgt || !w->neu1e || !w->grad) {
        free_work_buffers(w);
        memset(w, 0, sizeof *w);
        return dt_fail(DT_ERR_NOMEM, "out of memory for the Word2Vec scratch space");
    }
    return DT_OK;
}

void dt_w2v_work_free(dt_w2v_work *w)
{
    free_work_buffers(w);
    memset(w, 0, sizeof *w);
}

/* Turns the scores grad (n_ctx x n_tgt) into gradients times alpha: the centre word has
 * label 1, negatives label 0, and a negative that hit the centre word does nothing. */
static void scores_to_gradients(float *grad, size_t n_ctx, const uint32_t *tgt, size_t n_tgt,
                                float alpha)
{
    for (size_t c = 0; c < n_ctx; c++) {
        float *g = grad + c * n_tgt;
        g[0] = (1.0f - sigmoid(g[0])) * alpha;
        for (size_t t = 1; t < n_tgt; t++)
            g[t] = tgt[t] == tgt[0] ? 0.0f : -sigmoid(g[t]) * alpha;
    }
}

void dt_w2v_window_blas(dt_w2v_model *m, dt_w2v_work *w, const uint32_t *ctx, size_t n_ctx,
                        const uint32_t *tgt, size_t n_tgt, float alpha)
{
    size_t stride = m->stride;
    int ldr = (int)stride, dim = m->dim, nc = (int)n_ctx, nt = (int)n_tgt;
    for (size_t c = 0; c < n_ctx; c++)
        memcpy(w->ctx + c * stride, dt_w2v_in_row(m, ctx[c]), stride * sizeof(float));
    for (size_t t = 0; t < n_tgt; t++)
        memcpy(w->tgt + t * stride, dt_w2v_out_row(m, tgt[t]), stride * sizeof(float));

    /* scores = ctx tgt^T; then d_ctx = grad tgt and d_tgt = grad^T ctx. */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nc, nt, dim, 1.0f, w->ctx, ldr, w->tgt,
                ldr, 0.0f, w->grad, nt);
    scores_to_gradients(w->grad, n_ctx, tgt, n_tgt, alpha);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nc, dim, nt, 1.0f, w->grad, nt, w->tgt,
                ldr, 0.0f, w->d_ctx, ldr);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nt, dim, nc, 1.0f, w->grad, nt, w->ctx,
                ldr, 0.0f, w->d_tgt, ldr);

    for (size_t c = 0; c < n_ctx; c++)
        cblas_saxpy(dim, 1.0f, w->d_ctx + c * stride, 1, dt_w2v_in_row(m, ctx[c]), 1);
    for (size_t t = 0; t < n_tgt; t++)
        cblas_saxpy(dim, 1.0f, w->d_tgt + t * stride, 1, dt_w2v_out_row(m, tgt[t]), 1);
}

DT_CLONES void dt_w2v_pair(dt_w2v_model *m, dt_w2v_work *w, uint32_t ctx, const uint32_t *tgt,
                           size_t n_tgt, float alpha)
{
    size_t stride = m->stride;
    float *in = dt_w2v_in_row(m, ctx);
    memset(w->neu1e, 0, stride * sizeof(float));
    for (size_t t = 0; t < n_tgt; t++) {
        if (t > 0 && tgt[t] == tgt[0])
            continue;
        float *out = dt_w2v_out_row(m, tgt[t]);
        float label = t == 0 ? 1.0f : 0.0f;
        float g = (label - sigmoid(dot_rows(in, out, stride))) * alpha;
        axpy_row(w->neu1e, g, out, stride);
        axpy_row(out, g, in, stride);
    }
    axpy_row(in, 1.0f, w->neu1e, stride);
}
