/* darktrack-synth: writes days of synthetic telescope captures with planted groups. */
#include "dt_log.h"
#include "synth_cli.h"
#include "synth_pcap.h"
#include "synth_plan.h"
#include "synth_summary.h"
#include "synth_truth.h"

#include <stdio.h>
#include <stdlib.h>

/* The state of a run, released in one place. */
typedef struct {
    synth_scanners scanners;
    synth_plan plan;
    synth_packets packets;
    synth_ipmap counts;
    synth_truth truth;
} run_state;

static void log_day(const synth_config *cfg, int day, const synth_day_summary *s, double seconds)
{
    char date[16];
    synth_format_date(cfg->start_day + day, date, sizeof date);
    dt_info("%s: %llu packets, %llu senders, %llu active (%.2f s)", date,
            (unsigned long long)s->packets, (unsigned long long)s->senders,
            (unsigned long long)s->active, seconds);
}

static dt_status generate_day(const synth_config *cfg, run_state *r, int day, const char *captures,
                              uint64_t *bytes)
{
    double t0 = dt_wall_seconds();
    synth_day_summary summary;
    DT_CHECK(synth_traffic_day(cfg, &r->plan, day, &r->packets));
    DT_CHECK(synth_summary_day(&r->plan, day, &r->packets, &r->counts, &summary));
    DT_CHECK(synth_pcap_write_day(cfg, day, &r->packets, captures, bytes));
    DT_CHECK(synth_truth_day(&r->truth, cfg, &r->plan, day, &summary));
    log_day(cfg, day, &summary, dt_wall_seconds() - t0);
    return DT_OK;
}

/* At -v, one line per planted group. */
static void log_groups(const synth_config *cfg, const synth_plan *plan)
{
    for (size_t i = 0; dt_log_enabled(DT_LOG_DEBUG) && i < plan->n_groups; i++) {
        const synth_group *g = &plan->groups[i];
        char first[16];
        synth_format_date(cfg->start_day + g->first_day, first, sizeof first);
        dt_debug("group %-16s %-11s %-4s %3d services %6zu members from %s (%s)", g->name,
                 synth_kind_name(g->kind), synth_proto_name(g->proto), g->n_ports, g->n_members,
                 first, g->origin);
    }
}

static dt_status load_scanners(const synth_config *cfg, synth_scanners *scanners)
{
    int found = 0;
    if (cfg->scanners_path != NULL)
        DT_CHECK(synth_scanners_load(cfg->scanners_path, scanners, &found));
    if (found)
        dt_info("scanner subnets from %s (%zu /24 blocks)", cfg->scanners_path, scanners->n_blocks);
    else
        dt_info("no scanner list%s%s: scanner groups use built-in subnets",
                cfg->scanners_path ? " at " : "", cfg->scanners_path ? cfg->scanners_path : "");
    return DT_OK;
}

static dt_status run(const synth_config *cfg, run_state *r)
{
    char captures[4200], truth_dir[4200];
    DT_CHECK(synth_prepare_output(cfg, captures, sizeof captures, truth_dir, sizeof truth_dir));
    DT_CHECK(load_scanners(cfg, &r->scanners));

    double t0 = dt_wall_seconds();
    DT_CHECK(synth_plan_build(cfg, &r->scanners, &r->plan));
    DT_CHECK(synth_ipmap_init(&r->counts, 1u << 16));
    DT_CHECK(synth_truth_open(&r->truth, truth_dir, cfg, &r->plan));
    dt_info("preset %s, seed %llu: %zu groups, %zu events, %d days from plan in %.2f s",
            cfg->preset.name, (unsigned long long)cfg->seed, r->plan.n_groups, r->plan.n_changes,
            r->plan.days, dt_wall_seconds() - t0);
    log_groups(cfg, &r->plan);

    uint64_t bytes = 0;
    for (int day = 0; day < r->plan.days; day++)
        DT_CHECK(generate_day(cfg, r, day, captures, &bytes));
    DT_CHECK(synth_truth_close(&r->truth));
    dt_info("wrote %.1f MB of captures to %s in %.1f s", (double)bytes / 1e6, captures,
            dt_wall_seconds() - t0);
    return DT_OK;
}

int main(int argc, char **argv)
{
    synth_config cfg;
    int exit_now = 0;
    dt_status st = synth_cli_parse(argc, argv, &cfg, &exit_now);
    if (st == DT_OK && !exit_now) {
        run_state r = {0};
        st = run(&cfg, &r);
        dt_status closed = synth_truth_close(&r.truth);
        if (st == DT_OK)
            st = closed;
        synth_plan_free(&r.plan);
        synth_scanners_free(&r.scanners);
        synth_packets_free(&r.packets);
        synth_ipmap_free(&r.counts);
    }
    if (st != DT_OK) {
        dt_log_failure();
        if (st == DT_ERR_USAGE)
            fprintf(stderr, "Try 'darktrack-synth --help'.\n");
    }
    return (int)st;
}
