/* Reads the scanners ground-truth CSV and groups its addresses into per-class /24 blocks. */
#include "synth_scanners.h"

#include "synth_addr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t ip;
    char cls[32];
} scanner_row;

/* Cuts blanks off both ends of text in place (the published list has "a.b.c.d ,class"). */
static char *trim(char *text)
{
    text += strspn(text, " \t");
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        text[--n] = '\0';
    return text;
}

/* Splits one line "ip,class" into a row; returns 0 and fills why when it is malformed. */
static int parse_row(char *line, scanner_row *row, const char **why)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *comma = strchr(line, ',');
    if (comma == NULL) {
        *why = "expected \"ip,class\"";
        return 0;
    }
    *comma = '\0';

    const char *cls = trim(comma + 1);
    line = trim(line);
    if (!synth_addr_parse(line, &row->ip) || row->ip == 0) {
        *why = "the address is not a dotted quad";
        return 0;
    }
    if (cls[0] == '\0' || strlen(cls) >= sizeof row->cls || strchr(cls, ',') != NULL) {
        *why = "the class is empty, has a comma or is longer than 31 characters";
        return 0;
    }
    memcpy(row->cls, cls, strlen(cls) + 1);
    return 1;
}

static int compare_rows(const void *a, const void *b)
{
    const scanner_row *x = a, *y = b;
    int by_class = strcmp(x->cls, y->cls);
    if (by_class != 0)
        return by_class;
    return (x->ip > y->ip) - (x->ip < y->ip);
}

static int compare_blocks(const void *a, const void *b)
{
    const synth_block *x = a, *y = b;
    int by_class = strcmp(x->cls, y->cls);
    if (by_class != 0)
        return by_class;
    if (x->n_ips != y->n_ips)
        return x->n_ips < y->n_ips ? 1 : -1;
    return (x->prefix > y->prefix) - (x->prefix < y->prefix);
}

/* Reads every row of the open file into a growing array. */
static dt_status read_rows(FILE *f, const char *path, scanner_row **rows, size_t *n_rows)
{
    char line[256];
    size_t capacity = 0;
    long line_no = 0;

    while (fgets(line, sizeof line, f) != NULL) {
        line_no++;
        if (strchr(line, '\n') == NULL && !feof(f))
            return dt_fail(DT_ERR_FORMAT, "%s:%ld: line longer than %zu characters", path, line_no,
                           sizeof line - 2);
        if (line_no == 1 && strncmp(line, "ip,", 3) == 0)
            continue;
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;

        if (*n_rows == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            DT_CHECK(dt_realloc(rows, capacity, sizeof **rows, "scanner rows"));
        }
        const char *why = "";
        if (!parse_row(line, &(*rows)[*n_rows], &why))
            return dt_fail(DT_ERR_FORMAT, "%s:%ld: %s", path, line_no, why);
        (*n_rows)++;
    }
    if (ferror(f))
        return dt_fail(DT_ERR_IO, "%s: read error after line %ld", path, line_no);
    return DT_OK;
}

/* Cuts the sorted rows into blocks of one class and one /24. */
static dt_status make_blocks(const scanner_row *rows, size_t n_rows, synth_scanners *out)
{
    DT_CHECK(dt_calloc(&out->blocks, n_rows, sizeof *out->blocks, "scanner blocks"));
    for (size_t i = 0; i < n_rows;) {
        size_t j = i;
        while (j < n_rows && strcmp(rows[j].cls, rows[i].cls) == 0 &&
               (rows[j].ip >> 8) == (rows[i].ip >> 8))
            j++;

        synth_block *block = &out->blocks[out->n_blocks++];
        memcpy(block->cls, rows[i].cls, sizeof block->cls);
        block->prefix = rows[i].ip & 0xffffff00u;
        DT_CHECK(dt_malloc(&block->ips, j - i, sizeof *block->ips, "block addresses"));
        for (size_t k = i; k < j; k++) {
            if (k > i && rows[k].ip == rows[k - 1].ip)
                continue;
            block->ips[block->n_ips++] = rows[k].ip;
        }
        i = j;
    }
    return DT_OK;
}

dt_status synth_scanners_load(const char *path, synth_scanners *out, int *found)
{
    memset(out, 0, sizeof *out);
    *found = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT)
            return DT_OK;
        return dt_fail(DT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    *found = 1;

    scanner_row *rows = NULL;
    size_t n_rows = 0;
    dt_status st;
    DT_CHECK_GOTO(st, read_rows(f, path, &rows, &n_rows));
    qsort(rows, n_rows, sizeof *rows, compare_rows);
    DT_CHECK_GOTO(st, make_blocks(rows, n_rows, out));
    qsort(out->blocks, out->n_blocks, sizeof *out->blocks, compare_blocks);

out:
    free(rows);
    fclose(f);
    if (st != DT_OK)
        synth_scanners_free(out);
    return st;
}

void synth_scanners_free(synth_scanners *scanners)
{
    for (size_t i = 0; i < scanners->n_blocks; i++)
        free(scanners->blocks[i].ips);
    free(scanners->blocks);
    memset(scanners, 0, sizeof *scanners);
}
