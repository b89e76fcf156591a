/* Ground truth: sender classes from an ip,class CSV and the Mirai fingerprint, and the
 * majority class and purity of each cluster (docs/dca.md, "Labels"). */
#ifndef DT_LABELS_H
#define DT_LABELS_H

#include "dt_record.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* The class name of senders with the Mirai fingerprint, and of everyone else. */
#define DT_LABEL_MIRAI "mirai-like"
#define DT_LABEL_UNKNOWN "unknown"

/*
 * The label list is fixed when the CSV is loaded: the CSV's class names in byte order,
 * then "mirai-like", then "unknown". Its indexes are what cluster_label stores, and the
 * list is the history's `labels` attribute.
 *
 * A sender's class: its CSV class when it has one (the curated list is the more specific
 * evidence, and a fingerprint can match by chance); otherwise "mirai-like" when any of its
 * packets that day carried the fingerprint; otherwise "unknown". A CSV line whose class is
 * "mirai-like" or "unknown" names those same labels.
 */
typedef struct {
    size_t n_names;
    char **names;
    int32_t mirai;   /* index of "mirai-like" */
    int32_t unknown; /* index of "unknown" */

    size_t n_known; /* CSV addresses, sorted, with their label index */
    uint32_t *ip;
    int32_t *label;
} dt_labels;

/* Loads a CSV with the header line "ip,class" and one "a.b.c.d,class" per line (spaces
 * around fields, CRLF line ends and blank lines are accepted). Class names are 1..63
 * characters of letters, digits and "_.+-". csv_path NULL gives the fingerprint labels
 * only. Errors: DT_ERR_IO when the file cannot be read; DT_ERR_FORMAT naming file, line
 * and the problem (bad header, bad address, bad class, an address given two classes);
 * DT_ERR_NOMEM. On error l is left empty. Free with dt_labels_free. */
dt_status dt_labels_load(dt_labels *l, const char *csv_path);

/* Frees what l owns and zeroes it; NULL is accepted. */
void dt_labels_free(dt_labels *l);

/* The label index of one sender (mirai: 1 when it carried the fingerprint that day). */
int32_t dt_labels_of(const dt_labels *l, uint32_t ip, int mirai);

/* Sets label and purity of rows[0 .. n_clusters): the majority class among all members of
 * each cluster, "unknown" included (ties: the smaller label index), and the share of
 * members carrying it. ip, mirai (may be NULL: no fingerprints) and cluster (the HDBSCAN
 * label of each sender, -1 noise) describe today's n active senders. Errors:
 * DT_ERR_INTERNAL for a cluster label >= n_clusters, DT_ERR_NOMEM. */
dt_status dt_labels_clusters(const dt_labels *l, const uint32_t *ip, const uint8_t *mirai,
                             const int32_t *cluster, size_t n, dt_cluster_row *rows,
                             size_t n_clusters);

/* The label names joined by sep, e.g. "censys,mirai-like,unknown"; caller frees. */
dt_status dt_labels_join(const dt_labels *l, const char *sep, char **out);

#endif
