/* Expanding the capture arguments of a command: files, directories (recursively) and "-". */
#ifndef DT_INPUTS_H
#define DT_INPUTS_H

#include "dt_status.h"

#include <stddef.h>

typedef struct {
    char **paths; /* owned strings */
    size_t n;
    size_t cap;
} dt_inputs;

/* Expands args into capture paths: a file is taken as given, a directory contributes every
 * regular file below it (names starting with '.' skipped, entries sorted by name, symbolic
 * links followed up to 32 levels deep), "-" stands for standard input and may appear once.
 * Errors: DT_ERR_IO naming a path that does not exist or a directory that cannot be read,
 * DT_ERR_USAGE for "-" given twice or when nothing is left to read. */
dt_status dt_inputs_expand(char *const *args, size_t n_args, dt_inputs *out);

void dt_inputs_free(dt_inputs *in);

#endif
