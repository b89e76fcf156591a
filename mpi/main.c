/* darktrack: the program's entry point, dispatching to its subcommands. */
#include "dt_commands.h"
#include "dt_log.h"
#include "dt_mpi.h"
#include "dt_provenance.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    dt_status (*run)(int argc, char **argv, MPI_Comm comm);
    const char *summary;
} command;

static const command commands[] = {
    {"stats", dt_cmd_stats, "per-day table of packets, senders, services and corpus"},
    {"run", dt_cmd_run, "the main job: captures in, history out, every stage, every day"},
    {"cluster", dt_cmd_cluster, "HDBSCAN alone on vectors from a file"},
    {"report", dt_cmd_report, "what an analyst reads from a history"},
};

static void print_usage(FILE *out)
{
    fprintf(out, "usage: darktrack COMMAND [options] [arguments]\n\n"
                 "Finds groups of coordinated senders in network-telescope captures and\n"
                 "tracks them day after day.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'darktrack COMMAND --help' describes a command; --version the build.\n");
}

static void print_version(void)
{
    char version[256];
    char libraries[1024];
    dt_version_string(version, sizeof version);
    dt_mpi_library_versions(libraries, sizeof libraries);
    printf("%s\n%s\n", version, libraries);
}

/* Finds and runs the subcommand; returns the exit status. */
static int dispatch(int argc, char **argv, int rank)
{
    if (argc < 2) {
        if (rank == 0)
            print_usage(stderr);
        return DT_ERR_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        if (rank == 0)
            print_usage(stdout);
        return DT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        if (rank == 0)
            print_version();
        return DT_OK;
    }

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        dt_status st = commands[i].run(argc - 1, argv + 1, MPI_COMM_WORLD);
        if (st != DT_OK && dt_error_message()[0])
            dt_log_failure();
        return (int)st;
    }

    dt_log(DT_LOG_ERROR, "unknown command '%s' (see darktrack --help)", argv[1]);
    return DT_ERR_USAGE;
}

int main(int argc, char **argv)
{
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        fprintf(stderr, "darktrack: error: MPI_Init failed\n");
        return DT_ERR_MPI;
    }
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    dt_log_init(DT_LOG_INFO, rank);

    int status = dispatch(argc, argv, rank);

    MPI_Finalize();
    return status;
}
