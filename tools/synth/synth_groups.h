/* Building blocks of the scenario: drawing a group's members, services and schedule. */
#ifndef SYNTH_GROUPS_H
#define SYNTH_GROUPS_H

#include "synth_plan.h"

/* A class of the scanner list: its first block and its number of addresses. */
typedef struct {
    size_t first;
    size_t total;
} synth_class;

/* State shared while a plan is built. */
typedef struct {
    const synth_config *cfg;
    const synth_scanners *scanners;
    synth_ipmap used;     /* every address handed out, and every listed scanner */
    uint8_t *port_taken;  /* [2 * 65536]: TCP ports, then UDP ports, given to a group */
    synth_class *classes; /* classes of the scanner list, largest first */
    size_t n_classes;
    size_t next_class; /* the next class a group may take */
    dt_rng rng;
} synth_builder;

dt_status synth_builder_init(synth_builder *b, const synth_config *cfg,
                             const synth_scanners *scanners);

void synth_builder_free(synth_builder *b);

/* Appends a zeroed group named name to the plan and gives its index. */
dt_status synth_group_new(synth_plan *plan, const char *name, int kind, uint8_t proto,
                          size_t *index);

/* Fills g->members with `want` addresses: from the next class of the scanner list when one
 * is left (its largest /24s first), else from fresh built-in /24s. */
dt_status synth_members_scanners(synth_builder *b, synth_group *g, size_t want);

/* Fills g->members with `want` addresses from fresh /24s of the built-in generator. */
dt_status synth_members_subnets(synth_builder *b, synth_group *g, size_t want);

/* Fills g->members with `want` addresses scattered over random networks; `clustered` of
 * them come from a single /16 (a provider whose customers are hit together). */
dt_status synth_members_scattered(synth_builder *b, synth_group *g, size_t want, size_t clustered);

/* Adds to g's services 1 to 35 (at most g->pkts / 3 when g->pkts is set; at least
 * min_ports in all) that no other group has, and, when may_share, for three TCP groups
 * in ten, one popular port many scanners share. */
void synth_ports_draw(synth_builder *b, synth_group *g, int min_ports, int may_share);

/* Adds port to g's services unless it is there already or the set is full. */
void synth_ports_add(synth_group *g, uint16_t port);

/* Moves the popular ports of g to the end of its services and sets g->n_own. */
void synth_ports_order(synth_group *g);

/* Draws g's daily campaign: bursts in [lo, hi], each burst_lo..burst_hi seconds long. */
void synth_schedule_draw(synth_builder *b, synth_group *g, int lo, int hi, int burst_lo_s,
                         int burst_hi_s);

/* A log-uniform draw in [lo, hi]. */
double synth_log_uniform(dt_rng *rng, double lo, double hi);

#endif
