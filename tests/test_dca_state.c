/* The DCA state: replaying committed days rebuilds it exactly, netCDF round trips, the
 * search horizon, and the errors bad input gets. */
#include "dt_dca.h"
#include "dt_rng.h"
#include "dt_test.h"

#include <netcdf.h>
#include <string.h>
#include <unistd.h>

DT_TEST_MAIN_STATE;

enum { N_SENDERS = 400, N_DAYS = 12 };

/* A random day: a drifting subset of 400 senders in up to 6 groups, some noise. */
static size_t random_day(dt_rng *rng, uint32_t *ip, int32_t *label)
{
    size_t n = 0;
    int32_t k = 1 + (int32_t)dt_rng_below(rng, 6);
    for (uint32_t a = 0; a < N_SENDERS; a++) {
        if (dt_rng_below(rng, 3) == 0)
            continue;
        ip[n] = 0x0A000000u + a * 7u;
        int32_t group = (int32_t)(a % 6);
        label[n++] = dt_rng_below(rng, 5) == 0 || group >= k ? -1 : group;
    }
    /* Labels without gaps: renumber in order of first use. */
    int32_t map[6] = {-1, -1, -1, -1, -1, -1}, next = 0;
    for (size_t i = 0; i < n; i++)
        if (label[i] >= 0)
            label[i] = map[label[i]] >= 0 ? map[label[i]] : (map[label[i]] = next++);
    return n;
}

typedef struct {
    int32_t day[N_DAYS];
    size_t n[N_DAYS];
    uint32_t ip[N_DAYS][N_SENDERS];
    int32_t id[N_DAYS][N_SENDERS];
} history;

/* Runs N_DAYS random days through track and commit, keeping what a history would hold. */
static dt_dca_state *run_days(const dt_dca_options *opt, history *h)
{
    dt_dca_state *s = NULL;
    CHECK(dt_dca_state_create(&s, opt) == DT_OK);
    dt_rng rng;
    dt_rng_init(&rng, 42, 0, 7, 0);
    int32_t labels[N_SENDERS];
    for (int d = 0; d < N_DAYS; d++) {
        h->day[d] = 19000 + d + (d > 5 ? 3 : 0); /* a gap of three days */
        h->n[d] = random_day(&rng, h->ip[d], labels);
        dt_dca_result r;
        CHECK(dt_dca_track(s, h->day[d], h->ip[d], labels, h->n[d], &r) == DT_OK);
        memcpy(h->id[d], r.sender_id, h->n[d] * sizeof(int32_t));
        CHECK(dt_dca_commit(s, h->day[d], h->ip[d], &r) == DT_OK);
        dt_dca_result_free(&r);
    }
    return s;
}

static void test_replay_and_round_trip(int32_t horizon)
{
    dt_dca_options opt = dt_dca_default_options();
    opt.horizon_days = horizon;
    static history h;
    dt_dca_state *s = run_days(&opt, &h);

    /* The history is the state: replaying its rows gives the same digest. */
    dt_dca_state *replay = NULL;
    CHECK(dt_dca_state_create(&replay, &opt) == DT_OK);
    for (int d = 0; d < N_DAYS; d++)
        CHECK(dt_dca_state_add_day(replay, h.day[d], h.ip[d], h.id[d], h.n[d]) == DT_OK);
    CHECK(dt_dca_state_digest(replay) == dt_dca_state_digest(s));
    CHECK_EQ_INT(dt_dca_state_next_id(replay), dt_dca_state_next_id(s));

    /* The same through the ragged layout of the history's variables. */
    static uint32_t flat_ip[N_DAYS * N_SENDERS];
    static int32_t flat_id[N_DAYS * N_SENDERS];
    int32_t counts[N_DAYS];
    size_t rows = 0;
    for (int d = 0; d < N_DAYS; d++) {
        memcpy(flat_ip + rows, h.ip[d], h.n[d] * sizeof *flat_ip);
        memcpy(flat_id + rows, h.id[d], h.n[d] * sizeof *flat_id);
        counts[d] = (int32_t)h.n[d];
        rows += h.n[d];
    }
    dt_dca_state *ragged = NULL;
    CHECK(dt_dca_state_create(&ragged, &opt) == DT_OK);
    CHECK(dt_dca_state_replay(ragged, N_DAYS, h.day, counts, flat_ip, flat_id, rows, "h.nc") ==
          DT_OK);
    CHECK(dt_dca_state_digest(ragged) == dt_dca_state_digest(s));
    dt_dca_state_free(ragged);
    CHECK(dt_dca_state_create(&ragged, &opt) == DT_OK);
    CHECK(dt_dca_state_replay(ragged, N_DAYS, h.day, counts, flat_ip, flat_id, rows - 1, "h.nc") ==
          DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "h.nc: day") != NULL);
    dt_dca_state_free(ragged);

    /* A replay that misses the last day differs: the digest sees the difference. */
    dt_dca_state *short_replay = NULL;
    CHECK(dt_dca_state_create(&short_replay, &opt) == DT_OK);
    for (int d = 0; d < N_DAYS - 1; d++)
        CHECK(dt_dca_state_add_day(short_replay, h.day[d], h.ip[d], h.id[d], h.n[d]) == DT_OK);
    CHECK(dt_dca_state_digest(short_replay) != dt_dca_state_digest(s));

    /* A netCDF file round trip, and a group inside a file. */
    char path[] = "/tmp/dt_dca_state_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    dt_dca_state *loaded = NULL;
    CHECK(dt_dca_state_save_file(s, path) == DT_OK);
    CHECK(dt_dca_state_load_file(&loaded, path) == DT_OK);
    CHECK(loaded && dt_dca_state_digest(loaded) == dt_dca_state_digest(s));
    dt_dca_state_free(loaded);

    int ncid, grp;
    CHECK(nc_create(path, NC_NETCDF4 | NC_CLOBBER, &ncid) == NC_NOERR);
    CHECK(nc_def_grp(ncid, "dca", &grp) == NC_NOERR);
    CHECK(dt_dca_state_save(s, grp) == DT_OK);
    CHECK(nc_close(ncid) == NC_NOERR);
    CHECK(nc_open(path, NC_NOWRITE, &ncid) == NC_NOERR);
    CHECK(nc_inq_grp_ncid(ncid, "dca", &grp) == NC_NOERR);
    CHECK(dt_dca_state_load(&loaded, grp, path) == DT_OK);
    nc_close(ncid);
    CHECK(loaded && dt_dca_state_digest(loaded) == dt_dca_state_digest(s));

    unlink(path);
    dt_dca_state_free(loaded);
    dt_dca_state_free(replay);
    dt_dca_state_free(short_replay);
    dt_dca_state_free(s);
}

static void test_horizon(void)
{
    /* Day 10: id 0 = 1..10. Day 11: id 1 = 50..59. Day 20: Y = 1..10 would reappear as 0
     * (OL 1). With a horizon of 5 days the search looks at days >= 15 only -> novel. */
    uint32_t ip[10];
    int32_t id0[10], id1[10], lab[10];
    for (int i = 0; i < 10; i++) {
        ip[i] = (uint32_t)i + 1;
        id0[i] = 0;
        id1[i] = 1;
        lab[i] = 0;
    }
    uint32_t ip2[10];
    for (int i = 0; i < 10; i++)
        ip2[i] = 50u + (uint32_t)i;

    for (int horizon = 0; horizon <= 5; horizon += 5) {
        dt_dca_options opt = dt_dca_default_options();
        opt.horizon_days = horizon;
        dt_dca_state *s = NULL;
        CHECK(dt_dca_state_create(&s, &opt) == DT_OK);
        CHECK(dt_dca_state_add_day(s, 10, ip, id0, 10) == DT_OK);
        CHECK(dt_dca_state_add_day(s, 11, ip2, id1, 10) == DT_OK);
        dt_dca_result r;
        CHECK(dt_dca_track(s, 20, ip, lab, 10, &r) == DT_OK);
        CHECK_EQ_INT(r.clusters[0].origin, horizon ? DT_EMERGED : DT_REAPPEARED);
        CHECK_EQ_INT(r.clusters[0].novel, horizon ? 1 : 0);
        CHECK_EQ_INT(r.clusters[0].id, horizon ? 2 : 0);
        dt_dca_result_free(&r);
        dt_dca_state_free(s);
    }
}

static void test_bad_input(void)
{
    dt_dca_options opt = dt_dca_default_options();
    dt_dca_state *s = NULL;
    opt.tau1 = 0.9;
    CHECK(dt_dca_state_create(&s, &opt) == DT_ERR_USAGE);
    CHECK(strstr(dt_error_message(), "tau1") != NULL);
    opt = dt_dca_default_options();
    CHECK(dt_dca_state_create(&s, &opt) == DT_OK);

    uint32_t ip[3] = {0x01020304u, 5, 0x01020304u};
    int32_t ids[3] = {0, 0, 1};
    CHECK(dt_dca_state_add_day(s, 5, ip, ids, 3) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "1.2.3.4 appears twice") != NULL);
    CHECK(!dt_dca_state_has_days(s));

    int32_t bad_ids[2] = {0, -2};
    CHECK(dt_dca_state_add_day(s, 5, ip, bad_ids, 2) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "-2") != NULL);
    CHECK(dt_dca_state_add_day(s, 5, ip, ids, 2) == DT_OK);
    CHECK(dt_dca_state_add_day(s, 5, ip, ids, 2) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "day 5") != NULL);

    dt_dca_result r;
    uint32_t three[3] = {1, 2, 3};
    int32_t gap[3] = {0, 2, 2}; /* label 1 unused */
    CHECK(dt_dca_track(s, 6, three, gap, 3, &r) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "label 1 has no members") != NULL);
    int32_t huge[3] = {0, 2000000000, -1}; /* must fail before sizing anything by it */
    CHECK(dt_dca_track(s, 6, three, huge, 3, &r) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "2000000000") != NULL);
    int32_t labels[3] = {0, 0, 0};
    CHECK(dt_dca_track(s, 6, ip, labels, 3, &r) == DT_ERR_FORMAT);
    CHECK(dt_dca_track(s, 4, ip, labels, 2, &r) == DT_ERR_FORMAT);
    CHECK(r.transitions == NULL && r.clusters == NULL);
    dt_dca_state_free(s);
}

static void test_damaged_file(void)
{
    char path[] = "/tmp/dt_dca_bad_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    int ncid, dim, var;
    CHECK(nc_create(path, NC_NETCDF4 | NC_CLOBBER, &ncid) == NC_NOERR);
    int one = 1;
    nc_put_att_int(ncid, NC_GLOBAL, "dca_state_version", NC_INT, 1, &one);
    nc_put_att_int(ncid, NC_GLOBAL, "dca_next_id", NC_INT, 1, &one);
    nc_put_att_int(ncid, NC_GLOBAL, "dca_horizon_days", NC_INT, 1, &one);
    double tau = 0.5;
    nc_put_att_double(ncid, NC_GLOBAL, "dca_tau0", NC_DOUBLE, 1, &tau);
    nc_put_att_double(ncid, NC_GLOBAL, "dca_tau1", NC_DOUBLE, 1, &tau);
    nc_def_dim(ncid, "dca_day", 1, &dim);
    nc_def_var(ncid, "dca_day", NC_INT, 1, &dim, &var);
    nc_close(ncid);

    dt_dca_state *s = NULL;
    CHECK(dt_dca_state_load_file(&s, path) == DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), path) != NULL);
    CHECK(strstr(dt_error_message(), "dca_obs") != NULL);
    CHECK(s == NULL);
    CHECK(dt_dca_state_load_file(&s, "/nonexistent/state.nc") == DT_ERR_IO);
    unlink(path);
}

int main(void)
{
    test_replay_and_round_trip(0);
    test_replay_and_round_trip(4);
    test_horizon();
    test_bad_input();
    test_damaged_file();
    return dt_test_finish("test_dca_state");
}
