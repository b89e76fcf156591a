/* Crash safety: a writer killed with SIGKILL at every step of a commit, and at random times,
 * leaves a history of whole days that resumes into the same data as an uninterrupted run. */
#include "dt_history.h"
#include "dt_rng.h"
#include "dt_test.h"
#include "history_fixture.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

enum { DAYS = 7, SENDERS = 40, DIM = 8 };

static int kill_stage = -1;
static int kill_day = -1;
static int current_day = -1;

static void kill_hook(int stage)
{
    if (stage == kill_stage && current_day == kill_day)
        raise(SIGKILL);
}

static dt_params run_params(void)
{
    dt_params p;
    dt_params_defaults(&p);
    p.save_embeddings = 1;
    p.dim = DIM;
    return p;
}

/* Opens (or resumes) the history and commits every fixture day it lacks; 0 on success. */
static int write_all(const char *path)
{
    dt_params p = run_params();
    dt_history_run run = {1, "darktrack run -o crash.nc", NULL, "censys,mirai,shodan"};
    dt_history *h = NULL;
    if (dt_history_open(path, &p, &run, &h) != DT_OK) {
        fprintf(stderr, "open: %s\n", dt_error_message());
        return 1;
    }
    for (int k = 0; k < DAYS; k++) {
        fixture_day d;
        if (dt_history_has_day(h, FIXTURE_FIRST_DAY + k))
            continue;
        if (fixture_make(k, SENDERS, DIM, &d) != 0)
            return 1;
        current_day = k;
        dt_status st = dt_history_commit(h, &d.record);
        fixture_free(&d);
        if (st != DT_OK) {
            fprintf(stderr, "commit: %s\n", dt_error_message());
            return 1;
        }
    }
    return dt_history_close(h) == DT_OK ? 0 : 1;
}

/* Runs write_all in a child; returns its wait status. */
static int child_write(const char *path, int stage, int day, double kill_after)
{
    pid_t pid = fork();
    if (pid == 0) {
        kill_stage = stage;
        kill_day = day;
        dt_history_set_commit_hook(stage >= 0 ? kill_hook : NULL);
        _exit(write_all(path));
    }
    if (kill_after >= 0) {
        struct timespec ts = {0, (long)(kill_after * 1e9)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

/* The history at path opens as a history and holds fixture days 0..n-1, whole. */
static int days_present(const char *path)
{
    dt_history_reader *r = NULL;
    if (dt_history_reader_open(path, &r) != DT_OK) {
        fprintf(stderr, "after the kill: %s\n", dt_error_message());
        return -1;
    }
    size_t n = 0;
    dt_history_reader_days(r, &n);
    int whole = 1;
    for (size_t k = 0; k < n; k++) {
        fixture_day want;
        dt_history_day got;
        fixture_make((int)k, SENDERS, DIM, &want);
        whole = whole && dt_history_read_day(r, k, &got) == DT_OK &&
                fixture_same(&want.record, &got.record);
        dt_history_day_free(&got);
        fixture_free(&want);
    }
    dt_history_reader_close(r);
    return whole ? (int)n : -1;
}

static void remove_all(const char *path)
{
    char side[256];
    remove(path);
    snprintf(side, sizeof side, "%s.tmp", path);
    remove(side);
    snprintf(side, sizeof side, "%s.shadow", path);
    remove(side);
}

/* Kill at each stage of the commit of day 0 (first, with the first shadow copy) and of day 3
 * (in the steady state), then resume and compare every day. */
static void test_stage_kills(const char *path)
{
    static const int days[] = {0, 3};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        for (int stage = 0; stage < DT_HISTORY_STAGES; stage++) {
            remove_all(path);
            int status = child_write(path, stage, days[i], -1);
            CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

            /* Up to stage 6 the old file is still in place; from 7 on the new one is. */
            int expect = days[i] + (stage >= 7 ? 1 : 0);
            int present = days_present(path);
            if (present != expect)
                fprintf(stderr, "day %d stage %d: %d days, want %d\n", days[i], stage, present,
                        expect);
            CHECK_EQ_INT(present, expect);

            status = child_write(path, -1, -1, -1);
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            CHECK_EQ_INT(days_present(path), DAYS);
        }
    }
}

/* Kills at random moments, several times over the same history, then finishes it. */
static void test_random_kills(const char *path)
{
    struct timespec t0, t1;
    remove_all(path);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status = child_write(path, -1, -1, -1);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double full = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

    /* Each try lives for a random share of a full run, so most die mid-way; a history
     * that got complete is started over, so every try can hit a commit. */
    dt_rng rng;
    dt_rng_init(&rng, 7, 0, DT_RNG_TEST, 0);
    remove_all(path);
    int last = 0, kills = 0, restarts = 0;
    for (int attempt = 0; attempt < 16; attempt++) {
        double after = full * 0.5 * dt_rng_uniform(&rng);
        status = child_write(path, -1, -1, after);
        kills += WIFSIGNALED(status);
        int present = access(path, F_OK) == 0 ? days_present(path) : 0;
        CHECK(present >= last); /* committed days never go away */
        last = present;
        if (last == DAYS && attempt < 15) {
            remove_all(path);
            last = 0;
            restarts++;
        }
    }
    fprintf(stderr, "random kills: %d of 16 tries killed, %d complete histories, full run %.3f s\n",
            kills, restarts, full);
    CHECK(kills > 5);

    status = child_write(path, -1, -1, -1);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ_INT(days_present(path), DAYS);
}

int main(int argc, char **argv)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/dt-crash-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    char path[128];
    snprintf(path, sizeof path, "%s/crash.nc", dir);

    /* An uninterrupted run, kept for the Python comparison when a path is given. */
    if (argc > 2) {
        remove_all(argv[2]);
        int status = child_write(argv[2], -1, -1, -1);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    test_stage_kills(path);
    test_random_kills(path);

    /* The history that survived all the kills, for the same comparison. */
    if (argc > 1)
        CHECK(rename(path, argv[1]) == 0);
    remove_all(path);
    rmdir(dir);
    return dt_test_finish("test_history_crash");
}
