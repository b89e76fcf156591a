/* The history: days written and read back, resume, and refusal of foreign or damaged files. */
#include "dt_day.h"
#include "dt_history.h"
#include "dt_report.h"
#include "dt_test.h"
#include "history_fixture.h"

#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

static char dir[64];

static void path_in_dir(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static dt_history_run run_of(int ranks)
{
    return (dt_history_run){ranks, "darktrack run -o h.nc day1.pcap", "day1.pcap\nday2.pcap",
                            "censys,mirai,shodan"};
}

static void commit_days(dt_history *h, int first, int last, int senders, int dim)
{
    for (int k = first; k <= last; k++) {
        fixture_day d;
        CHECK(fixture_make(k, senders, dim, &d) == 0);
        dt_status st = dt_history_commit(h, &d.record);
        if (st != DT_OK)
            fprintf(stderr, "commit: %s\n", dt_error_message());
        CHECK_EQ_INT(st, DT_OK);
        fixture_free(&d);
    }
}

/* Every day of the file equals the fixture's day. */
static void check_content(const char *path, int n_days, int senders, int dim)
{
    dt_history_reader *r = NULL;
    CHECK_EQ_INT(dt_history_reader_open(path, &r), DT_OK);
    if (!r)
        return;
    size_t n = 0;
    const int32_t *days = dt_history_reader_days(r, &n);
    CHECK_EQ_INT(n, n_days);
    for (size_t k = 0; k < n && (int)k < n_days; k++) {
        CHECK_EQ_INT(days[k], FIXTURE_FIRST_DAY + (int)k);
        fixture_day want;
        dt_history_day got;
        CHECK(fixture_make((int)k, senders, dim, &want) == 0);
        CHECK_EQ_INT(dt_history_read_day(r, k, &got), DT_OK);
        CHECK(fixture_same(&want.record, &got.record));
        dt_history_day_free(&got);
        fixture_free(&want);
    }
    dt_history_reader_close(r);
}

static void test_roundtrip(int dim)
{
    char path[128];
    path_in_dir(path, sizeof path, dim ? "emb.nc" : "plain.nc");
    dt_params p;
    dt_params_defaults(&p);
    p.save_embeddings = dim > 0;
    p.dim = dim > 0 ? dim : 200;
    dt_history_run run = run_of(2);

    dt_history *h = NULL;
    dt_status st = dt_history_open(path, &p, &run, &h);
    if (st != DT_OK)
        fprintf(stderr, "open: %s\n", dt_error_message());
    CHECK_EQ_INT(st, DT_OK);
    if (!h)
        return;
    size_t n = 99;
    dt_history_days(h, &n);
    CHECK_EQ_INT(n, 0);
    commit_days(h, 0, 5, 30, dim);
    int32_t last = 0;
    CHECK(dt_history_last_day(h, &last));
    CHECK_EQ_INT(last, FIXTURE_FIRST_DAY + 5);
    CHECK_EQ_INT(dt_history_close(h), DT_OK);

    char shadow[160];
    snprintf(shadow, sizeof shadow, "%s.shadow", path);
    CHECK(access(shadow, F_OK) != 0); /* close tidies up */
    check_content(path, 6, 30, dim);
}

static void test_resume_and_senders(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "resume.nc");
    dt_params p;
    dt_params_defaults(&p);
    dt_history_run run = run_of(1);

    dt_history *h = NULL;
    CHECK_EQ_INT(dt_history_open(path, &p, &run, &h), DT_OK);
    commit_days(h, 0, 2, 20, 0);
    CHECK_EQ_INT(dt_history_close(h), DT_OK);

    CHECK_EQ_INT(dt_history_open(path, &p, &run, &h), DT_OK);
    size_t n = 0;
    const int32_t *days = dt_history_days(h, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(days[2], FIXTURE_FIRST_DAY + 2);
    CHECK(dt_history_has_day(h, FIXTURE_FIRST_DAY + 1));
    CHECK(!dt_history_has_day(h, FIXTURE_FIRST_DAY + 3));

    fixture_day old;
    CHECK(fixture_make(1, 20, 0, &old) == 0);
    CHECK_EQ_INT(dt_history_commit(h, &old.record), DT_ERR_INTERNAL); /* days go forward */
    fixture_free(&old);
    commit_days(h, 3, 6, 20, 0);
    CHECK_EQ_INT(dt_history_close(h), DT_OK);
    check_content(path, 7, 20, 0);

    /* The sender reader reuses its buffers across days. */
    dt_history_reader *r = NULL;
    CHECK_EQ_INT(dt_history_reader_open(path, &r), DT_OK);
    uint32_t *ip = NULL;
    int32_t *cluster = NULL;
    size_t cap = 0, count = 0;
    for (size_t k = 0; r && k < 7; k++) {
        fixture_day want;
        CHECK(fixture_make((int)k, 20, 0, &want) == 0);
        CHECK_EQ_INT(dt_history_read_senders(r, k, &ip, &cluster, &cap, &count), DT_OK);
        CHECK_EQ_INT(count, want.record.n_senders);
        CHECK(memcmp(ip, want.ip, count * sizeof *ip) == 0);
        CHECK(memcmp(cluster, want.cluster, count * sizeof *cluster) == 0);
        fixture_free(&want);
    }
    char *history = NULL;
    CHECK_EQ_INT(dt_history_reader_text(r, "history", &history), DT_OK);
    CHECK(history && strchr(history, '\n') && !strchr(strchr(history, '\n') + 1, '\n'));
    free(history);
    free(ip);
    free(cluster);
    dt_history_reader_close(r);
}

static void expect_refusal(const char *path, const dt_params *p, int ranks, dt_status code,
                           const char *words)
{
    size_t before_len = 0, after_len = 0;
    char *before = dt_test_slurp(path, &before_len);
    dt_history_run run = run_of(ranks);
    dt_history *h = NULL;
    dt_status st = dt_history_open(path, p, &run, &h);
    CHECK_EQ_INT(st, code);
    CHECK(h == NULL);
    if (!strstr(dt_error_message(), words) || !strstr(dt_error_message(), path))
        fprintf(stderr, "message '%s' lacks '%s' or the path\n", dt_error_message(), words);
    CHECK(strstr(dt_error_message(), words) != NULL);
    CHECK(strstr(dt_error_message(), path) != NULL);
    dt_error_clear();

    char *after = dt_test_slurp(path, &after_len);
    CHECK(before && after && before_len == after_len && memcmp(before, after, after_len) == 0);
    char side[200];
    snprintf(side, sizeof side, "%s.shadow", path);
    CHECK(access(side, F_OK) != 0);
    snprintf(side, sizeof side, "%s.lock", path);
    CHECK(access(side, F_OK) != 0);
    free(before);
    free(after);
}

static void make_foreign_netcdf(const char *path)
{
    int ncid = 0, dim = 0, var = 0;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &ncid);
    nc_def_dim(ncid, "time", 4, &dim);
    nc_def_var(ncid, "temperature", NC_FLOAT, 1, &dim, &var);
    nc_close(ncid);
}

static void test_refusals(void)
{
    dt_params p;
    dt_params_defaults(&p);
    char path[128];

    path_in_dir(path, sizeof path, "notes.txt");
    FILE *f = fopen(path, "w");
    fputs("day,packets\n2026-01-01,5\n", f);
    fclose(f);
    expect_refusal(path, &p, 1, DT_ERR_FORMAT, "not a netCDF file");

    path_in_dir(path, sizeof path, "foreign.nc");
    make_foreign_netcdf(path);
    expect_refusal(path, &p, 1, DT_ERR_FORMAT, "not a darktrack history");

    char good[128];
    path_in_dir(good, sizeof good, "resume.nc");
    size_t len = 0;
    char *bytes = dt_test_slurp(good, &len);
    path_in_dir(path, sizeof path, "truncated.nc");
    f = fopen(path, "wb");
    fwrite(bytes, 1, len / 2, f);
    fclose(f);
    free(bytes);
    expect_refusal(path, &p, 1, DT_ERR_FORMAT, "damaged history");

    p.tau0 = 0.7;
    expect_refusal(good, &p, 1, DT_ERR_MISMATCH, "tau0 = '0.65', this run has tau0 = '0.7'");
    dt_params_defaults(&p);
    p.dim = 64;
    expect_refusal(good, &p, 1, DT_ERR_MISMATCH, "embedding_dim = '200'");
    dt_params_defaults(&p);
    expect_refusal(good, &p, 4, DT_ERR_MISMATCH, "mpi_ranks = 1, this run has mpi_ranks = 4");
    p.min_samples = 10; /* the value min_samples = 0 stands for: the same run */
    dt_history_run run = run_of(1);
    dt_history *h = NULL;
    CHECK_EQ_INT(dt_history_open(good, &p, &run, &h), DT_OK);
    dt_history_close(h);
}

/* A second writer is refused while the first holds the history. */
static void test_single_writer(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "locked.nc");
    dt_params p;
    dt_params_defaults(&p);
    dt_history_run run = run_of(1);
    dt_history *first = NULL, *second = NULL;
    CHECK_EQ_INT(dt_history_open(path, &p, &run, &first), DT_OK);
    CHECK_EQ_INT(dt_history_open(path, &p, &run, &second), DT_ERR_IO);
    CHECK(strstr(dt_error_message(), "another darktrack run") != NULL);
    CHECK(second == NULL);
    dt_error_clear();
    CHECK_EQ_INT(dt_history_close(first), DT_OK);

    char lock[160];
    snprintf(lock, sizeof lock, "%s.lock", path);
    CHECK(access(lock, F_OK) != 0);
    CHECK_EQ_INT(dt_history_open(path, &p, &run, &second), DT_OK);
    dt_history_close(second);
}

/* Checkpoint names follow the days; pruning keeps the last two committed days'. */
static void test_checkpoint_protocol(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "ckpt.nc");
    dt_params p;
    dt_params_defaults(&p);
    dt_history_run run = run_of(1);
    dt_history *h = NULL;
    CHECK_EQ_INT(dt_history_open(path, &p, &run, &h), DT_OK);
    char ckpt[256];
    CHECK(!dt_history_resume_checkpoint(h, ckpt, sizeof ckpt));

    for (int k = 0; k < 4; k++) {
        dt_history_checkpoint_path(path, FIXTURE_FIRST_DAY + k, ckpt, sizeof ckpt);
        FILE *f = fopen(ckpt, "w");
        fputs("model", f);
        fclose(f);
        commit_days(h, k, k, 12, 0);
        CHECK_EQ_INT(dt_history_prune_checkpoints(h), DT_OK);
    }
    CHECK(dt_history_resume_checkpoint(h, ckpt, sizeof ckpt));
    char want[256];
    snprintf(want, sizeof want, "%s.ckpt-2026-01-04.nc", path);
    CHECK_STR(ckpt, want);
    for (int k = 0; k < 4; k++) {
        dt_history_checkpoint_path(path, FIXTURE_FIRST_DAY + k, ckpt, sizeof ckpt);
        CHECK_EQ_INT(access(ckpt, F_OK) == 0, k >= 2);
        remove(ckpt);
    }
    dt_history_close(h);
}

/* Dates agree with the C library's calendar, both ways. */
static void test_dates(void)
{
    for (int32_t day = -800; day < 80000; day += 37) {
        time_t t = (time_t)day * 86400;
        struct tm utc;
        gmtime_r(&t, &utc);
        char want[16], got[16];
        strftime(want, sizeof want, "%Y-%m-%d", &utc);
        dt_day_format_date(day, got, sizeof got);
        if (strcmp(want, got) != 0)
            CHECK_STR(got, want);
        int32_t back = 0;
        if (dt_report_parse_date(want, &back) != DT_OK || back != day)
            CHECK_EQ_INT(back, day);
    }
    int32_t day = 0;
    CHECK_EQ_INT(dt_report_parse_date("2026-02-29", &day), DT_ERR_USAGE);
    CHECK_EQ_INT(dt_report_parse_date("2026-1-5", &day), DT_ERR_USAGE);
    CHECK_EQ_INT(dt_report_parse_date("2024-02-29", &day), DT_OK);
    dt_error_clear();
}

static void test_command_line(void)
{
    static char words[8][16] = {"darktrack", "run",     "--bpf", "tcp port 23",
                                "-o",        "it's.nc", "",      "a/b.pcap"};
    char *argv[8];
    for (int i = 0; i < 8; i++)
        argv[i] = words[i];
    char *line = NULL;
    CHECK_EQ_INT(dt_history_command_line(8, argv, &line), DT_OK);
    CHECK_STR(line, "darktrack run --bpf 'tcp port 23' -o 'it'\\''s.nc' '' a/b.pcap");
    free(line);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/dt-history-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_roundtrip(0);
    test_roundtrip(16);
    test_resume_and_senders();
    test_refusals();
    test_single_writer();
    test_checkpoint_protocol();
    test_dates();
    test_command_line();

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (dt_test_failures == 0 && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return dt_test_finish("test_history");
}
