/* A minimal test harness: checks that count, report where they fail, and an exit code. */
#ifndef DT_TEST_H
#define DT_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int dt_test_failures;
extern int dt_test_checks;

#define DT_TEST_MAIN_STATE                                                                         \
    int dt_test_failures = 0;                                                                      \
    int dt_test_checks = 0

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        dt_test_checks++;                                                                          \
        if (!(cond)) {                                                                             \
            dt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
    do {                                                                                           \
        long long dt_a_ = (long long)(a), dt_b_ = (long long)(b);                                  \
        dt_test_checks++;                                                                          \
        if (dt_a_ != dt_b_) {                                                                      \
            dt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, #b,  \
                    dt_a_, dt_b_);                                                                 \
        }                                                                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double dt_a_ = (double)(a), dt_b_ = (double)(b);                                           \
        dt_test_checks++;                                                                          \
        if (!(fabs(dt_a_ - dt_b_) <= (tol))) {                                                     \
            dt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: |%s - %s| <= %g failed: %.9g vs %.9g\n", __FILE__, __LINE__,   \
                    #a, #b, (double)(tol), dt_a_, dt_b_);                                          \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *dt_a_ = (a), *dt_b_ = (b);                                                     \
        dt_test_checks++;                                                                          \
        if (!dt_a_ || !dt_b_ || strcmp(dt_a_, dt_b_) != 0) {                                       \
            dt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a,  \
                    #b, dt_a_ ? dt_a_ : "(null)", dt_b_ ? dt_b_ : "(null)");                       \
        }                                                                                          \
    } while (0)

/* A whole file in a new buffer (caller frees) and its length in *len; NULL when the file
 * cannot be read. Tests use it to prove that a refused file kept its bytes. */
static inline char *dt_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    *len = buf ? fread(buf, 1, (size_t)size, f) : 0;
    fclose(f);
    return buf;
}

/* Prints the tally and gives main's return value. */
static inline int dt_test_finish(const char *name)
{
    fprintf(stderr, "%s: %d checks, %d failed\n", name, dt_test_checks, dt_test_failures);
    if (dt_test_checks == 0)
        return 1; /* a test that checked nothing has not passed */
    return dt_test_failures == 0 ? 0 : 1;
}

#endif
