/* Reading many captures into days, in time order. */
#include "dt_ingest.h"

#include "dt_capture.h"
#include "dt_inputs.h"
#include "dt_log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A capture of the plan: where it starts. Standard input stays open after its first
 * timestamp is read, since it cannot be opened twice. */
typedef struct {
    const char *path;
    int64_t first_ts_ns;
    int has_records;
    dt_capture *kept;
} planned_file;

/* Progress of the streaming, for the periodic message. */
typedef struct {
    double start;
    double next_report;
    int reported; /* a periodic message was printed, so the run ends with one too */
    size_t files_done;
    size_t files_total;
    uint64_t packets;
} progress;

enum { PROGRESS_EVERY_PACKETS = 1 << 16 };
static const double progress_interval_s = 5.0;

static int compare_planned(const void *a, const void *b)
{
    const planned_file *x = a, *y = b;
    if (!x->has_records || !y->has_records)
        return y->has_records - x->has_records; /* empty captures last */
    if (x->first_ts_ns != y->first_ts_ns)
        return x->first_ts_ns < y->first_ts_ns ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* Opens a capture and reads its first timestamp; standard input stays open. */
static dt_status plan_file(const char *path, const char *bpf, planned_file *f)
{
    dt_capture *cap = NULL;
    f->path = path;
    DT_CHECK(dt_capture_open(path, bpf, &cap));
    dt_status st = dt_capture_peek_time(cap, &f->first_ts_ns, &f->has_records);
    if (st == DT_OK && strcmp(path, "-") == 0)
        f->kept = cap;
    else
        dt_capture_close(cap);
    if (st != DT_OK)
        dt_error_trace(__func__, __FILE__, __LINE__);
    return st;
}

/* Drops a capture named twice (the same path, now adjacent), which would count its packets
 * twice; returns the captures left. */
static size_t drop_repeats(planned_file *plan, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept > 0 && strcmp(plan[kept - 1].path, plan[i].path) == 0) {
            dt_warn("%s: given more than once; read once", plan[i].path);
            continue;
        }
        plan[kept++] = plan[i];
    }
    return kept;
}

/* Opens every capture and reads its first timestamp, then orders them. A file is read
 * again from its start when streamed, so the reader's warnings about its first records
 * would come twice: planning runs at error level (ingest runs on rank 0, the rank that
 * logs), except for standard input, which is not read again. */
static dt_status plan_files(const dt_inputs *in, const char *bpf, planned_file *plan,
                            size_t *n_planned)
{
    dt_status st = DT_OK;
    dt_log_level level = dt_log_get_level();
    for (size_t i = 0; i < in->n && st == DT_OK; i++) {
        int reread = strcmp(in->paths[i], "-") != 0;
        if (reread)
            dt_log_init(DT_LOG_ERROR, 0);
        st = plan_file(in->paths[i], bpf, &plan[i]);
        dt_log_init(level, 0);
    }
    if (st != DT_OK) {
        dt_error_trace(__func__, __FILE__, __LINE__);
        return st;
    }
    qsort(plan, in->n, sizeof *plan, compare_planned);
    *n_planned = drop_repeats(plan, in->n);
    return DT_OK;
}

static void add_counts(dt_ingest_totals *t, const dt_capture_counts *c)
{
    t->files++;
    t->empty_files += c->records == 0;
    t->damaged_files += c->damaged != 0;
    t->records += c->records;
    t->ipv4 += c->ipv4;
    t->ipv6 += c->ipv6;
    t->other += c->other;
    t->fragments += c->fragments;
    t->malformed += c->malformed;
}

static void report_progress(progress *p, int final)
{
    double now = dt_wall_seconds();
    if (!final && now < p->next_report)
        return;
    if (final && !p->reported)
        return;
    p->reported = 1;
    p->next_report = now + progress_interval_s;
    double elapsed = now - p->start;
    double rate = elapsed > 0 ? (double)p->packets / elapsed : 0.0;
    dt_info("ingest: %zu/%zu captures, %.2f M packets, %.2f M packets/s", p->files_done,
            p->files_total, (double)p->packets * 1e-6, rate * 1e-6);
}

/* Streams one capture's packets into the binner. */
static dt_status stream_file(planned_file *f, const char *bpf, dt_daybin *bin,
                             dt_ingest_totals *totals, progress *prog)
{
    dt_status st = DT_OK;
    dt_capture *cap = f->kept;
    f->kept = NULL;
    if (!cap)
        DT_CHECK_GOTO(st, dt_capture_open(f->path, bpf, &cap));

    uint64_t packets = 0;
    for (;;) {
        dt_packet pkt;
        int got = 0;
        DT_CHECK_GOTO(st, dt_capture_next(cap, &pkt, &got));
        if (!got)
            break;
        DT_CHECK_GOTO(st, dt_daybin_add(bin, &pkt));
        if (++packets % PROGRESS_EVERY_PACKETS == 0) {
            prog->packets += PROGRESS_EVERY_PACKETS;
            report_progress(prog, 0);
        }
    }
    prog->packets += packets % PROGRESS_EVERY_PACKETS;

out:
    if (cap) {
        const dt_capture_counts *c = dt_capture_get_counts(cap);
        add_counts(totals, c);
        dt_debug("%s: %llu records, %llu IPv4, %llu IPv6, %llu other, %llu malformed%s", f->path,
                 (unsigned long long)c->records, (unsigned long long)c->ipv4,
                 (unsigned long long)c->ipv6, (unsigned long long)c->other,
                 (unsigned long long)c->malformed, c->damaged ? ", damaged" : "");
    }
    uint64_t late = dt_daybin_take_late(bin);
    if (late > 0)
        dt_warn("%s: %llu packets are dated in days already finished (captures are read in "
                "order of their first packet and this one goes back in time); they are "
                "counted as late and left out of every day",
                f->path, (unsigned long long)late);
    dt_capture_close(cap);
    return st;
}

/* Reads the planned captures in order, handing days over as they finish. */
static dt_status stream_files(planned_file *plan, size_t n, const dt_ingest_options *opt,
                              dt_daybin *bin, dt_ingest_totals *totals)
{
    progress prog = {.start = dt_wall_seconds(), .files_total = n};
    prog.next_report = prog.start + progress_interval_s;
    for (size_t i = 0; i < n; i++) {
        if (plan[i].has_records)
            DT_CHECK(dt_daybin_begin_file(bin, plan[i].first_ts_ns));
        DT_CHECK(stream_file(&plan[i], opt->bpf, bin, totals, &prog));
        prog.files_done++;
    }
    DT_CHECK(dt_daybin_finish(bin));
    report_progress(&prog, 1);
    return DT_OK;
}

dt_status dt_ingest_run(char *const *args, size_t n_args, const dt_ingest_options *opt,
                        dt_day_sink sink, void *ctx, dt_ingest_totals *totals)
{
    dt_ingest_totals local;
    if (!totals)
        totals = &local;
    memset(totals, 0, sizeof *totals);
    double start = dt_wall_seconds();

    dt_status st = DT_OK;
    dt_inputs in = {0};
    planned_file *plan = NULL;
    dt_daybin *bin = NULL;
    DT_CHECK_GOTO(st, dt_inputs_expand(args, n_args, &in));
    DT_CHECK_GOTO(st, dt_calloc(&plan, in.n, sizeof *plan, "capture plan"));
    size_t n_planned = 0;
    DT_CHECK_GOTO(st, plan_files(&in, opt->bpf, plan, &n_planned));
    DT_CHECK_GOTO(st, dt_daybin_new(&opt->day, sink, ctx, &bin));

    DT_CHECK_GOTO(st, stream_files(plan, n_planned, opt, bin, totals));

out:
    if (bin) {
        totals->late = dt_daybin_late_total(bin);
        totals->days = dt_daybin_days(bin);
    }
    totals->seconds = dt_wall_seconds() - start;
    for (size_t i = 0; plan && i < in.n; i++)
        dt_capture_close(plan[i].kept);
    free(plan);
    dt_daybin_free(bin);
    dt_inputs_free(&in);
    return st;
}
