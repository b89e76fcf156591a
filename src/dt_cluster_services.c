/* The busiest services of each cluster's members. */
#include "dt_cluster_services.h"

#include <stdlib.h>
#include <string.h>

/* Senders grouped by cluster with a counting sort: members of cluster k are
 * order[first[k] .. first[k+1]). */
static dt_status group_by_cluster(const int32_t *labels, size_t n, size_t n_clusters,
                                  uint32_t **order_out, size_t **first_out)
{
    uint32_t *order = NULL;
    size_t *first = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&order, n, sizeof *order, "cluster member order"));
    DT_CHECK_GOTO(st, dt_calloc(&first, n_clusters + 2, sizeof *first, "cluster offsets"));

    for (size_t w = 0; w < n; w++) {
        if (labels[w] < 0)
            continue;
        if ((size_t)labels[w] >= n_clusters) {
            st = dt_fail(DT_ERR_INTERNAL, "sender %zu has cluster %d of %zu", w, labels[w],
                         n_clusters);
            goto out;
        }
        first[(size_t)labels[w] + 2]++;
    }
    for (size_t k = 2; k < n_clusters + 2; k++)
        first[k] += first[k - 1];
    for (size_t w = 0; w < n; w++)
        if (labels[w] >= 0)
            order[first[(size_t)labels[w] + 1]++] = (uint32_t)w;

out:
    if (st != DT_OK) {
        free(order);
        free(first);
        return st;
    }
    *order_out = order;
    *first_out = first;
    return DT_OK;
}

/* Keeps the DT_TOP_SERVICES busiest of the touched services in row. Services are
 * numbered busiest-first for the day, so the smaller index wins a tie. */
static void pick_top(const dt_day *day, const uint64_t *packets, const uint32_t *touched,
                     size_t n_touched, dt_cluster_row *row)
{
    uint32_t best[DT_TOP_SERVICES];
    size_t n_best = 0;
    uint64_t total = 0;
    for (size_t t = 0; t < n_touched; t++) {
        uint32_t s = touched[t];
        total += packets[s];
        size_t pos = n_best < DT_TOP_SERVICES ? n_best++ : DT_TOP_SERVICES;
        while (pos > 0 && (packets[best[pos - 1]] < packets[s] ||
                           (packets[best[pos - 1]] == packets[s] && best[pos - 1] > s))) {
            if (pos < DT_TOP_SERVICES)
                best[pos] = best[pos - 1];
            pos--;
        }
        if (pos < DT_TOP_SERVICES)
            best[pos] = s;
    }

    memset(row->top_port, 0, sizeof row->top_port);
    memset(row->top_proto, 0, sizeof row->top_proto);
    memset(row->top_share, 0, sizeof row->top_share);
    for (size_t i = 0; i < n_best; i++) {
        const dt_service *svc = &day->services[best[i]];
        row->top_port[i] = svc->is_other ? 0 : svc->port;
        row->top_proto[i] = svc->is_other ? 0 : svc->proto;
        row->top_share[i] = total ? (float)((double)packets[best[i]] / (double)total) : 0.0f;
    }
}

dt_status dt_cluster_services(const dt_day *day, const int32_t *labels, dt_cluster_row *rows,
                              size_t n_clusters)
{
    uint32_t *order = NULL, *touched = NULL;
    size_t *first = NULL;
    uint64_t *packets = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, group_by_cluster(labels, day->n_active, n_clusters, &order, &first));
    DT_CHECK_GOTO(st, dt_calloc(&packets, day->n_services, sizeof *packets, "service tally"));
    DT_CHECK_GOTO(st, dt_malloc(&touched, day->n_services, sizeof *touched, "service list"));

    for (size_t k = 0; k < n_clusters; k++) {
        size_t n_touched = 0;
        for (size_t m = first[k]; m < first[k + 1]; m++) {
            uint32_t w = order[m];
            for (size_t e = day->sender_service_start[w]; e < day->sender_service_start[w + 1];
                 e++) {
                uint32_t s = day->sender_service[e];
                if (day->sender_service_packets[e] == 0)
                    continue;
                if (packets[s] == 0)
                    touched[n_touched++] = s;
                packets[s] += day->sender_service_packets[e];
            }
        }

        pick_top(day, packets, touched, n_touched, &rows[k]);
        for (size_t t = 0; t < n_touched; t++)
            packets[touched[t]] = 0;
    }

out:
    free(order);
    free(first);
    free(packets);
    free(touched);
    return st;
}
