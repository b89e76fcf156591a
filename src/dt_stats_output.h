/* The per-day statistics table (text or CSV) and the corpus as text, written day by day. */
#ifndef DT_STATS_OUTPUT_H
#define DT_STATS_OUTPUT_H

#include "dt_day.h"
#include "dt_status.h"

#include <stdio.h>

typedef struct {
    int csv;                    /* 1: CSV with a header line; 0: aligned text columns */
    const char *corpus_pattern; /* NULL: no corpus; with "{day}": one file per day */
} dt_stats_output_options;

typedef struct dt_stats_output dt_stats_output;

/* Starts the output: the table goes to table (not closed here); a corpus file without
 * {day} is created now. Errors: DT_ERR_IO naming the corpus file, DT_ERR_NOMEM. */
dt_status dt_stats_output_open(const dt_stats_output_options *opt, FILE *table,
                               dt_stats_output **out);

/* A dt_day_sink (ctx is the dt_stats_output): one table row and the day's corpus.
 * Errors: DT_ERR_IO naming the file that could not be written. */
dt_status dt_stats_output_day(void *ctx, dt_day *day);

/* Finishes the table (its header alone when no day had packets), closes the corpus and
 * frees. Errors: DT_ERR_IO when a file could not be completed. */
dt_status dt_stats_output_close(dt_stats_output *o);

/* Closes and frees after a failure, reporting nothing; NULL is accepted. */
void dt_stats_output_abandon(dt_stats_output *o);

/* Writes the day's sentences, one a line, words as dotted IPv4 addresses separated by one
 * space. name is for messages. Errors: DT_ERR_IO. */
dt_status dt_corpus_write_text(const dt_day *day, FILE *f, const char *name);

/* Writes pattern with every "{day}" replaced by the day's ISO date into buf.
 * Errors: DT_ERR_USAGE when it does not fit. */
dt_status dt_corpus_file_name(const char *pattern, int32_t day, char *buf, size_t len);

#endif
