/* Reading a corpus written as text: one sentence a line, words as dotted IPv4 addresses. */
#include "w2v_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void w2v_text_free(dt_day *d)
{
    free(d->active_ip);
    free(d->words);
    free(d->sentence_start);
    memset(d, 0, sizeof *d);
}

/* Parses a dotted IPv4 address of exactly four parts 0..255. */
static int parse_ipv4(const char *s, uint32_t *ip)
{
    uint32_t value = 0;
    for (int part = 0; part < 4; part++) {
        char *end = NULL;
        if (*s < '0' || *s > '9')
            return 0;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (errno || v > 255 || end == s || (part < 3 && *end != '.') || (part == 3 && *end))
            return 0;
        value = value << 8 | (uint32_t)v;
        s = end + 1;
    }
    *ip = value;
    return 1;
}

typedef struct {
    size_t n_words, cap_words, n_sentences, cap_sentences;
    uint32_t *ips; /* the words as addresses, before indexing */
    size_t *start;
} text_buffer;

static dt_status push_word(text_buffer *b, uint32_t ip)
{
    if (b->n_words == b->cap_words) {
        b->cap_words = b->cap_words ? 2 * b->cap_words : 1 << 16;
        DT_CHECK(dt_realloc(&b->ips, b->cap_words, sizeof *b->ips, "corpus words"));
    }
    b->ips[b->n_words++] = ip;
    return DT_OK;
}

static dt_status push_sentence(text_buffer *b)
{
    if (b->n_sentences + 1 >= b->cap_sentences) {
        b->cap_sentences = b->cap_sentences ? 2 * b->cap_sentences : 1024;
        DT_CHECK(dt_realloc(&b->start, b->cap_sentences, sizeof *b->start, "sentences"));
    }
    b->start[b->n_sentences++] = b->n_words;
    return DT_OK;
}

static dt_status read_line(text_buffer *b, char *line, const char *path, size_t line_no)
{
    size_t before = b->n_words;
    for (char *save = NULL, *word = strtok_r(line, " \t\r\n", &save); word;
         word = strtok_r(NULL, " \t\r\n", &save)) {
        uint32_t ip;
        if (!parse_ipv4(word, &ip))
            return dt_fail(DT_ERR_FORMAT, "%s:%zu: '%s' is not an IPv4 address", path, line_no,
                           word);
        if (b->n_words == before)
            DT_CHECK(push_sentence(b));
        DT_CHECK(push_word(b, ip));
    }
    return DT_OK;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Turns the address words into indexes of the sorted distinct addresses. */
static dt_status index_words(text_buffer *b, dt_day *d)
{
    DT_CHECK(dt_malloc(&d->active_ip, b->n_words, sizeof *d->active_ip, "senders"));
    if (b->n_words > 0)
        memcpy(d->active_ip, b->ips, b->n_words * sizeof *b->ips);
    qsort(d->active_ip, b->n_words, sizeof *d->active_ip, compare_u32);
    size_t n = 0;
    for (size_t i = 0; i < b->n_words; i++)
        if (n == 0 || d->active_ip[n - 1] != d->active_ip[i])
            d->active_ip[n++] = d->active_ip[i];
    d->n_active = (uint32_t)n;

    for (size_t i = 0; i < b->n_words; i++) {
        const uint32_t *hit = bsearch(&b->ips[i], d->active_ip, n, sizeof *hit, compare_u32);
        b->ips[i] = (uint32_t)(hit - d->active_ip);
    }
    d->words = b->ips;
    d->n_words = b->n_words;
    b->ips = NULL;
    return DT_OK;
}

dt_status w2v_text_read(const char *path, dt_day *d)
{
    memset(d, 0, sizeof *d);
    FILE *f = fopen(path, "r");
    if (!f)
        return dt_fail(DT_ERR_IO, "cannot open %s: %s", path, strerror(errno));

    text_buffer b = {0, 0, 0, 0, NULL, NULL};
    char *line = NULL;
    size_t cap = 0, line_no = 0;
    dt_status st = DT_OK;
    while (getline(&line, &cap, f) >= 0)
        DT_CHECK_GOTO(st, read_line(&b, line, path, ++line_no));
    if (ferror(f)) {
        st = dt_fail(DT_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    DT_CHECK_GOTO(st, push_sentence(&b));
    b.n_sentences--; /* the last push closes the final sentence */
    DT_CHECK_GOTO(st, index_words(&b, d));
    d->sentence_start = b.start;
    d->n_sentences = b.n_sentences;
    b.start = NULL;
out:
    free(line);
    free(b.ips);
    free(b.start);
    fclose(f);
    if (st != DT_OK)
        w2v_text_free(d);
    return st;
}
