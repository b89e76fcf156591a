/* darktrack stats: not built yet; its issue replaces this file. */
#include "dt_commands.h"

dt_status dt_cmd_stats(int argc, char **argv, MPI_Comm comm)
{
    (void)argc;
    (void)argv;
    (void)comm;
    return dt_fail(DT_ERR_USAGE, "darktrack stats is not available in this build yet");
}
