/* Word2Vec core: sampler distribution, kernels against a double-precision reference,
 * model bookkeeping (new senders, forgetting), checkpoint round trip and refusal. */
#include "dt_params.h"
#include "dt_test.h"
#include "dt_w2v.h"
#include "dt_w2v_kernel.h"
#include "w2v_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static void test_sampler(void)
{
    uint64_t counts[6] = {0, 1, 10, 100, 1000, 0};
    dt_w2v_sampler s;
    CHECK(dt_w2v_sampler_build(&s, counts, 6, 0.75) == DT_OK);
    double total = 0, want[6];
    for (int i = 0; i < 6; i++)
        total += pow((double)counts[i], 0.75);
    for (int i = 0; i < 6; i++)
        want[i] = pow((double)counts[i], 0.75) / total;

    long got[6] = {0};
    dt_rng rng;
    dt_rng_init(&rng, 1, 0, DT_RNG_TEST, 0);
    enum { DRAWS = 1000000 };
    for (int i = 0; i < DRAWS; i++)
        got[dt_w2v_sampler_draw(&s, dt_rng_next(&rng))]++;
    CHECK_EQ_INT(got[0], 0);
    CHECK_EQ_INT(got[5], 0);
    for (int i = 1; i < 5; i++)
        CHECK_NEAR((double)got[i] / DRAWS, want[i], 0.002 + 0.01 * want[i]);
    dt_w2v_sampler_free(&s);

    uint64_t none[3] = {0, 0, 0};
    CHECK(dt_w2v_sampler_build(&s, none, 3, 0.75) == DT_OK);
    CHECK_EQ_INT(s.n, 0);
}

static dt_w2v_model *small_model(int dim, int window, uint64_t seed)
{
    dt_params p;
    dt_params_defaults(&p);
    p.dim = dim;
    p.window = window;
    p.seed = seed;
    p.forget_after = 3;
    p.warmup_days = 1;
    p.warmup_epochs = 3;
    dt_w2v_model *m = NULL;
    CHECK(dt_w2v_model_new(&p, &m) == DT_OK);
    return m;
}

/* Fills the first rows with random vectors, outputs included, so kernels see real values. */
static void randomise_rows(dt_w2v_model *m, size_t rows)
{
    uint32_t ips[16];
    uint64_t counts[16];
    for (size_t i = 0; i < rows; i++) {
        ips[i] = 100 + (uint32_t)i;
        counts[i] = 1;
    }
    dt_w2v_day d;
    CHECK(dt_w2v_begin_day(m, 1, ips, counts, rows, &d) == DT_OK);
    dt_w2v_day_free(&d);
    dt_rng rng;
    dt_rng_init(&rng, 3, 0, DT_RNG_TEST, 9);
    for (size_t r = 0; r < rows; r++)
        for (int k = 0; k < m->dim; k++) {
            dt_w2v_in_row(m, r)[k] = (float)(dt_rng_uniform(&rng) - 0.5);
            dt_w2v_out_row(m, r)[k] = (float)(dt_rng_uniform(&rng) - 0.5);
        }
}

/* The window update written out in double precision, straight from the definition. */
static void reference_window(const dt_w2v_model *m, const uint32_t *ctx, size_t n_ctx,
                             const uint32_t *tgt, size_t n_tgt, double alpha, double *in_new,
                             double *out_new)
{
    size_t dim = (size_t)m->dim;
    for (size_t r = 0; r < 16; r++)
        for (size_t k = 0; k < dim; k++) {
            in_new[r * dim + k] = dt_w2v_in_row(m, r)[k];
            out_new[r * dim + k] = dt_w2v_out_row(m, r)[k];
        }
    for (size_t c = 0; c < n_ctx; c++)
        for (size_t t = 0; t < n_tgt; t++) {
            if (t > 0 && tgt[t] == tgt[0])
                continue;
            const float *in = dt_w2v_in_row(m, ctx[c]), *out = dt_w2v_out_row(m, tgt[t]);
            double f = 0;
            for (size_t k = 0; k < dim; k++)
                f += (double)in[k] * (double)out[k];
            double g = ((t == 0 ? 1.0 : 0.0) - 1.0 / (1.0 + exp(-f))) * alpha;
            for (size_t k = 0; k < dim; k++) {
                in_new[ctx[c] * dim + k] += g * (double)out[k];
                out_new[tgt[t] * dim + k] += g * (double)in[k];
            }
        }
}

static void test_window_kernels(void)
{
    enum { ROWS = 16, DIM = 37 };
    const uint32_t ctx[] = {1, 2, 3, 2, 5, 6};
    const uint32_t tgt[] = {4, 7, 4, 9, 9, 11};
    double *in_ref = malloc(ROWS * DIM * sizeof(double));
    double *out_ref = malloc(ROWS * DIM * sizeof(double));

    {
        dt_w2v_model *m = small_model(DIM, 3, 1);
        randomise_rows(m, ROWS);
        reference_window(m, ctx, 6, tgt, 6, 0.5, in_ref, out_ref);
        dt_w2v_work w;
        CHECK(dt_w2v_work_new(&w, 6, 6, m->stride) == DT_OK);
        dt_w2v_window_blas(m, &w, ctx, 6, tgt, 6, 0.5f);

        double worst = 0;
        for (size_t r = 0; r < ROWS; r++)
            for (size_t k = 0; k < DIM; k++) {
                worst = fmax(worst, fabs((double)dt_w2v_in_row(m, r)[k] - in_ref[r * DIM + k]));
                worst = fmax(worst, fabs((double)dt_w2v_out_row(m, r)[k] - out_ref[r * DIM + k]));
            }
        CHECK(worst < 1e-5);
        CHECK(dt_w2v_in_row(m, 0)[DIM] == 0.0f); /* padding stays zero */
        dt_w2v_work_free(&w);
        dt_w2v_model_free(m);
    }
    free(in_ref);
    free(out_ref);
}

/* The pair kernel updates each output row before scoring the next target. */
static void test_pair_kernel(void)
{
    enum { DIM = 21 };
    dt_w2v_model *m = small_model(DIM, 3, 1);
    randomise_rows(m, 16);
    const uint32_t tgt[] = {4, 7, 7, 4};
    double in[DIM], out[16][DIM], neu1e[DIM] = {0};
    for (int k = 0; k < DIM; k++) {
        in[k] = dt_w2v_in_row(m, 2)[k];
        for (int r = 0; r < 16; r++)
            out[r][k] = dt_w2v_out_row(m, (size_t)r)[k];
    }
    for (int t = 0; t < 4; t++) {
        if (t > 0 && tgt[t] == tgt[0])
            continue;
        double f = 0;
        for (int k = 0; k < DIM; k++)
            f += in[k] * out[tgt[t]][k];
        double g = ((t == 0 ? 1.0 : 0.0) - 1.0 / (1.0 + exp(-f))) * 0.3;
        for (int k = 0; k < DIM; k++) {
            neu1e[k] += g * out[tgt[t]][k];
            out[tgt[t]][k] += g * in[k];
        }
    }

    dt_w2v_work w;
    CHECK(dt_w2v_work_new(&w, 1, 4, m->stride) == DT_OK);
    dt_w2v_pair(m, &w, 2, tgt, 4, 0.3f);
    double worst = 0;
    for (int k = 0; k < DIM; k++) {
        worst = fmax(worst, fabs((double)dt_w2v_in_row(m, 2)[k] - (in[k] + neu1e[k])));
        worst = fmax(worst, fabs((double)dt_w2v_out_row(m, 7)[k] - out[7][k]));
    }
    CHECK(worst < 1e-5);
    dt_w2v_work_free(&w);
    dt_w2v_model_free(m);
}

/* New senders get vectors from (seed, ip) only; stale ones leave; order is kept. */
static void test_model_rows(void)
{
    dt_w2v_model *a = small_model(8, 2, 5), *b = small_model(8, 2, 5);
    uint32_t day1[] = {10, 20, 30}, day1_rev[] = {30, 20, 10};
    uint64_t ones[] = {1, 1, 1};
    dt_w2v_day da, db;
    CHECK(dt_w2v_begin_day(a, 1, day1, ones, 3, &da) == DT_OK);
    CHECK(dt_w2v_begin_day(b, 1, day1_rev, ones, 3, &db) == DT_OK);
    CHECK_EQ_INT(da.epochs, 3); /* a warm-up day */
    for (int i = 0; i < 3; i++) {
        const float *va = dt_w2v_in_row(a, (size_t)dt_w2v_find(a, day1[i]));
        const float *vb = dt_w2v_in_row(b, (size_t)dt_w2v_find(b, day1[i]));
        CHECK(memcmp(va, vb, 8 * sizeof(float)) == 0);
        CHECK(fabsf(va[0]) <= 0.5f / 8 && dt_w2v_out_row(a, da.row[i])[0] == 0.0f);
    }
    dt_w2v_day_free(&da);
    dt_w2v_day_free(&db);

    /* forget_after = 3: 10 is last seen on day 1; on day 4 it has been unseen for two days
     * (2, 3) and stays; by day 5 it has been unseen for three and leaves. */
    uint32_t later[] = {20, 40};
    CHECK(dt_w2v_begin_day(a, 4, later, ones, 2, &da) == DT_OK);
    CHECK_EQ_INT(da.epochs, 1);
    CHECK(dt_w2v_find(a, 10) >= 0);
    dt_w2v_day_free(&da);
    CHECK(dt_w2v_begin_day(a, 5, later, ones, 2, &da) == DT_OK);
    CHECK(dt_w2v_find(a, 10) < 0 && dt_w2v_find(a, 30) < 0);
    CHECK_EQ_INT(a->n_rows, 2);
    CHECK_EQ_INT(a->ip[0], 20);
    CHECK_EQ_INT(a->ip[1], 40);
    dt_w2v_day_free(&da);

    CHECK(dt_w2v_begin_day(a, 5, later, ones, 2, &da) == DT_ERR_USAGE);
    uint32_t twice[] = {7, 7};
    CHECK(dt_w2v_begin_day(a, 7, twice, ones, 2, &da) == DT_ERR_USAGE);
    CHECK(strstr(dt_error_message(), "0.0.0.7") != NULL);
    CHECK_EQ_INT(a->n_rows, 2);
    dt_w2v_model_free(a);
    dt_w2v_model_free(b);
}

static void train_planted_day(dt_w2v_model *m, const w2v_planted *p, int32_t day)
{
    dt_day corpus;
    int32_t *labels = NULL;
    CHECK(w2v_planted_day(p, day, &corpus, &labels) == DT_OK);
    uint64_t *counts = calloc(corpus.n_active + 1, sizeof *counts);
    CHECK(dt_w2v_count_words(corpus.words, corpus.n_words, corpus.n_active, counts) == DT_OK);
    dt_w2v_day d;
    CHECK(dt_w2v_begin_day(m, day, corpus.active_ip, counts, corpus.n_active, &d) == DT_OK);
    CHECK(dt_w2v_train_day(m, &d, &corpus) == DT_OK);
    dt_w2v_day_free(&d);
    free(counts);
    free(labels);
    w2v_day_free(&corpus);
}

static int same_state(const dt_w2v_model *a, const dt_w2v_model *b)
{
    if (a->n_rows != b->n_rows || a->day != b->day || a->days_trained != b->days_trained)
        return 0;
    size_t bytes = a->n_rows * a->stride * sizeof(float);
    return memcmp(a->ip, b->ip, a->n_rows * sizeof *a->ip) == 0 &&
           memcmp(a->last_seen, b->last_seen, a->n_rows * sizeof *a->last_seen) == 0 &&
           memcmp(a->count, b->count, a->n_rows * sizeof *a->count) == 0 &&
           memcmp(a->in, b->in, bytes) == 0 && memcmp(a->out, b->out, bytes) == 0;
}

static void test_checkpoint(const char *path)
{
    w2v_planted p = {6, 20, 30, 8, 40, 4, 0.1, 0.8, 11};
    dt_params params;
    dt_params_defaults(&params);
    params.dim = 24;
    params.forget_after = 1;
    params.warmup_epochs = 2;

    dt_w2v_model *whole = NULL, *first = NULL, *resumed = NULL;
    CHECK(dt_w2v_model_new(&params, &whole) == DT_OK);
    CHECK(dt_w2v_model_new(&params, &first) == DT_OK);
    for (int32_t day = 1; day <= 4; day++)
        train_planted_day(whole, &p, day == 4 ? 5 : day);
    for (int32_t day = 1; day <= 2; day++)
        train_planted_day(first, &p, day);
    CHECK(dt_w2v_checkpoint_save(first, path) == DT_OK);
    CHECK(dt_w2v_checkpoint_load(path, &params, &resumed) == DT_OK);
    if (resumed) {
        CHECK(same_state(first, resumed));
        train_planted_day(resumed, &p, 3);
        train_planted_day(resumed, &p, 5);
        CHECK(same_state(whole, resumed));
    }

    dt_w2v_model *refused = NULL;
    params.window = 7;
    CHECK(dt_w2v_checkpoint_load(path, &params, &refused) == DT_ERR_MISMATCH);
    CHECK(strstr(dt_error_message(), "window = 5, this run has 7") != NULL);
    CHECK(refused == NULL);
    dt_w2v_model_free(whole);
    dt_w2v_model_free(first);
    dt_w2v_model_free(resumed);
}

/* A corpus with a word beyond the day's senders, or offsets out of order, is refused. */
static void test_bad_corpus(void)
{
    dt_w2v_model *m = small_model(8, 2, 1);
    uint32_t ips[] = {1, 2};
    uint64_t counts[] = {2, 1};
    uint32_t words[] = {0, 1, 2};
    size_t start[] = {0, 3};
    dt_day corpus;
    memset(&corpus, 0, sizeof corpus);
    corpus.day = 4;
    corpus.n_active = 2;
    corpus.active_ip = ips;
    corpus.n_sentences = 1;
    corpus.sentence_start = start;
    corpus.n_words = 3;
    corpus.words = words;
    dt_w2v_day d;
    CHECK(dt_w2v_begin_day(m, 4, ips, counts, 2, &d) == DT_OK);
    CHECK(dt_w2v_train_day(m, &d, &corpus) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "corpus word 2 is 2") != NULL);
    start[1] = 9;
    CHECK(dt_w2v_train_day(m, &d, &corpus) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "sentence 0 spans words 0 to 9 of 3") != NULL);
    dt_w2v_day_free(&d);
    dt_w2v_model_free(m);
}

int main(void)
{
    test_sampler();
    test_window_kernels();
    test_pair_kernel();
    test_model_rows();
    test_bad_corpus();

    char path[4096];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/dt_test_w2v_%ld.nc", dir, (long)getpid());
    test_checkpoint(path);
    remove(path);
    return dt_test_finish("test_w2v");
}
