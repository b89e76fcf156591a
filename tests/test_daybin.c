/* Day binning: midnight, overlapping captures, late packets, the open-day cap; and the
 * stable time sort the corpus relies on, against a plain insertion sort. */
#include "corpus_helpers.h"
#include "dt_daybin.h"
#include "dt_rng.h"
#include "dt_test.h"
#include "dt_timesort.h"
#include "dt_u32map.h"

#include <stdlib.h>

DT_TEST_MAIN_STATE;

enum { MAX_DAYS = 16 };

/* What the sink saw. */
typedef struct {
    int n;
    int32_t day[MAX_DAYS];
    int64_t packets[MAX_DAYS];
    uint32_t seen[MAX_DAYS];
} received;

static dt_status record_day(void *ctx, dt_day *day)
{
    received *r = ctx;
    if (r->n < MAX_DAYS) {
        r->day[r->n] = day->day;
        r->packets[r->n] = day->packets;
        r->seen[r->n] = day->senders_seen;
    }
    r->n++;
    return DT_OK;
}

static dt_daybin *new_bin(received *r)
{
    dt_daybuild_params p = {0, 5, 2500, 10000};
    dt_daybin *bin = NULL;
    memset(r, 0, sizeof *r);
    CHECK(dt_daybin_new(&p, record_day, r, &bin) == DT_OK);
    return bin;
}

static void add(dt_daybin *bin, int64_t s, uint32_t src)
{
    dt_packet p = packet_at(s, 0, src, 80, DT_PROTO_TCP);
    CHECK(dt_daybin_add(bin, &p) == DT_OK);
}

/* One capture across midnight: the last nanosecond of a day and the first of the next. */
static void test_midnight(void)
{
    received r;
    dt_daybin *bin = new_bin(&r);
    CHECK(dt_daybin_begin_file(bin, TEST_DAY_NS - 10) == DT_OK);
    dt_packet p = packet_at(-1, 999999999, ip4(10, 0, 0, 1), 80, DT_PROTO_TCP);
    CHECK(dt_daybin_add(bin, &p) == DT_OK);
    add(bin, 0, ip4(10, 0, 0, 1));
    add(bin, 0, ip4(10, 0, 0, 2));
    add(bin, 86399, ip4(10, 0, 0, 3));
    CHECK(dt_daybin_finish(bin) == DT_OK);

    CHECK_EQ_INT(r.n, 2);
    CHECK_EQ_INT(r.day[0], TEST_DAY - 1);
    CHECK_EQ_INT(r.packets[0], 1);
    CHECK_EQ_INT(r.day[1], TEST_DAY);
    CHECK_EQ_INT(r.packets[1], 3);
    CHECK_EQ_INT(r.seen[1], 3);
    CHECK_EQ_INT(dt_daybin_late_total(bin), 0);
    dt_daybin_free(bin);
}

/* Capture 1 runs from 22:00 to 00:30; capture 2 starts at 00:10, so the earlier day is
 * finished when it begins but the later one is not. A packet of capture 2 at 23:59 comes
 * after its day was handed over: late. */
static void test_overlap_and_late(void)
{
    received r;
    dt_daybin *bin = new_bin(&r);
    CHECK(dt_daybin_begin_file(bin, TEST_DAY_NS - 7200LL * 1000000000LL) == DT_OK);
    add(bin, -7200, ip4(10, 0, 0, 1));
    add(bin, -60, ip4(10, 0, 0, 2));
    add(bin, 1800, ip4(10, 0, 0, 1));
    CHECK_EQ_INT(r.n, 0);

    CHECK(dt_daybin_begin_file(bin, TEST_DAY_NS + 600LL * 1000000000LL) == DT_OK);
    CHECK_EQ_INT(r.n, 1); /* the earlier day, handed over at the file boundary */
    add(bin, 600, ip4(10, 0, 0, 3));
    add(bin, -1, ip4(10, 0, 0, 4));
    add(bin, 700, ip4(10, 0, 0, 3));
    CHECK_EQ_INT(dt_daybin_take_late(bin), 1);
    CHECK_EQ_INT(dt_daybin_take_late(bin), 0);
    CHECK(dt_daybin_finish(bin) == DT_OK);

    CHECK_EQ_INT(r.n, 2);
    CHECK_EQ_INT(r.day[0], TEST_DAY - 1);
    CHECK_EQ_INT(r.packets[0], 2);
    CHECK_EQ_INT(r.packets[1], 3);
    CHECK_EQ_INT(r.seen[1], 2);
    CHECK_EQ_INT(dt_daybin_late_total(bin), 1);
    CHECK_EQ_INT(dt_daybin_days(bin), 2);
    dt_daybin_free(bin);
}

/* One capture of six days, going back once to each of the two days before: at most
 * DT_DAYBIN_MAX_OPEN days stay open and they are handed over in order, none lost. */
static void test_open_cap(void)
{
    received r;
    dt_daybin *bin = new_bin(&r);
    CHECK(dt_daybin_begin_file(bin, TEST_DAY_NS) == DT_OK);
    for (int d = 0; d < 6; d++) {
        add(bin, d * 86400 + 5, ip4(10, 0, 0, 1));
        if (d >= 2)
            add(bin, (d - 2) * 86400 + 9, ip4(10, 0, 0, 2));
    }
    CHECK_EQ_INT(r.n, 6 - DT_DAYBIN_MAX_OPEN);
    CHECK(dt_daybin_finish(bin) == DT_OK);
    CHECK_EQ_INT(r.n, 6);
    for (int d = 0; d < 6 && d < r.n; d++) {
        CHECK_EQ_INT(r.day[d], TEST_DAY + d);
        CHECK_EQ_INT(r.packets[d], d < 4 ? 2 : 1);
    }
    CHECK_EQ_INT(dt_daybin_late_total(bin), 0);
    dt_daybin_free(bin);
}

/* Random events with many equal times, in k interleaved runs, sorted both ways. */
static void test_timesort(dt_rng *rng, size_t n, int runs)
{
    dt_event *ev = NULL, *ref = NULL;
    CHECK(dt_malloc(&ev, n, sizeof *ev, "events") == DT_OK);
    CHECK(dt_malloc(&ref, n, sizeof *ref, "events") == DT_OK);
    for (size_t i = 0; i < n; i++) {
        int64_t base = runs > 0 ? (int64_t)(i % (size_t)runs) * 3 + (int64_t)(i / (size_t)runs)
                                : (int64_t)dt_rng_below(rng, 50);
        ev[i] = (dt_event){base, (uint32_t)i, 0};
        ref[i] = ev[i];
    }

    /* Insertion sort: stable by construction. */
    for (size_t i = 1; i < n; i++) {
        dt_event x = ref[i];
        size_t j = i;
        while (j > 0 && ref[j - 1].ts_ns > x.ts_ns) {
            ref[j] = ref[j - 1];
            j--;
        }
        ref[j] = x;
    }

    CHECK(dt_timesort(ev, n) == DT_OK);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        wrong += ev[i].ts_ns != ref[i].ts_ns || ev[i].sender != ref[i].sender;
    CHECK_EQ_INT(wrong, 0);
    CHECK(dt_timesort_is_sorted(ev, n));
    free(ev);
    free(ref);
}

/* Keys 0 and up interned through several doublings keep their insertion indexes and
 * values; unpacking lists them by index. */
static void test_u32map(void)
{
    enum { N = 100000 };
    dt_u32map m;
    CHECK(dt_u32map_init(&m, 0) == DT_OK);
    size_t wrong = 0;
    for (uint32_t round = 0; round < 2; round++)
        for (uint32_t i = 0; i < N; i++) {
            dt_u32map_slot *slot = NULL;
            int added = 0;
            uint32_t key = i * 2654435761u; /* key 0 first */
            wrong += dt_u32map_intern(&m, key, &slot, &added) != DT_OK;
            wrong += added != (round == 0) || slot->index1 != i + 1;
            slot->value += i;
        }
    CHECK_EQ_INT(wrong, 0);
    CHECK_EQ_INT(m.count, N);

    uint32_t *keys = NULL;
    uint64_t *values = NULL;
    CHECK(dt_malloc(&keys, N, sizeof *keys, "keys") == DT_OK);
    CHECK(dt_malloc(&values, N, sizeof *values, "values") == DT_OK);
    dt_u32map_unpack(&m, keys, values);
    for (uint32_t i = 0; i < N; i++)
        wrong += keys[i] != i * 2654435761u || values[i] != 2 * (uint64_t)i;
    CHECK_EQ_INT(wrong, 0);
    free(keys);
    free(values);
    dt_u32map_free(&m);
}

int main(void)
{
    test_u32map();
    test_midnight();
    test_overlap_and_late();
    test_open_cap();

    dt_rng rng;
    dt_rng_init(&rng, 7, 0, 0, 0);
    test_timesort(&rng, 1, 0);
    test_timesort(&rng, 2000, 0);
    test_timesort(&rng, 2000, 3);
    test_timesort(&rng, 1999, 7);
    return dt_test_finish("test_daybin");
}
