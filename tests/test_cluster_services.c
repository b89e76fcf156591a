/* The busiest services of each cluster, on a day built by hand. */
#include "dt_cluster_services.h"
#include "dt_test.h"

DT_TEST_MAIN_STATE;

int main(void)
{
    /* Services busiest first for the day: 23/tcp, 80/tcp, 53/udp, then "other". */
    dt_service services[] = {{23, 6, 0, 100}, {80, 6, 0, 50}, {53, 17, 0, 20}, {0, 0, 1, 9}};

    /* Four active senders. Cluster 0 = senders 0 and 1, cluster 1 = sender 3, noise = 2.
     * Sender 0: 23/tcp 6, 80/tcp 2.  Sender 1: 80/tcp 4, other 2.  Sender 2: 23/tcp 50.
     * Sender 3: 53/udp 7, other 3.
     * Cluster 0: 80/tcp 6 of 14, 23/tcp 6 of 14 (tie: 23/tcp is busier that day, first),
     * other 2 of 14. Cluster 1: 53/udp 7 of 10, other 3 of 10, nothing third. */
    size_t start[] = {0, 2, 4, 5, 7};
    uint32_t service[] = {0, 1, 1, 3, 0, 2, 3};
    uint32_t packets[] = {6, 2, 4, 2, 50, 7, 3};
    dt_day day = {.n_active = 4,
                  .n_services = 4,
                  .services = services,
                  .sender_service_start = start,
                  .sender_service = service,
                  .sender_service_packets = packets};
    int32_t labels[] = {0, 0, -1, 1};
    dt_cluster_row rows[2];

    CHECK(dt_cluster_services(&day, labels, rows, 2) == DT_OK);
    CHECK_EQ_INT(rows[0].top_port[0], 23);
    CHECK_EQ_INT(rows[0].top_proto[0], 6);
    CHECK_NEAR(rows[0].top_share[0], 6.0 / 14.0, 1e-6);
    CHECK_EQ_INT(rows[0].top_port[1], 80);
    CHECK_NEAR(rows[0].top_share[1], 6.0 / 14.0, 1e-6);
    CHECK_EQ_INT(rows[0].top_port[2], 0);
    CHECK_EQ_INT(rows[0].top_proto[2], 0);
    CHECK_NEAR(rows[0].top_share[2], 2.0 / 14.0, 1e-6);

    CHECK_EQ_INT(rows[1].top_port[0], 53);
    CHECK_EQ_INT(rows[1].top_proto[0], 17);
    CHECK_NEAR(rows[1].top_share[0], 0.7, 1e-6);
    CHECK_NEAR(rows[1].top_share[1], 0.3, 1e-6);
    CHECK_NEAR(rows[1].top_share[2], 0.0, 0);

    int32_t bad[] = {0, 2, -1, 1};
    CHECK(dt_cluster_services(&day, bad, rows, 2) == DT_ERR_INTERNAL);
    return dt_test_finish("test_cluster_services");
}
