/* Wall-clock timing of the pipeline's stages and the table printed at the end of a run. */
#include "dt_stages.h"

#include "dt_log.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

/* Ingest covers reading, decoding, binning and building the day's corpus. */
static const char *stage_names[DT_STAGE_COUNT] = {"ingest", "train", "cluster", "track", "write"};
static const char *stage_units[DT_STAGE_COUNT] = {"packets", "words", "senders", "senders", "days"};

const char *dt_stage_name(dt_stage stage)
{
    return stage_names[stage];
}

void dt_stage_clock_init(dt_stage_clock *clock)
{
    memset(clock, 0, sizeof *clock);
}

void dt_stage_new_day(dt_stage_clock *clock)
{
    memset(clock->day, 0, sizeof clock->day);
}

void dt_stage_begin(dt_stage_clock *clock, dt_stage stage)
{
    clock->started[stage] = dt_wall_seconds();
}

void dt_stage_end(dt_stage_clock *clock, dt_stage stage, double items)
{
    double elapsed = dt_wall_seconds() - clock->started[stage];
    clock->total[stage] += elapsed;
    clock->day[stage] += elapsed;
    clock->items[stage] += items;
}

/* This process's peak resident memory in MiB (Linux reports ru_maxrss in KiB). */
static double peak_memory_mib(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    return (double)usage.ru_maxrss / 1024.0;
}

void dt_stage_report(const dt_stage_clock *clock, MPI_Comm comm)
{
    double min[DT_STAGE_COUNT], max[DT_STAGE_COUNT];
    MPI_Reduce(clock->total, min, DT_STAGE_COUNT, MPI_DOUBLE, MPI_MIN, 0, comm);
    MPI_Reduce(clock->total, max, DT_STAGE_COUNT, MPI_DOUBLE, MPI_MAX, 0, comm);
    double memory = peak_memory_mib(), memory_min = 0, memory_max = 0;
    MPI_Reduce(&memory, &memory_min, 1, MPI_DOUBLE, MPI_MIN, 0, comm);
    MPI_Reduce(&memory, &memory_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    if (!dt_log_enabled(DT_LOG_INFO))
        return;

    double run = 0;
    for (int s = 0; s < DT_STAGE_COUNT; s++)
        run += max[s];

    fprintf(stderr, "darktrack: stage timings (wall seconds, min and max over ranks)\n");
    fprintf(stderr, "  %-8s %10s %10s %7s %14s\n", "stage", "min", "max", "share", "rate");
    for (int s = 0; s < DT_STAGE_COUNT; s++) {
        double rate = max[s] > 0 ? clock->items[s] / max[s] : 0;
        fprintf(stderr, "  %-8s %10.3f %10.3f %6.1f%% %10.3g %s/s\n", stage_names[s], min[s],
                max[s], run > 0 ? 100.0 * max[s] / run : 0.0, rate, stage_units[s]);
    }
    fprintf(stderr, "  %-8s %10s %10.3f\n", "total", "", run);
    fprintf(stderr, "  peak memory per rank: %.0f to %.0f MiB\n", memory_min, memory_max);
}
