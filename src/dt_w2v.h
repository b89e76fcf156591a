/* Incremental skip-gram Word2Vec with negative sampling over senders keyed by IPv4. */
#ifndef DT_W2V_H
#define DT_W2V_H

#include "dt_day.h"
#include "dt_params.h"
#include "dt_rng.h"
#include "dt_status.h"
#include "dt_w2v_sampler.h"

#include <stddef.h>
#include <stdint.h>

/* How a context window is trained (docs/word2vec.md, "Batching"). */
typedef enum {
    DT_W2V_KERNEL_BLAS = 0, /* one window at a time, shared negatives, three SGEMM calls */
    DT_W2V_KERNEL_PAIR = 1  /* word2vec.c's per-pair updates, negatives drawn per pair */
} dt_w2v_kernel;

/*
 * The model: one row per sender the model knows, in the order senders were first seen
 * (forgotten rows are compacted out, keeping the order of the rest). Input vectors `in`
 * are the embeddings; output vectors `out` are the negative-sampling weights. Rows hold
 * `stride` floats (dim rounded up to 16, zero padded) and start on 64-byte boundaries.
 * The fields are read-only outside dt_w2v_*; the MPI layer reads and writes the rows of
 * the day through dt_w2v_in_row / dt_w2v_out_row.
 */
typedef struct {
    /* the parameters the state depends on; a checkpoint must match them */
    int dim;
    int window;
    int negative;
    int epochs;
    int warmup_days;
    int warmup_epochs;
    int forget_after;
    int sync_words;
    double alpha;
    uint64_t seed;

    size_t stride;
    size_t n_rows;
    size_t cap_rows;
    uint32_t *ip;       /* per row: IPv4 address, host byte order */
    int32_t *last_seen; /* per row: last day the sender was active */
    uint64_t *count;    /* per row: corpus words over every day trained */
    float *in;          /* cap_rows x stride */
    float *out;         /* cap_rows x stride */
    uint32_t *slots;    /* open-addressing map ip -> row + 1 (0: empty) */
    size_t n_slots;     /* a power of two, at least twice n_rows */

    int32_t day;          /* the last day begun; INT32_MIN before the first */
    int32_t days_trained; /* days begun so far; decides the warm-up epochs */
    dt_w2v_kernel kernel; /* not part of the state: set freely */
} dt_w2v_model;

/* The day's view of the model, made by dt_w2v_begin_day. Word w of the day is model row
 * row[w]; sampler draws day words with probability proportional to count^0.75. */
typedef struct {
    int32_t day;
    size_t n;      /* active senders of the day */
    uint32_t *row; /* n model rows */
    int epochs;    /* epochs this day is trained with (warm-up or not) */
    dt_w2v_sampler sampler;
} dt_w2v_day;

/* A list of sentences over day words: sentence s is words[start[s] .. start[s+1]). */
typedef struct {
    size_t n_sentences;
    const size_t *start; /* n_sentences + 1 offsets; start[0] may be nonzero */
    const uint32_t *words;
} dt_w2v_text;

/* Called by the trainer after every `every_words` centre words (counted over epochs). */
typedef struct {
    dt_status (*fn)(void *arg);
    void *arg;
    size_t every_words;
} dt_w2v_sync;

/* A new empty model with p's Word2Vec settings. Errors: DT_ERR_USAGE for bad settings,
 * DT_ERR_NOMEM. The caller frees it with dt_w2v_model_free (NULL accepted). */
dt_status dt_w2v_model_new(const dt_params *p, dt_w2v_model **out);
void dt_w2v_model_free(dt_w2v_model *m);

static inline float *dt_w2v_in_row(const dt_w2v_model *m, size_t row)
{
    return m->in + row * m->stride;
}

static inline float *dt_w2v_out_row(const dt_w2v_model *m, size_t row)
{
    return m->out + row * m->stride;
}

/* The row of ip, or -1 when the model does not know it. */
int64_t dt_w2v_find(const dt_w2v_model *m, uint32_t ip);

/*
 * Starts day `day` (later than the last day begun): marks the n active senders seen,
 * forgets senders last seen more than forget_after days before `day`, adds new senders
 * with vectors seeded from (seed, ip) alone (input uniform in [-0.5, 0.5)/dim, output
 * zero), and fills d with the day's row map and negative sampler built from counts (the
 * corpus words of each active sender; 0 is allowed). active_ip must hold distinct
 * addresses. Errors: DT_ERR_USAGE (day not increasing, duplicate address), DT_ERR_NOMEM;
 * on failure the model is unchanged except for capacity. d is freed by dt_w2v_day_free.
 */
dt_status dt_w2v_begin_day(dt_w2v_model *m, int32_t day, const uint32_t *active_ip,
                           const uint64_t *counts, size_t n, dt_w2v_day *d);
void dt_w2v_day_free(dt_w2v_day *d);

/* Counts the occurrences of each of n_active words in the corpus into counts (n_active).
 * Errors: DT_ERR_FORMAT when a word is not below n_active. */
dt_status dt_w2v_count_words(const uint32_t *words, size_t n_words, size_t n_active,
                             uint64_t *counts);

/*
 * Trains the sentences of t for d->epochs epochs with learning rate decaying linearly
 * from alpha to alpha/10^4 over the words of t, drawing window sizes and negatives from
 * rng. Calls sync (if not NULL) after every sync->every_words centre words and returns
 * its failure. The serial and distributed trainers share this loop.
 */
dt_status dt_w2v_train_text(dt_w2v_model *m, const dt_w2v_day *d, const dt_w2v_text *t, dt_rng *rng,
                            const dt_w2v_sync *sync);

/* Checks a day's corpus: sentence offsets start at 0, never decrease and stay within the
 * words, and every word is below n_active. Errors: DT_ERR_FORMAT naming the day and place. */
dt_status dt_w2v_check_corpus(const dt_day *day);

/* Trains the whole day serially, with the stream of rank 0 (so it equals a one-rank run
 * of dt_train_day_mpi). corpus holds day d's sentences. */
dt_status dt_w2v_train_day(dt_w2v_model *m, const dt_w2v_day *d, const dt_day *corpus);

/* The random stream a rank trains day `day` with. */
void dt_w2v_train_rng(const dt_w2v_model *m, int32_t day, int rank, dt_rng *rng);

/* Copies the input vectors of the day's senders, in day order, into out (d->n x dim). */
void dt_w2v_day_vectors(const dt_w2v_model *m, const dt_w2v_day *d, float *out);

/* Writes the model state to path as netCDF-4, atomically (temporary file, fsync,
 * rename). Errors: DT_ERR_IO naming the file. */
dt_status dt_w2v_checkpoint_save(const dt_w2v_model *m, const char *path);

/* Reads a checkpoint written with the Word2Vec settings of p into a new model. Errors:
 * DT_ERR_IO, DT_ERR_FORMAT (damaged or not a checkpoint), DT_ERR_MISMATCH naming the
 * setting that differs and both values. */
dt_status dt_w2v_checkpoint_load(const char *path, const dt_params *p, dt_w2v_model **out);

#endif
