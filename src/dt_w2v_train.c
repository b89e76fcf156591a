/* The skip-gram training loop over sentences, shared by the serial and MPI trainers. */
#include "dt_w2v.h"
#include "dt_w2v_kernel.h"

#include <stdlib.h>

/* word2vec.c's floor on the decaying learning rate, as a share of the start. */
static const double alpha_floor = 1e-4;

typedef struct {
    dt_w2v_model *m;
    const dt_w2v_day *d;
    dt_rng *rng;
    dt_w2v_work work;
    uint32_t *ctx; /* context rows of the current window */
    uint32_t *tgt; /* the centre row and its negatives */
    size_t n_tgt;
} trainer;

void dt_w2v_train_rng(const dt_w2v_model *m, int32_t day, int rank, dt_rng *rng)
{
    dt_rng_init(rng, m->seed, day, DT_RNG_W2V_TRAIN, (uint64_t)rank);
}

/* Fills tr->tgt[1..] with negatives drawn from the day's unigram^0.75 distribution. */
static void draw_negatives(trainer *tr)
{
    for (size_t k = 1; k < tr->n_tgt; k++)
        tr->tgt[k] = tr->d->row[dt_w2v_sampler_draw(&tr->d->sampler, dt_rng_next(tr->rng))];
}

/* Trains centre word i of a sentence: every word within `window` positions predicts the
 * centre. The window is fixed, not shrunk at random per centre word as word2vec.c and
 * gensim do by default: on planted groups the fixed window separates groups far better
 * after one epoch (docs/word2vec.md, "Window"). */
static void train_centre(trainer *tr, const uint32_t *words, size_t len, size_t i, float alpha)
{
    const dt_w2v_model *m = tr->m;
    size_t b = (size_t)m->window;
    size_t lo = i >= b ? i - b : 0;
    size_t hi = i + b < len ? i + b : len - 1;
    size_t n_ctx = 0;
    for (size_t j = lo; j <= hi; j++)
        if (j != i)
            tr->ctx[n_ctx++] = tr->d->row[words[j]];
    if (n_ctx == 0)
        return;

    tr->tgt[0] = tr->d->row[words[i]];
    switch (m->kernel) {
    case DT_W2V_KERNEL_PAIR:
        for (size_t c = 0; c < n_ctx; c++) {
            draw_negatives(tr);
            dt_w2v_pair(tr->m, &tr->work, tr->ctx[c], tr->tgt, tr->n_tgt, alpha);
        }
        return;
    case DT_W2V_KERNEL_BLAS:
        draw_negatives(tr);
        dt_w2v_window_blas(tr->m, &tr->work, tr->ctx, n_ctx, tr->tgt, tr->n_tgt, alpha);
        return;
    }
}

static dt_status trainer_init(trainer *tr, dt_w2v_model *m, const dt_w2v_day *d, dt_rng *rng)
{
    tr->m = m;
    tr->d = d;
    tr->rng = rng;
    tr->n_tgt = (size_t)m->negative + 1;
    size_t max_ctx = 2 * (size_t)m->window;
    tr->ctx = NULL;
    tr->tgt = NULL;
    DT_CHECK(dt_w2v_work_new(&tr->work, max_ctx, tr->n_tgt, m->stride));
    dt_status st = dt_malloc(&tr->ctx, max_ctx, sizeof *tr->ctx, "context rows");
    if (st == DT_OK)
        st = dt_malloc(&tr->tgt, tr->n_tgt, sizeof *tr->tgt, "target rows");
    return st;
}

static void trainer_free(trainer *tr)
{
    dt_w2v_work_free(&tr->work);
    free(tr->ctx);
    free(tr->tgt);
}

static float learning_rate(double start, size_t done, size_t total)
{
    double rate = start * (1.0 - (double)done / ((double)total + 1.0));
    return (float)(rate > start * alpha_floor ? rate : start * alpha_floor);
}

dt_status dt_w2v_train_text(dt_w2v_model *m, const dt_w2v_day *d, const dt_w2v_text *t, dt_rng *rng,
                            const dt_w2v_sync *sync)
{
    size_t n_words = t->n_sentences ? t->start[t->n_sentences] - t->start[0] : 0;
    size_t total = n_words * (size_t)d->epochs;
    if (total == 0 || d->sampler.n == 0)
        return DT_OK;

    trainer tr;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, trainer_init(&tr, m, d, rng));

    size_t done = 0;
    for (int epoch = 0; epoch < d->epochs; epoch++) {
        for (size_t s = 0; s < t->n_sentences; s++) {
            const uint32_t *words = t->words + t->start[s];
            size_t len = t->start[s + 1] - t->start[s];
            for (size_t i = 0; i < len; i++) {
                train_centre(&tr, words, len, i, learning_rate(m->alpha, done, total));
                done++;
                if (sync && done % sync->every_words == 0)
                    DT_CHECK_GOTO(st, sync->fn(sync->arg));
            }
        }
    }
out:
    trainer_free(&tr);
    return st;
}

dt_status dt_w2v_check_corpus(const dt_day *day)
{
    if (day->n_sentences == 0)
        return DT_OK;
    const size_t *start = day->sentence_start;
    if (start[0] != 0)
        return dt_fail(DT_ERR_FORMAT, "day %d: the first sentence starts at word %zu", day->day,
                       start[0]);
    for (size_t s = 0; s < day->n_sentences; s++)
        if (start[s + 1] < start[s] || start[s + 1] > day->n_words)
            return dt_fail(DT_ERR_FORMAT, "day %d: sentence %zu spans words %zu to %zu of %zu",
                           day->day, s, start[s], start[s + 1], day->n_words);
    for (size_t i = 0; i < start[day->n_sentences]; i++)
        if (day->words[i] >= day->n_active)
            return dt_fail(DT_ERR_FORMAT,
                           "day %d: corpus word %zu is %u, but the day has %u senders", day->day, i,
                           day->words[i], day->n_active);
    return DT_OK;
}

dt_status dt_w2v_train_day(dt_w2v_model *m, const dt_w2v_day *d, const dt_day *corpus)
{
    if (corpus->n_active != d->n)
        return dt_fail(DT_ERR_INTERNAL, "day %d has %u senders but its row map %zu",
                       (int)corpus->day, corpus->n_active, d->n);
    DT_CHECK(dt_w2v_check_corpus(corpus));

    dt_rng rng;
    dt_w2v_train_rng(m, d->day, 0, &rng);
    dt_w2v_text text = {corpus->n_sentences, corpus->sentence_start, corpus->words};
    return dt_w2v_train_text(m, d, &text, &rng, NULL);
}
