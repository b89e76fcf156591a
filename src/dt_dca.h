/* Dynamic cluster analysis: matches today's clusters to yesterday's and the past (docs/dca.md). */
#ifndef DT_DCA_H
#define DT_DCA_H

#include "dt_record.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The DCA state is everything the rules need from earlier days: yesterday's partition
 * (every active sender with its persistent cluster id, -1 for noise), an index of the
 * clusters of all earlier days by sender, and the counter of fresh ids.
 *
 * The state is a pure function of the sequence of committed days: building it by
 * replaying the history's (day, sender_ip, sender_cluster) rows through
 * dt_dca_state_add_day gives the same state, bit for bit (dt_dca_state_digest), as the
 * run that wrote them. That is the crash-safe path: the history is the state.
 */
typedef struct dt_dca_state dt_dca_state;

typedef struct {
    double tau0;          /* strong match: m(X,Y) >= tau0; in (0, 1] */
    double tau1;          /* loose match: m(X,Y) >= tau1; in (0, tau0] */
    int32_t horizon_days; /* backward search looks at days >= today - horizon; 0: every day */
} dt_dca_options;

/* The paper's thresholds (0.65, 0.3) and no horizon. */
dt_dca_options dt_dca_default_options(void);

/* Creates an empty state (no day seen yet). Errors: DT_ERR_USAGE for thresholds out of
 * range or a negative horizon, DT_ERR_NOMEM. Free with dt_dca_state_free. */
dt_status dt_dca_state_create(dt_dca_state **out, const dt_dca_options *opt);

/* Frees the state; NULL is accepted. */
void dt_dca_state_free(dt_dca_state *s);

/* Commits one day's final partition: ips[i] is an active sender (host order, no
 * duplicates, any order) and ids[i] its persistent cluster id (-1 noise, else >= 0).
 * day (days since 1970-01-01) must be later than every day committed before.
 * The arrays are copied. Errors: DT_ERR_FORMAT for a duplicate address, a bad id or a
 * day out of order (the message names the day and the value), DT_ERR_NOMEM. On error
 * the state is unchanged only for validation errors; after DT_ERR_NOMEM discard it. */
dt_status dt_dca_state_add_day(dt_dca_state *s, int32_t day, const uint32_t *ips,
                               const int32_t *ids, size_t n);

/* Replays a history's ragged day rows (the layout of sender_count, sender_ip and
 * sender_cluster): day days[d] owns the next counts[d] of the n_rows rows of ips / ids.
 * where names the source for messages. Errors: DT_ERR_FORMAT for counts that do not add
 * up to n_rows, and every error of dt_dca_state_add_day, with where and the day. */
dt_status dt_dca_state_replay(dt_dca_state *s, size_t n_days, const int32_t *days,
                              const int32_t *counts, const uint32_t *ips, const int32_t *ids,
                              size_t n_rows, const char *where);

/* 1 when at least one day was committed. */
int dt_dca_state_has_days(const dt_dca_state *s);

/* The last committed day (INT32_MIN when none). */
int32_t dt_dca_state_last_day(const dt_dca_state *s);

/* The next fresh id: one more than the largest id ever committed (or restored). */
int32_t dt_dca_state_next_id(const dt_dca_state *s);

/* The options the state was created with. */
dt_dca_options dt_dca_state_options(const dt_dca_state *s);

/* A 64-bit fingerprint of the whole state (options, counter, yesterday, past clusters
 * and the index in canonical order): equal states give equal digests. */
uint64_t dt_dca_state_digest(const dt_dca_state *s);

/* Writes the state into the netCDF group ncid (which may be a file's root group). The
 * group must be in define mode or a netCDF-4 group; it gets dimensions dca_day and
 * dca_obs and variables dca_day, dca_count, dca_ip and dca_cluster. Errors: DT_ERR_IO
 * with the netCDF message. */
dt_status dt_dca_state_save(const dt_dca_state *s, int ncid);

/* Rebuilds a state from a group written by dt_dca_state_save. where names the file for
 * messages. Errors: DT_ERR_FORMAT for missing or inconsistent variables, DT_ERR_IO. */
dt_status dt_dca_state_load(dt_dca_state **out, int ncid, const char *where);

/* The same as files: save writes path.tmp, syncs and renames it over path. */
dt_status dt_dca_state_save_file(const dt_dca_state *s, const char *path);
dt_status dt_dca_state_load_file(dt_dca_state **out, const char *path);

/* One day's outcome. Everything is owned by the result; free with dt_dca_result_free. */
typedef struct {
    /* Today's clusters by HDBSCAN label: clusters[k] is label k. Filled: id, size, origin,
     * novel; label -1, purity and silhouette NaN and no top services, for the caller. */
    size_t n_clusters;
    dt_cluster_row *clusters;

    /* For a reappeared cluster: the day and OL(X,Y) of the past cluster whose id it took
     * back. For an emerged cluster that matched the past but could not take the id (held
     * today by a survivor, or by a new cluster with a stronger claim; it got a fresh id and
     * is not novel): the same, for the record. INT32_MIN / NaN otherwise. */
    int32_t *matched_day;
    float *matched_overlap;

    /* Fate rows of yesterday's clusters by ascending id (split targets by ascending id),
     * then origin rows of today's new clusters by ascending id. */
    size_t n_transitions;
    dt_transition *transitions;

    /* Work of the backward search: postings read over all emerged clusters (for logs and
     * benchmarks). */
    size_t postings_read;

    /* Persistent id of each input sender, in input order (-1 noise). */
    size_t n_senders;
    int32_t *sender_id;
} dt_dca_result;

/* Applies the DCA rules to today's partition: ips[i] an active sender of `day` (no
 * duplicates, any order) and labels[i] its HDBSCAN label (-1 noise, else 0..k-1 with
 * every label in 0..k-1 used). Does not change the state: commit the day afterwards with
 * dt_dca_commit (or dt_dca_state_add_day with out->sender_id). Errors: DT_ERR_FORMAT
 * for a day not after the last committed one, a duplicate address, a label out of range
 * or an unused label; DT_ERR_NOMEM. */
dt_status dt_dca_track(const dt_dca_state *s, int32_t day, const uint32_t *ips,
                       const int32_t *labels, size_t n, dt_dca_result *out);

/* dt_dca_state_add_day(s, day, ips, r->sender_id, r->n_senders). */
dt_status dt_dca_commit(dt_dca_state *s, int32_t day, const uint32_t *ips, const dt_dca_result *r);

/* Frees what r owns and zeroes it; NULL is accepted. */
void dt_dca_result_free(dt_dca_result *r);

/* Short name of a transition kind: "survived", ..., "reappeared"; "?" when unknown. */
const char *dt_dca_kind_name(int kind);

#endif
