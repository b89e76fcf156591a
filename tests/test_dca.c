/* The DCA rules on hand-built partitions. Every expected value is derived from the rules
 * (design.md, docs/dca.md) in the comment beside it, with tau0 = 0.65 and tau1 = 0.3
 * unless a case says otherwise. Senders are small integers; "1..10" means ten senders. */
#include "dt_dca.h"
#include "dt_test.h"

#include <limits.h>
#include <math.h>

DT_TEST_MAIN_STATE;

typedef struct {
    uint32_t ip[512];
    int32_t v[512]; /* a persistent id (yesterday) or a label (today); -1 noise */
    size_t n;
} part;

/* Adds senders lo..hi with value v. */
static void put(part *p, uint32_t lo, uint32_t hi, int32_t v)
{
    for (uint32_t ip = lo; ip <= hi; ip++) {
        p->ip[p->n] = ip;
        p->v[p->n++] = v;
    }
}

static dt_dca_state *new_state(double tau0, double tau1)
{
    dt_dca_options opt = {tau0, tau1, 0};
    dt_dca_state *s = NULL;
    CHECK(dt_dca_state_create(&s, &opt) == DT_OK);
    return s;
}

/* Commits a day whose persistent ids are given. */
static void commit_ids(dt_dca_state *s, int32_t day, const part *p)
{
    CHECK(dt_dca_state_add_day(s, day, p->ip, p->v, p->n) == DT_OK);
}

static void track(const dt_dca_state *s, int32_t day, const part *p, dt_dca_result *r)
{
    dt_status st = dt_dca_track(s, day, p->ip, p->v, p->n, r);
    CHECK(st == DT_OK);
    if (st != DT_OK)
        fprintf(stderr, "%s\n", dt_error_message());
}

/* The one row with these from, to and kind; NULL (and a failed check) when absent. */
static const dt_transition *row(const dt_dca_result *r, int from, int to, int kind)
{
    for (size_t i = 0; i < r->n_transitions; i++) {
        const dt_transition *t = &r->transitions[i];
        if (t->from == from && t->to == to && t->kind == kind)
            return t;
    }
    fprintf(stderr, "no transition %d -> %d (%s)\n", from, to, dt_dca_kind_name(kind));
    CHECK(0);
    return NULL;
}

static float overlap_of(const dt_transition *t)
{
    return t ? t->overlap : -1.0f;
}

static void check_cluster(const dt_dca_result *r, size_t label, int id, int origin, int novel)
{
    CHECK(label < r->n_clusters);
    if (label >= r->n_clusters)
        return;
    CHECK_EQ_INT(r->clusters[label].id, id);
    CHECK_EQ_INT(r->clusters[label].origin, origin);
    CHECK_EQ_INT(r->clusters[label].novel, novel);
}

static void test_survived(void)
{
    /* X (id 7) = 1..10; today 1..9 in Y0, 10 absent, 100..104 new noise.
     * A(X) = 9/10 >= tau1; m(X,Y0) = 9/9 = 1 >= tau0; no other X claims Y0 (X-1 is empty)
     * -> survived into Y0, which keeps id 7. next_id stays 8: no fresh id. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part y = {0}, t = {0};
    put(&y, 1, 10, 7);
    commit_ids(s, 100, &y);
    put(&t, 1, 9, 0);
    put(&t, 100, 104, -1);
    dt_dca_result r;
    track(s, 101, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 1);
    CHECK_NEAR(overlap_of(row(&r, 7, 7, DT_SURVIVED)), 1.0, 1e-7);
    check_cluster(&r, 0, 7, DT_SURVIVED, 0);
    CHECK_EQ_INT(r.clusters[0].size, 9);
    CHECK_EQ_INT(r.sender_id[0], 7);
    CHECK_EQ_INT(r.sender_id[9], -1);
    CHECK(dt_dca_commit(s, 101, t.ip, &r) == DT_OK);
    CHECK_EQ_INT(dt_dca_state_next_id(s), 8);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_absorbed_by_noise_claim(void)
{
    /* X (id 3) = 1..10, X-1 = 20..39. Today Y0 = 1..10 and 20..39 (30 members).
     * m(X,Y0) = 10/10 = 1: strong. m(X-1,Y0) = 20/20 = 1: X-1 claims Y0 too.
     * OL(Y0,X) = 10/30 = 0.33 < tau0 -> X absorbed into Y0, overlap 1.
     * No X survived into Y0 -> emerged; no day before yesterday -> novel; fresh id 4. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part y = {0}, t = {0};
    put(&y, 1, 10, 3);
    put(&y, 20, 39, -1);
    commit_ids(s, 100, &y);
    put(&t, 1, 10, 0);
    put(&t, 20, 39, 0);
    dt_dca_result r;
    track(s, 101, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    CHECK_NEAR(overlap_of(row(&r, 3, 4, DT_ABSORBED)), 1.0, 1e-7);
    CHECK(isnan(overlap_of(row(&r, -1, 4, DT_EMERGED))));
    check_cluster(&r, 0, 4, DT_EMERGED, 1);
    dt_dca_result_free(&r);

    /* The same with only 4 noise senders joining: OL(Y0,X) = 10/14 = 0.71 >= tau0, so X
     * is Y0's main part and survives although X-1 claims Y0 as well. */
    part t2 = {0};
    put(&t2, 1, 10, 0);
    put(&t2, 20, 23, 0);
    put(&t2, 24, 39, -1);
    track(s, 101, &t2, &r);
    CHECK_EQ_INT(r.n_transitions, 1);
    CHECK_NEAR(overlap_of(row(&r, 3, 3, DT_SURVIVED)), 1.0, 1e-7);
    check_cluster(&r, 0, 3, DT_SURVIVED, 0);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_absorbed_together(void)
{
    /* X1 (id 1) = 1..10 and X2 (id 2) = 11..20 both go whole into Y0 = 1..20.
     * m = 1 for both: each has another claimant; OL(Y0,X1) = OL(Y0,X2) = 0.5 < tau0
     * -> both absorbed; Y0 emerged with fresh id 3 (next_id = max id 2 + 1), novel. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part y = {0}, t = {0};
    put(&y, 1, 10, 1);
    put(&y, 11, 20, 2);
    commit_ids(s, 100, &y);
    put(&t, 1, 20, 0);
    dt_dca_result r;
    track(s, 101, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 3);
    row(&r, 1, 3, DT_ABSORBED);
    row(&r, 2, 3, DT_ABSORBED);
    row(&r, -1, 3, DT_EMERGED);
    check_cluster(&r, 0, 3, DT_EMERGED, 1);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_split(void)
{
    /* X (id 5) = 1..10 -> Y0 = 1..5, Y1 = 6..10. m = 0.5 each: no strong match, two loose
     * -> split, two rows with overlap 0.5. Y0 and Y1 emerged, fresh ids 6 and 7 in label
     * order, both novel. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part y = {0}, t = {0};
    put(&y, 1, 10, 5);
    commit_ids(s, 100, &y);
    put(&t, 1, 5, 0);
    put(&t, 6, 10, 1);
    dt_dca_result r;
    track(s, 101, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 4);
    CHECK_NEAR(overlap_of(row(&r, 5, 6, DT_SPLIT)), 0.5, 1e-7);
    CHECK_NEAR(overlap_of(row(&r, 5, 7, DT_SPLIT)), 0.5, 1e-7);
    check_cluster(&r, 0, 6, DT_EMERGED, 1);
    check_cluster(&r, 1, 7, DT_EMERGED, 1);
    dt_dca_result_free(&r);

    /* Three targets: 1..3 -> Y0, 4..6 -> Y1, 7..10 -> Y2: m = 0.3, 0.3, 0.4. 3/10 is
     * exactly the double nearest 0.3, so both 0.3 shares are loose matches -> three rows. */
    part t3 = {0};
    put(&t3, 1, 3, 0);
    put(&t3, 4, 6, 1);
    put(&t3, 7, 10, 2);
    track(s, 101, &t3, &r);
    CHECK_EQ_INT(r.n_transitions, 6);
    CHECK_NEAR(overlap_of(row(&r, 5, 6, DT_SPLIT)), 0.3, 1e-7);
    CHECK_NEAR(overlap_of(row(&r, 5, 7, DT_SPLIT)), 0.3, 1e-7);
    CHECK_NEAR(overlap_of(row(&r, 5, 8, DT_SPLIT)), 0.4, 1e-7);
    dt_dca_result_free(&r);

    /* One loose target and the rest in noise: 1..4 -> Y0 (0.4), 5..10 -> noise (0.6 <
     * tau0). No strong match, one loose non-noise match -> split with a single row. */
    part t1 = {0};
    put(&t1, 1, 4, 0);
    put(&t1, 5, 10, -1);
    track(s, 101, &t1, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    CHECK_NEAR(overlap_of(row(&r, 5, 6, DT_SPLIT)), 0.4, 1e-7);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_disappeared(void)
{
    /* X (id 9) = 1..10: 1,2 -> Y0, 3,4 -> Y1, 5..10 -> noise. m = 0.2, 0.2, 0.6: no loose
     * match -> disappeared (first branch), overlap m(X,Y-1) = 0.6, to -1. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part y = {0}, t = {0};
    put(&y, 1, 10, 9);
    commit_ids(s, 100, &y);
    put(&t, 1, 2, 0);
    put(&t, 3, 4, 1);
    put(&t, 5, 10, -1);
    put(&t, 50, 60, 0);
    put(&t, 70, 80, 1);
    dt_dca_result r;
    track(s, 101, &t, &r);
    CHECK_NEAR(overlap_of(row(&r, 9, -1, DT_DISAPPEARED)), 0.6, 1e-7);
    dt_dca_result_free(&r);

    /* 1..3 -> Y0 (0.3, a loose match), 4..10 -> noise (0.7 >= tau0): the strong match with
     * Y-1 wins -> disappeared (second branch), overlap 0.7; no split row. */
    part t2 = {0};
    put(&t2, 1, 3, 0);
    put(&t2, 4, 10, -1);
    track(s, 101, &t2, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    CHECK_NEAR(overlap_of(row(&r, 9, -1, DT_DISAPPEARED)), 0.7, 1e-7);
    row(&r, -1, 10, DT_EMERGED);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_inactive(void)
{
    /* X (id 4) = 1..10 with only 1,2 active, both in Y0: A(X) = 0.2 < tau1 -> inactive
     * although m(X,Y0) = 1. X2 (id 6) = 11..20 all in Y0: strong; X also strongly
     * matches Y0 (the rule does not ask whether X' is active), but OL(Y0,X2) = 10/12 =
     * 0.83 >= tau0 -> X2 survived. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part y = {0}, t = {0};
    put(&y, 1, 10, 4);
    put(&y, 11, 20, 6);
    commit_ids(s, 100, &y);
    put(&t, 1, 2, 0);
    put(&t, 11, 20, 0);
    dt_dca_result r;
    track(s, 101, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    CHECK(isnan(overlap_of(row(&r, 4, -1, DT_INACTIVE))));
    row(&r, 6, 6, DT_SURVIVED);
    dt_dca_result_free(&r);

    /* With X2 = 11..13 only (3 members): OL(Y0,X2) = 3/5 = 0.6 < tau0 and the inactive X
     * claims Y0 as well -> X2 absorbed; Y0 emerged with fresh id 7. */
    dt_dca_state *s2 = new_state(0.65, 0.3);
    part y2 = {0}, u = {0};
    put(&y2, 1, 10, 4);
    put(&y2, 11, 13, 6);
    commit_ids(s2, 100, &y2);
    put(&u, 1, 2, 0);
    put(&u, 11, 13, 0);
    track(s2, 101, &u, &r);
    row(&r, 4, -1, DT_INACTIVE);
    row(&r, 6, 7, DT_ABSORBED);
    row(&r, -1, 7, DT_EMERGED);
    dt_dca_result_free(&r);

    /* A(X) = 0: nobody of X is active -> inactive. An empty day: every X inactive, no
     * cluster rows. */
    part none = {0};
    track(s2, 101, &none, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    CHECK_EQ_INT(r.n_clusters, 0);
    row(&r, 4, -1, DT_INACTIVE);
    row(&r, 6, -1, DT_INACTIVE);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
    dt_dca_state_free(s2);
}

static void test_first_day_and_empty_days(void)
{
    /* First day: every cluster emerged, not novel, ids 0, 1 in label order; one origin
     * row each. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part t = {0};
    put(&t, 1, 10, 1);
    put(&t, 11, 20, 0);
    put(&t, 30, 35, -1);
    dt_dca_result r;
    track(s, 200, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    check_cluster(&r, 0, 0, DT_EMERGED, 0);
    check_cluster(&r, 1, 1, DT_EMERGED, 0);
    row(&r, -1, 0, DT_EMERGED);
    row(&r, -1, 1, DT_EMERGED);
    CHECK_EQ_INT(r.sender_id[0], 1); /* sender 1 has label 1 -> id 1 */
    CHECK_EQ_INT(r.sender_id[10], 0);
    CHECK(dt_dca_commit(s, 200, t.ip, &r) == DT_OK);
    dt_dca_result_free(&r);

    /* A day with no clusters: everything is noise. X0 = 11..20 and X1 = 1..10 have
     * m(X,Y-1) = 1 and no loose non-noise match -> both disappeared, overlap 1. */
    part all_noise = {0};
    put(&all_noise, 1, 20, -1);
    track(s, 201, &all_noise, &r);
    CHECK_EQ_INT(r.n_clusters, 0);
    CHECK_EQ_INT(r.n_transitions, 2);
    CHECK_NEAR(overlap_of(row(&r, 0, -1, DT_DISAPPEARED)), 1.0, 1e-7);
    CHECK_NEAR(overlap_of(row(&r, 1, -1, DT_DISAPPEARED)), 1.0, 1e-7);
    CHECK(dt_dca_commit(s, 201, all_noise.ip, &r) == DT_OK);
    dt_dca_result_free(&r);

    /* After a day without clusters: no fate rows. A cluster of senders never seen in a
     * cluster (all-new members 40..49): emerged; the search finds no past cluster holding
     * any of them -> novel; fresh id 2. */
    part fresh = {0};
    put(&fresh, 40, 49, 0);
    track(s, 202, &fresh, &r);
    CHECK_EQ_INT(r.n_transitions, 1);
    row(&r, -1, 2, DT_EMERGED);
    check_cluster(&r, 0, 2, DT_EMERGED, 1);
    CHECK_EQ_INT(r.matched_day[0], INT32_MIN);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_reappeared(void)
{
    /* Day 1: id 0 = 1..10, id 1 = 11..20. Day 2: only 11..20 (id 1). Day 3 tracked:
     * Y0 = 1..8, Y1 = 11..20. Yesterday's id 1 survives into Y1. Y0 emerged; the day before
     * yesterday holds id 0 with OL(X,Y0) = 8/10 = 0.8 >= tau0 -> reappeared, takes back 0,
     * not novel; origin row 0 -> 0. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part d1 = {0}, d2 = {0}, d3 = {0};
    put(&d1, 1, 10, 0);
    put(&d1, 11, 20, 1);
    put(&d2, 11, 20, 1);
    commit_ids(s, 1, &d1);
    commit_ids(s, 2, &d2);
    put(&d3, 1, 8, 0);
    put(&d3, 11, 20, 1);
    dt_dca_result r;
    track(s, 3, &d3, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    row(&r, 1, 1, DT_SURVIVED);
    CHECK(isnan(overlap_of(row(&r, 0, 0, DT_REAPPEARED))));
    check_cluster(&r, 0, 0, DT_REAPPEARED, 0);
    CHECK_EQ_INT(r.matched_day[0], 1);
    CHECK_NEAR(r.matched_overlap[0], 0.8, 1e-7);
    dt_dca_result_free(&r);

    /* The direction of OL: Y = 1..4 lies inside id 0 of day 1, but OL(X,Y) = 4/10 = 0.4
     * < tau0 (the share of the past cluster found in Y; OL(Y,X) = 1 does not count)
     * -> no reappearance, novel, fresh id 2. */
    part small = {0};
    put(&small, 1, 4, 0);
    track(s, 3, &small, &r);
    check_cluster(&r, 0, 2, DT_EMERGED, 1);
    row(&r, 1, -1, DT_INACTIVE);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_reappeared_choice(void)
{
    /* The most recent match wins over a larger overlap: day 1 id 0 = 1..10; day 2 id 3 =
     * 1..10 and 21..25 (15); day 3 (yesterday) id 4 = 50..59 only. Day 4: Y0 = 1..10.
     * OL(id 0 @ 1, Y0) = 1, OL(id 3 @ 2, Y0) = 10/15 = 0.67 >= tau0: day 2 is more recent
     * -> takes back 3. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part d1 = {0}, d2 = {0}, d3 = {0}, d4 = {0};
    put(&d1, 1, 10, 0);
    put(&d2, 1, 10, 3);
    put(&d2, 21, 25, 3);
    put(&d3, 50, 59, 4);
    commit_ids(s, 1, &d1);
    commit_ids(s, 2, &d2);
    commit_ids(s, 3, &d3);
    put(&d4, 1, 10, 0);
    dt_dca_result r;
    track(s, 4, &d4, &r);
    check_cluster(&r, 0, 3, DT_REAPPEARED, 0);
    CHECK_EQ_INT(r.matched_day[0], 2);
    row(&r, 4, -1, DT_INACTIVE);
    dt_dca_result_free(&r);

    /* Same day, the larger overlap wins: day 1 id 0 = 1..10, id 1 = 11..14; day 2 other
     * senders. Day 3: Y0 = 1..7 and 11..14: OL(id 0) = 0.7, OL(id 1) = 4/4 = 1 -> id 1,
     * although id 0 shares more members. */
    dt_dca_state *s2 = new_state(0.65, 0.3);
    part e1 = {0}, e2 = {0}, e3 = {0};
    put(&e1, 1, 10, 0);
    put(&e1, 11, 14, 1);
    put(&e2, 50, 59, 2);
    commit_ids(s2, 1, &e1);
    commit_ids(s2, 2, &e2);
    put(&e3, 1, 7, 0);
    put(&e3, 11, 14, 0);
    track(s2, 3, &e3, &r);
    check_cluster(&r, 0, 1, DT_REAPPEARED, 0);
    CHECK_NEAR(r.matched_overlap[0], 1.0, 1e-7);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
    dt_dca_state_free(s2);
}

static void test_reappeared_id_conflicts(void)
{
    /* The id is alive today: day 1 id 0 = 1..10; day 2 id 0 = 11..20. Day 3: Y0 = 11..20
     * (survivor of id 0), Y1 = 1..10 (matches id 0 @ day 1, OL 1). Id 0 is held by the
     * survivor -> Y1 gets fresh id 1, emerged, not novel (it matched the past). */
    dt_dca_state *s = new_state(0.65, 0.3);
    part d1 = {0}, d2 = {0}, d3 = {0};
    put(&d1, 1, 10, 0);
    put(&d2, 11, 20, 0);
    commit_ids(s, 1, &d1);
    commit_ids(s, 2, &d2);
    put(&d3, 11, 20, 0);
    put(&d3, 1, 10, 1);
    dt_dca_result r;
    track(s, 3, &d3, &r);
    check_cluster(&r, 0, 0, DT_SURVIVED, 0);
    check_cluster(&r, 1, 1, DT_EMERGED, 0);
    CHECK_EQ_INT(r.matched_day[1], 1);
    row(&r, -1, 1, DT_EMERGED);
    dt_dca_result_free(&r);

    /* Two new clusters claim one id: day 3 (yesterday) holds id 5 = 50..59 only. Day 4:
     * Y0 = 1..10 (id 0 @ day 1), Y1 = 11..20 (id 0 @ day 2, more recent) -> Y1 takes back
     * 0; Y0 gets the fresh id 6, emerged, not novel. */
    part d3b = {0}, d4 = {0};
    put(&d3b, 50, 59, 5);
    commit_ids(s, 3, &d3b);
    put(&d4, 1, 10, 0);
    put(&d4, 11, 20, 1);
    track(s, 4, &d4, &r);
    check_cluster(&r, 1, 0, DT_REAPPEARED, 0);
    check_cluster(&r, 0, 6, DT_EMERGED, 0);
    row(&r, 0, 0, DT_REAPPEARED);
    row(&r, -1, 6, DT_EMERGED);
    row(&r, 5, -1, DT_INACTIVE);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

static void test_ties_at_half(void)
{
    /* tau0 = 0.5. X1 (id 1) = 1..4, X2 (id 2) = 5..8, today Y0 = 1..8. m = 1 for both;
     * OL(Y0,X1) = OL(Y0,X2) = 0.5 >= tau0: both qualify as survivors. One Y keeps one id:
     * equal OL(Y,X), so the smaller id 1 keeps Y0 and X2 is absorbed into 1. */
    dt_dca_state *s = new_state(0.5, 0.25);
    part y = {0}, t = {0};
    put(&y, 1, 4, 1);
    put(&y, 5, 8, 2);
    commit_ids(s, 1, &y);
    put(&t, 1, 8, 0);
    dt_dca_result r;
    track(s, 2, &t, &r);
    CHECK_EQ_INT(r.n_transitions, 2);
    row(&r, 1, 1, DT_SURVIVED);
    row(&r, 2, 1, DT_ABSORBED);
    check_cluster(&r, 0, 1, DT_SURVIVED, 0);
    dt_dca_result_free(&r);

    /* X (id 1) = 1..4 -> Y0 = 1,2 and Y1 = 3,4: m = 0.5 for both, two strong matches.
     * Equal m: the smaller label Y0 is X's target; only X claims Y0 -> survived into Y0.
     * Y1 emerged with fresh id 3. X2 = 5..8 is absent -> inactive. */
    part t2 = {0};
    put(&t2, 1, 2, 0);
    put(&t2, 3, 4, 1);
    track(s, 2, &t2, &r);
    CHECK_NEAR(overlap_of(row(&r, 1, 1, DT_SURVIVED)), 0.5, 1e-7);
    row(&r, -1, 3, DT_EMERGED);
    row(&r, 2, -1, DT_INACTIVE);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

/* Runs track and commit for one day. */
static void run_day(dt_dca_state *s, int32_t day, const part *p, dt_dca_result *r)
{
    track(s, day, p, r);
    CHECK(dt_dca_commit(s, day, p->ip, r) == DT_OK);
}

static void test_ids_over_days(void)
{
    /* Day 1: A = 1..10 (label 0), B = 11..20 (label 1) -> ids 0, 1. */
    dt_dca_state *s = new_state(0.65, 0.3);
    part d1 = {0}, d2 = {0}, d3 = {0}, d4 = {0}, d5 = {0};
    put(&d1, 1, 10, 0);
    put(&d1, 11, 20, 1);
    dt_dca_result r;
    run_day(s, 1, &d1, &r);
    dt_dca_result_free(&r);

    /* Day 2: A whole (survives, 0); B splits into 11..15 and 16..20 (m 0.5 each) -> fresh
     * ids 2 and 3, in label order. */
    put(&d2, 1, 10, 0);
    put(&d2, 11, 15, 1);
    put(&d2, 16, 20, 2);
    run_day(s, 2, &d2, &r);
    check_cluster(&r, 0, 0, DT_SURVIVED, 0);
    check_cluster(&r, 1, 2, DT_EMERGED, 1);
    check_cluster(&r, 2, 3, DT_EMERGED, 1);
    row(&r, 1, 2, DT_SPLIT);
    row(&r, 1, 3, DT_SPLIT);
    dt_dca_result_free(&r);

    /* Day 3: only A, and a new group 30..39 -> A survives (0), the new group is novel
     * with id 4: the counter never reuses ids. 2 and 3 inactive. */
    put(&d3, 1, 10, 0);
    put(&d3, 30, 39, 1);
    run_day(s, 3, &d3, &r);
    check_cluster(&r, 1, 4, DT_EMERGED, 1);
    row(&r, 2, -1, DT_INACTIVE);
    row(&r, 3, -1, DT_INACTIVE);
    dt_dca_result_free(&r);

    /* Day 4: B's members together again (11..20). Days before yesterday: day 1 has id 1 =
     * 11..20 (OL 1); day 2 has ids 2 = 11..15 and 3 = 16..20 (OL 1 each). The most recent
     * day is 2; equal overlap and equal shared members -> the smaller id, 2. */
    put(&d4, 1, 10, 0);
    put(&d4, 11, 20, 1);
    run_day(s, 4, &d4, &r);
    check_cluster(&r, 1, 2, DT_REAPPEARED, 0);
    row(&r, 4, -1, DT_INACTIVE);
    dt_dca_result_free(&r);

    /* Day 5: nothing changes -> both survive with ids 0 and 2; next_id is still 5. */
    put(&d5, 1, 10, 0);
    put(&d5, 11, 20, 1);
    run_day(s, 5, &d5, &r);
    check_cluster(&r, 0, 0, DT_SURVIVED, 0);
    check_cluster(&r, 1, 2, DT_SURVIVED, 0);
    CHECK_EQ_INT(dt_dca_state_next_id(s), 5);
    dt_dca_result_free(&r);
    dt_dca_state_free(s);
}

int main(void)
{
    test_survived();
    test_absorbed_by_noise_claim();
    test_absorbed_together();
    test_split();
    test_disappeared();
    test_inactive();
    test_first_day_and_empty_days();
    test_reappeared();
    test_reappeared_choice();
    test_reappeared_id_conflicts();
    test_ties_at_half();
    test_ids_over_days();
    return dt_test_finish("test_dca");
}
