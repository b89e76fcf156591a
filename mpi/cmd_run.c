/* darktrack run: the main job. Captures in, history out, every stage, every day,
 * resuming where an earlier run of the same history stopped. */
#include "dt_cli.h"
#include "dt_commands.h"
#include "dt_mpi.h"
#include "dt_run.h"
#include "dt_signals.h"

#include "dt_ingest.h"
#include "dt_inputs.h"
#include "dt_log.h"
#include "dt_provenance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const dt_cli_option run_options[] = {
    {"output", 'o', 1, "HISTORY", "the history to write, or to resume (required)"},
    {"dry-run", 0, 0, "", "check the parameters, the history and the captures, then stop"},
    {"max-days", 0, 1, "N", "stop after N new days (a later run resumes)"},
};

static const dt_cli_spec run_spec = {
    .command = "run",
    .usage = "[options] -o HISTORY CAPTURE...",
    .summary = "The main job: reads the captures day by day, trains the sender vectors, "
               "clusters them,\ntracks the clusters against earlier days and appends each "
               "day to HISTORY. A run\nthat stops resumes at the first day HISTORY lacks.",
    .options = run_options,
    .n_options = sizeof run_options / sizeof run_options[0],
    .uses_params = 1,
    .min_args = 1,
};

/* Commands between rank 0, which reads the captures, and the others. */
enum { CMD_DONE = 0, CMD_DAY = 1 };

typedef struct {
    dt_run *run;
    int others_waiting; /* 1 while the other ranks wait for a command */
    int stopped;        /* a signal or --max-days ended the run at a day boundary */
    uint64_t skipped;   /* days already in the history */
} root_loop;

/* Collective: rank 0's command reaches every rank. The others may wait for it as long as
 * rank 0 reads a day of captures, so they poll a nonblocking broadcast and sleep between
 * polls instead of spinning inside MPI_Bcast, which would take a core from rank 0 when
 * ranks share cores. */
static dt_status broadcast_command(const dt_run *run, int *command)
{
    MPI_Request request;
    DT_CHECK(dt_mpi_check(MPI_Ibcast(command, 1, MPI_INT, 0, run->comm, &request),
                          "MPI_Ibcast of the next command"));
    if (run->rank == 0)
        return dt_mpi_check(MPI_Wait(&request, MPI_STATUS_IGNORE), "MPI_Wait");

    const struct timespec pause = {0, 1000000};
    for (;;) {
        int done = 0;
        DT_CHECK(dt_mpi_check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test"));
        if (done)
            return DT_OK;
        nanosleep(&pause, NULL);
    }
}

/* After a day, every rank asks the same question: stop here? */
static int stop_after_day(dt_run *run)
{
    int signalled = dt_signals_stop_agreed(run->comm);
    return signalled || (run->max_days > 0 && run->days_done >= run->max_days);
}

/* Rank 0's sink for the ingest: each finished day goes through the pipeline. */
static dt_status on_day(void *ctx, dt_day *day)
{
    root_loop *loop = ctx;
    dt_run *run = loop->run;
    dt_stage_new_day(&run->clock);
    dt_stage_end(&run->clock, DT_STAGE_INGEST, (double)day->packets);

    if (dt_history_has_day(run->history, day->day)) {
        char date[16];
        dt_day_format_date(day->day, date, sizeof date);
        dt_debug("%s is in the history already: skipped", date);
        loop->skipped++;
        dt_stage_begin(&run->clock, DT_STAGE_INGEST);
        return DT_OK;
    }

    int command = CMD_DAY;
    DT_CHECK(broadcast_command(run, &command));
    dt_status st = dt_run_day(run, day);
    if (st != DT_OK) {
        loop->others_waiting = 0; /* they failed the same day and left the loop */
        return st;
    }
    if (stop_after_day(run)) {
        loop->others_waiting = 0;
        loop->stopped = 1;
        return DT_ERR_INTERRUPTED;
    }
    dt_stage_begin(&run->clock, DT_STAGE_INGEST);
    return DT_OK;
}

static dt_status root_main(dt_run *run, const dt_cli *cli)
{
    root_loop loop = {.run = run, .others_waiting = 1};
    dt_ingest_options options = {
        .day = {.min_packets = run->params->min_packets,
                .top_services = run->params->top_services,
                .max_sentence = run->params->max_sentence},
        .bpf = run->params->bpf,
    };
    dt_ingest_totals totals = {0};

    dt_stage_begin(&run->clock, DT_STAGE_INGEST);
    dt_status st = dt_ingest_run(cli->args, (size_t)cli->n_args, &options, on_day, &loop, &totals);
    if (loop.others_waiting) {
        int command = st == DT_OK ? CMD_DONE : -(int)st;
        dt_status sent = broadcast_command(run, &command);
        if (sent != DT_OK && st == DT_OK)
            st = sent;
    }
    if (loop.skipped)
        dt_info("%llu days were in the history already", (unsigned long long)loop.skipped);
    if (totals.late || totals.malformed || totals.damaged_files)
        dt_warn("%llu late packets, %llu malformed records, %llu damaged captures",
                (unsigned long long)totals.late, (unsigned long long)totals.malformed,
                (unsigned long long)totals.damaged_files);
    if (loop.stopped && dt_signals_received())
        return dt_fail(DT_ERR_INTERRUPTED,
                       "stopped by signal %d after a whole day; run again "
                       "to resume",
                       dt_signals_received());
    if (loop.stopped)
        return DT_OK;
    return st;
}

/* The other ranks follow rank 0's commands until it is done. */
static dt_status follower_main(dt_run *run)
{
    for (;;) {
        int command = CMD_DONE;
        DT_CHECK(broadcast_command(run, &command));
        if (command == CMD_DONE)
            return DT_OK;
        if (command < 0)
            return (dt_status)(-command);
        dt_stage_new_day(&run->clock);
        DT_CHECK(dt_run_day(run, NULL));
        if (stop_after_day(run))
            return dt_signals_received() ? DT_ERR_INTERRUPTED : DT_OK;
    }
}

/* The command line as one string, for the history's provenance. */
static char *join_arguments(int argc, char **argv)
{
    size_t len = sizeof "darktrack";
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *line = malloc(len);
    if (!line)
        return NULL;
    size_t used = (size_t)snprintf(line, len, "darktrack");
    for (int i = 0; i < argc; i++)
        used += (size_t)snprintf(line + used, len - used, " %s", argv[i]);
    return line;
}

static void log_banner(const dt_run *run)
{
    char version[256], libraries[1024];
    dt_version_string(version, sizeof version);
    dt_mpi_library_versions(libraries, sizeof libraries);
    const char *threads = getenv("OPENBLAS_NUM_THREADS");
    dt_info("%s on %d MPI ranks, OPENBLAS_NUM_THREADS=%s", version, run->ranks,
            threads ? threads : "unset");
    dt_debug("libraries: %s", libraries);
    if (dt_log_enabled(DT_LOG_DEBUG))
        dt_params_print(run->params, stderr);
}

static void run_free(dt_run *run)
{
    if (run->history) {
        dt_status st = dt_history_close(run->history);
        if (st != DT_OK)
            dt_log_failure();
    }
    dt_dca_state_free(run->dca);
    dt_labels_free(&run->labels);
    dt_w2v_model_free(run->model);
}

static dt_status parse_max_days(const dt_cli *cli, int *max_days)
{
    const char *text = dt_cli_value(cli, "max-days");
    *max_days = 0;
    if (!text)
        return DT_OK;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < 1 || v > 1000000)
        return dt_fail(DT_ERR_USAGE, "--max-days wants a whole number from 1, got '%s'", text);
    *max_days = (int)v;
    return DT_OK;
}

static dt_status run_job(dt_cli *cli, int argc, char **argv, MPI_Comm comm)
{
    dt_run run = {.comm = comm, .params = &cli->params};
    MPI_Comm_rank(comm, &run.rank);
    MPI_Comm_size(comm, &run.ranks);
    dt_stage_clock_init(&run.clock);
    run.history_path = dt_cli_value(cli, "output");
    if (!run.history_path)
        return dt_fail(DT_ERR_USAGE, "run: the history is missing: give -o HISTORY");
    DT_CHECK(parse_max_days(cli, &run.max_days));
    log_banner(&run);

    if (dt_cli_value(cli, "dry-run"))
        return dt_run_plan(&run, cli->args, (size_t)cli->n_args);

    char *command_line = join_arguments(argc, argv);
    dt_history_run info = {.mpi_ranks = run.ranks, .command_line = command_line};
    dt_status st = dt_run_resume(&run, &info);
    free(command_line);
    if (st == DT_OK) {
        dt_signals_install();
        st = run.rank == 0 ? root_main(&run, cli) : follower_main(&run);
        dt_stage_report(&run.clock, comm);
    }
    run_free(&run);
    return st;
}

dt_status dt_cmd_run(int argc, char **argv, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    dt_cli cli;
    dt_status st = dt_cli_parse(&run_spec, argc, argv, rank, &cli);
    dt_log_init(cli.log_level, rank);
    if (st == DT_OK && !cli.exit_now)
        st = run_job(&cli, argc, argv, comm);
    dt_cli_free(&cli);
    return st;
}
