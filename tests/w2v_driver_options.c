/* Options of the Word2Vec test driver: Word2Vec parameters, the planted corpus, checks. */
#include "w2v_driver_options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void defaults(options *opt)
{
    memset(opt, 0, sizeof *opt);
    dt_params_defaults(&opt->params);
    opt->params.dim = 50;
    opt->planted = (w2v_planted){.groups = 20,
                                 .group_size = 40,
                                 .noise_senders = 400,
                                 .sentences_per_group = 6,
                                 .sentence_len = 120,
                                 .noise_sentences = 40,
                                 .noise_share = 0.2,
                                 .active_share = 0.9,
                                 .seed = 7};
    opt->days = 2;
    opt->min_knn = 0;
    opt->merge = DT_TRAIN_MERGE_SUM;
    opt->kernel = DT_W2V_KERNEL_BLAS;
}

static int number(const char *name, const char *value, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    if (errno || end == value || *end || v < lo || v > hi) {
        fprintf(stderr, "w2v driver: --%s wants a number from %g to %g, got '%s'\n", name, lo, hi,
                value);
        return 0;
    }
    *out = v;
    return 1;
}

static int choice(const char *name, const char *value, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(value, names[i]) == 0) {
            *out = i;
            return 1;
        }
    fprintf(stderr, "w2v driver: --%s does not know '%s'\n", name, value);
    return 0;
}

/* Driver options with a whole-number value, by name. */
static int *int_option(options *opt, const char *name)
{
    struct {
        const char *name;
        int *field;
    } table[] = {
        {"days", &opt->days},
        {"split-at", &opt->split_at},
        {"groups", &opt->planted.groups},
        {"group-size", &opt->planted.group_size},
        {"noise-senders", &opt->planted.noise_senders},
        {"sentences-per-group", &opt->planted.sentences_per_group},
        {"sentence-len", &opt->planted.sentence_len},
        {"noise-sentences", &opt->planted.noise_sentences},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(name, table[i].name) == 0)
            return table[i].field;
    return NULL;
}

static int set_option(options *opt, const char *name, const char *value)
{
    static const char *const merges[] = {"sum", "average"};
    static const char *const kernels[] = {"blas", "pair"};
    double v = 0;
    int *whole = int_option(opt, name);
    if (whole) {
        if (!number(name, value, 0, 1e9, &v))
            return 0;
        *whole = (int)v;
        return 1;
    }
    if (strcmp(name, "min-knn") == 0)
        return number(name, value, 0, 1, &opt->min_knn);
    if (strcmp(name, "noise-share") == 0)
        return number(name, value, 0, 1, &opt->planted.noise_share);
    if (strcmp(name, "active-share") == 0)
        return number(name, value, 0, 1, &opt->planted.active_share);
    if (strcmp(name, "planted-seed") == 0) {
        if (!number(name, value, 0, 1e15, &v))
            return 0;
        opt->planted.seed = (uint64_t)v;
        return 1;
    }
    if (strcmp(name, "merge") == 0)
        return choice(name, value, merges, 2, (int *)&opt->merge);
    if (strcmp(name, "kernel") == 0)
        return choice(name, value, kernels, 2, (int *)&opt->kernel);
    if (strcmp(name, "vectors-out") == 0)
        opt->vectors_out = value;
    else if (strcmp(name, "corpus-out") == 0)
        opt->corpus_out = value;
    else if (strcmp(name, "labels-out") == 0)
        opt->labels_out = value;
    else if (strcmp(name, "checkpoint") == 0)
        opt->checkpoint = value;
    else if (dt_params_set(&opt->params, name, value, name) != DT_OK) {
        fprintf(stderr, "w2v driver: %s\n", dt_error_message());
        return 0;
    }
    return 1;
}

int w2v_driver_parse(int argc, char **argv, options *opt)
{
    defaults(opt);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 || strcmp(argv[i], "--serial") == 0 ||
            strcmp(argv[i], "--corrupt") == 0) {
            int *flag = argv[i][2] == 'r' ? &opt->repeat : &opt->serial;
            *(argv[i][2] == 'c' ? &opt->corrupt : flag) = 1;
            continue;
        }
        if (strncmp(argv[i], "--", 2) != 0) {
            fprintf(stderr, "w2v driver: unexpected argument '%s'\n", argv[i]);
            return 0;
        }
        char name[64];
        const char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2);
        if (len >= sizeof name || (!eq && i + 1 >= argc)) {
            fprintf(stderr, "w2v driver: bad option '%s'\n", argv[i]);
            return 0;
        }
        memcpy(name, argv[i] + 2, len);
        name[len] = '\0';
        if (!set_option(opt, name, eq ? eq + 1 : argv[++i]))
            return 0;
    }
    if (opt->split_at > 0 && (!opt->checkpoint || opt->split_at >= opt->days)) {
        fprintf(stderr, "w2v driver: --split-at needs --checkpoint and fewer days than --days\n");
        return 0;
    }
    return dt_params_validate(&opt->params) == DT_OK;
}
