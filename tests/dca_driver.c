/* Runs the C DCA over day sequences read from a text file and prints every result row,
 * for comparison with the independent reference in dca_reference.py.
 *
 * Input (whitespace separated): "scenario TAU0 TAU1 HORIZON" starts a sequence with a fresh
 * state; "day D N" is followed by N lines "IP LABEL" (IP as an unsigned integer, LABEL -1
 * for noise). Output, one line per row:
 *   T scenario day from to kind overlap      (transitions, overlap "nan" where none)
 *   C scenario day label id size origin novel
 *   P scenario day ip id                     (per-sender persistent ids)
 * After each scenario the state is also rebuilt by replaying the committed days and by a
 * netCDF save and load (path in argv[2]); a digest mismatch is an error (exit 1). */
#include "dt_dca.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t n_days;
    int32_t *day;
    size_t *start; /* n_days + 1 */
    uint32_t *ip;
    int32_t *id;
    size_t n_rows;
} committed;

static void committed_free(committed *c)
{
    free(c->day);
    free(c->start);
    free(c->ip);
    free(c->id);
    memset(c, 0, sizeof *c);
}

static void committed_add(committed *c, int32_t day, const uint32_t *ip, const int32_t *id,
                          size_t n)
{
    c->day = realloc(c->day, (c->n_days + 1) * sizeof *c->day);
    c->start = realloc(c->start, (c->n_days + 2) * sizeof *c->start);
    c->ip = realloc(c->ip, (c->n_rows + n + 1) * sizeof *c->ip);
    c->id = realloc(c->id, (c->n_rows + n + 1) * sizeof *c->id);
    if (!c->day || !c->start || !c->ip || !c->id) {
        fprintf(stderr, "dca_driver: out of memory\n");
        exit(2);
    }
    if (c->n_days == 0)
        c->start[0] = 0;
    memcpy(c->ip + c->n_rows, ip, n * sizeof *ip);
    memcpy(c->id + c->n_rows, id, n * sizeof *id);
    c->day[c->n_days] = day;
    c->n_rows += n;
    c->start[++c->n_days] = c->n_rows;
}

static int fail(const char *what)
{
    fprintf(stderr, "dca_driver: %s: %s\n%s", what, dt_error_message(), dt_error_traceback());
    return 1;
}

/* Replays the committed days and round-trips the state through netCDF: both must give the
 * state the run has. */
static int check_rebuilds(const dt_dca_state *s, const committed *c, const char *nc_path)
{
    dt_dca_options opt = dt_dca_state_options(s);
    dt_dca_state *replay = NULL, *loaded = NULL;
    if (dt_dca_state_create(&replay, &opt) != DT_OK)
        return fail("create");
    for (size_t d = 0; d < c->n_days; d++) {
        size_t a = c->start[d];
        if (dt_dca_state_add_day(replay, c->day[d], c->ip + a, c->id + a, c->start[d + 1] - a))
            return fail("replay");
    }
    int bad = dt_dca_state_digest(replay) != dt_dca_state_digest(s);
    if (bad)
        fprintf(stderr, "dca_driver: replayed state differs from the run's\n");

    if (dt_dca_state_save_file(s, nc_path) != DT_OK || dt_dca_state_load_file(&loaded, nc_path))
        return fail("netCDF round trip");
    if (dt_dca_state_digest(loaded) != dt_dca_state_digest(s)) {
        fprintf(stderr, "dca_driver: state loaded from netCDF differs from the run's\n");
        bad = 1;
    }
    dt_dca_state_free(replay);
    dt_dca_state_free(loaded);
    return bad;
}

static void print_result(int scen, int32_t day, const uint32_t *ip, const dt_dca_result *r)
{
    for (size_t i = 0; i < r->n_transitions; i++) {
        const dt_transition *t = &r->transitions[i];
        printf("T %d %d %d %d %d ", scen, (int)day, (int)t->from, (int)t->to, (int)t->kind);
        if (isnan(t->overlap))
            printf("nan\n");
        else
            printf("%.9g\n", (double)t->overlap);
    }
    for (size_t k = 0; k < r->n_clusters; k++) {
        const dt_cluster_row *c = &r->clusters[k];
        printf("C %d %d %zu %d %d %d %d\n", scen, (int)day, k, (int)c->id, (int)c->size,
               (int)c->origin, (int)c->novel);
    }
    for (size_t i = 0; i < r->n_senders; i++)
        printf("P %d %d %" PRIu32 " %d\n", scen, (int)day, ip[i], (int)r->sender_id[i]);
}

/* Reads one "day D N" block's rows and runs it. */
static int run_day(FILE *in, dt_dca_state *s, committed *c, int scen, int32_t day, size_t n)
{
    uint32_t *ip = calloc(n + 1, sizeof *ip);
    int32_t *label = calloc(n + 1, sizeof *label);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned long a;
        long b;
        if (fscanf(in, "%lu %ld", &a, &b) != 2) {
            fprintf(stderr, "dca_driver: scenario %d day %d: bad row %zu\n", scen, (int)day, i);
            rc = 1;
        }
        ip[i] = (uint32_t)a;
        label[i] = (int32_t)b;
    }

    dt_dca_result r;
    if (rc == 0 && dt_dca_track(s, day, ip, label, n, &r) != DT_OK)
        rc = fail("track");
    if (rc == 0) {
        print_result(scen, day, ip, &r);
        if (dt_dca_commit(s, day, ip, &r) != DT_OK)
            rc = fail("commit");
        committed_add(c, day, ip, r.sender_id, n);
        dt_dca_result_free(&r);
    }
    free(ip);
    free(label);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: dca_driver INPUT STATE.nc\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 2;
    }

    dt_dca_state *s = NULL;
    committed c = {0};
    int scen = -1, rc = 0;
    char word[32];
    while (rc == 0 && fscanf(in, "%31s", word) == 1) {
        if (strcmp(word, "scenario") == 0) {
            rc = s ? check_rebuilds(s, &c, argv[2]) : 0;
            dt_dca_state_free(s);
            committed_free(&c);
            dt_dca_options opt;
            if (fscanf(in, "%lf %lf %d", &opt.tau0, &opt.tau1, &opt.horizon_days) != 3)
                rc = 2;
            if (rc == 0 && dt_dca_state_create(&s, &opt) != DT_OK)
                rc = fail("create");
            scen++;
        } else if (strcmp(word, "day") == 0 && s) {
            long day;
            unsigned long n;
            if (fscanf(in, "%ld %lu", &day, &n) != 2)
                rc = 2;
            else
                rc = run_day(in, s, &c, scen, (int32_t)day, (size_t)n);
        } else {
            fprintf(stderr, "dca_driver: unexpected \"%s\"\n", word);
            rc = 2;
        }
    }
    if (rc == 0 && s)
        rc = check_rebuilds(s, &c, argv[2]);
    dt_dca_state_free(s);
    committed_free(&c);
    fclose(in);
    return rc;
}
