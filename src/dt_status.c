/* Failure messages and tracebacks, kept per thread. */
#include "dt_status.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DT_MESSAGE_MAX = 1024, DT_TRACE_MAX = 2048 };

static _Thread_local char error_message[DT_MESSAGE_MAX];
static _Thread_local char error_trace[DT_TRACE_MAX];
static _Thread_local size_t error_trace_len;

dt_status dt_fail(dt_status code, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(error_message, sizeof error_message, fmt, args);
    va_end(args);

    error_trace[0] = '\0';
    error_trace_len = 0;
    return code;
}

void dt_error_trace(const char *func, const char *file, int line)
{
    if (error_trace_len >= sizeof error_trace - 1)
        return;

    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    int written = snprintf(error_trace + error_trace_len, sizeof error_trace - error_trace_len,
                           "  at %s (%s:%d)\n", func, base, line);
    if (written > 0)
        error_trace_len += (size_t)written;
    if (error_trace_len >= sizeof error_trace)
        error_trace_len = sizeof error_trace - 1;
}

const char *dt_error_message(void)
{
    return error_message;
}

const char *dt_error_traceback(void)
{
    return error_trace;
}

void dt_error_clear(void)
{
    error_message[0] = '\0';
    error_trace[0] = '\0';
    error_trace_len = 0;
}

const char *dt_status_name(dt_status code)
{
    switch (code) {
    case DT_OK:
        return "success";
    case DT_ERR_USAGE:
        return "usage error";
    case DT_ERR_IO:
        return "input/output error";
    case DT_ERR_FORMAT:
        return "input format error";
    case DT_ERR_NOMEM:
        return "out of memory";
    case DT_ERR_MISMATCH:
        return "parameter mismatch";
    case DT_ERR_MPI:
        return "MPI error";
    case DT_ERR_INTERNAL:
        return "internal error";
    case DT_ERR_INTERRUPTED:
        return "interrupted";
    }
    return "unknown error";
}

static int size_overflows(size_t count, size_t size)
{
    return size != 0 && count > SIZE_MAX / size;
}

dt_status dt_malloc(void *ptr_out, size_t count, size_t size, const char *what)
{
    void *p = NULL;
    if (!size_overflows(count, size))
        p = malloc(count * size > 0 ? count * size : 1);
    if (!p)
        return dt_fail(DT_ERR_NOMEM, "out of memory allocating %zu x %zu bytes for %s", count, size,
                       what);
    memcpy(ptr_out, &p, sizeof p);
    return DT_OK;
}

dt_status dt_calloc(void *ptr_out, size_t count, size_t size, const char *what)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        return dt_fail(DT_ERR_NOMEM, "out of memory allocating %zu x %zu bytes for %s", count, size,
                       what);
    memcpy(ptr_out, &p, sizeof p);
    return DT_OK;
}

dt_status dt_realloc(void *ptr_inout, size_t count, size_t size, const char *what)
{
    void *old;
    memcpy(&old, ptr_inout, sizeof old);
    void *p = NULL;
    if (!size_overflows(count, size))
        p = realloc(old, count * size > 0 ? count * size : 1);
    if (!p)
        return dt_fail(DT_ERR_NOMEM, "out of memory growing %s to %zu x %zu bytes", what, count,
                       size);
    memcpy(ptr_inout, &p, sizeof p);
    return DT_OK;
}
