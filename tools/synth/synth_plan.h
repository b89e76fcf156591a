/* The planted scenario: groups, their members and behaviour, events, and who sends what
 * on each day. Everything is a pure function of the configuration and the seed. */
#ifndef SYNTH_PLAN_H
#define SYNTH_PLAN_H

#include "synth_addr.h"
#include "synth_config.h"
#include "synth_scanners.h"

#include <stddef.h>
#include <stdint.h>

enum {
    SYNTH_KIND_NOISE = 0, /* short-lived uncoordinated senders, random services */
    SYNTH_KIND_SCAN,      /* coordinated scanners on a fixed set of services */
    SYNTH_KIND_WIDE,      /* coordinated scanners sweeping random TCP ports */
    SYNTH_KIND_MIRAI,     /* churning Mirai-like botnet on 23/2323 TCP */
    SYNTH_KIND_GRE,       /* GRE backscatter from victims of spoofed attacks */
    SYNTH_KIND_ICMP       /* ICMP echo-reply backscatter */
};

#define SYNTH_MAX_PORTS 48
#define SYNTH_MAX_BURSTS 24
#define SYNTH_FOREVER 1000000 /* last_day of a group that never ends */

/* Fixed places in synth_plan.groups: noise, the botnet, then the first day's scanners
 * (scan-01 onwards); later groups follow in the order they were planted. */
#define SYNTH_GROUP_NOISE 0
#define SYNTH_GROUP_MIRAI 1
#define SYNTH_FIRST_SCANNER 2

typedef struct {
    char name[32];                   /* e.g. "scan-03", "mirai", "noise" */
    char origin[64];                 /* where members come from, e.g. "censys /24s" */
    int kind;                        /* SYNTH_KIND_* */
    uint8_t proto;                   /* IP protocol of its traffic */
    uint16_t ports[SYNTH_MAX_PORTS]; /* services it targets (TCP/UDP); empty otherwise */
    int n_ports;
    int n_own;                  /* ports[0..n_own) are its own; the rest are popular
                                   ports many groups share, probed less often */
    int first_day, last_day;    /* inclusive day indices of its life */
    int silent_from, silent_to; /* no traffic on days [from, to); -1 when never */
    int dissolves;              /* after last_day its members turn into noise */
    uint32_t *members;          /* everyone who ever belongs, owned */
    size_t n_members;
    double pkts;      /* mean packets per member a day */
    int bursts;       /* campaign bursts (or attack waves) a day */
    int64_t burst_us; /* length of one burst, microseconds */
    int64_t phase_us; /* start of the first burst after midnight */
} synth_group;

/* One planted event: on `day`, `event` happened to `groups` (space-separated names). */
typedef struct {
    int day;
    const char *event;
    char groups[100];
} synth_change;

/* One sender on one day: its address, its group and the packets it sends that day. */
typedef struct {
    uint32_t ip;
    uint32_t group;
    uint32_t packets;
} synth_role;

typedef struct {
    int days;
    synth_group *groups; /* groups[0] is "noise" */
    size_t n_groups;
    synth_change *changes;
    size_t n_changes;
    synth_role **roles; /* roles[d]: the senders of day d, n_roles[d] of them */
    size_t *n_roles;
} synth_plan;

/* Builds the whole scenario. Scanner groups take their members from `scanners` (may be
 * empty: built-in subnets are used). Free with synth_plan_free. */
dt_status synth_plan_build(const synth_config *cfg, const synth_scanners *scanners,
                           synth_plan *plan);

void synth_plan_free(synth_plan *plan);

/* "tcp", "udp", "icmp", "gre" or the number. */
const char *synth_proto_name(uint8_t proto);

/* "scan", "wide-scan", "mirai", "backscatter", "noise". */
const char *synth_kind_name(int kind);

#endif
