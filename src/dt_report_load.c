/* Loading a report: per-day totals from every day, the detail of one day. */
#include "dt_report.h"

#include "dt_day.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from civil date (proleptic Gregorian), after H. Hinnant's public-domain algorithm. */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void dt_report_date(int32_t day, char *buf, size_t len)
{
    dt_day_format_date(day, buf, len);
}

dt_status dt_report_parse_date(const char *text, int32_t *day)
{
    int y = 0, m = 0, d = 0, used = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || text[used] != '\0' || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return dt_fail(DT_ERR_USAGE, "--day wants a date as YYYY-MM-DD, got '%s'", text);

    *day = days_from_civil(y, m, d);
    char back[16];
    dt_report_date(*day, back, sizeof back);
    if (strcmp(back, text) != 0)
        return dt_fail(DT_ERR_USAGE, "--day: %s is not a calendar date", text);
    return DT_OK;
}

/* 1 when transition t is the first split row of its previous-day cluster. */
static int first_split_of(const dt_day_record *rec, size_t t)
{
    for (size_t u = 0; u < t; u++)
        if (rec->transitions[u].kind == DT_SPLIT &&
            rec->transitions[u].from == rec->transitions[t].from)
            return 0;
    return 1;
}

/* The totals of one day from its clusters and transitions. */
static void summarize(const dt_day_record *rec, dt_report_day *out)
{
    memset(out, 0, sizeof *out);
    out->day = rec->day;
    out->packets = rec->packets;
    out->senders_active = rec->senders_active;
    out->clusters = (int32_t)rec->n_clusters;

    double weighted = 0;
    int64_t members = 0;
    for (size_t c = 0; c < rec->n_clusters; c++) {
        const dt_cluster_row *row = &rec->clusters[c];
        out->survived += row->origin == DT_SURVIVED;
        out->emerged += row->origin == DT_EMERGED;
        out->reappeared += row->origin == DT_REAPPEARED;
        out->novel += row->novel != 0;
        weighted += (double)row->silhouette * row->size;
        members += row->size;
    }
    out->silhouette = members > 0 ? weighted / (double)members : (double)NAN;
    out->noise = rec->senders_active - (int32_t)members;

    /* A split has one row per target: count each previous cluster once. */
    for (size_t t = 0; t < rec->n_transitions; t++) {
        const dt_transition *tr = &rec->transitions[t];
        out->split += tr->kind == DT_SPLIT && first_split_of(rec, t);
        out->absorbed += tr->kind == DT_ABSORBED;
        out->disappeared += tr->kind == DT_DISAPPEARED;
        out->inactive += tr->kind == DT_INACTIVE;
    }
}

/* Notes, for each cluster of the detailed day, whether an earlier day listed its id; called
 * in day order, so the latest such day stays. */
static void note_seen(dt_report *r, const dt_day_record *past)
{
    for (size_t c = 0; c < r->detail.record.n_clusters; c++)
        for (size_t p = 0; p < past->n_clusters; p++)
            if (past->clusters[p].id == r->detail.clusters[c].id)
                r->last_seen[c] = past->day;
}

static dt_status choose_focus(dt_report *r, const int32_t *days, int32_t focus_day)
{
    r->focus = r->n_days - 1;
    if (focus_day == INT32_MIN)
        return DT_OK;

    for (size_t i = 0; i < r->n_days; i++)
        if (days[i] == focus_day) {
            r->focus = i;
            return DT_OK;
        }
    char want[16], first[16] = "-", last[16] = "-";
    dt_report_date(focus_day, want, sizeof want);
    if (r->n_days > 0) {
        dt_report_date(days[0], first, sizeof first);
        dt_report_date(days[r->n_days - 1], last, sizeof last);
    }
    return dt_fail(DT_ERR_USAGE, "%s: no day %s in the history (it holds %zu days, %s to %s)",
                   r->path, want, r->n_days, first, last);
}

/* One pass over the days: the detailed day first, then every day's totals. */
static dt_status load_days(dt_history_reader *hr, dt_report *r, int32_t focus_day)
{
    const int32_t *days = dt_history_reader_days(hr, &r->n_days);
    DT_CHECK(choose_focus(r, days, focus_day));
    if (r->n_days == 0)
        return DT_OK;

    DT_CHECK(dt_history_read_summary(hr, r->focus, &r->detail));
    size_t n = r->detail.record.n_clusters;
    DT_CHECK(dt_malloc(&r->last_seen, n > 0 ? n : 1, sizeof *r->last_seen, "last seen"));
    for (size_t c = 0; c < n; c++)
        r->last_seen[c] = INT32_MIN;

    DT_CHECK(dt_calloc(&r->days, r->n_days, sizeof *r->days, "report days"));
    for (size_t i = 0; i < r->n_days; i++) {
        if (i == r->focus) {
            summarize(&r->detail.record, &r->days[i]);
            continue;
        }
        dt_history_day day;
        DT_CHECK(dt_history_read_summary(hr, i, &day));
        summarize(&day.record, &r->days[i]);
        if (i < r->focus)
            note_seen(r, &day.record);
        dt_history_day_free(&day);
    }
    return DT_OK;
}

dt_status dt_report_load(const char *path, int32_t focus_day, dt_report *out)
{
    memset(out, 0, sizeof *out);
    dt_params_defaults(&out->params);
    dt_history_reader *hr = NULL;
    dt_status st = DT_OK;
    DT_CHECK_GOTO(st, dt_malloc(&out->path, strlen(path) + 1, 1, "report path"));
    memcpy(out->path, path, strlen(path) + 1);
    DT_CHECK_GOTO(st, dt_history_reader_open(path, &hr));
    DT_CHECK_GOTO(st, dt_history_reader_text(hr, "source", &out->source));
    DT_CHECK_GOTO(st, dt_history_reader_text(hr, "labels", &out->labels));
    DT_CHECK_GOTO(st, dt_history_reader_params(hr, &out->params, &out->mpi_ranks));
    DT_CHECK_GOTO(st, load_days(hr, out, focus_day));

out:
    dt_history_reader_close(hr);
    if (st != DT_OK)
        dt_report_free(out);
    return st;
}

void dt_report_free(dt_report *r)
{
    free(r->path);
    free(r->source);
    free(r->labels);
    free(r->days);
    free(r->last_seen);
    dt_params_free(&r->params);
    dt_history_day_free(&r->detail);
    memset(r, 0, sizeof *r);
}

const char *dt_report_kind_name(int kind)
{
    static const char *names[] = {"survived", "absorbed", "split",     "disappeared",
                                  "inactive", "emerged",  "reappeared"};
    return kind >= 0 && kind < 7 ? names[kind] : "unknown";
}

static const char *proto_name(int proto, char *buf, size_t len)
{
    switch (proto) {
    case 1:
        return "icmp";
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 47:
        return "gre";
    default:
        snprintf(buf, len, "proto%d", proto);
        return buf;
    }
}

void dt_report_services(const dt_cluster_row *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < DT_TOP_SERVICES && used < len; k++) {
        if (!(c->top_share[k] > 0))
            continue;
        char name[32], pbuf[16];
        int proto = c->top_proto[k];
        if (proto == 0 && c->top_port[k] == 0)
            snprintf(name, sizeof name, "other");
        else if (c->top_port[k] == 0)
            snprintf(name, sizeof name, "%s", proto_name(proto, pbuf, sizeof pbuf));
        else
            snprintf(name, sizeof name, "%d/%s", c->top_port[k],
                     proto_name(proto, pbuf, sizeof pbuf));
        int n = snprintf(buf + used, len - used, "%s%s %.0f%%", used ? ", " : "", name,
                         100.0 * (double)c->top_share[k]);
        used += n > 0 ? (size_t)n : 0;
    }
    if (!buf[0])
        snprintf(buf, len, "-");
}

void dt_report_label(const char *labels, int32_t i, char *buf, size_t len)
{
    snprintf(buf, len, "-");
    if (i < 0 || !labels)
        return;
    const char *p = labels;
    for (int32_t k = 0; k < i && p; k++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    if (!p || !*p) {
        snprintf(buf, len, "#%d", (int)i);
        return;
    }
    size_t n = strcspn(p, ",");
    snprintf(buf, len, "%.*s", (int)n, p);
}
