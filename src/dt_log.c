/* Levelled logging on stderr. */
#include "dt_log.h"

#include "dt_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static dt_log_level current_level = DT_LOG_INFO;
static int current_rank = 0;

void dt_log_init(dt_log_level level, int rank)
{
    current_level = level;
    current_rank = rank;
}

dt_log_level dt_log_get_level(void)
{
    return current_level;
}

int dt_log_enabled(dt_log_level level)
{
    if (level == DT_LOG_ERROR)
        return 1;
    return current_rank == 0 && level <= current_level;
}

static const char *level_prefix(dt_log_level level)
{
    switch (level) {
    case DT_LOG_ERROR:
        return "error: ";
    case DT_LOG_WARN:
        return "warning: ";
    case DT_LOG_INFO:
        return "";
    case DT_LOG_DEBUG:
        return "debug: ";
    case DT_LOG_TRACE:
        return "trace: ";
    }
    return "";
}

void dt_log(dt_log_level level, const char *fmt, ...)
{
    if (!dt_log_enabled(level))
        return;

    char line[2048];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);

    /* One fprintf per line keeps lines from different ranks whole. */
    if (current_rank == 0)
        fprintf(stderr, "darktrack: %s%s\n", level_prefix(level), line);
    else
        fprintf(stderr, "darktrack[%d]: %s%s\n", current_rank, level_prefix(level), line);
}

void dt_log_failure(void)
{
    dt_log(DT_LOG_ERROR, "%s", dt_error_message());
    if (dt_log_enabled(DT_LOG_DEBUG) && dt_error_traceback()[0])
        fprintf(stderr, "%s", dt_error_traceback());
}

double dt_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
