/* CSV files of the planted truth (docs/synthetic-telescope.md describes every column). */
#include "synth_truth.h"

#include <errno.h>
#include <string.h>

static dt_status open_csv(const char *dir, const char *name, FILE **f)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *f = fopen(path, "w");
    if (*f == NULL)
        return dt_fail(DT_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    return DT_OK;
}

static dt_status close_csv(const char *dir, const char *name, FILE **f)
{
    if (*f == NULL)
        return DT_OK;
    int failed = ferror(*f) != 0;
    failed |= fclose(*f) != 0;
    *f = NULL;
    if (failed)
        return dt_fail(DT_ERR_IO, "%s/%s: write failed: %s", dir, name, strerror(errno));
    return DT_OK;
}

/* The last day a group sends as itself, clipped to the run. */
static int last_day_in_run(const synth_group *g, int days)
{
    return g->last_day < days - 1 ? g->last_day : days - 1;
}

static void write_ports(FILE *f, const synth_group *g)
{
    if (g->kind == SYNTH_KIND_WIDE || g->kind == SYNTH_KIND_NOISE) {
        fputs("random", f);
        return;
    }
    for (int i = 0; i < g->n_ports; i++)
        fprintf(f, "%s%u", i ? " " : "", g->ports[i]);
}

static dt_status write_groups(const char *dir, const synth_config *cfg, const synth_plan *plan)
{
    FILE *f;
    DT_CHECK(open_csv(dir, "groups.csv", &f));
    fputs("group,kind,protocol,ports,members,packets_per_member,first_day,last_day,"
          "silent_from,silent_to,origin\n",
          f);
    for (size_t i = 0; i < plan->n_groups; i++) {
        const synth_group *g = &plan->groups[i];
        char first[16], last[16], quiet_from[16] = "", quiet_to[16] = "";
        synth_format_date(cfg->start_day + g->first_day, first, sizeof first);
        synth_format_date(cfg->start_day + last_day_in_run(g, plan->days), last, sizeof last);
        if (g->silent_from >= 0) {
            synth_format_date(cfg->start_day + g->silent_from, quiet_from, sizeof quiet_from);
            synth_format_date(cfg->start_day + g->silent_to, quiet_to, sizeof quiet_to);
        }
        fprintf(f, "%s,%s,%s,", g->name, synth_kind_name(g->kind),
                g->kind == SYNTH_KIND_NOISE ? "mixed" : synth_proto_name(g->proto));
        write_ports(f, g);
        fprintf(f, ",%zu,%.0f,%s,%s,%s,%s,%s\n", g->n_members, g->pkts, first, last, quiet_from,
                quiet_to, g->origin);
    }
    return close_csv(dir, "groups.csv", &f);
}

static dt_status write_events(const char *dir, const synth_config *cfg, const synth_plan *plan)
{
    FILE *f;
    DT_CHECK(open_csv(dir, "events.csv", &f));
    fputs("day,event,groups\n", f);
    for (size_t i = 0; i < plan->n_changes; i++) {
        const synth_change *c = &plan->changes[i];
        char date[16];
        synth_format_date(cfg->start_day + c->day, date, sizeof date);
        fprintf(f, "%s,%s,%s\n", date, c->event, c->groups);
    }
    return close_csv(dir, "events.csv", &f);
}

/* ground-truth.csv: every member of a planted group with the last group it joined, in the
 * ip,class form darktrack's --ground-truth reads. */
static dt_status write_labels(const char *dir, const synth_plan *plan)
{
    synth_ipmap last;
    DT_CHECK(synth_ipmap_init(&last, 1u << 12));
    FILE *f = NULL;
    dt_status st;
    for (uint32_t gi = SYNTH_GROUP_MIRAI; gi < plan->n_groups; gi++) {
        const synth_group *g = &plan->groups[gi];
        for (size_t i = 0; i < g->n_members; i++) {
            uint32_t *slot;
            int added;
            DT_CHECK_GOTO(st, synth_ipmap_upsert(&last, g->members[i], &slot, &added));
            *slot = gi;
        }
    }

    DT_CHECK_GOTO(st, open_csv(dir, "ground-truth.csv", &f));
    fputs("ip,class\n", f);
    for (uint32_t gi = SYNTH_GROUP_MIRAI; gi < plan->n_groups; gi++) {
        const synth_group *g = &plan->groups[gi];
        for (size_t i = 0; i < g->n_members; i++) {
            uint32_t *slot = synth_ipmap_find(&last, g->members[i]);
            if (*slot != gi)
                continue;
            char ip[16];
            synth_addr_format(g->members[i], ip, sizeof ip);
            fprintf(f, "%s,%s\n", ip, g->name);
            *slot = UINT32_MAX; /* a member listed twice in one group is written once */
        }
    }
    st = close_csv(dir, "ground-truth.csv", &f);

out:
    if (f != NULL)
        fclose(f);
    synth_ipmap_free(&last);
    return st;
}

dt_status synth_truth_open(synth_truth *truth, const char *dir, const synth_config *cfg,
                           const synth_plan *plan)
{
    memset(truth, 0, sizeof *truth);
    snprintf(truth->dir, sizeof truth->dir, "%s", dir);
    DT_CHECK(write_groups(dir, cfg, plan));
    DT_CHECK(write_events(dir, cfg, plan));
    DT_CHECK(write_labels(dir, plan));

    DT_CHECK(open_csv(dir, "senders.csv", &truth->senders));
    fputs("day,ip,group,active\n", truth->senders);
    DT_CHECK(open_csv(dir, "summary.csv", &truth->summary));
    fputs("day,packets,senders,active_senders,active_tcp,active_udp,active_icmp,active_gre,"
          "active_tcp_ports,active_udp_ports\n",
          truth->summary);
    return DT_OK;
}

dt_status synth_truth_day(synth_truth *truth, const synth_config *cfg, const synth_plan *plan,
                          int day, const synth_day_summary *s)
{
    char date[16];
    synth_format_date(cfg->start_day + day, date, sizeof date);

    for (size_t i = 0; i < plan->n_roles[day]; i++) {
        const synth_role *r = &plan->roles[day][i];
        char ip[16];
        synth_addr_format(r->ip, ip, sizeof ip);
        fprintf(truth->senders, "%s,%s,%s,%d\n", date, ip, plan->groups[r->group].name,
                r->packets > SYNTH_ACTIVE_MIN);
    }
    fprintf(truth->summary, "%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n", date,
            (unsigned long long)s->packets, (unsigned long long)s->senders,
            (unsigned long long)s->active, (unsigned long long)s->active_tcp,
            (unsigned long long)s->active_udp, (unsigned long long)s->active_icmp,
            (unsigned long long)s->active_gre, (unsigned long long)s->tcp_ports,
            (unsigned long long)s->udp_ports);
    if (ferror(truth->senders) || ferror(truth->summary))
        return dt_fail(DT_ERR_IO, "%s: write failed on day %s: %s", truth->dir, date,
                       strerror(errno));
    return DT_OK;
}

dt_status synth_truth_close(synth_truth *truth)
{
    dt_status a = close_csv(truth->dir, "senders.csv", &truth->senders);
    dt_status b = close_csv(truth->dir, "summary.csv", &truth->summary);
    return a != DT_OK ? a : b;
}
