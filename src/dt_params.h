/* Every pipeline parameter, with its default, its option name and its INI key. */
#ifndef DT_PARAMS_H
#define DT_PARAMS_H

#include "dt_status.h"

#include <stdint.h>
#include <stdio.h>

typedef struct {
    /* ingest and corpus */
    int min_packets;  /* active: more than this many packets in the day */
    int top_services; /* busiest (port, protocol) pairs kept; the rest fold into other */
    int max_sentence; /* words per sentence; longer documents are cut, never truncated */
    char *bpf;        /* optional BPF filter applied to every capture */

    /* Word2Vec */
    int dim;           /* embedding size E */
    int window;        /* context window */
    int negative;      /* negatives per positive pair */
    double alpha;      /* starting learning rate, decaying linearly over the day */
    int epochs;        /* epochs per day */
    int warmup_days;   /* first days of a history trained with warmup_epochs */
    int warmup_epochs; /* epochs on each warm-up day */
    int forget_after;  /* senders unseen this many days leave the model */
    int sync_words;    /* words each rank trains between two update reductions */

    /* HDBSCAN */
    int min_cluster_size;
    int min_samples; /* 0: equal to min_cluster_size */

    /* DCA */
    double tau0;
    double tau1;

    /* run */
    uint64_t seed;
    char *ground_truth;  /* optional ip,class CSV */
    int save_embeddings; /* keep each day's clustered vectors in the history */
} dt_params;

/* Fills p with the defaults (the paper's settings). */
void dt_params_defaults(dt_params *p);

/* Frees the strings p owns; p may then be filled again. */
void dt_params_free(dt_params *p);

/* Sets one parameter from text. key may use '-' or '_' ("min-packets", "min_packets").
 * origin names where the value came from, for messages ("--dim", "run.ini:12"). */
dt_status dt_params_set(dt_params *p, const char *key, const char *value, const char *origin);

/* Reads an INI file of key = value lines (an optional [darktrack] section). Keys mirror
 * the long options. Unknown keys and bad values are errors naming file and line. */
dt_status dt_params_load_ini(dt_params *p, const char *path);

/* Checks ranges and relations between parameters. */
dt_status dt_params_validate(const dt_params *p);

/* Writes every parameter as an INI file that dt_params_load_ini reads back. */
void dt_params_print(const dt_params *p, FILE *out);

/* The table behind the functions above, for building getopt_long options and the
 * history's global attributes. */
typedef enum {
    DT_PARAM_INT,
    DT_PARAM_DOUBLE,
    DT_PARAM_U64,
    DT_PARAM_STRING,
    DT_PARAM_FLAG
} dt_param_type;

typedef struct {
    const char *name; /* option and INI key, with '-' */
    const char *attr; /* history attribute name */
    dt_param_type type;
    size_t offset; /* into dt_params */
    const char *help;
} dt_param_info;

/* The table and its length. */
const dt_param_info *dt_params_table(size_t *count);

/* The value of one entry as text, into buf. */
void dt_params_format(const dt_params *p, const dt_param_info *info, char *buf, size_t len);

/* min_samples as used: min_cluster_size when 0. */
int dt_params_min_samples(const dt_params *p);

#endif
