/* Per-day counts of the generated traffic, as a capture reader should find them. */
#ifndef SYNTH_SUMMARY_H
#define SYNTH_SUMMARY_H

#include "synth_plan.h"
#include "synth_traffic.h"

/* Senders are "active" when they sent more than this many packets in the UTC day (the
 * paper's threshold). */
#define SYNTH_ACTIVE_MIN 5

typedef struct {
    uint64_t packets;
    uint64_t senders;    /* distinct source addresses */
    uint64_t active;     /* senders with more than SYNTH_ACTIVE_MIN packets */
    uint64_t active_tcp; /* active senders with at least one packet of the protocol */
    uint64_t active_udp;
    uint64_t active_icmp;
    uint64_t active_gre;
    uint64_t tcp_ports; /* distinct TCP destination ports of active senders */
    uint64_t udp_ports;
} synth_day_summary;

/* Counts a day's packets by source address. `counts` is scratch reused across days.
 * Fails with DT_ERR_INTERNAL when the count disagrees with the day's planned senders. */
dt_status synth_summary_day(const synth_plan *plan, int day, const synth_packets *packets,
                            synth_ipmap *counts, synth_day_summary *out);

#endif
