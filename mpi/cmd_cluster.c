/* darktrack cluster: not built yet; its issue replaces this file. */
#include "dt_commands.h"

dt_status dt_cmd_cluster(int argc, char **argv, MPI_Comm comm)
{
    (void)argc;
    (void)argv;
    (void)comm;
    return dt_fail(DT_ERR_USAGE, "darktrack cluster is not available in this build yet");
}
