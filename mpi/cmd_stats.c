/* darktrack stats: the per-day table of packets, senders, services and corpus. Rank 0 reads
 * every capture; the other ranks wait and exit with the same status. */
#include "dt_cli.h"
#include "dt_commands.h"
#include "dt_ingest.h"
#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_stats_output.h"

#include <string.h>
#include <time.h>

static const dt_cli_option stats_options[] = {
    {"corpus-out", 0, 1, "FILE", "write the corpus, a sentence a line ({day}: a file per day)"},
    {"format", 0, 1, "FORMAT", "table format: text (default) or csv"},
};

static const dt_cli_spec stats_spec = {
    .command = "stats",
    .usage = "[options] CAPTURE...",
    .summary = "Reads pcap/pcapng captures (files, directories, '-' for standard input) and\n"
               "prints one row per UTC day: packets, senders seen, active senders, services\n"
               "kept, sentences, corpus words and Mirai-fingerprinted active senders.",
    .options = stats_options,
    .n_options = sizeof stats_options / sizeof stats_options[0],
    .uses_params = 1,
    .min_args = 1,
};

/* Checks the options of stats beyond the pipeline parameters. */
static dt_status check_options(const dt_cli *cli, dt_stats_output_options *out)
{
    memset(out, 0, sizeof *out);
    const char *format = dt_cli_value(cli, "format");
    if (format && strcmp(format, "csv") == 0)
        out->csv = 1;
    else if (format && strcmp(format, "text") != 0)
        return dt_fail(DT_ERR_USAGE, "stats: --format must be text or csv, got '%s'", format);

    out->corpus_pattern = dt_cli_value(cli, "corpus-out");
    if (out->corpus_pattern &&
        (out->corpus_pattern[0] == '\0' || strcmp(out->corpus_pattern, "-") == 0))
        return dt_fail(DT_ERR_USAGE,
                       "stats: --corpus-out needs a file name (standard output holds the table)");
    return DT_OK;
}

static void log_totals(const dt_ingest_totals *t)
{
    double rate = t->seconds > 0 ? (double)t->ipv4 / t->seconds : 0.0;
    dt_info("stats: %llu days from %llu captures: %llu IPv4 packets in %.2f s "
            "(%.2f M packets/s)",
            (unsigned long long)t->days, (unsigned long long)t->files, (unsigned long long)t->ipv4,
            t->seconds, rate * 1e-6);
    dt_info("stats: skipped %llu IPv6, %llu other link-layer and %llu malformed records; "
            "%llu late packets; %llu empty and %llu damaged captures",
            (unsigned long long)t->ipv6, (unsigned long long)t->other,
            (unsigned long long)t->malformed, (unsigned long long)t->late,
            (unsigned long long)t->empty_files, (unsigned long long)t->damaged_files);
}

/* Rank 0's work: ingest, one table row per day, the corpus file(s). Not collective. */
static dt_status run_stats(const dt_cli *cli, const dt_stats_output_options *opt)
{
    dt_status st = DT_OK;
    dt_stats_output *output = NULL;
    DT_CHECK_GOTO(st, dt_stats_output_open(opt, stdout, &output));

    dt_ingest_options ingest = {
        .day = {0, cli->params.min_packets, cli->params.top_services, cli->params.max_sentence},
        .bpf = cli->params.bpf,
    };
    dt_ingest_totals totals;
    DT_CHECK_GOTO(st, dt_ingest_run(cli->args, (size_t)cli->n_args, &ingest, dt_stats_output_day,
                                    output, &totals));
    DT_CHECK_GOTO(st, dt_stats_output_close(output));
    output = NULL;
    log_totals(&totals);

out:
    if (output)
        dt_stats_output_abandon(output);
    return st;
}

/* Collective: every rank enters a barrier; the waiting ranks poll it with short sleeps
 * instead of spinning, so rank 0 keeps the cores while it reads. */
static dt_status wait_for_rank0(MPI_Comm comm, int rank)
{
    MPI_Request request;
    DT_CHECK(dt_mpi_check(MPI_Ibarrier(comm, &request), "MPI_Ibarrier"));
    if (rank == 0)
        return dt_mpi_check(MPI_Wait(&request, MPI_STATUS_IGNORE), "MPI_Wait");

    int done = 0;
    while (!done) {
        DT_CHECK(dt_mpi_check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test"));
        if (!done)
            nanosleep(&(struct timespec){.tv_nsec = 20 * 1000 * 1000}, NULL);
    }
    return DT_OK;
}

/* Collective over comm. */
dt_status dt_cmd_stats(int argc, char **argv, MPI_Comm comm)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);

    dt_cli cli;
    dt_stats_output_options opt;
    dt_status st = dt_cli_parse(&stats_spec, argc, argv, rank, &cli);
    if (st == DT_OK && !cli.exit_now) {
        dt_log_init(cli.log_level, rank);
        st = check_options(&cli, &opt);
    }
    if (st == DT_OK && !cli.exit_now && rank == 0)
        st = run_stats(&cli, &opt);
    dt_status local = st;

    dt_status waited = wait_for_rank0(comm, rank);
    st = dt_mpi_agree(comm, local != DT_OK ? local : waited);

    /* Usage errors are the same on every rank and rank 0 reports them; a rank that only
     * waited has nothing of its own to say. */
    if (rank != 0 && (local == DT_OK || local == DT_ERR_USAGE))
        dt_error_clear();
    dt_cli_free(&cli);
    return st;
}
