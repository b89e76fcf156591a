/* Command-line parsing shared by every subcommand: getopt_long over the parameter table,
 * the subcommand's own options, --config, -v/-q and --help. */
#ifndef DT_CLI_H
#define DT_CLI_H

#include "dt_log.h"
#include "dt_params.h"
#include "dt_status.h"

#include <stddef.h>

/* An option of one subcommand beyond the pipeline parameters. */
typedef struct {
    const char *name;    /* long option name */
    int short_name;      /* single-letter alias, 0 for none */
    int takes_value;     /* 1: --name VALUE; 0: a flag */
    const char *metavar; /* shown in --help, e.g. "FILE" */
    const char *help;
} dt_cli_option;

typedef struct {
    const char *command; /* "stats" */
    const char *usage;   /* "[options] CAPTURE..." */
    const char *summary; /* one line for --help */
    const dt_cli_option *options;
    size_t n_options;
    int uses_params; /* accepts the pipeline parameters, --config and --print-config */
    int min_args;    /* positional arguments required */
} dt_cli_spec;

typedef struct {
    const dt_cli_spec *spec;
    dt_params params;
    dt_log_level log_level;
    const char **values; /* per spec option: its value, "1" for a given flag, NULL if absent */
    char **args;         /* positional arguments (pointers into argv) */
    int n_args;
    int exit_now; /* --help or --print-config was handled: exit with status 0 */
} dt_cli;

/* Parses argv (argv[0] is the subcommand name). On --help or --print-config prints (rank 0
 * only) and sets exit_now. Errors are DT_ERR_USAGE with the message set. */
dt_status dt_cli_parse(const dt_cli_spec *spec, int argc, char **argv, int rank, dt_cli *cli);

/* The value of the spec option called name, or NULL when it was not given. */
const char *dt_cli_value(const dt_cli *cli, const char *name);

void dt_cli_free(dt_cli *cli);

#endif
