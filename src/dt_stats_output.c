/* The per-day statistics table and the corpus as text. */
#include "dt_stats_output.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct dt_stats_output {
    dt_stats_output_options opt;
    FILE *table;
    int header_done;
    int per_day;       /* the corpus pattern holds {day} */
    FILE *corpus;      /* the single corpus file, when not per day */
    char *corpus_name; /* its name, for messages */
};

static const char day_marker[] = "{day}";

static dt_status io_error(const char *name, const char *what)
{
    return dt_fail(DT_ERR_IO, "%s: cannot %s: %s", name, what, strerror(errno));
}

dt_status dt_stats_output_open(const dt_stats_output_options *opt, FILE *table,
                               dt_stats_output **out)
{
    *out = NULL;
    dt_stats_output *o = NULL;
    DT_CHECK(dt_calloc(&o, 1, sizeof *o, "stats output"));
    o->opt = *opt;
    o->table = table;
    const char *pattern = opt->corpus_pattern;
    o->per_day = pattern && strstr(pattern, day_marker) != NULL;
    if (pattern && !o->per_day) {
        o->corpus_name = strdup(pattern);
        o->corpus = o->corpus_name ? fopen(pattern, "w") : NULL;
        if (!o->corpus) {
            dt_status st = o->corpus_name ? io_error(pattern, "create the corpus file")
                                          : dt_fail(DT_ERR_NOMEM, "out of memory");
            dt_stats_output_abandon(o);
            return st;
        }
    }
    *out = o;
    return DT_OK;
}

void dt_stats_output_abandon(dt_stats_output *o)
{
    if (!o)
        return;
    if (o->corpus)
        fclose(o->corpus);
    free(o->corpus_name);
    free(o);
}

static void write_header(dt_stats_output *o)
{
    if (o->header_done)
        return;
    o->header_done = 1;
    if (o->opt.csv)
        fprintf(o->table, "day,packets,senders_seen,active_senders,services,sentences,words,"
                          "mirai_active\n");
    else
        fprintf(o->table, "%-10s %12s %12s %14s %8s %9s %12s %12s\n", "day", "packets",
                "senders_seen", "active_senders", "services", "sentences", "words", "mirai_active");
}

static void write_row(dt_stats_output *o, const dt_day *d)
{
    char date[32];
    dt_day_format_date(d->day, date, sizeof date);
    long long packets = (long long)d->packets;
    unsigned mirai = dt_day_mirai_count(d);
    if (o->opt.csv)
        fprintf(o->table, "%s,%lld,%u,%u,%u,%zu,%zu,%u\n", date, packets, d->senders_seen,
                d->n_active, d->n_services, d->n_sentences, d->n_words, mirai);
    else
        fprintf(o->table, "%-10s %12lld %12u %14u %8u %9zu %12zu %12u\n", date, packets,
                d->senders_seen, d->n_active, d->n_services, d->n_sentences, d->n_words, mirai);
    fflush(o->table);
}

/* Appends the dotted form of ip to p; returns the new end. */
static char *put_ipv4(char *p, uint32_t ip)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned octet = (ip >> shift) & 0xff;
        if (octet >= 100)
            *p++ = (char)('0' + octet / 100);
        if (octet >= 10)
            *p++ = (char)('0' + octet / 10 % 10);
        *p++ = (char)('0' + octet % 10);
        if (shift > 0)
            *p++ = '.';
    }
    return p;
}

dt_status dt_corpus_write_text(const dt_day *day, FILE *f, const char *name)
{
    char buf[4096];
    char *p = buf;
    for (size_t s = 0; s < day->n_sentences; s++) {
        for (size_t i = day->sentence_start[s]; i < day->sentence_start[s + 1]; i++) {
            if (p - buf > (ptrdiff_t)(sizeof buf - 20)) {
                fwrite(buf, 1, (size_t)(p - buf), f);
                p = buf;
            }
            if (i > day->sentence_start[s])
                *p++ = ' ';
            p = put_ipv4(p, day->active_ip[day->words[i]]);
        }
        *p++ = '\n';
    }
    fwrite(buf, 1, (size_t)(p - buf), f);
    if (ferror(f))
        return io_error(name, "write the corpus");
    return DT_OK;
}

dt_status dt_corpus_file_name(const char *pattern, int32_t day, char *buf, size_t len)
{
    char date[32];
    dt_day_format_date(day, date, sizeof date);
    size_t used = 0;
    for (const char *p = pattern; *p;) {
        const char *piece = p;
        size_t piece_len = 1;
        if (strncmp(p, day_marker, sizeof day_marker - 1) == 0) {
            piece = date;
            piece_len = strlen(date);
            p += sizeof day_marker - 1;
        } else {
            p++;
        }
        if (used + piece_len >= len)
            return dt_fail(DT_ERR_USAGE, "--corpus-out %s: the file name is too long", pattern);
        memcpy(buf + used, piece, piece_len);
        used += piece_len;
    }
    buf[used] = '\0';
    return DT_OK;
}

/* The day's corpus into its own file. */
static dt_status write_day_file(const dt_stats_output *o, const dt_day *day)
{
    char name[PATH_MAX];
    DT_CHECK(dt_corpus_file_name(o->opt.corpus_pattern, day->day, name, sizeof name));
    FILE *f = fopen(name, "w");
    if (!f)
        return io_error(name, "create the corpus file");
    dt_status st = dt_corpus_write_text(day, f, name);
    if (fclose(f) != 0 && st == DT_OK)
        st = io_error(name, "finish the corpus file");
    return st;
}

dt_status dt_stats_output_day(void *ctx, dt_day *day)
{
    dt_stats_output *o = ctx;
    write_header(o);
    write_row(o, day);

    if (o->per_day)
        DT_CHECK(write_day_file(o, day));
    if (o->corpus) {
        char date[32];
        dt_day_format_date(day->day, date, sizeof date);
        fprintf(o->corpus, "# day %s\n", date);
        DT_CHECK(dt_corpus_write_text(day, o->corpus, o->corpus_name));
    }
    return DT_OK;
}

dt_status dt_stats_output_close(dt_stats_output *o)
{
    dt_status st = DT_OK;
    write_header(o);
    fflush(o->table);
    if (o->corpus && fclose(o->corpus) != 0)
        st = io_error(o->corpus_name, "finish the corpus file");
    o->corpus = NULL;
    dt_stats_output_abandon(o);
    return st;
}
