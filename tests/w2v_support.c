/* Test support for Word2Vec: planted-group corpora, kNN accuracy, corpus text export. */
#include "w2v_support.h"

#include "dt_rng.h"

#include <cblas.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t group_ip(int g, int i)
{
    return 0x0A000000u | (uint32_t)g << 16 | (uint32_t)i;
}

static uint32_t loner_ip(int i)
{
    return 0x0B000000u | (uint32_t)i;
}

/* The day's active senders in address order (groups 10.x come before loners 11.x). */
typedef struct {
    uint32_t *ip;
    int32_t *label;
    size_t n;
    size_t *group_first; /* per group g: first index of its members; group_first[groups] */
    size_t *group_count;
    size_t loner_first;
    size_t loner_count;
} active_set;

static void active_set_free(active_set *a)
{
    free(a->ip);
    free(a->label);
    free(a->group_first);
    free(a->group_count);
}

static dt_status choose_active(const w2v_planted *p, int32_t day, active_set *a)
{
    size_t most = (size_t)p->groups * (size_t)p->group_size + (size_t)p->noise_senders;
    memset(a, 0, sizeof *a);
    DT_CHECK(dt_malloc(&a->ip, most, sizeof *a->ip, "planted senders"));
    DT_CHECK(dt_malloc(&a->label, most, sizeof *a->label, "planted labels"));
    DT_CHECK(dt_calloc(&a->group_first, (size_t)p->groups + 1, sizeof(size_t), "groups"));
    DT_CHECK(dt_calloc(&a->group_count, (size_t)p->groups + 1, sizeof(size_t), "groups"));

    dt_rng rng;
    dt_rng_init(&rng, p->seed, day, DT_RNG_TEST, 1);
    for (int g = 0; g < p->groups; g++) {
        a->group_first[g] = a->n;
        for (int i = 0; i < p->group_size; i++)
            if (dt_rng_uniform(&rng) < p->active_share) {
                a->ip[a->n] = group_ip(g, i);
                a->label[a->n++] = g;
            }
        a->group_count[g] = a->n - a->group_first[g];
    }
    a->loner_first = a->n;
    for (int i = 0; i < p->noise_senders; i++)
        if (dt_rng_uniform(&rng) < p->active_share) {
            a->ip[a->n] = loner_ip(i);
            a->label[a->n++] = -1;
        }
    a->loner_count = a->n - a->loner_first;
    return DT_OK;
}

/* Draws one word of a sentence of group g (g < 0: a loner sentence). */
static uint32_t draw_word(const w2v_planted *p, const active_set *a, int g, dt_rng *rng)
{
    int loner = g < 0 || a->group_count[g] == 0 || dt_rng_uniform(rng) < p->noise_share;
    if (loner && a->loner_count > 0)
        return (uint32_t)(a->loner_first + dt_rng_below(rng, a->loner_count));
    if (g < 0 || a->group_count[g] == 0)
        return UINT32_MAX;
    return (uint32_t)(a->group_first[g] + dt_rng_below(rng, a->group_count[g]));
}

static dt_status fill_sentences(const w2v_planted *p, const active_set *a, int32_t day, dt_day *d)
{
    size_t n_sent = (size_t)p->groups * (size_t)p->sentences_per_group + (size_t)p->noise_sentences;
    size_t most = n_sent * (size_t)p->sentence_len;
    DT_CHECK(dt_malloc(&d->words, most ? most : 1, sizeof *d->words, "planted words"));
    DT_CHECK(dt_malloc(&d->sentence_start, n_sent + 1, sizeof(size_t), "planted sentences"));

    dt_rng rng;
    dt_rng_init(&rng, p->seed, day, DT_RNG_TEST, 2);
    size_t w = 0;
    for (size_t s = 0; s < n_sent; s++) {
        int g = s < (size_t)p->groups * (size_t)p->sentences_per_group
                    ? (int)(s / (size_t)p->sentences_per_group)
                    : -1;
        d->sentence_start[s] = w;
        for (int i = 0; i < p->sentence_len; i++) {
            uint32_t word = draw_word(p, a, g, &rng);
            if (word == UINT32_MAX || (w > d->sentence_start[s] && d->words[w - 1] == word))
                continue;
            d->words[w++] = word;
        }
    }
    d->sentence_start[n_sent] = w;
    d->n_sentences = n_sent;
    d->n_words = w;
    return DT_OK;
}

dt_status w2v_planted_day(const w2v_planted *p, int32_t day, dt_day *out, int32_t **labels)
{
    memset(out, 0, sizeof *out);
    *labels = NULL;
    active_set a;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, choose_active(p, day, &a));
    DT_CHECK_GOTO(st, fill_sentences(p, &a, day, out));

    out->day = day;
    out->n_active = (uint32_t)a.n;
    out->active_ip = a.ip;
    *labels = a.label;
    a.ip = NULL;
    a.label = NULL;
out:
    active_set_free(&a);
    return st;
}

/* Normalised copy of the vectors (zero vectors stay zero). */
static float *normalised(const float *v, size_t n, size_t dim)
{
    float *u = malloc((n ? n : 1) * dim * sizeof *u);
    if (!u)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        double norm = 0;
        for (size_t k = 0; k < dim; k++)
            norm += (double)v[i * dim + k] * (double)v[i * dim + k];
        double scale = norm > 0 ? 1.0 / sqrt(norm) : 0.0;
        for (size_t k = 0; k < dim; k++)
            u[i * dim + k] = (float)((double)v[i * dim + k] * scale);
    }
    return u;
}

/* The majority label among the k most similar points (sims has n entries; self excluded). */
static int32_t vote(const float *sims, const int32_t *labels, size_t n, size_t self, int k)
{
    size_t best[64];
    int found = 0;
    for (size_t j = 0; j < n; j++) {
        if (j == self)
            continue;
        int pos;
        if (found < k)
            pos = found++;
        else if (sims[j] <= sims[best[k - 1]])
            continue;
        else
            pos = k - 1;
        while (pos > 0 && sims[best[pos - 1]] < sims[j]) {
            best[pos] = best[pos - 1];
            pos--;
        }
        best[pos] = j;
    }

    int32_t winner = -2;
    int winner_votes = 0;
    for (int a = 0; a < found; a++) {
        int votes = 0;
        for (int b = 0; b < found; b++)
            votes += labels[best[b]] == labels[best[a]];
        if (votes > winner_votes) {
            winner = labels[best[a]];
            winner_votes = votes;
        }
    }
    return winner;
}

double w2v_knn_accuracy(const float *vectors, const int32_t *labels, size_t n, size_t dim, int k)
{
    enum { BLOCK = 128 };
    if (k > 64)
        k = 64;
    float *u = normalised(vectors, n, dim);
    float *sims = malloc(BLOCK * (n ? n : 1) * sizeof *sims);
    if (!u || !sims) {
        free(u);
        free(sims);
        return -1;
    }

    size_t right = 0, asked = 0;
    for (size_t first = 0; first < n; first += BLOCK) {
        size_t rows = n - first < BLOCK ? n - first : BLOCK;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)n, (int)dim, 1.0f,
                    u + first * dim, (int)dim, u, (int)dim, 0.0f, sims, (int)n);
        for (size_t r = 0; r < rows; r++) {
            size_t i = first + r;
            if (labels[i] < 0)
                continue;
            asked++;
            right += vote(sims + r * n, labels, n, i, k) == labels[i];
        }
    }
    free(u);
    free(sims);
    return asked ? (double)right / (double)asked : 0.0;
}

static void format_ip(uint32_t ip, char *buf, size_t len)
{
    snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

dt_status w2v_write_corpus_text(const dt_day *d, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return dt_fail(DT_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    char ip[16];
    for (size_t s = 0; s < d->n_sentences; s++) {
        for (size_t w = d->sentence_start[s]; w < d->sentence_start[s + 1]; w++) {
            format_ip(d->active_ip[d->words[w]], ip, sizeof ip);
            fprintf(f, w > d->sentence_start[s] ? " %s" : "%s", ip);
        }
        fputc('\n', f);
    }
    if (fclose(f) != 0)
        return dt_fail(DT_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return DT_OK;
}

dt_status w2v_write_labels(const dt_day *d, const int32_t *labels, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return dt_fail(DT_ERR_IO, "cannot create %s: %s", path, strerror(errno));
    char ip[16];
    for (uint32_t i = 0; i < d->n_active; i++) {
        format_ip(d->active_ip[i], ip, sizeof ip);
        fprintf(f, "%s,%d\n", ip, (int)labels[i]);
    }
    if (fclose(f) != 0)
        return dt_fail(DT_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return DT_OK;
}

void w2v_day_free(dt_day *d)
{
    free(d->active_ip);
    free(d->words);
    free(d->sentence_start);
    memset(d, 0, sizeof *d);
}
