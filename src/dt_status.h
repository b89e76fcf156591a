/* One status type for the whole program, with a message and a short traceback. */
#ifndef DT_STATUS_H
#define DT_STATUS_H

/*
 * Every fallible function returns a dt_status. On failure the innermost function
 * records a message with dt_fail() (what was expected, what was found, and where:
 * file, packet number, byte offset, day); every caller on the way up adds its frame
 * through DT_CHECK, so the user sees the message and a short traceback.
 *
 * The numeric values are also darktrack's exit codes (docs/usage.md).
 */
typedef enum {
    DT_OK = 0,
    DT_ERR_USAGE = 2,      /* bad command line or configuration */
    DT_ERR_IO = 3,         /* a file could not be opened, read or written */
    DT_ERR_FORMAT = 4,     /* an input is not what it claims to be, or is damaged */
    DT_ERR_NOMEM = 5,      /* out of memory */
    DT_ERR_MISMATCH = 6,   /* a history or checkpoint written with other parameters */
    DT_ERR_MPI = 7,        /* a collective failed or another rank failed */
    DT_ERR_INTERNAL = 8,   /* a broken invariant: a bug in darktrack */
    DT_ERR_INTERRUPTED = 9 /* stopped by a signal at a day boundary; resumable */
} dt_status;

/* Records a failure message (printf format) and returns code; replaces any earlier one. */
dt_status dt_fail(dt_status code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds the calling frame to the traceback of the current failure. */
void dt_error_trace(const char *func, const char *file, int line);

/* The current failure message and traceback, "" when none. Valid until the next call. */
const char *dt_error_message(void);
const char *dt_error_traceback(void);

/* Forgets the current failure. */
void dt_error_clear(void);

/* A short name for a status code, e.g. "input format error". */
const char *dt_status_name(dt_status code);

/* Returns from the calling function when expr fails, adding the frame. */
#define DT_CHECK(expr)                                                                             \
    do {                                                                                           \
        dt_status dt_check_status_ = (expr);                                                       \
        if (dt_check_status_ != DT_OK) {                                                           \
            dt_error_trace(__func__, __FILE__, __LINE__);                                          \
            return dt_check_status_;                                                               \
        }                                                                                          \
    } while (0)

/* Stores the status of expr in st and jumps to the cleanup label `out` when it fails. */
#define DT_CHECK_GOTO(st, expr)                                                                    \
    do {                                                                                           \
        (st) = (expr);                                                                             \
        if ((st) != DT_OK) {                                                                       \
            dt_error_trace(__func__, __FILE__, __LINE__);                                          \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* Allocation helpers that record DT_ERR_NOMEM with what was being allocated. */
#include <stddef.h>
dt_status dt_malloc(void *ptr_out, size_t count, size_t size, const char *what);
dt_status dt_calloc(void *ptr_out, size_t count, size_t size, const char *what);
dt_status dt_realloc(void *ptr_inout, size_t count, size_t size, const char *what);

#endif
