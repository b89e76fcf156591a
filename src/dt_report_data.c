/* The report for programs: CSV tables and one JSON document. */
#include "dt_report.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* A float as CSV or JSON wants it: empty or null for NaN. */
static void number(FILE *out, double v, const char *missing)
{
    if (isnan(v))
        fputs(missing, out);
    else
        fprintf(out, "%.6g", v);
}

/* JSON string with the escapes RFC 8259 requires. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* CSV field, quoted when it holds a comma, quote or line break. */
static void csv_string(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

void dt_report_csv_days(const dt_report *r, FILE *out)
{
    fputs("date,packets,senders_active,noise,clusters,survived,emerged,reappeared,novel,"
          "absorbed,split,disappeared,inactive,mean_silhouette\n",
          out);
    for (size_t i = 0; i < r->n_days; i++) {
        const dt_report_day *d = &r->days[i];
        char date[16];
        dt_report_date(d->day, date, sizeof date);
        fprintf(out, "%s,%lld,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,", date, (long long)d->packets,
                d->senders_active, d->noise, d->clusters, d->survived, d->emerged, d->reappeared,
                d->novel, d->absorbed, d->split, d->disappeared, d->inactive);
        number(out, d->silhouette, "");
        fputc('\n', out);
    }
}

void dt_report_csv_clusters(const dt_report *r, FILE *out)
{
    fputs("date,id,origin,novel,size,silhouette,label,purity,last_seen", out);
    for (int k = 1; k <= DT_TOP_SERVICES; k++)
        fprintf(out, ",port%d,proto%d,share%d", k, k, k);
    fputc('\n', out);

    const dt_day_record *rec = &r->detail.record;
    char date[16], label[64], seen[16];
    dt_report_date(rec->day, date, sizeof date);
    for (size_t c = 0; c < rec->n_clusters; c++) {
        const dt_cluster_row *row = &rec->clusters[c];
        fprintf(out, "%s,%d,%s,%d,%d,", date, row->id, dt_report_kind_name(row->origin), row->novel,
                row->size);
        number(out, (double)row->silhouette, "");
        dt_report_label(r->labels, row->label, label, sizeof label);
        fputc(',', out);
        csv_string(out, row->label < 0 ? "" : label);
        fputc(',', out);
        number(out, (double)row->purity, "");
        seen[0] = '\0';
        if (r->last_seen[c] != INT32_MIN)
            dt_report_date(r->last_seen[c], seen, sizeof seen);
        fprintf(out, ",%s", seen);
        for (int k = 0; k < DT_TOP_SERVICES; k++) {
            fprintf(out, ",%d,%d,", row->top_port[k], row->top_proto[k]);
            number(out, (double)row->top_share[k], "");
        }
        fputc('\n', out);
    }
}

void dt_report_csv_transitions(const dt_report *r, FILE *out)
{
    fputs("date,from,to,kind,overlap\n", out);
    const dt_day_record *rec = &r->detail.record;
    char date[16];
    dt_report_date(rec->day, date, sizeof date);
    for (size_t t = 0; t < rec->n_transitions; t++) {
        const dt_transition *tr = &rec->transitions[t];
        fprintf(out, "%s,%d,%d,%s,", date, tr->from, tr->to, dt_report_kind_name(tr->kind));
        number(out, (double)tr->overlap, "");
        fputc('\n', out);
    }
}

static void json_parameters(const dt_report *r, FILE *out)
{
    size_t n = 0;
    const dt_param_info *table = dt_params_table(&n);
    fputs("  \"parameters\": {", out);
    for (size_t i = 0; i < n; i++) {
        char value[512];
        dt_history_format_param(&r->params, &table[i], value, sizeof value);
        fprintf(out, "%s\n    ", i ? "," : "");
        json_string(out, table[i].attr);
        fputs(": ", out);
        if (table[i].type == DT_PARAM_STRING)
            json_string(out, value);
        else
            fputs(value, out);
    }
    fprintf(out, ",\n    \"mpi_ranks\": %d\n  },\n", r->mpi_ranks);
}

static void json_labels(const dt_report *r, FILE *out)
{
    fputs("  \"labels\": [", out);
    for (const char *p = r->labels; *p;) {
        size_t len = strcspn(p, ",");
        char one[128];
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        fputs(p == r->labels ? "" : ", ", out);
        json_string(out, one);
        p += len + (p[len] == ',');
    }
    fputs("],\n", out);
}

static void json_days(const dt_report *r, FILE *out)
{
    fputs("  \"days\": [", out);
    for (size_t i = 0; i < r->n_days; i++) {
        const dt_report_day *d = &r->days[i];
        char date[16];
        dt_report_date(d->day, date, sizeof date);
        fprintf(out,
                "%s\n    {\"date\": \"%s\", \"packets\": %lld, \"senders_active\": %d, "
                "\"noise\": %d, \"clusters\": %d, \"survived\": %d, \"emerged\": %d, "
                "\"reappeared\": %d, \"novel\": %d, \"absorbed\": %d, \"split\": %d, "
                "\"disappeared\": %d, \"inactive\": %d, \"mean_silhouette\": ",
                i ? "," : "", date, (long long)d->packets, d->senders_active, d->noise, d->clusters,
                d->survived, d->emerged, d->reappeared, d->novel, d->absorbed, d->split,
                d->disappeared, d->inactive);
        number(out, d->silhouette, "null");
        fputc('}', out);
    }
    fputs("\n  ],\n", out);
}

static void json_cluster(const dt_report *r, size_t c, FILE *out)
{
    const dt_cluster_row *row = &r->detail.clusters[c];
    char label[64], seen[16];
    fprintf(out, "\n      {\"id\": %d, \"size\": %d, \"origin\": \"%s\", \"novel\": %s, ", row->id,
            row->size, dt_report_kind_name(row->origin), row->novel ? "true" : "false");
    fputs("\"silhouette\": ", out);
    number(out, (double)row->silhouette, "null");
    fputs(", \"label\": ", out);
    dt_report_label(r->labels, row->label, label, sizeof label);
    if (row->label < 0)
        fputs("null", out);
    else
        json_string(out, label);
    fputs(", \"purity\": ", out);
    number(out, (double)row->purity, "null");
    fputs(", \"last_seen\": ", out);
    if (r->last_seen[c] == INT32_MIN) {
        fputs("null", out);
    } else {
        dt_report_date(r->last_seen[c], seen, sizeof seen);
        json_string(out, seen);
    }
    fputs(", \"top_services\": [", out);
    for (int k = 0; k < DT_TOP_SERVICES; k++) {
        fprintf(out, "%s{\"port\": %d, \"proto\": %d, \"share\": ", k ? ", " : "", row->top_port[k],
                row->top_proto[k]);
        number(out, (double)row->top_share[k], "null");
        fputc('}', out);
    }
    fputs("]}", out);
}

static void json_detail(const dt_report *r, FILE *out)
{
    if (r->n_days == 0) {
        fputs("  \"day\": null\n", out);
        return;
    }
    const dt_day_record *rec = &r->detail.record;
    char date[16];
    dt_report_date(rec->day, date, sizeof date);
    fprintf(out, "  \"day\": {\n    \"date\": \"%s\",\n    \"clusters\": [", date);
    for (size_t c = 0; c < rec->n_clusters; c++) {
        fputs(c ? "," : "", out);
        json_cluster(r, c, out);
    }
    fputs("\n    ],\n    \"transitions\": [", out);
    for (size_t t = 0; t < rec->n_transitions; t++) {
        const dt_transition *tr = &rec->transitions[t];
        fprintf(out, "%s\n      {\"from\": %d, \"to\": %d, \"kind\": \"%s\", \"overlap\": ",
                t ? "," : "", tr->from, tr->to, dt_report_kind_name(tr->kind));
        number(out, (double)tr->overlap, "null");
        fputc('}', out);
    }
    fputs("\n    ]\n  }\n", out);
}

void dt_report_json(const dt_report *r, FILE *out)
{
    fputs("{\n  \"history\": ", out);
    json_string(out, r->path);
    fputs(",\n  \"source\": ", out);
    json_string(out, r->source);
    fputs(",\n", out);
    json_parameters(r, out);
    json_labels(r, out);
    json_days(r, out);
    json_detail(r, out);
    fputs("}\n", out);
}
