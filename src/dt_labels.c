/* Ground-truth labels: the ip,class CSV reader and the clusters' majority classes. */
#include "dt_labels.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CLASS_MAX = 63 };

/* One CSV row while loading: the address, its class name (an index into the names met so
 * far) and its line, for messages. */
typedef struct {
    uint32_t ip;
    int32_t name;
    size_t line;
} csv_row;

/* What the reader has gathered so far. */
typedef struct {
    const char *path;
    char **names;
    size_t n_names, cap_names;
    csv_row *rows;
    size_t n_rows, cap_rows;
} csv_reader;

static void reader_free(csv_reader *r)
{
    for (size_t i = 0; i < r->n_names; i++)
        free(r->names[i]);
    free(r->names);
    free(r->rows);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int valid_class(const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > CLASS_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = c[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '.' || ch == '+' || ch == '-';
        if (!ok)
            return 0;
    }
    return 1;
}

/* The index of a class name, added when new. */
static dt_status name_index(csv_reader *r, const char *name, int32_t *out)
{
    for (size_t i = 0; i < r->n_names; i++) {
        if (strcmp(r->names[i], name) == 0) {
            *out = (int32_t)i;
            return DT_OK;
        }
    }
    if (r->n_names == r->cap_names) {
        size_t cap = r->cap_names ? 2 * r->cap_names : 16;
        DT_CHECK(dt_realloc(&r->names, cap, sizeof *r->names, "ground-truth classes"));
        r->cap_names = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return dt_fail(DT_ERR_NOMEM, "out of memory storing a ground-truth class");
    r->names[r->n_names] = copy;
    *out = (int32_t)r->n_names++;
    return DT_OK;
}

/* Parses one data line ("ip,class") into a row. */
static dt_status parse_line(csv_reader *r, char *text, size_t line)
{
    char *comma = strchr(text, ',');
    if (!comma || strchr(comma + 1, ','))
        return dt_fail(DT_ERR_FORMAT, "%s:%zu: expected \"ip,class\", found \"%.80s\"", r->path,
                       line, text);
    *comma = '\0';
    char *addr = trim(text), *cls = trim(comma + 1);

    struct in_addr a;
    if (inet_pton(AF_INET, addr, &a) != 1)
        return dt_fail(DT_ERR_FORMAT, "%s:%zu: \"%.40s\" is not an IPv4 address (a.b.c.d)", r->path,
                       line, addr);
    if (!valid_class(cls))
        return dt_fail(DT_ERR_FORMAT,
                       "%s:%zu: bad class \"%.80s\" (expected 1 to %d letters, "
                       "digits or _.+-)",
                       r->path, line, cls, CLASS_MAX);

    if (r->n_rows == r->cap_rows) {
        size_t cap = r->cap_rows ? 2 * r->cap_rows : 1024;
        DT_CHECK(dt_realloc(&r->rows, cap, sizeof *r->rows, "ground-truth rows"));
        r->cap_rows = cap;
    }
    csv_row *row = &r->rows[r->n_rows];
    row->ip = ntohl(a.s_addr);
    row->line = line;
    DT_CHECK(name_index(r, cls, &row->name));
    r->n_rows++;
    return DT_OK;
}

static dt_status read_csv(csv_reader *r, FILE *f)
{
    dt_status st = DT_OK;
    char *buf = NULL;
    size_t cap = 0, line = 0;
    ssize_t len;
    while ((len = getline(&buf, &cap, f)) >= 0) {
        line++;
        if ((size_t)len != strlen(buf)) {
            st = dt_fail(DT_ERR_FORMAT, "%s:%zu: a NUL byte inside the line", r->path, line);
            goto out;
        }
        char *text = trim(buf);
        if (line == 1) {
            if (strcmp(text, "ip,class") != 0) {
                st = dt_fail(DT_ERR_FORMAT,
                             "%s:1: expected the header \"ip,class\", found "
                             "\"%.80s\"",
                             r->path, text);
                goto out;
            }
            continue;
        }
        if (*text != '\0')
            DT_CHECK_GOTO(st, parse_line(r, text, line));
    }
    if (ferror(f))
        st =
            dt_fail(DT_ERR_IO, "%s: read error after line %zu: %s", r->path, line, strerror(errno));
    else if (line == 0)
        st = dt_fail(DT_ERR_FORMAT, "%s: empty file (expected the header \"ip,class\")", r->path);

out:
    free(buf);
    return st;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The label list: the CSV's names (reserved ones aside) sorted, then mirai-like, unknown. */
static dt_status build_names(dt_labels *l, const csv_reader *r)
{
    const char **sorted = NULL;
    DT_CHECK(dt_malloc(&sorted, r->n_names + 2, sizeof *sorted, "label names"));
    size_t k = 0;
    for (size_t i = 0; i < r->n_names; i++) {
        if (strcmp(r->names[i], DT_LABEL_MIRAI) != 0 && strcmp(r->names[i], DT_LABEL_UNKNOWN) != 0)
            sorted[k++] = r->names[i];
    }
    qsort(sorted, k, sizeof *sorted, name_cmp);
    sorted[k] = DT_LABEL_MIRAI;
    sorted[k + 1] = DT_LABEL_UNKNOWN;

    dt_status st = dt_calloc(&l->names, k + 2, sizeof *l->names, "label names");
    for (size_t i = 0; st == DT_OK && i < k + 2; i++) {
        l->names[i] = strdup(sorted[i]);
        l->n_names = i + 1;
        if (!l->names[i])
            st = dt_fail(DT_ERR_NOMEM, "out of memory storing label names");
    }
    free(sorted);
    l->mirai = (int32_t)k;
    l->unknown = (int32_t)k + 1;
    DT_CHECK(st);
    return DT_OK;
}

static int32_t find_name(const dt_labels *l, const char *name)
{
    for (size_t i = 0; i < l->n_names; i++)
        if (strcmp(l->names[i], name) == 0)
            return (int32_t)i;
    return -1;
}

static int row_cmp(const void *a, const void *b)
{
    const csv_row *x = a, *y = b;
    if (x->ip != y->ip)
        return x->ip < y->ip ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Sorted, de-duplicated address table; an address given two classes is an error. */
static dt_status build_table(dt_labels *l, csv_reader *r)
{
    if (r->n_rows > 0) /* qsort may not be handed NULL, even with no rows */
        qsort(r->rows, r->n_rows, sizeof *r->rows, row_cmp);
    DT_CHECK(dt_malloc(&l->ip, r->n_rows, sizeof *l->ip, "ground-truth addresses"));
    DT_CHECK(dt_malloc(&l->label, r->n_rows, sizeof *l->label, "ground-truth addresses"));
    size_t k = 0;
    for (size_t i = 0; i < r->n_rows; i++) {
        const csv_row *row = &r->rows[i];
        if (i > 0 && row->ip == r->rows[i - 1].ip) {
            const csv_row *first = &r->rows[i - 1];
            if (row->name != first->name)
                return dt_fail(DT_ERR_FORMAT,
                               "%s:%zu: %u.%u.%u.%u has class %s, but line %zu "
                               "gave it %s",
                               r->path, row->line, row->ip >> 24, (row->ip >> 16) & 255,
                               (row->ip >> 8) & 255, row->ip & 255, r->names[row->name],
                               first->line, r->names[first->name]);
            continue;
        }
        int32_t label = find_name(l, r->names[row->name]);
        if (label == l->unknown)
            continue; /* "unknown" in the CSV is the same as no entry */
        l->ip[k] = row->ip;
        l->label[k++] = label;
    }
    l->n_known = k;
    return DT_OK;
}

dt_status dt_labels_load(dt_labels *l, const char *csv_path)
{
    memset(l, 0, sizeof *l);
    dt_status st = DT_OK;
    csv_reader r = {.path = csv_path};
    FILE *f = NULL;
    if (csv_path) {
        f = fopen(csv_path, "r");
        if (!f)
            return dt_fail(DT_ERR_IO, "%s: cannot open the ground truth: %s", csv_path,
                           strerror(errno));
        DT_CHECK_GOTO(st, read_csv(&r, f));
    }

    DT_CHECK_GOTO(st, build_names(l, &r));
    DT_CHECK_GOTO(st, build_table(l, &r));

out:
    if (f)
        fclose(f);
    reader_free(&r);
    if (st != DT_OK)
        dt_labels_free(l);
    return st;
}

void dt_labels_free(dt_labels *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->names && i < l->n_names; i++)
        free(l->names[i]);
    free(l->names);
    free(l->ip);
    free(l->label);
    memset(l, 0, sizeof *l);
}

int32_t dt_labels_of(const dt_labels *l, uint32_t ip, int mirai)
{
    size_t lo = 0, hi = l->n_known;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->ip[mid] < ip)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < l->n_known && l->ip[lo] == ip)
        return l->label[lo];
    return mirai ? l->mirai : l->unknown;
}

typedef struct {
    int32_t cluster;
    int32_t label;
} vote;

static int vote_cmp(const void *a, const void *b)
{
    const vote *x = a, *y = b;
    if (x->cluster != y->cluster)
        return x->cluster < y->cluster ? -1 : 1;
    return (x->label > y->label) - (x->label < y->label);
}

dt_status dt_labels_clusters(const dt_labels *l, const uint32_t *ip, const uint8_t *mirai,
                             const int32_t *cluster, size_t n, dt_cluster_row *rows,
                             size_t n_clusters)
{
    vote *v = NULL;
    DT_CHECK(dt_malloc(&v, n, sizeof *v, "cluster votes"));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (cluster[i] < 0)
            continue;
        if ((size_t)cluster[i] >= n_clusters) {
            free(v);
            return dt_fail(DT_ERR_INTERNAL, "labels: sender %zu has cluster %d of %zu", i,
                           (int)cluster[i], n_clusters);
        }
        v[k++] = (vote){cluster[i], dt_labels_of(l, ip[i], mirai ? mirai[i] : 0)};
    }

    /* Sorted by (cluster, label), each run of equal votes is one class's count; the first
     * longest run of a cluster is its majority, so ties go to the smaller index. */
    qsort(v, k, sizeof *v, vote_cmp);
    for (size_t c = 0; c < n_clusters; c++) {
        rows[c].label = -1;
        rows[c].purity = NAN; /* a cluster without members has no majority */
    }
    size_t best = 0, size = 0;
    for (size_t i = 0, run = 0; i < k; i++) {
        run =
            i > 0 && v[i].cluster == v[i - 1].cluster && v[i].label == v[i - 1].label ? run + 1 : 1;
        size = i > 0 && v[i].cluster == v[i - 1].cluster ? size + 1 : 1;
        best = size == 1 ? 0 : best;
        if (run > best) {
            best = run;
            rows[v[i].cluster].label = v[i].label;
        }
        if (i + 1 == k || v[i + 1].cluster != v[i].cluster)
            rows[v[i].cluster].purity = (float)((double)best / (double)size);
    }
    free(v);
    return DT_OK;
}

dt_status dt_labels_join(const dt_labels *l, const char *sep, char **out)
{
    size_t len = 1;
    for (size_t i = 0; i < l->n_names; i++)
        len += strlen(l->names[i]) + strlen(sep);
    char *s = NULL;
    DT_CHECK(dt_malloc(&s, len, 1, "the label list"));
    size_t at = 0;
    for (size_t i = 0; i < l->n_names; i++)
        at += (size_t)snprintf(s + at, len - at, "%s%s", i ? sep : "", l->names[i]);
    s[at] = '\0';
    *out = s;
    return DT_OK;
}
