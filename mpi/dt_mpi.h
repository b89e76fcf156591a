/* Small MPI helpers shared by the distributed layer. */
#ifndef DT_MPI_H
#define DT_MPI_H

#include "dt_status.h"

#include <mpi.h>

/* Collective over comm: every rank learns the worst status of all ranks. A rank that
 * failed keeps its own message; the others get one naming the failed rank. Call before
 * any collective that follows work which may fail on some ranks only. */
dt_status dt_mpi_agree(MPI_Comm comm, dt_status local);

/* Turns an MPI error code into a dt_status with the MPI message and what was attempted. */
dt_status dt_mpi_check(int mpi_code, const char *what);

/* Library versions in one line: MPI, libpcap, netCDF, OpenBLAS. */
void dt_mpi_library_versions(char *buf, size_t len);

#endif
