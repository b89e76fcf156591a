/* Stopping at a day boundary: the handlers only record the signal; the run checks the
 * flag between days, where the history and the checkpoint agree. */
#include "dt_signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t received_signal = 0;

static void on_stop_signal(int signo)
{
    received_signal = signo;
}

void dt_signals_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGUSR1, &action, NULL);
}

int dt_signals_received(void)
{
    return (int)received_signal;
}

int dt_signals_stop_agreed(MPI_Comm comm)
{
    int mine = received_signal != 0;
    int any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, comm);
    return any;
}
