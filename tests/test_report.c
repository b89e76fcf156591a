/* The report's model: totals per day, a split counted once, the day a reappeared id was last
 * seen, and the text's order, on a small hand-built history. */
#include "dt_history.h"
#include "dt_report.h"
#include "dt_test.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static dt_cluster_row cluster(int32_t id, int32_t size, float sil, uint8_t origin, int novel)
{
    return (dt_cluster_row){id, size, sil, origin, (uint8_t)novel, -1, NAN, {23}, {6}, {0.61f}};
}

/* Day 0: clusters 5 and 6. Day 1: 6 survives, 5 splits into 8 and 9. Day 2: 5 comes back,
 * 6 survives, 7 is new; 8 and 9 disappear. Senders: 20 a day, ids as listed. */
static void write_history(const char *path)
{
    dt_params p;
    dt_params_defaults(&p);
    dt_history_run run = {1, "test_report", NULL, "censys,mirai"};
    dt_history *h = NULL;
    CHECK_EQ_INT(dt_history_open(path, &p, &run, &h), DT_OK);

    static const int32_t ids[3][20] = {
        {5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, -1, -1, -1, -1},
        {6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 8, 8, 8, 9, 9, 9, -1, -1, -1, -1},
        {5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, -1, -1}};
    uint32_t ip[20];
    int32_t packets[20];
    for (int i = 0; i < 20; i++) {
        ip[i] = 0x0A000001u + (uint32_t)i;
        packets[i] = 10;
    }
    dt_cluster_row c0[] = {cluster(5, 6, 0.5f, DT_EMERGED, 0), cluster(6, 10, 0.8f, DT_EMERGED, 0)};
    dt_cluster_row c1[] = {cluster(6, 10, 0.7f, DT_SURVIVED, 0), cluster(8, 3, 0.4f, DT_EMERGED, 1),
                           cluster(9, 3, 0.4f, DT_EMERGED, 1)};
    dt_cluster_row c2[] = {cluster(5, 4, 0.9f, DT_REAPPEARED, 0),
                           cluster(6, 8, 0.6f, DT_SURVIVED, 0), cluster(7, 6, 0.3f, DT_EMERGED, 1)};
    dt_transition t1[] = {{5, 8, DT_SPLIT, 0.5f},
                          {6, 6, DT_SURVIVED, 1.0f},
                          {5, 9, DT_SPLIT, 0.5f}, /* apart from its twin on purpose */
                          {-1, 8, DT_EMERGED, NAN},
                          {-1, 9, DT_EMERGED, NAN}};
    dt_transition t2[] = {{6, 6, DT_SURVIVED, 0.8f},
                          {8, -1, DT_DISAPPEARED, NAN},
                          {9, -1, DT_DISAPPEARED, NAN},
                          {5, 5, DT_REAPPEARED, 0.7f},
                          {-1, 7, DT_EMERGED, NAN}};
    const dt_cluster_row *clusters[3] = {c0, c1, c2};
    const dt_transition *moves[3] = {NULL, t1, t2};
    size_t n_clusters[3] = {2, 3, 3}, n_moves[3] = {0, 5, 5};
    for (int k = 0; k < 3; k++) {
        dt_day_record d = {
            20454 + k, 1000 + k,      30,          20,         20,      ip, packets, ids[k], NULL,
            0,         n_clusters[k], clusters[k], n_moves[k], moves[k]};
        CHECK_EQ_INT(dt_history_commit(h, &d), DT_OK);
    }
    dt_history_close(h);
}

static void test_totals(const char *path)
{
    dt_report r;
    CHECK_EQ_INT(dt_report_load(path, INT32_MIN, &r), DT_OK);
    CHECK_EQ_INT(r.n_days, 3);
    CHECK_EQ_INT(r.focus, 2);

    const dt_report_day *d1 = &r.days[1];
    CHECK_EQ_INT(d1->split, 1); /* cluster 5, into two targets */
    CHECK_EQ_INT(d1->survived, 1);
    CHECK_EQ_INT(d1->emerged, 2);
    CHECK_EQ_INT(d1->novel, 2);
    CHECK_EQ_INT(d1->noise, 4);
    CHECK_NEAR(d1->silhouette, (0.7 * 10 + 0.4 * 3 + 0.4 * 3) / 16, 1e-6);

    const dt_report_day *d2 = &r.days[2];
    CHECK_EQ_INT(d2->reappeared, 1);
    CHECK_EQ_INT(d2->disappeared, 2);
    CHECK_EQ_INT(d2->noise, 2);
    CHECK_EQ_INT(d2->packets, 1002);

    /* 5 was last listed on day 0, 6 on day 1, 7 never. */
    CHECK_EQ_INT(r.last_seen[0], 20454);
    CHECK_EQ_INT(r.last_seen[1], 20455);
    CHECK_EQ_INT(r.last_seen[2], INT32_MIN);
    dt_report_free(&r);

    CHECK_EQ_INT(dt_report_load(path, 20455, &r), DT_OK);
    CHECK_EQ_INT(r.focus, 1);
    CHECK_EQ_INT(r.last_seen[0], 20454); /* cluster 6 on day 1 */
    dt_report_free(&r);
    CHECK_EQ_INT(dt_report_load(path, 20460, &r), DT_ERR_USAGE);
    CHECK(strstr(dt_error_message(), "2026-01-01 to 2026-01-03") != NULL);
    dt_error_clear();
}

static void test_text(const char *path, const char *out_path)
{
    dt_report r;
    CHECK_EQ_INT(dt_report_load(path, INT32_MIN, &r), DT_OK);
    FILE *f = fopen(out_path, "w+");
    dt_report_text(&r, f);
    long len = ftell(f);
    rewind(f);
    char *text = calloc((size_t)len + 1, 1);
    CHECK(fread(text, 1, (size_t)len, f) == (size_t)len);
    fclose(f);

    const char *novel = strstr(text, "Novel clusters (1)");
    const char *back = strstr(text, "Reappeared clusters (1)");
    const char *survivors = strstr(text, "Survivors (1)");
    CHECK(novel && back && survivors && novel < back && back < survivors);
    CHECK(back && strstr(back, "2026-01-01") != NULL); /* 5 last seen on day 0 */
    CHECK(strstr(text, "23/tcp 61%") != NULL);
    CHECK(strstr(text, "       5  ->  5         reappeared") != NULL);
    CHECK(strstr(text, "       8  ->  -         disappeared") != NULL);
    free(text);
    dt_report_free(&r);
}

int main(int argc, char **argv)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/dt-report-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    char path[128], out[128];
    snprintf(path, sizeof path, "%s/h.nc", dir);
    snprintf(out, sizeof out, "%s/report.txt", dir);

    write_history(path);
    test_totals(path);
    test_text(path, out);

    (void)argv;
    if (argc > 1) /* keep the history for a look: test_report keep */
        fprintf(stderr, "kept %s\n", path);
    else if (dt_test_failures == 0) {
        remove(path);
        remove(out);
        rmdir(dir);
    }
    return dt_test_finish("test_report");
}
