/* Stopping at a day boundary on SIGTERM, SIGINT or SIGUSR1 (SLURM's warning signal). */
#ifndef DT_SIGNALS_H
#define DT_SIGNALS_H

#include <mpi.h>

/* Installs the handlers; a signal only sets a flag. */
void dt_signals_install(void);

/* Collective over comm: 1 on every rank when any rank received a stop signal. */
int dt_signals_stop_agreed(MPI_Comm comm);

/* The signal number received on this rank, 0 when none. */
int dt_signals_received(void);

#endif
