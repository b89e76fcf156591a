/* The command line of darktrack-synth and the layout of its output folder. */
#ifndef SYNTH_CLI_H
#define SYNTH_CLI_H

#include "synth_config.h"

#include "dt_status.h"

#include <stddef.h>

/* Parses argv into cfg and sets the log level. On --help prints usage and sets *exit_now.
 * Errors are DT_ERR_USAGE with a message naming the option. */
dt_status synth_cli_parse(int argc, char **argv, synth_config *cfg, int *exit_now);

/* Creates out_dir, out_dir/captures and out_dir/truth, and removes the capture files an
 * earlier run left there (files named telescope-*.pcap or .pcap.gz; nothing else). */
dt_status synth_prepare_output(const synth_config *cfg, char *captures, size_t captures_size,
                               char *truth, size_t truth_size);

#endif
