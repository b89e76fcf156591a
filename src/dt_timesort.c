/* Stable natural merge sort of packet events by time. */
#include "dt_timesort.h"

#include <stdlib.h>
#include <string.h>

int dt_timesort_is_sorted(const dt_event *ev, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (ev[i].ts_ns < ev[i - 1].ts_ns)
            return 0;
    return 1;
}

/* End of the ascending run that starts at begin. */
static size_t run_end(const dt_event *ev, size_t begin, size_t n)
{
    size_t i = begin + 1;
    while (i < n && ev[i].ts_ns >= ev[i - 1].ts_ns)
        i++;
    return i;
}

/* Merges a[0..na) and b[0..nb) into out; on equal times a comes first, which keeps the
 * merge stable because a precedes b in the input. */
static void merge(const dt_event *a, size_t na, const dt_event *b, size_t nb, dt_event *out)
{
    size_t i = 0, j = 0, k = 0;
    while (i < na && j < nb)
        out[k++] = b[j].ts_ns < a[i].ts_ns ? b[j++] : a[i++];
    memcpy(out + k, a + i, (na - i) * sizeof *a);
    memcpy(out + k + (na - i), b + j, (nb - j) * sizeof *b);
}

/* One pass: merges neighbouring runs of src pairwise into dst; returns the runs left. */
static size_t merge_pass(const dt_event *src, dt_event *dst, size_t n)
{
    size_t runs = 0;
    size_t begin = 0;
    while (begin < n) {
        size_t mid = run_end(src, begin, n);
        size_t end = mid < n ? run_end(src, mid, n) : n;
        merge(src + begin, mid - begin, src + mid, end - mid, dst + begin);
        runs++;
        begin = end;
    }
    return runs;
}

dt_status dt_timesort(dt_event *ev, size_t n)
{
    if (dt_timesort_is_sorted(ev, n))
        return DT_OK;

    dt_event *scratch = NULL;
    DT_CHECK(dt_malloc(&scratch, n, sizeof *scratch, "time-sort scratch"));

    /* Ping-pong between the two buffers until one run remains. */
    dt_event *src = ev, *dst = scratch;
    size_t runs;
    do {
        runs = merge_pass(src, dst, n);
        dt_event *t = src;
        src = dst;
        dst = t;
    } while (runs > 1);

    if (src != ev)
        memcpy(ev, src, n * sizeof *ev);
    free(scratch);
    return DT_OK;
}
