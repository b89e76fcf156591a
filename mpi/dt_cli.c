/* Command-line parsing shared by every subcommand. */
#include "dt_cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long return values: parameters from 1000, spec options from 2000. */
enum { OPT_CONFIG = 900, OPT_PRINT_CONFIG, OPT_HELP, OPT_PARAM_BASE = 1000, OPT_SPEC_BASE = 2000 };

static void print_help(const dt_cli_spec *spec)
{
    printf("usage: darktrack %s %s\n\n%s\n\noptions:\n", spec->command, spec->usage, spec->summary);
    for (size_t i = 0; i < spec->n_options; i++) {
        const dt_cli_option *o = &spec->options[i];
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s %s", o->short_name, o->name,
                     o->takes_value ? o->metavar : "");
        else
            snprintf(left, sizeof left, "    --%s %s", o->name, o->takes_value ? o->metavar : "");
        printf("  %-30s %s\n", left, o->help);
    }
    if (spec->uses_params) {
        size_t n;
        const dt_param_info *table = dt_params_table(&n);
        for (size_t i = 0; i < n; i++) {
            char left[64];
            snprintf(left, sizeof left, "    --%s %s", table[i].name,
                     table[i].type == DT_PARAM_FLAG ? "" : "VALUE");
            printf("  %-30s %s\n", left, table[i].help);
        }
        printf("  %-30s %s\n", "    --config FILE", "INI file of parameters (keys as options)");
        printf("  %-30s %s\n", "    --print-config", "print the resolved parameters and exit");
    }
    printf("  %-30s %s\n", "-v, --verbose", "more messages on stderr (repeatable)");
    printf("  %-30s %s\n", "-q, --quiet", "errors only");
    printf("  %-30s %s\n", "-h, --help", "this help");
}

/* The --config value, looked for before the other options so they can override it. */
static const char *find_config(int argc, char **argv)
{
    const char *config = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            config = argv[i] + 9;
    }
    return config;
}

static dt_status build_options(const dt_cli_spec *spec, struct option **out, char *shorts,
                               size_t shorts_len)
{
    size_t n_params = 0;
    const dt_param_info *table = dt_params_table(&n_params);
    if (!spec->uses_params)
        n_params = 0;

    size_t total = n_params + spec->n_options + 6;
    struct option *opts = NULL;
    DT_CHECK(dt_calloc(&opts, total, sizeof *opts, "option table"));

    size_t k = 0;
    for (size_t i = 0; i < n_params; i++)
        opts[k++] = (struct option){
            table[i].name, table[i].type == DT_PARAM_FLAG ? no_argument : required_argument, NULL,
            OPT_PARAM_BASE + (int)i};
    for (size_t i = 0; i < spec->n_options; i++)
        opts[k++] = (struct option){spec->options[i].name,
                                    spec->options[i].takes_value ? required_argument : no_argument,
                                    NULL, OPT_SPEC_BASE + (int)i};
    if (spec->uses_params) {
        opts[k++] = (struct option){"config", required_argument, NULL, OPT_CONFIG};
        opts[k++] = (struct option){"print-config", no_argument, NULL, OPT_PRINT_CONFIG};
    }
    opts[k++] = (struct option){"verbose", no_argument, NULL, 'v'};
    opts[k++] = (struct option){"quiet", no_argument, NULL, 'q'};
    opts[k++] = (struct option){"help", no_argument, NULL, 'h'};

    size_t s = (size_t)snprintf(shorts, shorts_len, "+vqh");
    for (size_t i = 0; i < spec->n_options && s + 3 < shorts_len; i++) {
        if (!spec->options[i].short_name)
            continue;
        shorts[s++] = (char)spec->options[i].short_name;
        if (spec->options[i].takes_value)
            shorts[s++] = ':';
    }
    shorts[s] = '\0';
    *out = opts;
    return DT_OK;
}

static int spec_index_of_short(const dt_cli_spec *spec, int c)
{
    for (size_t i = 0; i < spec->n_options; i++)
        if (spec->options[i].short_name == c)
            return (int)i;
    return -1;
}

dt_status dt_cli_parse(const dt_cli_spec *spec, int argc, char **argv, int rank, dt_cli *cli)
{
    memset(cli, 0, sizeof *cli);
    cli->spec = spec;
    dt_params_defaults(&cli->params);
    cli->log_level = DT_LOG_INFO;

    dt_status st = DT_OK;
    struct option *opts = NULL;
    char shorts[64];
    int print_config = 0;
    DT_CHECK_GOTO(
        st, dt_calloc(&cli->values, spec->n_options + 1, sizeof *cli->values, "option values"));
    DT_CHECK_GOTO(st, build_options(spec, &opts, shorts, sizeof shorts));

    const char *config = spec->uses_params ? find_config(argc, argv) : NULL;
    if (config)
        DT_CHECK_GOTO(st, dt_params_load_ini(&cli->params, config));

    size_t n_params = 0;
    const dt_param_info *table = dt_params_table(&n_params);
    optind = 1;
    opterr = 0;
    for (;;) {
        int index = 0;
        int c = getopt_long(argc, argv, shorts, opts, &index);
        if (c == -1)
            break;
        if (c == 'v') {
            if (cli->log_level < DT_LOG_TRACE)
                cli->log_level++;
        } else if (c == 'q') {
            cli->log_level = DT_LOG_ERROR;
        } else if (c == 'h') {
            if (rank == 0)
                print_help(spec);
            cli->exit_now = 1;
            goto out;
        } else if (c == OPT_CONFIG) {
            continue; /* already loaded */
        } else if (c == OPT_PRINT_CONFIG) {
            print_config = 1;
        } else if (c >= OPT_SPEC_BASE) {
            size_t i = (size_t)(c - OPT_SPEC_BASE);
            cli->values[i] = spec->options[i].takes_value ? optarg : "1";
        } else if (c >= OPT_PARAM_BASE) {
            const dt_param_info *info = &table[c - OPT_PARAM_BASE];
            char origin[80];
            snprintf(origin, sizeof origin, "option --%s", info->name);
            DT_CHECK_GOTO(st, dt_params_set(&cli->params, info->name,
                                            info->type == DT_PARAM_FLAG ? "1" : optarg, origin));
        } else if (spec_index_of_short(spec, c) >= 0) {
            size_t i = (size_t)spec_index_of_short(spec, c);
            cli->values[i] = spec->options[i].takes_value ? optarg : "1";
        } else {
            const char *bad = argv[optind - 1];
            st = dt_fail(DT_ERR_USAGE, "%s: unknown option or missing value: %s (see --help)",
                         spec->command, bad);
            goto out;
        }
    }

    cli->args = argv + optind;
    cli->n_args = argc - optind;
    if (spec->uses_params)
        DT_CHECK_GOTO(st, dt_params_validate(&cli->params));
    if (print_config) {
        if (rank == 0)
            dt_params_print(&cli->params, stdout);
        cli->exit_now = 1;
        goto out;
    }
    if (cli->n_args < spec->min_args)
        st = dt_fail(DT_ERR_USAGE, "usage: darktrack %s %s", spec->command, spec->usage);

out:
    free(opts);
    return st;
}

const char *dt_cli_value(const dt_cli *cli, const char *name)
{
    for (size_t i = 0; i < cli->spec->n_options; i++)
        if (strcmp(cli->spec->options[i].name, name) == 0)
            return cli->values[i];
    return NULL;
}

void dt_cli_free(dt_cli *cli)
{
    dt_params_free(&cli->params);
    free(cli->values);
    cli->values = NULL;
}
