/* Reading a history first in a child process, so a damaged file that crashes the HDF5
 * library costs a message, not the run. */
#include "dt_history_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's exit codes; anything else means it died (a signal, or a sanitizer's exit). */
enum { PROBE_READ = 0, PROBE_FAILED = 42 };

/* Reads every variable but the embeddings (their size can be gigabytes, and a chunk of
 * them that is damaged is found by its checksum when read). */
static int read_everything(const char *path)
{
    dt_history_reader *r = NULL;
    if (dt_hist_reader_open_trusted(path, &r) != DT_OK)
        return PROBE_FAILED;
    size_t n = 0;
    dt_history_reader_days(r, &n);
    uint32_t *ip = NULL;
    int32_t *cluster = NULL;
    size_t cap = 0, count = 0;
    int failed = 0;
    for (size_t i = 0; i < n && !failed; i++) {
        dt_history_day day;
        failed = dt_history_read_summary(r, i, &day) != DT_OK ||
                 dt_history_read_senders(r, i, &ip, &cluster, &cap, &count) != DT_OK;
        dt_history_day_free(&day);
    }
    free(ip);
    free(cluster);
    dt_history_reader_close(r);
    return failed ? PROBE_FAILED : PROBE_READ;
}

dt_status dt_hist_probe(const char *path)
{
    fflush(NULL); /* the child must not write the parent's buffered output twice */
    pid_t pid = fork();
    if (pid < 0)
        return DT_OK; /* no probe possible: the caller's own open still checks */
    if (pid == 0) {
        /* A crash is expected here on some damaged files: keep its dying words quiet. */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDERR_FILENO);
        setenv("LIBC_FATAL_STDERR_", "1", 1);
        _exit(read_everything(path));
    }

    int status = 0;
    pid_t done;
    do
        done = waitpid(pid, &status, 0);
    while (done < 0 && errno == EINTR);
    int survived = WIFEXITED(status) &&
                   (WEXITSTATUS(status) == PROBE_READ || WEXITSTATUS(status) == PROBE_FAILED);
    if (done == pid && !survived)
        return dt_fail(DT_ERR_FORMAT,
                       "%s: damaged history: reading it crashed the netCDF/HDF5 library in a "
                       "test process (%s %d); left untouched",
                       path, WIFSIGNALED(status) ? "signal" : "exit status",
                       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return DT_OK; /* read errors, if any, come again with their message in the caller */
}
