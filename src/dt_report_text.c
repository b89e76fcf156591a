/* The report as text for an analyst: aligned tables, ISO dates, novelties first. */
#include "dt_report.h"

#include <limits.h>
#include <math.h>
#include <string.h>

static void print_header(const dt_report *r, FILE *out)
{
    const dt_params *p = &r->params;
    fprintf(out, "%s\n", r->path);
    if (r->n_days == 0) {
        fprintf(out, "  no days committed yet; written by %s on %d rank%s\n", r->source,
                r->mpi_ranks, r->mpi_ranks == 1 ? "" : "s");
    } else {
        char first[16], last[16];
        dt_report_date(r->days[0].day, first, sizeof first);
        dt_report_date(r->days[r->n_days - 1].day, last, sizeof last);
        fprintf(out, "  %zu day%s, %s to %s; written by %s on %d rank%s\n", r->n_days,
                r->n_days == 1 ? "" : "s", first, last, r->source, r->mpi_ranks,
                r->mpi_ranks == 1 ? "" : "s");
    }
    fprintf(out,
            "  dim %d, window %d, negative %d, min packets %d, min cluster size %d, "
            "min samples %d, tau0 %g, tau1 %g, seed %llu\n",
            p->dim, p->window, p->negative, p->min_packets, p->min_cluster_size, p->min_samples,
            p->tau0, p->tau1, (unsigned long long)p->seed);
    if (r->labels[0])
        fprintf(out, "  ground truth classes: %s\n", r->labels);
}

static void print_days(const dt_report *r, FILE *out)
{
    fprintf(out, "\n%-10s  %12s  %8s  %8s  %8s  %7s  %10s  %5s  %8s  %5s  %11s  %8s  %10s\n",
            "date", "packets", "active", "clusters", "survived", "emerged", "reappeared", "novel",
            "absorbed", "split", "disappeared", "inactive", "silhouette");
    for (size_t i = 0; i < r->n_days; i++) {
        const dt_report_day *d = &r->days[i];
        char date[16], sil[16];
        dt_report_date(d->day, date, sizeof date);
        if (isnan(d->silhouette))
            snprintf(sil, sizeof sil, "-");
        else
            snprintf(sil, sizeof sil, "%.3f", d->silhouette);
        fprintf(out, "%-10s  %12lld  %8d  %8d  %8d  %7d  %10d  %5d  %8d  %5d  %11d  %8d  %10s\n",
                date, (long long)d->packets, d->senders_active, d->clusters, d->survived,
                d->emerged, d->reappeared, d->novel, d->absorbed, d->split, d->disappeared,
                d->inactive, sil);
    }
}

/* Which clusters a section lists. */
typedef enum { NOVEL, REAPPEARED, FIRST_SEEN, SURVIVORS } section;

static int in_section(const dt_cluster_row *c, section s)
{
    switch (s) {
    case NOVEL:
        return c->novel != 0;
    case REAPPEARED:
        return c->origin == DT_REAPPEARED;
    case FIRST_SEEN:
        return c->origin == DT_EMERGED && !c->novel;
    case SURVIVORS:
        return c->origin == DT_SURVIVED;
    }
    return 0;
}

static void print_cluster(const dt_report *r, size_t c, section s, FILE *out)
{
    const dt_cluster_row *row = &r->detail.clusters[c];
    char services[160], label[64], purity[16], sil[16], seen[16];
    dt_report_services(row, services, sizeof services);
    dt_report_label(r->labels, row->label, label, sizeof label);
    snprintf(purity, sizeof purity, isnan(row->purity) ? "-" : "%.2f", (double)row->purity);
    snprintf(sil, sizeof sil, isnan(row->silhouette) ? "-" : "%.3f", (double)row->silhouette);
    if (s != REAPPEARED) {
        fprintf(out, "  %8d  %6d  %10s  %-10s  %6s  %s\n", row->id, row->size, sil, label, purity,
                services);
        return;
    }
    if (r->last_seen[c] == INT32_MIN)
        snprintf(seen, sizeof seen, "-");
    else
        dt_report_date(r->last_seen[c], seen, sizeof seen);
    fprintf(out, "  %8d  %6d  %10s  %-10s  %6s  %-10s  %s\n", row->id, row->size, sil, label,
            purity, seen, services);
}

static void print_section(const dt_report *r, section s, const char *title, const char *note,
                          FILE *out)
{
    const dt_day_record *rec = &r->detail.record;
    size_t count = 0;
    for (size_t c = 0; c < rec->n_clusters; c++)
        count += (size_t)in_section(&rec->clusters[c], s);
    if (count == 0)
        return;

    fprintf(out, "\n%s (%zu)%s\n", title, count, note);
    if (s == REAPPEARED)
        fprintf(out, "  %8s  %6s  %10s  %-10s  %6s  %-10s  %s\n", "id", "size", "silhouette",
                "label", "purity", "last seen", "top services");
    else
        fprintf(out, "  %8s  %6s  %10s  %-10s  %6s  %s\n", "id", "size", "silhouette", "label",
                "purity", "top services");
    for (size_t c = 0; c < rec->n_clusters; c++)
        if (in_section(&rec->clusters[c], s))
            print_cluster(r, c, s, out);
}

static void print_id(int32_t id, char *buf, size_t len)
{
    if (id < 0)
        snprintf(buf, len, "noise");
    else
        snprintf(buf, len, "%d", (int)id);
}

static void print_transitions(const dt_report *r, FILE *out)
{
    const dt_day_record *rec = &r->detail.record;
    if (rec->n_transitions == 0)
        return;
    fprintf(out, "\nTransitions (%zu)\n  %8s      %-8s  %-11s  %7s\n", rec->n_transitions, "from",
            "to", "kind", "overlap");
    for (size_t t = 0; t < rec->n_transitions; t++) {
        const dt_transition *tr = &rec->transitions[t];
        char from[16], to[16], overlap[16];
        int origin = tr->kind == DT_EMERGED || tr->kind == DT_REAPPEARED;
        if (origin && tr->from < 0)
            snprintf(from, sizeof from, "-");
        else
            print_id(tr->from, from, sizeof from);
        if (tr->to < 0 && !origin)
            snprintf(to, sizeof to, "-");
        else
            print_id(tr->to, to, sizeof to);
        snprintf(overlap, sizeof overlap, isnan(tr->overlap) ? "-" : "%.3f", (double)tr->overlap);
        fprintf(out, "  %8s  ->  %-8s  %-11s  %7s\n", from, to, dt_report_kind_name(tr->kind),
                overlap);
    }
}

void dt_report_text(const dt_report *r, FILE *out)
{
    print_header(r, out);
    if (r->n_days == 0)
        return;
    print_days(r, out);

    const dt_report_day *d = &r->days[r->focus];
    char date[16];
    dt_report_date(d->day, date, sizeof date);
    fprintf(out, "\n%s: %d cluster%s, %d active senders (%d in noise), %lld packets\n", date,
            d->clusters, d->clusters == 1 ? "" : "s", d->senders_active, d->noise,
            (long long)d->packets);

    print_section(r, NOVEL, "Novel clusters", ": emerged, like no cluster before", out);
    print_section(r, REAPPEARED, "Reappeared clusters", ": the ids they took back", out);
    print_section(r, FIRST_SEEN, "Emerged clusters", "", out);
    print_section(r, SURVIVORS, "Survivors", "", out);
    print_transitions(r, out);
}
