/* The main job's state and its per-day pipeline, shared by cmd_run.c and its helpers. */
#ifndef DT_RUN_H
#define DT_RUN_H

#include "dt_dca.h"
#include "dt_day.h"
#include "dt_history.h"
#include "dt_labels.h"
#include "dt_params.h"
#include "dt_stages.h"
#include "dt_status.h"
#include "dt_w2v.h"

#include <mpi.h>

/* Everything a run holds between days. Fields marked "rank 0" are NULL elsewhere. */
typedef struct {
    MPI_Comm comm;
    int rank;
    int ranks;
    const dt_params *params;
    const char *history_path;
    dt_history *history; /* rank 0 */
    dt_dca_state *dca;   /* rank 0 */
    dt_labels labels;    /* rank 0; loaded only with --ground-truth */
    int has_labels;
    dt_w2v_model *model; /* every rank: identical replicas */
    dt_stage_clock clock;
    int max_days;          /* stop after this many new days, 0 for no limit */
    int days_done;         /* new days committed by this run */
    double ingest_started; /* rank 0: when the ingest of the next day began */
} dt_run;

/* Collective: processes one day (rank 0 passes it; the others pass NULL) through
 * training, clustering, tracking and the commit. Every rank returns the same status. */
dt_status dt_run_day(dt_run *run, dt_day *day);

/* Collective: opens or creates the history on rank 0, refusing a foreign, damaged or
 * mismatched one, and restores the model (every rank) and the DCA state (rank 0) of the
 * last committed day. run_info describes the run for the history's provenance. */
dt_status dt_run_resume(dt_run *run, const dt_history_run *run_info);

/* Collective: the checks of --dry-run: the history (if it exists) accepts this run's
 * parameters and rank count, and every capture opens; nothing is written. */
dt_status dt_run_plan(const dt_run *run, char *const *args, size_t n_args);

#endif
