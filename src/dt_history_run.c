/* The run's own line in the history: its command line, quoted so it can be pasted back. */
#include "dt_history.h"

#include <stdlib.h>
#include <string.h>

/* Characters a POSIX shell reads literally outside quotes. */
static int plain(const char *arg)
{
    if (!*arg)
        return 0;
    for (const char *p = arg; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "-_./=:,+@%",
                    *p))
            return 0;
    return 1;
}

/* Appends arg to out at *used: as is, or in single quotes with ' written as '\''. */
static void append_quoted(char *out, size_t *used, const char *arg)
{
    if (plain(arg)) {
        size_t n = strlen(arg);
        memcpy(out + *used, arg, n);
        *used += n;
        return;
    }
    out[(*used)++] = '\'';
    for (const char *p = arg; *p; p++) {
        if (*p == '\'') {
            memcpy(out + *used, "'\\''", 4);
            *used += 4;
        } else {
            out[(*used)++] = *p;
        }
    }
    out[(*used)++] = '\'';
}

dt_status dt_history_command_line(int argc, char **argv, char **out)
{
    size_t size = 1;
    for (int i = 0; i < argc; i++)
        size += 4 * strlen(argv[i]) + 3; /* every character quoted, plus quotes and a space */
    DT_CHECK(dt_malloc(out, size, 1, "command line"));

    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            (*out)[used++] = ' ';
        append_quoted(*out, &used, argv[i]);
    }
    (*out)[used] = '\0';
    return DT_OK;
}
