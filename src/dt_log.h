/* Levelled logging on stderr. Only rank 0 speaks, except for errors. */
#ifndef DT_LOG_H
#define DT_LOG_H

typedef enum {
    DT_LOG_ERROR = 0,
    DT_LOG_WARN = 1,
    DT_LOG_INFO = 2,
    DT_LOG_DEBUG = 3,
    DT_LOG_TRACE = 4
} dt_log_level;

/* Sets the level (default DT_LOG_INFO) and this process's MPI rank (default 0). Ranks
 * other than 0 print errors only. */
void dt_log_init(dt_log_level level, int rank);

dt_log_level dt_log_get_level(void);

/* 1 when a message of this level would be printed by this process. */
int dt_log_enabled(dt_log_level level);

/* Prints "darktrack: <level>: message" (or "darktrack[rank]: ..." off rank 0). */
void dt_log(dt_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define dt_error(...) dt_log(DT_LOG_ERROR, __VA_ARGS__)
#define dt_warn(...) dt_log(DT_LOG_WARN, __VA_ARGS__)
#define dt_info(...) dt_log(DT_LOG_INFO, __VA_ARGS__)
#define dt_debug(...) dt_log(DT_LOG_DEBUG, __VA_ARGS__)

/* Prints the current failure (dt_error_message) and, at debug level, its traceback. */
void dt_log_failure(void);

/* Wall-clock seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double dt_wall_seconds(void);

#endif
