/* The ground truth of a synthetic telescope: groups, events, senders and daily counts. */
#ifndef SYNTH_TRUTH_H
#define SYNTH_TRUTH_H

#include "synth_plan.h"
#include "synth_summary.h"

#include <stdio.h>

/* The open per-day truth files (senders.csv, summary.csv) of one run. */
typedef struct {
    FILE *senders;
    FILE *summary;
    char dir[4096];
} synth_truth;

/* Writes groups.csv and events.csv into dir and opens the per-day files with their
 * header lines. Errors name the file. Close with synth_truth_close. */
dt_status synth_truth_open(synth_truth *truth, const char *dir, const synth_config *cfg,
                           const synth_plan *plan);

/* Appends day `day`'s senders and counts. */
dt_status synth_truth_day(synth_truth *truth, const synth_config *cfg, const synth_plan *plan,
                          int day, const synth_day_summary *summary);

/* Closes the files; reports a write error that only shows at close. Safe to call twice. */
dt_status synth_truth_close(synth_truth *truth);

#endif
