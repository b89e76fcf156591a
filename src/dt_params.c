/* The parameter table: defaults, parsing from options and INI files, printing. */
#include "dt_params.h"

#include <ini.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define PARAM(name, attr, type, field, help)                                                       \
    {                                                                                              \
        name, attr, type, offsetof(dt_params, field), help                                         \
    }

static const dt_param_info param_table[] = {
    PARAM("min-packets", "min_packets", DT_PARAM_INT, min_packets,
          "a sender is active with more than N packets in a day (5)"),
    PARAM("top-services", "top_services", DT_PARAM_INT, top_services,
          "busiest (port, protocol) services kept as documents (2500)"),
    PARAM("max-sentence", "max_sentence", DT_PARAM_INT, max_sentence,
          "longest sentence in words; longer documents are cut (10000)"),
    PARAM("bpf", "bpf", DT_PARAM_STRING, bpf, "BPF filter applied to every capture"),
    PARAM("dim", "embedding_dim", DT_PARAM_INT, dim, "embedding size E (200)"),
    PARAM("window", "window", DT_PARAM_INT, window, "Word2Vec context window (5)"),
    PARAM("negative", "negative", DT_PARAM_INT, negative, "negative samples (5)"),
    PARAM("alpha", "alpha", DT_PARAM_DOUBLE, alpha, "starting learning rate (0.025)"),
    PARAM("epochs", "epochs", DT_PARAM_INT, epochs, "training epochs per day (1)"),
    PARAM("warmup-days", "warmup_days", DT_PARAM_INT, warmup_days,
          "first days of a history trained with --warmup-epochs"),
    PARAM("warmup-epochs", "warmup_epochs", DT_PARAM_INT, warmup_epochs,
          "epochs on each warm-up day"),
    PARAM("forget-after", "forget_after", DT_PARAM_INT, forget_after,
          "senders unseen for N days leave the model (31)"),
    PARAM("sync-words", "sync_words", DT_PARAM_INT, sync_words,
          "words each rank trains between update reductions"),
    PARAM("min-cluster-size", "min_cluster_size", DT_PARAM_INT, min_cluster_size,
          "HDBSCAN smallest cluster (10)"),
    PARAM("min-samples", "min_samples", DT_PARAM_INT, min_samples,
          "HDBSCAN core neighbours, itself counted (0: min cluster size)"),
    PARAM("tau0", "tau0", DT_PARAM_DOUBLE, tau0, "DCA strong match threshold (0.65)"),
    PARAM("tau1", "tau1", DT_PARAM_DOUBLE, tau1, "DCA loose match threshold (0.3)"),
    PARAM("seed", "seed", DT_PARAM_U64, seed, "seed of every random stream (1)"),
    PARAM("ground-truth", "ground_truth", DT_PARAM_STRING, ground_truth,
          "CSV of ip,class lines labelling known senders"),
    PARAM("save-embeddings", "save_embeddings", DT_PARAM_FLAG, save_embeddings,
          "keep each day's clustered vectors in the history"),
};

const dt_param_info *dt_params_table(size_t *count)
{
    *count = sizeof param_table / sizeof param_table[0];
    return param_table;
}

void dt_params_defaults(dt_params *p)
{
    memset(p, 0, sizeof *p);
    p->min_packets = 5;
    p->top_services = 2500;
    p->max_sentence = 10000;
    p->dim = 200;
    p->window = 5;
    p->negative = 5;
    p->alpha = 0.025;
    p->epochs = 1;
    p->warmup_days = 1;
    p->warmup_epochs = 10;
    p->forget_after = 31;
    p->sync_words = 20000;
    p->min_cluster_size = 10;
    p->min_samples = 0;
    p->tau0 = 0.65;
    p->tau1 = 0.3;
    p->seed = 1;
    p->save_embeddings = 0;
}

void dt_params_free(dt_params *p)
{
    free(p->bpf);
    free(p->ground_truth);
    p->bpf = NULL;
    p->ground_truth = NULL;
}

static const dt_param_info *find_param(const char *key)
{
    char normal[64];
    size_t len = strlen(key);
    if (len >= sizeof normal)
        return NULL;
    for (size_t i = 0; i <= len; i++)
        normal[i] = key[i] == '_' ? '-' : key[i];

    for (size_t i = 0; i < sizeof param_table / sizeof param_table[0]; i++)
        if (strcmp(param_table[i].name, normal) == 0)
            return &param_table[i];
    return NULL;
}

static dt_status parse_long(const char *value, long long lo, long long hi, long long *out,
                            const char *key, const char *origin)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end != '\0' || v < lo || v > hi)
        return dt_fail(DT_ERR_USAGE, "%s: %s wants a whole number from %lld to %lld, got '%s'",
                       origin, key, lo, hi, value);
    *out = v;
    return DT_OK;
}

static dt_status parse_double(const char *value, double *out, const char *key, const char *origin)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(value, &end);
    if (errno || end == value || *end != '\0' || !isfinite(v))
        return dt_fail(DT_ERR_USAGE, "%s: %s wants a number, got '%s'", origin, key, value);
    *out = v;
    return DT_OK;
}

static dt_status parse_flag(const char *value, int *out, const char *key, const char *origin)
{
    static const char *yes[] = {"1", "yes", "true", "on", ""};
    static const char *no[] = {"0", "no", "false", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(value, yes[i]) == 0) {
            *out = 1;
            return DT_OK;
        }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(value, no[i]) == 0) {
            *out = 0;
            return DT_OK;
        }
    return dt_fail(DT_ERR_USAGE, "%s: %s wants yes or no, got '%s'", origin, key, value);
}

dt_status dt_params_set(dt_params *p, const char *key, const char *value, const char *origin)
{
    const dt_param_info *info = find_param(key);
    if (!info)
        return dt_fail(DT_ERR_USAGE, "%s: unknown parameter '%s'", origin, key);

    char *field = (char *)p + info->offset;
    long long whole = 0;
    switch (info->type) {
    case DT_PARAM_INT:
        DT_CHECK(parse_long(value, INT_MIN, INT_MAX, &whole, info->name, origin));
        *(int *)(void *)field = (int)whole;
        return DT_OK;
    case DT_PARAM_U64:
        DT_CHECK(parse_long(value, 0, LLONG_MAX, &whole, info->name, origin));
        *(uint64_t *)(void *)field = (uint64_t)whole;
        return DT_OK;
    case DT_PARAM_DOUBLE:
        return parse_double(value, (double *)(void *)field, info->name, origin);
    case DT_PARAM_FLAG:
        return parse_flag(value, (int *)(void *)field, info->name, origin);
    case DT_PARAM_STRING: {
        char *copy = strdup(value);
        if (!copy)
            return dt_fail(DT_ERR_NOMEM, "out of memory copying %s", info->name);
        char **slot = (char **)(void *)field;
        free(*slot);
        *slot = copy;
        return DT_OK;
    }
    }
    return dt_fail(DT_ERR_INTERNAL, "parameter %s has an unknown type", info->name);
}

typedef struct {
    dt_params *params;
    const char *path;
    FILE *file;
    int line; /* lines read so far: Debian's inih does not pass line numbers to handlers */
    dt_status status;
} ini_context;

static char *ini_read_line(char *str, int num, void *stream)
{
    ini_context *ctx = stream;
    char *got = fgets(str, num, ctx->file);
    if (got)
        ctx->line++;
    return got;
}

static int ini_entry(void *user, const char *section, const char *name, const char *value)
{
    ini_context *ctx = user;
    char origin[512];
    snprintf(origin, sizeof origin, "%s:%d", ctx->path, ctx->line);

    if (section[0] && strcmp(section, "darktrack") != 0) {
        ctx->status = dt_fail(DT_ERR_USAGE, "%s: unknown section [%s]", origin, section);
        return 0;
    }
    ctx->status = dt_params_set(ctx->params, name, value, origin);
    return ctx->status == DT_OK;
}

dt_status dt_params_load_ini(dt_params *p, const char *path)
{
    FILE *file = fopen(path, "r");
    if (!file)
        return dt_fail(DT_ERR_IO, "cannot open config %s: %s", path, strerror(errno));

    ini_context ctx = {p, path, file, 0, DT_OK};
    int result = ini_parse_stream(ini_read_line, &ctx, ini_entry, &ctx);
    fclose(file);

    if (ctx.status != DT_OK)
        return ctx.status;
    if (result != 0)
        return dt_fail(DT_ERR_USAGE, "%s:%d: not a key = value line", path, result);
    return DT_OK;
}

#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return dt_fail(DT_ERR_USAGE, __VA_ARGS__);                                             \
    } while (0)

dt_status dt_params_validate(const dt_params *p)
{
    REQUIRE(p->min_packets >= 0, "min-packets must be 0 or more, got %d", p->min_packets);
    REQUIRE(p->top_services >= 1, "top-services must be 1 or more, got %d", p->top_services);
    REQUIRE(p->max_sentence >= 2, "max-sentence must be 2 or more, got %d", p->max_sentence);
    REQUIRE(p->dim >= 1 && p->dim <= 4096, "dim must be 1 to 4096, got %d", p->dim);
    REQUIRE(p->window >= 1, "window must be 1 or more, got %d", p->window);
    REQUIRE(p->negative >= 0, "negative must be 0 or more, got %d", p->negative);
    REQUIRE(p->alpha > 0 && p->alpha < 1, "alpha must lie in (0, 1), got %g", p->alpha);
    REQUIRE(p->epochs >= 1, "epochs must be 1 or more, got %d", p->epochs);
    REQUIRE(p->warmup_days >= 0, "warmup-days must be 0 or more, got %d", p->warmup_days);
    REQUIRE(p->warmup_epochs >= 1, "warmup-epochs must be 1 or more, got %d", p->warmup_epochs);
    REQUIRE(p->forget_after >= 1, "forget-after must be 1 or more, got %d", p->forget_after);
    REQUIRE(p->sync_words >= 1, "sync-words must be 1 or more, got %d", p->sync_words);
    REQUIRE(p->min_cluster_size >= 2, "min-cluster-size must be 2 or more, got %d",
            p->min_cluster_size);
    REQUIRE(p->min_samples >= 0, "min-samples must be 0 or more, got %d", p->min_samples);
    REQUIRE(p->tau0 > 0 && p->tau0 <= 1, "tau0 must lie in (0, 1], got %g", p->tau0);
    REQUIRE(p->tau1 > 0 && p->tau1 <= p->tau0, "tau1 must lie in (0, tau0], got %g", p->tau1);
    return DT_OK;
}

void dt_params_format(const dt_params *p, const dt_param_info *info, char *buf, size_t len)
{
    const char *field = (const char *)p + info->offset;
    switch (info->type) {
    case DT_PARAM_INT:
    case DT_PARAM_FLAG:
        snprintf(buf, len, "%d", *(const int *)(const void *)field);
        return;
    case DT_PARAM_U64:
        snprintf(buf, len, "%" PRIu64, *(const uint64_t *)(const void *)field);
        return;
    case DT_PARAM_DOUBLE:
        snprintf(buf, len, "%.17g", *(const double *)(const void *)field);
        return;
    case DT_PARAM_STRING: {
        const char *s = *(char *const *)(const void *)field;
        snprintf(buf, len, "%s", s ? s : "");
        return;
    }
    }
    snprintf(buf, len, "?");
}

void dt_params_print(const dt_params *p, FILE *out)
{
    fprintf(out, "[darktrack]\n");
    for (size_t i = 0; i < sizeof param_table / sizeof param_table[0]; i++) {
        char value[1024];
        dt_params_format(p, &param_table[i], value, sizeof value);
        fprintf(out, "# %s\n%s = %s\n", param_table[i].help, param_table[i].name, value);
    }
}

int dt_params_min_samples(const dt_params *p)
{
    return p->min_samples > 0 ? p->min_samples : p->min_cluster_size;
}
