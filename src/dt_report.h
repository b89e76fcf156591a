/* What an analyst reads from a history: per-day totals and one day's clusters in detail. */
#ifndef DT_REPORT_H
#define DT_REPORT_H

#include "dt_history.h"

#include <stdio.h>

/* One line of the per-day table. */
typedef struct {
    int32_t day;
    int64_t packets;
    int32_t senders_active;
    int32_t noise; /* active senders in no cluster */
    int32_t clusters;
    int32_t survived, emerged, reappeared, novel;   /* clusters of the day, by origin */
    int32_t absorbed, split, disappeared, inactive; /* yesterday's clusters, by fate */
    double silhouette; /* mean over clustered senders (size-weighted), NaN without clusters */
} dt_report_day;

/* The whole report, loaded once and rendered in any format. */
typedef struct {
    char *path;
    char *source; /* darktrack version that wrote it */
    char *labels; /* comma-separated ground-truth classes, "" without */
    dt_params params;
    int mpi_ranks;
    size_t n_days;
    dt_report_day *days;
    size_t focus;          /* index of the detailed day */
    dt_history_day detail; /* its clusters and transitions (no sender rows) */
    int32_t *last_seen;    /* per cluster of the detailed day: the latest earlier day that
                              listed its id, INT32_MIN for none */
} dt_report;

/* Reads the history at path. focus_day is the day to detail (days since 1970-01-01), or
 * INT32_MIN for the last day; a day the history lacks is DT_ERR_USAGE naming the range. A
 * history without days loads with n_days 0 and renders as such. */
dt_status dt_report_load(const char *path, int32_t focus_day, dt_report *out);

void dt_report_free(dt_report *r);

/* Renderers. The text is for people; CSV and JSON for programs (docs/history.md). */
void dt_report_text(const dt_report *r, FILE *out);
void dt_report_csv_days(const dt_report *r, FILE *out);
void dt_report_csv_clusters(const dt_report *r, FILE *out);
void dt_report_csv_transitions(const dt_report *r, FILE *out);
void dt_report_json(const dt_report *r, FILE *out);

/* "2026-01-31" for day 20484, into buf (at least 11 bytes). */
void dt_report_date(int32_t day, char *buf, size_t len);

/* Parses YYYY-MM-DD into days since 1970-01-01; DT_ERR_USAGE when it is not a date. */
dt_status dt_report_parse_date(const char *text, int32_t *day);

/* The name of a transition kind or origin code ("survived" ... "reappeared"). */
const char *dt_report_kind_name(int kind);

/* One cluster's services as "23/tcp 61%, 2323/tcp 30%" into buf. */
void dt_report_services(const dt_cluster_row *c, char *buf, size_t len);

/* The name of label index i in a comma-separated list, into buf; "-" for -1. */
void dt_report_label(const char *labels, int32_t i, char *buf, size_t len);

#endif
