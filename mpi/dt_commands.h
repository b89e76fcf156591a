/* The subcommands of darktrack. Each is collective over comm and returns the status that
 * becomes the exit code; argv[0] is the subcommand's name. */
#ifndef DT_COMMANDS_H
#define DT_COMMANDS_H

#include "dt_status.h"

#include <mpi.h>

dt_status dt_cmd_stats(int argc, char **argv, MPI_Comm comm);
dt_status dt_cmd_run(int argc, char **argv, MPI_Comm comm);
dt_status dt_cmd_cluster(int argc, char **argv, MPI_Comm comm);
dt_status dt_cmd_report(int argc, char **argv, MPI_Comm comm);

#endif
