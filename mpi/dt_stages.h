/* Wall-clock timing of the pipeline's stages, per day and for the whole run. */
#ifndef DT_STAGES_H
#define DT_STAGES_H

#include <mpi.h>

typedef enum {
    DT_STAGE_INGEST,
    DT_STAGE_TRAIN,
    DT_STAGE_CLUSTER,
    DT_STAGE_TRACK,
    DT_STAGE_WRITE,
    DT_STAGE_COUNT
} dt_stage;

typedef struct {
    double total[DT_STAGE_COUNT]; /* seconds over the run */
    double items[DT_STAGE_COUNT]; /* packets, words, points... over the run */
    double day[DT_STAGE_COUNT];   /* seconds of the current day */
    double started[DT_STAGE_COUNT];
} dt_stage_clock;

/* The stage's name as printed ("ingest", "train", ...). */
const char *dt_stage_name(dt_stage stage);

void dt_stage_clock_init(dt_stage_clock *clock);

/* Starts a new day: the per-day seconds go back to zero. */
void dt_stage_new_day(dt_stage_clock *clock);

void dt_stage_begin(dt_stage_clock *clock, dt_stage stage);

/* Ends the stage, adding its wall time and the items it handled (for the rate column). */
void dt_stage_end(dt_stage_clock *clock, dt_stage stage, double items);

/* Collective over comm: rank 0 prints one table on stderr with each stage's total
 * seconds (min and max over ranks), share of the run and items per second, and the
 * ranks' smallest and largest peak memory. */
void dt_stage_report(const dt_stage_clock *clock, MPI_Comm comm);

#endif
