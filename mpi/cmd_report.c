/* darktrack report: what an analyst reads from a history, as text, CSV or JSON. */
#include "dt_cli.h"
#include "dt_commands.h"
#include "dt_report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const dt_cli_option report_options[] = {
    {"day", 0, 1, "DATE", "day to show in detail, YYYY-MM-DD (default: the last)"},
    {"format", 'f', 1, "LIST", "text, csv, json or several, comma-separated (text)"},
    {"output", 'o', 1, "PREFIX", "write PREFIX.txt, PREFIX.json, PREFIX-*.csv files"},
};

static const dt_cli_spec report_spec = {
    "report",
    "[--day DATE] [--format text,csv,json] [-o PREFIX] HISTORY",
    "Summarizes a history: a line per day, then one day's clusters (novelties first)\n"
    "and transitions. Without -o one format goes to standard output (csv: the per-day\n"
    "table); with -o every format asked for goes to its own files.",
    report_options,
    sizeof report_options / sizeof report_options[0],
    0,
    1,
};

enum { WANT_TEXT = 1, WANT_CSV = 2, WANT_JSON = 4 };

static dt_status parse_formats(const char *list, int *want)
{
    *want = 0;
    const char *p = list ? list : "text";
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 4 && strncmp(p, "text", 4) == 0)
            *want |= WANT_TEXT;
        else if (len == 3 && strncmp(p, "csv", 3) == 0)
            *want |= WANT_CSV;
        else if (len == 4 && strncmp(p, "json", 4) == 0)
            *want |= WANT_JSON;
        else
            return dt_fail(DT_ERR_USAGE, "--format: '%.*s' is not text, csv or json", (int)len, p);
        p += len + (p[len] == ',');
    }
    if (*want == 0)
        return dt_fail(DT_ERR_USAGE, "--format: give text, csv or json");
    return DT_OK;
}

/* Writes one rendering into PREFIX + suffix. */
static dt_status write_file(const dt_report *r, const char *prefix, const char *suffix,
                            void (*render)(const dt_report *, FILE *))
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s", prefix, suffix);
    FILE *f = fopen(path, "w");
    if (!f)
        return dt_fail(DT_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    render(r, f);
    int failed = ferror(f);
    if (fclose(f) != 0 || failed)
        return dt_fail(DT_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    return DT_OK;
}

static dt_status write_outputs(const dt_report *r, int want, const char *prefix)
{
    if (!prefix) {
        if (want & WANT_TEXT)
            dt_report_text(r, stdout);
        else if (want & WANT_JSON)
            dt_report_json(r, stdout);
        else
            dt_report_csv_days(r, stdout);
        if (fflush(stdout) != 0)
            return dt_fail(DT_ERR_IO, "standard output: write failed: %s", strerror(errno));
        return DT_OK;
    }

    if (want & WANT_TEXT)
        DT_CHECK(write_file(r, prefix, ".txt", dt_report_text));
    if (want & WANT_JSON)
        DT_CHECK(write_file(r, prefix, ".json", dt_report_json));
    if (want & WANT_CSV) {
        DT_CHECK(write_file(r, prefix, "-days.csv", dt_report_csv_days));
        DT_CHECK(write_file(r, prefix, "-clusters.csv", dt_report_csv_clusters));
        DT_CHECK(write_file(r, prefix, "-transitions.csv", dt_report_csv_transitions));
    }
    return DT_OK;
}

/* The work of rank 0. */
static dt_status report(const dt_cli *cli)
{
    int want = 0;
    DT_CHECK(parse_formats(dt_cli_value(cli, "format"), &want));
    const char *prefix = dt_cli_value(cli, "output");
    if (!prefix && (want & (want - 1)))
        return dt_fail(DT_ERR_USAGE, "several formats need -o PREFIX (one file per format)");
    if (cli->n_args != 1)
        return dt_fail(DT_ERR_USAGE, "usage: darktrack report %s", report_spec.usage);

    int32_t focus = INT32_MIN;
    const char *day = dt_cli_value(cli, "day");
    if (day)
        DT_CHECK(dt_report_parse_date(day, &focus));

    dt_report r;
    DT_CHECK(dt_report_load(cli->args[0], focus, &r));
    dt_status st = write_outputs(&r, want, prefix);
    dt_report_free(&r);
    return st;
}

/* Not collective: rank 0 reads and writes; the other ranks return at once. */
dt_status dt_cmd_report(int argc, char **argv, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    dt_cli cli;
    dt_status st = dt_cli_parse(&report_spec, argc, argv, rank, &cli);
    if (st == DT_OK && !cli.exit_now && rank == 0) {
        dt_log_init(cli.log_level, rank);
        st = report(&cli);
    }
    dt_cli_free(&cli);
    return rank == 0 ? st : DT_OK;
}
