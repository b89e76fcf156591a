/* HDBSCAN tree on hand-built trees whose answers follow by hand from R's semantics. */
#include "dt_hdbscan.h"
#include "dt_test.h"

#include <math.h>

DT_TEST_MAIN_STATE;

/* A chain first..last with every edge of weight w, appended at edges[*k]. */
static void chain(dt_edge *edges, size_t *k, uint32_t first, uint32_t last, double w)
{
    for (uint32_t i = first; i < last; i++)
        edges[(*k)++] = (dt_edge){i + 1, i, w};
}

/*
 * Group A = points 0..4 and group B = 5..9, each a chain at distance 1; A and B meet at 10;
 * point 10 hangs on B at 20. With min_cluster_size 3, by hand:
 *   root (born at 20) loses point 10 at 20 and dies at 10 into A and B;
 *   A and B are born at 10 and all their points leave at 1:
 *   stability(A) = stability(B) = 5 (1/1 - 1/10) = 4.5; both are leaves and are selected;
 *   point 10 is noise with GLOSH 1 - (lowest leaf death, 1) / 20 = 0.95; members score 0.
 */
static void test_two_groups_and_noise(void)
{
    dt_edge e[10];
    size_t k = 0;
    chain(e, &k, 0, 4, 1.0);
    chain(e, &k, 5, 9, 1.0);
    e[k++] = (dt_edge){4, 5, 10.0};
    e[k++] = (dt_edge){10, 9, 20.0};
    double core[11] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5, 20};

    dt_hdbscan_result r;
    CHECK_EQ_INT(dt_hdbscan_from_mst(11, e, core, 3, &r), DT_OK);
    CHECK_EQ_INT(r.n_clusters, 2);
    for (int i = 0; i < 5; i++)
        CHECK_EQ_INT(r.labels[i], 0);
    for (int i = 5; i < 10; i++)
        CHECK_EQ_INT(r.labels[i], 1);
    CHECK_EQ_INT(r.labels[10], -1);
    CHECK_NEAR(r.stability[0], 4.5, 1e-12);
    CHECK_NEAR(r.stability[1], 4.5, 1e-12);
    CHECK_EQ_INT(r.size[0], 5);
    CHECK_EQ_INT(r.size[1], 5);
    CHECK_NEAR(r.outlier[10], 0.95, 1e-6);
    CHECK_NEAR(r.outlier[0], 0.0, 1e-7);
    /* R's probability: (max core in cluster - core) / max core; B's largest core is 1 */
    CHECK_NEAR(r.probability[9], 0.5, 1e-7);
    CHECK_NEAR(r.probability[5], 0.0, 1e-7);
    CHECK_NEAR(r.probability[10], 0.0, 0);
    dt_hdbscan_result_free(&r);
}

/*
 * A = A1 (0..2) + A2 (3..5): chains at 1.9 joined at 2; B = 6..10, a chain at 1; A meets B
 * at 10. min_cluster_size 3. A dies at 2 with 6 points: stability 6 (1/2 - 1/10) = 2.4;
 * A1 and A2 each 3 (1/1.9 - 1/2) = 0.0789..., together less than 2.4: A is kept whole.
 */
static void test_parent_beats_children(void)
{
    dt_edge e[10];
    size_t k = 0;
    chain(e, &k, 0, 2, 1.9);
    chain(e, &k, 3, 5, 1.9);
    e[k++] = (dt_edge){2, 3, 2.0};
    chain(e, &k, 6, 10, 1.0);
    e[k++] = (dt_edge){5, 6, 10.0};

    dt_hdbscan_result r;
    CHECK_EQ_INT(dt_hdbscan_from_mst(11, e, NULL, 3, &r), DT_OK);
    CHECK_EQ_INT(r.n_clusters, 2);
    for (int i = 0; i < 6; i++)
        CHECK_EQ_INT(r.labels[i], 0);
    for (int i = 6; i < 11; i++)
        CHECK_EQ_INT(r.labels[i], 1);
    CHECK_NEAR(r.stability[0], 6 * (1 / 2.0 - 1 / 10.0), 1e-12);
    CHECK_NEAR(r.stability[1], 5 * (1 - 1 / 10.0), 1e-12);
    CHECK_NEAR(r.probability[0], 1.0, 0); /* no core distances: members get 1 */

    /* Pull A1 and A2 apart (joined at 9 instead of 2): now the children win. */
    e[4].weight = 9.0;
    dt_hdbscan_result s;
    CHECK_EQ_INT(dt_hdbscan_from_mst(11, e, NULL, 3, &s), DT_OK);
    CHECK_EQ_INT(s.n_clusters, 3);
    CHECK(s.labels[0] == s.labels[2] && s.labels[3] == s.labels[5]);
    CHECK(s.labels[0] != s.labels[3] && s.labels[6] != s.labels[0]);
    dt_hdbscan_result_free(&r);
    dt_hdbscan_result_free(&s);
}

/*
 * A tie between parent and children keeps the parent, as R does (strict comparison):
 * A1 = 0..2 and A2 = 3..5, chains at 4/3, join at 2; A meets B = 6..10 at 4. All values
 * exact in binary: stability(A) = 6 (1/2 - 1/4) = 1.5 = 2 * 3 (3/4 - 1/2), the children's
 * sum.
 */
static void test_tie_keeps_parent(void)
{
    dt_edge e[10];
    size_t k = 0;
    chain(e, &k, 0, 2, 4.0 / 3.0);
    chain(e, &k, 3, 5, 4.0 / 3.0);
    e[k++] = (dt_edge){2, 3, 2.0};
    chain(e, &k, 6, 10, 1.0);
    e[k++] = (dt_edge){5, 6, 4.0};
    CHECK_NEAR(1.0 / (4.0 / 3.0), 0.75, 0); /* the premise of the tie */

    dt_hdbscan_result r;
    CHECK_EQ_INT(dt_hdbscan_from_mst(11, e, NULL, 3, &r), DT_OK);
    CHECK_EQ_INT(r.n_clusters, 2);
    CHECK_NEAR(r.stability[0], 1.5, 0);
    CHECK(r.labels[0] == r.labels[5]);
    dt_hdbscan_result_free(&r);
}

/* One group only: the root is never selected (allow_single_cluster false), all noise. */
static void test_single_group_is_noise(void)
{
    dt_edge e[7];
    size_t k = 0;
    chain(e, &k, 0, 7, 1.0);
    dt_hdbscan_result r;
    CHECK_EQ_INT(dt_hdbscan_from_mst(8, e, NULL, 3, &r), DT_OK);
    CHECK_EQ_INT(r.n_clusters, 0);
    for (int i = 0; i < 8; i++) {
        CHECK_EQ_INT(r.labels[i], -1);
        CHECK_NEAR(r.probability[i], 0, 0);
    }
    dt_hdbscan_result_free(&r);
}

/* The order of edges of distinct weights does not matter. */
static void test_edge_order_irrelevant(void)
{
    dt_edge e[10];
    size_t k = 0;
    double w[] = {1.0, 1.1, 1.2, 1.3, 0.9, 0.8, 0.7, 0.6};
    for (uint32_t i = 0; i < 4; i++)
        e[k++] = (dt_edge){i + 1, i, w[i]};
    for (uint32_t i = 5; i < 9; i++)
        e[k++] = (dt_edge){i + 1, i, w[i - 1]};
    e[k++] = (dt_edge){4, 5, 10.0};
    e[k++] = (dt_edge){10, 9, 20.0};

    dt_edge rev[10];
    for (size_t i = 0; i < 10; i++)
        rev[i] = e[9 - i];
    dt_hdbscan_result a, b;
    CHECK_EQ_INT(dt_hdbscan_from_mst(11, e, NULL, 3, &a), DT_OK);
    CHECK_EQ_INT(dt_hdbscan_from_mst(11, rev, NULL, 3, &b), DT_OK);
    CHECK_EQ_INT(a.n_clusters, b.n_clusters);
    for (int i = 0; i < 11; i++) {
        CHECK_EQ_INT(a.labels[i], b.labels[i]);
        CHECK_NEAR(a.outlier[i], b.outlier[i], 0);
    }
    for (int c = 0; c < a.n_clusters; c++)
        CHECK_NEAR(a.stability[c], b.stability[c], 0);
    dt_hdbscan_result_free(&a);
    dt_hdbscan_result_free(&b);
}

/* Two groups of four exact copies (distance 0) meeting at 5, and a point at 8: finite
 * everywhere, each group one cluster. */
static void test_duplicates_stay_finite(void)
{
    dt_edge e[8];
    size_t k = 0;
    chain(e, &k, 0, 3, 0.0);
    chain(e, &k, 4, 7, 0.0);
    e[k++] = (dt_edge){3, 4, 5.0};
    e[k++] = (dt_edge){8, 0, 8.0};
    double core[9] = {0, 0, 0, 0, 0, 0, 0, 0, 8};

    dt_hdbscan_result r;
    CHECK_EQ_INT(dt_hdbscan_from_mst(9, e, core, 3, &r), DT_OK);
    CHECK_EQ_INT(r.n_clusters, 2);
    CHECK(r.labels[0] == 0 && r.labels[3] == 0 && r.labels[4] == 1 && r.labels[7] == 1);
    CHECK_EQ_INT(r.labels[8], -1);
    for (int i = 0; i < 9; i++) {
        CHECK(isfinite(r.outlier[i]) && r.outlier[i] <= 1);
        CHECK(isfinite(r.probability[i]));
    }
    CHECK_NEAR(r.probability[0], 1.0, 0); /* all cores 0: members get 1, not 0/0 */
    for (int c = 0; c < 2; c++)
        CHECK(isfinite(r.stability[c]));
    dt_hdbscan_result_free(&r);
}

/* GLOSH grows with a point's distance from its cluster. */
static void test_glosh_orders_outliers(void)
{
    dt_edge e[13];
    size_t k = 0;
    chain(e, &k, 0, 4, 1.0);
    chain(e, &k, 5, 9, 1.0);
    e[k++] = (dt_edge){4, 5, 30.0};
    e[k++] = (dt_edge){10, 0, 2.0};
    e[k++] = (dt_edge){11, 1, 4.0};
    e[k++] = (dt_edge){12, 2, 8.0};
    e[k++] = (dt_edge){13, 3, 16.0};

    dt_hdbscan_result r;
    CHECK_EQ_INT(dt_hdbscan_from_mst(14, e, NULL, 3, &r), DT_OK);
    CHECK(r.outlier[10] < r.outlier[11] && r.outlier[11] < r.outlier[12]);
    CHECK(r.outlier[12] < r.outlier[13] && r.outlier[13] <= 1);
    CHECK_NEAR(r.outlier[13], 1 - 1 / 16.0, 1e-6);
    CHECK_NEAR(r.outlier[6], 0, 1e-7);
    dt_hdbscan_result_free(&r);
}

static void test_bad_trees(void)
{
    dt_hdbscan_result r;
    dt_edge cycle[3] = {{0, 1, 1.0}, {1, 2, 1.0}, {2, 0, 1.0}};
    CHECK_EQ_INT(dt_hdbscan_from_mst(4, cycle, NULL, 2, &r), DT_ERR_FORMAT);
    CHECK(strstr(dt_error_message(), "cycle") != NULL);
    dt_edge nan_weight[2] = {{0, 1, 1.0}, {1, 2, NAN}};
    CHECK_EQ_INT(dt_hdbscan_from_mst(3, nan_weight, NULL, 2, &r), DT_ERR_FORMAT);
    dt_edge outside[2] = {{0, 1, 1.0}, {1, 7, 1.0}};
    CHECK_EQ_INT(dt_hdbscan_from_mst(3, outside, NULL, 2, &r), DT_ERR_FORMAT);
    CHECK_EQ_INT(dt_hdbscan_from_mst(3, outside, NULL, 1, &r), DT_ERR_USAGE);
    CHECK(r.labels == NULL);
    CHECK_EQ_INT(dt_hdbscan_from_mst(1, NULL, NULL, 2, &r), DT_OK);
    CHECK_EQ_INT(r.labels[0], -1);
    dt_hdbscan_result_free(&r);
}

int main(void)
{
    test_two_groups_and_noise();
    test_parent_beats_children();
    test_tie_keeps_parent();
    test_single_group_is_noise();
    test_edge_order_irrelevant();
    test_duplicates_stay_finite();
    test_glosh_orders_outliers();
    test_bad_trees();
    return dt_test_finish("test_hdbscan");
}
