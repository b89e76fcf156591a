/* Expanding capture arguments into a list of files. */
#include "dt_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_DEPTH = 32 };

void dt_inputs_free(dt_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->paths[i]);
    free(in->paths);
    memset(in, 0, sizeof *in);
}

static dt_status push_path(dt_inputs *in, const char *path)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? 2 * in->cap : 16;
        DT_CHECK(dt_realloc(&in->paths, cap, sizeof *in->paths, "capture list"));
        in->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return dt_fail(DT_ERR_NOMEM, "out of memory listing %s", path);
    in->paths[in->n++] = copy;
    return DT_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static dt_status expand_path(dt_inputs *in, const char *path, int depth);

/* The visible entries of a directory, sorted by name. */
static dt_status list_directory(const char *dir, dt_inputs *names)
{
    DIR *d = opendir(dir);
    if (!d)
        return dt_fail(DT_ERR_IO, "%s: cannot read directory: %s", dir, strerror(errno));

    dt_status st = DT_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        DT_CHECK_GOTO(st, push_path(names, e->d_name));
    }
    qsort(names->paths, names->n, sizeof *names->paths, compare_names);

out:
    closedir(d);
    return st;
}

static dt_status expand_directory(dt_inputs *in, const char *dir, int depth)
{
    if (depth >= MAX_DEPTH)
        return dt_fail(DT_ERR_USAGE, "%s: directories nested more than %d deep (a link loop?)", dir,
                       MAX_DEPTH);

    dt_status st = DT_OK;
    dt_inputs names = {0};
    char *child = NULL;
    DT_CHECK_GOTO(st, list_directory(dir, &names));
    for (size_t i = 0; i < names.n; i++) {
        size_t len = strlen(dir) + strlen(names.paths[i]) + 2;
        DT_CHECK_GOTO(st, dt_realloc(&child, len, 1, "path"));
        const char *sep = dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/";
        snprintf(child, len, "%s%s%s", dir, sep, names.paths[i]);
        DT_CHECK_GOTO(st, expand_path(in, child, depth + 1));
    }

out:
    free(child);
    dt_inputs_free(&names);
    return st;
}

static dt_status expand_path(dt_inputs *in, const char *path, int depth)
{
    struct stat info;
    if (stat(path, &info) != 0)
        return dt_fail(DT_ERR_IO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(info.st_mode))
        return expand_directory(in, path, depth);
    if (depth > 0 && !S_ISREG(info.st_mode))
        return DT_OK; /* sockets, fifos and devices inside a directory are not captures */
    return push_path(in, path);
}

dt_status dt_inputs_expand(char *const *args, size_t n_args, dt_inputs *out)
{
    memset(out, 0, sizeof *out);
    dt_status st = DT_OK;
    int seen_stdin = 0;
    for (size_t i = 0; i < n_args; i++) {
        if (strcmp(args[i], "-") == 0) {
            if (seen_stdin) {
                st = dt_fail(DT_ERR_USAGE, "standard input ('-') can be read only once");
                goto out;
            }
            seen_stdin = 1;
            DT_CHECK_GOTO(st, push_path(out, "-"));
            continue;
        }
        DT_CHECK_GOTO(st, expand_path(out, args[i], 0));
    }
    if (out->n == 0)
        st = dt_fail(DT_ERR_USAGE, "no capture files found in the given %s",
                     n_args == 1 ? "directory" : "paths");

out:
    if (st != DT_OK)
        dt_inputs_free(out);
    return st;
}
