/* The planted scenario: which groups exist, what happens to them on which day. */
#include "synth_plan.h"

#include "dt_packet.h"
#include "synth_groups.h"
#include "synth_roles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The day of each planted event, as a share of the run with an earliest day, so that the
 * same story fits 6 days or 20 (docs/synthetic-telescope.md lists the days per preset). */
typedef struct {
    int gre, appear1, split, silent, silent_len, icmp, merge, appear2, dissolve, appear3;
} event_days;

static int day_at(int days, double share, int earliest)
{
    int day = (int)lround(share * days);
    return day < earliest ? earliest : day;
}

static event_days plan_days(int days)
{
    event_days e;
    e.gre = day_at(days, 0.10, 1);
    e.appear1 = day_at(days, 0.15, 1);
    e.split = day_at(days, 0.25, 2);
    e.silent = day_at(days, 0.30, 2);
    e.silent_len = day_at(days, 0.20, 2);
    e.icmp = day_at(days, 0.40, 2);
    e.merge = day_at(days, 0.50, 3);
    e.appear2 = day_at(days, 0.60, 3);
    e.dissolve = day_at(days, 0.70, 3);
    e.appear3 = day_at(days, 0.85, 4);
    return e;
}

/* Records an event when its day falls inside the run. */
static dt_status add_change(synth_plan *plan, int day, const char *event, const char *groups)
{
    if (day >= plan->days)
        return DT_OK;
    DT_CHECK(dt_realloc(&plan->changes, plan->n_changes + 1, sizeof *plan->changes, "events"));
    synth_change *c = &plan->changes[plan->n_changes++];
    c->day = day;
    c->event = event;
    snprintf(c->groups, sizeof c->groups, "%s", groups);
    return DT_OK;
}

/* A scanner campaign: 4 to 24 bursts of 5 to 40 minutes, fewer for groups that send
 * little, so that members still meet several times inside each burst. */
static void draw_campaign(synth_builder *b, synth_group *g)
{
    int most = (int)fmin(SYNTH_MAX_BURSTS, fmax(4.0, g->pkts / 3.0));
    synth_schedule_draw(b, g, 4, most, 300, 2400);
}

/* Where a new scanner group's members come from. */
enum { FROM_LIST, FROM_SUBNETS, FROM_SCATTERED };

/* Adds a coordinated scanner group of `size` members with its services and schedule. */
static dt_status add_scanner(synth_builder *b, synth_plan *plan, const char *name, int kind,
                             uint8_t proto, size_t size, int source, int min_ports, size_t *index)
{
    DT_CHECK(synth_group_new(plan, name, kind, proto, index));
    synth_group *g = &plan->groups[*index];
    const synth_preset *p = &b->cfg->preset;

    if (source == FROM_LIST)
        DT_CHECK(synth_members_scanners(b, g, size));
    else if (source == FROM_SUBNETS)
        DT_CHECK(synth_members_subnets(b, g, size));
    else
        DT_CHECK(synth_members_scattered(b, g, size, 0));

    g->pkts = synth_log_uniform(&b->rng, p->pkts_lo, p->pkts_hi);
    if (kind == SYNTH_KIND_WIDE)
        g->pkts = p->pkts_hi;
    if (kind == SYNTH_KIND_SCAN)
        synth_ports_draw(b, g, min_ports, 1);
    draw_campaign(b, g);
    return DT_OK;
}

static size_t scanner_size(synth_builder *b, size_t at_least)
{
    const synth_preset *p = &b->cfg->preset;
    size_t size = (size_t)lround(synth_log_uniform(&b->rng, p->scan_min, p->scan_max));
    return size < at_least ? at_least : size;
}

/* The groups present from the first day: scan-01 sweeps random ports, scan-02 will split,
 * scan-03 and scan-04 will merge, scan-05 falls silent and returns, scan-06 dissolves; the
 * last udp_groups scan UDP. */
static dt_status add_first_scanners(synth_builder *b, synth_plan *plan)
{
    const synth_preset *p = &b->cfg->preset;
    for (int i = 1; i <= p->scan_groups; i++) {
        char name[32];
        snprintf(name, sizeof name, "scan-%02d", i);
        int kind = i == 1 ? SYNTH_KIND_WIDE : SYNTH_KIND_SCAN;
        uint8_t proto = i > p->scan_groups - p->udp_groups ? DT_PROTO_UDP : DT_PROTO_TCP;
        size_t at_least = i == 2 ? 2 * (size_t)p->scan_min : (size_t)p->scan_min;
        int min_ports = i == 2 ? 4 : i <= 4 ? 2 : 1;

        size_t index;
        DT_CHECK(add_scanner(b, plan, name, kind, proto, scanner_size(b, at_least), FROM_LIST,
                             min_ports, &index));
    }
    return DT_OK;
}

/* Backscatter: victims of spoofed attacks answering; most sit in random networks, a third
 * in one provider's /16 (the paper's rr.com victims). */
static dt_status add_backscatter(synth_builder *b, synth_plan *plan, const char *name, int kind,
                                 uint8_t proto, int peak, int first_day)
{
    size_t index;
    DT_CHECK(synth_group_new(plan, name, kind, proto, &index));
    synth_group *g = &plan->groups[index];
    DT_CHECK(synth_members_scattered(b, g, (size_t)peak, (size_t)peak / 3));
    g->first_day = first_day;
    g->pkts = 30.0;
    synth_schedule_draw(b, g, 3, 6, 3600, 3 * 3600);

    DT_CHECK(add_change(plan, first_day, "emerge", name));
    DT_CHECK(add_change(plan, first_day + 2, "shrink", name));
    return DT_OK;
}

/* On day `day`, group `parent` becomes two groups with halves of its members and
 * disjoint halves of its services, each with two services of its own. */
static dt_status plant_split(synth_builder *b, synth_plan *plan, size_t parent, int day)
{
    if (day >= plan->days)
        return DT_OK;
    char names[2][32];
    size_t child[2];
    for (int c = 0; c < 2; c++) {
        snprintf(names[c], sizeof names[c], "%.24s%c", plan->groups[parent].name, 'a' + c);
        DT_CHECK(synth_group_new(plan, names[c], SYNTH_KIND_SCAN, plan->groups[parent].proto,
                                 &child[c]));
    }

    const synth_group *p = &plan->groups[parent];
    for (int c = 0; c < 2; c++) {
        synth_group *g = &plan->groups[child[c]];
        DT_CHECK(dt_malloc(&g->members, p->n_members / 2 + 1, sizeof *g->members, "members"));
        for (size_t i = (size_t)c; i < p->n_members; i += 2)
            g->members[g->n_members++] = p->members[i];
        for (int i = c; i < p->n_ports; i += 2)
            g->ports[g->n_ports++] = p->ports[i];
        g->pkts = p->pkts;
        /* No popular port of their own: the halves' services stay disjoint. */
        synth_ports_draw(b, g, g->n_ports + 2, 0);
        snprintf(g->origin, sizeof g->origin, "half of %s", p->name);
        g->first_day = day;
        draw_campaign(b, g);
    }
    plan->groups[parent].last_day = day - 1;

    char list[100];
    snprintf(list, sizeof list, "%.30s %.30s %.30s", plan->groups[parent].name, names[0], names[1]);
    return add_change(plan, day, "split", list);
}

/* On day `day`, groups x and y become one group with all their members and services. */
static dt_status plant_merge(synth_builder *b, synth_plan *plan, size_t x, size_t y, int day)
{
    if (day >= plan->days)
        return DT_OK;
    char name[32];
    snprintf(name, sizeof name, "%.20s-%.8s", plan->groups[x].name, plan->groups[y].name + 5);
    size_t index;
    DT_CHECK(synth_group_new(plan, name, SYNTH_KIND_SCAN, plan->groups[x].proto, &index));

    synth_group *g = &plan->groups[index];
    const synth_group *gx = &plan->groups[x], *gy = &plan->groups[y];
    DT_CHECK(dt_malloc(&g->members, gx->n_members + gy->n_members, sizeof *g->members, "members"));
    memcpy(g->members, gx->members, gx->n_members * sizeof *g->members);
    memcpy(g->members + gx->n_members, gy->members, gy->n_members * sizeof *g->members);
    g->n_members = gx->n_members + gy->n_members;
    for (int i = 0; i < gx->n_ports; i++)
        synth_ports_add(g, gx->ports[i]);
    for (int i = 0; i < gy->n_ports; i++)
        synth_ports_add(g, gy->ports[i]);
    synth_ports_order(g);
    snprintf(g->origin, sizeof g->origin, "%.20s and %.20s", gx->name, gy->name);
    g->first_day = day;
    g->pkts = sqrt(gx->pkts * gy->pkts);
    draw_campaign(b, g);
    plan->groups[x].last_day = plan->groups[y].last_day = day - 1;

    char list[100];
    snprintf(list, sizeof list, "%.30s %.30s %.30s", gx->name, gy->name, name);
    return add_change(plan, day, "merge", list);
}

/* A new scanner group whose first day is `day`. */
static dt_status plant_appear(synth_builder *b, synth_plan *plan, int number, int source, int day)
{
    if (day >= plan->days)
        return DT_OK;
    char name[32];
    snprintf(name, sizeof name, "scan-%02d", number);
    size_t index;
    DT_CHECK(add_scanner(b, plan, name, SYNTH_KIND_SCAN, DT_PROTO_TCP,
                         scanner_size(b, (size_t)b->cfg->preset.scan_min), source, 1, &index));
    plan->groups[index].first_day = day;
    return add_change(plan, day, "appear", name);
}

/* Silence, return and dissolution change no membership, only when members send. */
static dt_status plant_pauses(synth_plan *plan, const event_days *e)
{
    synth_group *quiet = &plan->groups[SYNTH_FIRST_SCANNER + 4];
    if (e->silent < plan->days) {
        quiet->silent_from = e->silent;
        quiet->silent_to = e->silent + e->silent_len;
    }
    DT_CHECK(add_change(plan, e->silent, "silent", quiet->name));
    DT_CHECK(add_change(plan, e->silent + e->silent_len, "return", quiet->name));

    synth_group *fading = &plan->groups[SYNTH_FIRST_SCANNER + 5];
    if (e->dissolve < plan->days) {
        fading->last_day = e->dissolve - 1;
        fading->dissolves = 1;
    }
    return add_change(plan, e->dissolve, "dissolve", fading->name);
}

static dt_status plant_events(synth_builder *b, synth_plan *plan)
{
    const synth_preset *p = &b->cfg->preset;
    event_days e = plan_days(plan->days);
    size_t first = SYNTH_FIRST_SCANNER;

    DT_CHECK(add_backscatter(b, plan, "backscatter-gre", SYNTH_KIND_GRE, DT_PROTO_GRE, p->gre_peak,
                             e.gre));
    DT_CHECK(add_backscatter(b, plan, "backscatter-icmp", SYNTH_KIND_ICMP, DT_PROTO_ICMP,
                             p->icmp_peak, e.icmp));
    DT_CHECK(plant_appear(b, plan, p->scan_groups + 1, FROM_LIST, e.appear1));
    DT_CHECK(plant_split(b, plan, first + 1, e.split));
    DT_CHECK(plant_pauses(plan, &e));
    DT_CHECK(plant_merge(b, plan, first + 2, first + 3, e.merge));
    DT_CHECK(plant_appear(b, plan, p->scan_groups + 2, FROM_SCATTERED, e.appear2));
    DT_CHECK(plant_appear(b, plan, p->scan_groups + 3, FROM_SUBNETS, e.appear3));
    return DT_OK;
}

static int compare_changes(const void *a, const void *b)
{
    const synth_change *x = a, *y = b;
    if (x->day != y->day)
        return x->day - y->day;
    int by_event = strcmp(x->event, y->event);
    return by_event != 0 ? by_event : strcmp(x->groups, y->groups);
}

/* The three groups that are not scanners come first, right after noise. */
static dt_status add_fixed_groups(synth_plan *plan)
{
    size_t index;
    DT_CHECK(synth_group_new(plan, "noise", SYNTH_KIND_NOISE, 0, &index));
    snprintf(plan->groups[index].origin, sizeof plan->groups[index].origin, "random networks");
    DT_CHECK(synth_group_new(plan, "mirai", SYNTH_KIND_MIRAI, DT_PROTO_TCP, &index));
    snprintf(plan->groups[index].origin, sizeof plan->groups[index].origin, "random networks");
    plan->groups[index].ports[0] = 23;
    plan->groups[index].ports[1] = 2323;
    plan->groups[index].n_ports = 2;
    plan->groups[index].n_own = 2;
    plan->groups[index].pkts = 25.0;
    return DT_OK;
}

dt_status synth_plan_build(const synth_config *cfg, const synth_scanners *scanners,
                           synth_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->days = cfg->preset.days;
    synth_builder b;
    dt_status st;
    DT_CHECK_GOTO(st, synth_builder_init(&b, cfg, scanners));

    DT_CHECK_GOTO(st, add_fixed_groups(plan));
    DT_CHECK_GOTO(st, add_first_scanners(&b, plan));
    DT_CHECK_GOTO(st, plant_events(&b, plan));
    qsort(plan->changes, plan->n_changes, sizeof *plan->changes, compare_changes);

    DT_CHECK_GOTO(st, synth_roles_plan(&b, plan));

out:
    synth_builder_free(&b);
    if (st != DT_OK)
        synth_plan_free(plan);
    return st;
}

void synth_plan_free(synth_plan *plan)
{
    for (size_t i = 0; i < plan->n_groups; i++)
        free(plan->groups[i].members);
    for (int d = 0; plan->roles != NULL && d < plan->days; d++)
        free(plan->roles[d]);
    free(plan->groups);
    free(plan->changes);
    free(plan->roles);
    free(plan->n_roles);
    memset(plan, 0, sizeof *plan);
}

const char *synth_proto_name(uint8_t proto)
{
    switch (proto) {
    case DT_PROTO_TCP:
        return "tcp";
    case DT_PROTO_UDP:
        return "udp";
    case DT_PROTO_ICMP:
        return "icmp";
    case DT_PROTO_GRE:
        return "gre";
    default:
        return "mixed";
    }
}

const char *synth_kind_name(int kind)
{
    static const char *names[] = {"noise", "scan",        "wide-scan",
                                  "mirai", "backscatter", "backscatter"};
    return kind >= 0 && kind <= SYNTH_KIND_ICMP ? names[kind] : "unknown";
}
