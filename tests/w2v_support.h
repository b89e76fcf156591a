/* Test support for Word2Vec: planted-group corpora, kNN accuracy, corpus text export. */
#ifndef W2V_SUPPORT_H
#define W2V_SUPPORT_H

#include "dt_day.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * A planted corpus: `groups` groups of `group_size` senders and `noise_senders` loners.
 * Each day every sender is active with probability active_share. Each group has
 * `sentences_per_group` sentences (its services) of `sentence_len` draws; a draw is a
 * random active member of the group, or with probability noise_share a random active
 * loner. `noise_sentences` more sentences draw loners only. Consecutive repeats are
 * collapsed, as the corpus builder does. Group g's member i has address 10.g.i/256.i%256;
 * loner i has 11.0.i/256.i%256.
 */
typedef struct {
    int groups;
    int group_size;
    int noise_senders;
    int sentences_per_group;
    int sentence_len;
    int noise_sentences;
    double noise_share;
    double active_share;
    uint64_t seed;
} w2v_planted;

/* Fills out with day `day` of the planted corpus (active senders sorted by address) and
 * *labels (n_active, malloc'd) with each active sender's group, -1 for loners. */
dt_status w2v_planted_day(const w2v_planted *p, int32_t day, dt_day *out, int32_t **labels);

/* Frees what w2v_planted_day allocated in d (the corpus module owns dt_day_free). */
void w2v_day_free(dt_day *d);

/* Leave-one-out kNN accuracy (cosine, k neighbours, majority vote; a tie goes to the label
 * of the nearest tied neighbour) over the points with label >= 0, neighbours taken among
 * all n points. vectors is n x dim. Returns a share in [0, 1], or -1 on allocation failure. */
double w2v_knn_accuracy(const float *vectors, const int32_t *labels, size_t n, size_t dim, int k);

/* Writes the corpus as text: one sentence a line, words as dotted IPv4 addresses. */
dt_status w2v_write_corpus_text(const dt_day *d, const char *path);

/* Writes "ip,label" lines for the active senders. */
dt_status w2v_write_labels(const dt_day *d, const int32_t *labels, const char *path);

#endif
