/* The senders of each day and the packets each sends, drawn from the plan. */
#include "synth_roles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Share of yesterday's bots that are still scanning today (the paper's C61 loses about
 * half of its members every day and gains hundreds). */
#define MIRAI_STAY 0.55
/* Share of yesterday's noise senders seen again today: few of the quiet ones, most of the
 * busier ones (the paper counts about 2,000 new active senders a day out of 8,000). */
#define QUIET_STAY 0.10
#define BUSY_STAY 0.70

typedef struct {
    synth_role *items;
    size_t n, capacity;
} role_list;

/* Yesterday's senders of the two groups whose members change day by day. */
typedef struct {
    uint32_t *bots, *quiet, *busy;
    size_t n_bots, n_quiet, n_busy;
} carry_over;

static dt_status push(role_list *list, uint32_t ip, size_t group, uint32_t packets)
{
    if (list->n == list->capacity) {
        list->capacity = list->capacity ? 2 * list->capacity : 1024;
        DT_CHECK(dt_realloc(&list->items, list->capacity, sizeof *list->items, "senders"));
    }
    list->items[list->n++] = (synth_role){ip, (uint32_t)group, packets};
    return DT_OK;
}

/* 1 to 5 packets, fewer more likely: what most senders of a telescope send in a day. */
static uint32_t few_packets(dt_rng *rng)
{
    static const double cumulative[] = {0.438, 0.657, 0.803, 0.912, 1.0};
    double u = dt_rng_uniform(rng);
    uint32_t k = 0;
    while (k < 4 && u >= cumulative[k])
        k++;
    return k + 1;
}

/* Just above the activity threshold: 6 plus a geometric tail of mean 4, at most 60. */
static uint32_t some_packets(dt_rng *rng)
{
    uint32_t extra = (uint32_t)floor(log(1.0 - dt_rng_uniform(rng)) / log(0.8));
    return 6 + (extra > 54 ? 54 : extra);
}

static uint32_t member_packets(dt_rng *rng, double mean)
{
    long packets = lround(mean * (0.6 + 0.8 * dt_rng_uniform(rng)));
    return packets < 6 ? 6 : (uint32_t)packets;
}

static int alive(const synth_group *g, int day)
{
    if (day < g->first_day || day > g->last_day)
        return 0;
    return !(day >= g->silent_from && day < g->silent_to);
}

/* Members of a group that dissolved: many idle, most of the rest below the threshold. */
static dt_status dissolved_roles(const synth_group *g, dt_rng *rng, role_list *list)
{
    for (size_t i = 0; i < g->n_members; i++) {
        double u = dt_rng_uniform(rng);
        if (u < 0.4)
            continue;
        uint32_t packets = u < 0.85 ? few_packets(rng) : some_packets(rng);
        DT_CHECK(push(list, g->members[i], SYNTH_GROUP_NOISE, packets));
    }
    return DT_OK;
}

/* Victims answering on day `day`: 60% on the first day, all on the second, then 15% fewer
 * each day, never below 12% (the paper's GRE example: over 700, then about 100). */
static size_t victims_on(const synth_group *g, int day)
{
    int t = day - g->first_day;
    if (t < 0)
        return 0;
    double share = t == 0 ? 0.6 : t == 1 ? 1.0 : fmax(0.12, pow(0.85, t - 1));
    return (size_t)lround(share * (double)g->n_members);
}

static dt_status backscatter_roles(const synth_group *g, size_t gi, int day, dt_rng *rng,
                                   role_list *list)
{
    size_t victims = victims_on(g, day);
    for (size_t i = 0; i < victims; i++) {
        uint32_t packets = (uint32_t)lround(synth_log_uniform(rng, 6.0, 2.0 * g->pkts));
        DT_CHECK(push(list, g->members[i], gi, packets));
    }
    return DT_OK;
}

static dt_status group_roles(const synth_plan *plan, size_t gi, int day, dt_rng *rng,
                             role_list *list)
{
    const synth_group *g = &plan->groups[gi];
    switch (g->kind) {
    case SYNTH_KIND_SCAN:
    case SYNTH_KIND_WIDE:
        if (g->dissolves && day > g->last_day)
            return dissolved_roles(g, rng, list);
        for (size_t i = 0; alive(g, day) && i < g->n_members; i++)
            DT_CHECK(push(list, g->members[i], gi, member_packets(rng, g->pkts)));
        return DT_OK;
    case SYNTH_KIND_GRE:
    case SYNTH_KIND_ICMP:
        return backscatter_roles(g, gi, day, rng, list);
    default:
        return DT_OK;
    }
}

/* Keeps each of yesterday's entries with probability `stay`, compacting in place. */
static size_t keep_some(uint32_t *ips, size_t n, double stay, dt_rng *rng)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (dt_rng_uniform(rng) < stay)
            ips[kept++] = ips[i];
    }
    return kept;
}

/* Today's bots: some of yesterday's, topped up with new ones that join the group. */
static dt_status mirai_roles(synth_builder *b, synth_plan *plan, int day, dt_rng *rng,
                             carry_over *carry, role_list *list)
{
    synth_group *g = &plan->groups[SYNTH_GROUP_MIRAI];
    size_t target = (size_t)lround(b->cfg->preset.mirai_bots * (0.8 + 0.4 * dt_rng_uniform(rng)));
    size_t kept = day == 0 ? 0 : keep_some(carry->bots, carry->n_bots, MIRAI_STAY, rng);

    /* At least a third of today's bots are new: the botnet keeps recruiting. */
    size_t fresh = target > kept + (kept + 1) / 2 ? target - kept : (kept + 1) / 2;

    DT_CHECK(dt_realloc(&carry->bots, kept + fresh, sizeof *carry->bots, "bots"));
    DT_CHECK(dt_realloc(&g->members, g->n_members + fresh, sizeof *g->members, "bots"));
    for (carry->n_bots = kept; carry->n_bots < kept + fresh; carry->n_bots++) {
        uint32_t ip;
        DT_CHECK(synth_addr_fresh(&b->rng, b->cfg->telescope, &b->used, &ip));
        carry->bots[carry->n_bots] = ip;
        g->members[g->n_members++] = ip;
    }

    for (size_t i = 0; i < carry->n_bots; i++) {
        uint32_t packets =
            dt_rng_uniform(rng) < 0.3 ? few_packets(rng) : 6 + (uint32_t)dt_rng_below(rng, 55);
        DT_CHECK(push(list, carry->bots[i], SYNTH_GROUP_MIRAI, packets));
    }
    return DT_OK;
}

/* Refreshes a carried list: keeps some of yesterday's senders, adds new ones up to target. */
static dt_status refresh(synth_builder *b, dt_rng *rng, uint32_t **ips, size_t *n, double stay,
                         size_t target)
{
    size_t kept = keep_some(*ips, *n, stay, rng);
    DT_CHECK(dt_realloc(ips, target > kept ? target : kept, sizeof **ips, "noise senders"));
    for (*n = kept; *n < target; (*n)++)
        DT_CHECK(synth_addr_fresh(&b->rng, b->cfg->telescope, &b->used, &(*ips)[*n]));
    return DT_OK;
}

/* Uncoordinated senders: many quiet short-lived ones below the activity threshold, and
 * fewer busy ones just above it that often come back the next day. */
static dt_status noise_roles(synth_builder *b, dt_rng *rng, carry_over *carry, role_list *list)
{
    const synth_preset *p = &b->cfg->preset;
    size_t busy = (size_t)lround(p->noise_active * p->noise_senders);
    DT_CHECK(refresh(b, rng, &carry->busy, &carry->n_busy, BUSY_STAY, busy));
    DT_CHECK(refresh(b, rng, &carry->quiet, &carry->n_quiet, QUIET_STAY,
                     (size_t)p->noise_senders - busy));

    for (size_t i = 0; i < carry->n_busy; i++)
        DT_CHECK(push(list, carry->busy[i], SYNTH_GROUP_NOISE, some_packets(rng)));
    for (size_t i = 0; i < carry->n_quiet; i++)
        DT_CHECK(push(list, carry->quiet[i], SYNTH_GROUP_NOISE, few_packets(rng)));
    return DT_OK;
}

static dt_status day_roles(synth_builder *b, synth_plan *plan, int day, carry_over *carry)
{
    dt_rng rng;
    dt_rng_init(&rng, b->cfg->seed, day, DT_RNG_SYNTH, 1);
    role_list list = {NULL, 0, 0};
    dt_status st;

    DT_CHECK_GOTO(st, mirai_roles(b, plan, day, &rng, carry, &list));
    for (size_t gi = SYNTH_FIRST_SCANNER; gi < plan->n_groups; gi++)
        DT_CHECK_GOTO(st, group_roles(plan, gi, day, &rng, &list));
    DT_CHECK_GOTO(st, noise_roles(b, &rng, carry, &list));

    plan->roles[day] = list.items;
    plan->n_roles[day] = list.n;
    list.items = NULL;

out:
    free(list.items);
    return st;
}

dt_status synth_roles_plan(synth_builder *b, synth_plan *plan)
{
    carry_over carry = {NULL, NULL, NULL, 0, 0, 0};
    dt_status st;
    DT_CHECK_GOTO(st, dt_calloc(&plan->roles, (size_t)plan->days, sizeof *plan->roles, "days"));
    DT_CHECK_GOTO(st, dt_calloc(&plan->n_roles, (size_t)plan->days, sizeof *plan->n_roles, "days"));
    for (int day = 0; day < plan->days; day++)
        DT_CHECK_GOTO(st, day_roles(b, plan, day, &carry));

out:
    free(carry.bots);
    free(carry.quiet);
    free(carry.busy);
    return st;
}
