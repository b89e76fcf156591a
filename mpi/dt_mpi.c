/* Small MPI helpers shared by the distributed layer. */
#include "dt_mpi.h"

#include "dt_provenance.h"

#include <stdio.h>

dt_status dt_mpi_agree(MPI_Comm comm, dt_status local)
{
    int mine = (int)local;
    int worst = 0;
    if (MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS)
        return dt_fail(DT_ERR_MPI, "MPI_Allreduce of the failure flag failed");
    if (worst == DT_OK)
        return local;

    /* Find the lowest failed rank, so the message names it. Every rank takes part, the
     * failed ones too, or the others would wait in this reduction for ever. */
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    int candidate = mine != DT_OK ? rank : 1 << 30;
    int first = 0;
    MPI_Allreduce(&candidate, &first, 1, MPI_INT, MPI_MIN, comm);
    if (local != DT_OK)
        return local;
    return dt_fail((dt_status)worst, "rank %d failed (see its message)", first);
}

dt_status dt_mpi_check(int mpi_code, const char *what)
{
    if (mpi_code == MPI_SUCCESS)
        return DT_OK;
    char message[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(mpi_code, message, &len);
    return dt_fail(DT_ERR_MPI, "%s failed: %s", what, message);
}

void dt_mpi_library_versions(char *buf, size_t len)
{
    char mpi_version[MPI_MAX_LIBRARY_VERSION_STRING];
    int mpi_len = 0;
    MPI_Get_library_version(mpi_version, &mpi_len);
    for (int i = 0; i < mpi_len; i++)
        if (mpi_version[i] == '\n' || mpi_version[i] == ',') {
            mpi_version[i] = '\0';
            break;
        }

    char core[512];
    dt_library_versions(core, sizeof core);
    snprintf(buf, len, "%s; %s", mpi_version, core);
}
