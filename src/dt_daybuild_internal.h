/* The day builder's state, shared by its accumulation and its finishing steps. */
#ifndef DT_DAYBUILD_INTERNAL_H
#define DT_DAYBUILD_INTERNAL_H

#include "dt_daybuild.h"
#include "dt_timesort.h"
#include "dt_u32map.h"

/* Bit 63 of a sender's tally marks the Mirai fingerprint; the bits below count packets. */
#define DT_TALLY_MIRAI (UINT64_C(1) << 63)
#define DT_TALLY_PACKETS(t) ((t) & ~DT_TALLY_MIRAI)

/* Marks a sender slot that is not an active sender. */
#define DT_NOT_ACTIVE UINT32_MAX

struct dt_daybuild {
    dt_daybuild_params params;
    int64_t packets;

    /* Senders: source address -> slot, the slot's value its tally. */
    dt_u32map senders;

    /* Services: port << 8 | protocol -> slot, the slot's value its packets. */
    dt_u32map services;

    /* Every packet, in arrival order. */
    dt_event *events;
    size_t n_events;
    size_t event_cap;

    size_t room;     /* packets that fit before any table or array may need to grow */
    int64_t last_ts; /* time of the last packet added */
    int unsorted;    /* 1 once a packet came earlier than the one before it */

    /* Filled by dt_daybuild_finish from the tables, indexed by slot. */
    uint32_t *sender_ip;
    uint64_t *sender_tally;
    uint32_t *service_key;
    uint64_t *service_packets;
};

#endif
