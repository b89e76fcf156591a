/* Damaged histories: bytes flipped anywhere are either refused with a message naming the
 * file, or fell in unused space; never different data read back, never a crash. */
#include "dt_history.h"
#include "dt_test.h"
#include "history_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

enum { DAYS = 6, SENDERS = 30, DIM = 16 };

static int write_history(const char *path)
{
    dt_params p;
    dt_params_defaults(&p);
    p.save_embeddings = 1;
    p.dim = DIM;
    dt_history_run run = {1, "test_history_damage", NULL, "censys,mirai,shodan"};
    dt_history *h = NULL;
    if (dt_history_open(path, &p, &run, &h) != DT_OK)
        return -1;
    for (int k = 0; k < DAYS; k++) {
        fixture_day d;
        fixture_make(k, SENDERS, DIM, &d);
        dt_status st = dt_history_commit(h, &d.record);
        fixture_free(&d);
        if (st != DT_OK)
            return -1;
    }
    return dt_history_close(h) == DT_OK ? 0 : -1;
}

/* Reads every day: DT_OK with *same set when all equal the fixture. */
static dt_status read_all_days(const char *path, int *same)
{
    dt_history_reader *r = NULL;
    *same = 0;
    DT_CHECK(dt_history_reader_open(path, &r));
    size_t n = 0;
    dt_history_reader_days(r, &n);
    dt_status st = DT_OK;
    *same = n == DAYS;
    for (size_t k = 0; st == DT_OK && k < n; k++) {
        fixture_day want;
        dt_history_day got;
        fixture_make((int)k, SENDERS, DIM, &want);
        st = dt_history_read_day(r, k, &got);
        *same = *same && (st != DT_OK || fixture_same(&want.record, &got.record));
        dt_history_day_free(&got);
        fixture_free(&want);
    }
    dt_history_reader_close(r);
    return st;
}

static void flip_and_read(const char *bad, char *bytes, size_t len, size_t at, int *found)
{
    for (size_t b = at; b < at + 48 && b < len; b++)
        bytes[b] ^= 0x5a;
    FILE *f = fopen(bad, "wb");
    fwrite(bytes, 1, len, f);
    fclose(f);
    for (size_t b = at; b < at + 48 && b < len; b++)
        bytes[b] ^= 0x5a;

    int same = 0;
    dt_status st = read_all_days(bad, &same);
    if (st == DT_OK && !same)
        fprintf(stderr, "flip at %zu: different data read back silently\n", at);
    CHECK(st != DT_OK || same);
    CHECK(st == DT_OK || strstr(dt_error_message(), bad) != NULL);
    *found += st != DT_OK;
    dt_error_clear();
}

int main(void)
{
    char dir[64], good[128], bad[128];
    snprintf(dir, sizeof dir, "/tmp/dt-damage-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(good, sizeof good, "%s/good.nc", dir);
    snprintf(bad, sizeof bad, "%s/flipped.nc", dir);
    CHECK(write_history(good) == 0);

    size_t len = 0;
    char *bytes = dt_test_slurp(good, &len);
    int found = 0, tries = 60;
    for (int i = 1; bytes && i < tries; i++)
        flip_and_read(bad, bytes, len, len * (size_t)i / (size_t)tries, &found);
    fprintf(stderr, "damage scan: %d of %d flips found, the rest in unused space\n", found,
            tries - 1);
    CHECK(found > 10);

    free(bytes);
    remove(good);
    remove(bad);
    rmdir(dir);
    return dt_test_finish("test_history_damage");
}
