/* Reading vectors from plain text: optional IPv4 address, then the components. */
#include "dt_vectors_text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char separators[] = ", \t\r\n";

typedef struct {
    const char *path;
    size_t line; /* current line number, from 1 */
    size_t n;    /* rows read */
    size_t dim;  /* components per row, 0 until the first row */
    int with_ip; /* -1 until the first row */
    size_t cap;  /* rows allocated */
    uint32_t *ips;
    float *data;
} text_reader;

static int parse_ipv4(const char *field, uint32_t *ip)
{
    struct in_addr a;
    if (!strchr(field, '.') || inet_pton(AF_INET, field, &a) != 1)
        return 0;
    *ip = ntohl(a.s_addr);
    return 1;
}

static dt_status parse_float(text_reader *r, const char *field, size_t column, float *out)
{
    char *end = NULL;
    errno = 0;
    float v = strtof(field, &end);
    if (end == field || *end != '\0' || errno == ERANGE || !isfinite(v))
        return dt_fail(DT_ERR_FORMAT, "%s:%zu: field %zu is '%s'; expected a finite number",
                       r->path, r->line, column + 1, field);
    *out = v;
    return DT_OK;
}

static dt_status grow(text_reader *r, size_t dim)
{
    if (r->n < r->cap)
        return DT_OK;
    size_t cap = r->cap ? 2 * r->cap : 1024;
    DT_CHECK(dt_realloc(&r->ips, cap, sizeof *r->ips, "vector addresses"));
    DT_CHECK(dt_realloc(&r->data, cap * dim, sizeof *r->data, "vectors"));
    r->cap = cap;
    return DT_OK;
}

/* Splits line in place into fields; returns their count (at most max). */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t count = 0;
    char *save = NULL;
    for (char *f = strtok_r(line, separators, &save); f && count < max;
         f = strtok_r(NULL, separators, &save))
        fields[count++] = f;
    return count;
}

static dt_status check_shape(text_reader *r, int with_ip, size_t dim)
{
    if (r->with_ip < 0) {
        if (dim == 0)
            return dt_fail(DT_ERR_FORMAT, "%s:%zu: a row without components", r->path, r->line);
        r->with_ip = with_ip;
        r->dim = dim;
        return DT_OK;
    }
    if (with_ip != r->with_ip)
        return dt_fail(DT_ERR_FORMAT, "%s:%zu: %s an address, unlike the first row", r->path,
                       r->line, with_ip ? "starts with" : "has no");
    if (dim != r->dim)
        return dt_fail(DT_ERR_FORMAT, "%s:%zu: %zu components; the first row has %zu", r->path,
                       r->line, dim, r->dim);
    return DT_OK;
}

static dt_status parse_row(text_reader *r, char **fields, size_t count)
{
    uint32_t ip = (uint32_t)r->n;
    int with_ip = parse_ipv4(fields[0], &ip);
    size_t first = with_ip ? 1 : 0;
    DT_CHECK(check_shape(r, with_ip, count - first));
    DT_CHECK(grow(r, r->dim));

    float *row = r->data + r->n * r->dim;
    for (size_t k = 0; k < r->dim; k++)
        DT_CHECK(parse_float(r, fields[first + k], first + k, &row[k]));
    r->ips[r->n++] = ip;
    return DT_OK;
}

/* A first row that starts with neither a number nor an address is a header. */
static int is_header(const text_reader *r, const char *first_field)
{
    uint32_t ip;
    char *end = NULL;
    if (r->n > 0 || r->with_ip >= 0)
        return 0;
    strtof(first_field, &end);
    return end == first_field && !parse_ipv4(first_field, &ip);
}

static dt_status read_lines(text_reader *r, FILE *f, size_t max_fields)
{
    char *line = NULL;
    size_t len = 0;
    char **fields = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&fields, max_fields, sizeof *fields, "text fields"));
    while (getline(&line, &len, f) >= 0) {
        r->line++;
        const char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        size_t count = split_fields(line, fields, max_fields);
        if (count == max_fields) {
            st = dt_fail(DT_ERR_FORMAT, "%s:%zu: more than %zu fields", r->path, r->line,
                         max_fields - 1);
            goto out;
        }
        if (count == 0 || is_header(r, fields[0]))
            continue;
        DT_CHECK_GOTO(st, parse_row(r, fields, count));
    }
    if (ferror(f))
        st = dt_fail(DT_ERR_IO, "%s: read error after line %zu", r->path, r->line);
out:
    free(line);
    free(fields);
    return st;
}

dt_status dt_vectors_text_read(const char *path, size_t *n, size_t *dim, uint32_t **ips,
                               float **data, int *has_ips)
{
    int use_stdin = strcmp(path, "-") == 0;
    FILE *f = use_stdin ? stdin : fopen(path, "r");
    if (!f)
        return dt_fail(DT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));

    text_reader r = {.path = use_stdin ? "(standard input)" : path, .with_ip = -1};
    dt_status st = read_lines(&r, f, 1 << 16);
    if (st == DT_OK && r.n == 0)
        st = dt_fail(DT_ERR_FORMAT, "%s: no vectors", r.path);
    if (!use_stdin)
        fclose(f);
    if (st != DT_OK) {
        free(r.ips);
        free(r.data);
        DT_CHECK(st);
    }
    *n = r.n;
    *dim = r.dim;
    *ips = r.ips;
    *data = r.data;
    *has_ips = r.with_ip == 1;
    return DT_OK;
}

int dt_vectors_is_netcdf(const char *path)
{
    static const unsigned char hdf5[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8] = {0};
    FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    if (got >= 4 && memcmp(head, "CDF", 3) == 0 && head[3] >= 1 && head[3] <= 5)
        return 1;
    return got == sizeof head && memcmp(head, hdf5, sizeof head) == 0;
}
