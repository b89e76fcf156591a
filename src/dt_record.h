/* What one processed day leaves in the history: the C form of docs/history-format.md. */
#ifndef DT_RECORD_H
#define DT_RECORD_H

#include <stddef.h>
#include <stdint.h>

/* Codes of transition_kind and cluster_origin (the history contract's flag table). */
typedef enum {
    DT_SURVIVED = 0,
    DT_ABSORBED = 1,
    DT_SPLIT = 2,
    DT_DISAPPEARED = 3,
    DT_INACTIVE = 4,
    DT_EMERGED = 5,
    DT_REAPPEARED = 6
} dt_transition_kind;

/* One transition row: the fate of a previous-day cluster (survived .. inactive) or the
 * origin of a new one (emerged, reappeared). Ids are persistent ids; -1 is noise or none. */
typedef struct {
    int32_t from;
    int32_t to;
    uint8_t kind;  /* dt_transition_kind */
    float overlap; /* OL(X,Y)/A(X), NaN where it does not apply */
} dt_transition;

/* How many services a cluster row names (its busiest by packets). */
enum { DT_TOP_SERVICES = 3 };

/* One non-noise cluster of the day. */
typedef struct {
    int32_t id;                         /* persistent id */
    int32_t size;                       /* members */
    float silhouette;                   /* mean cosine silhouette of the members */
    uint8_t origin;                     /* DT_SURVIVED, DT_EMERGED or DT_REAPPEARED (for a cluster
                                           that absorbed others: DT_SURVIVED) */
    uint8_t novel;                      /* 1: emerged and matches no past cluster */
    int32_t label;                      /* index into the ground-truth labels, -1 without */
    float purity;                       /* share of members with that label, NaN without */
    uint16_t top_port[DT_TOP_SERVICES]; /* busiest services of the members; */
    uint8_t top_proto[DT_TOP_SERVICES]; /* proto 0 with port 0: none or "other" */
    float top_share[DT_TOP_SERVICES];   /* share of the members' packets */
} dt_cluster_row;

/* A whole day, as committed to the history. Arrays are owned by whoever filled them. */
typedef struct {
    int32_t day; /* days since 1970-01-01 */
    int64_t packets;
    int32_t senders_seen;
    int32_t senders_active;

    size_t n_senders; /* active senders, in address order */
    const uint32_t *sender_ip;
    const int32_t *sender_packets;
    const int32_t *sender_cluster; /* persistent id, -1 noise */
    const float *sender_embedding; /* n_senders x dim, or NULL */
    int dim;

    size_t n_clusters;
    const dt_cluster_row *clusters;

    size_t n_transitions;
    const dt_transition *transitions;
} dt_day_record;

#endif
