/* Exact core distances from the first pass's candidate lists, with an exact search where
 * the lists cannot decide. */
#ifndef DT_DIST_CORE_H
#define DT_DIST_CORE_H

#include "dt_dist_pass.h"

/* Collective over ctx's communicator, after a plain-distance pass (dt_dist_pass_run with
 * comp == NULL). Fills core[0..n) on every rank with each row's distance to its
 * (min_samples - 1)-th nearest other row (0 when min_samples is 1). A held row's value is
 * taken from its list when the list provably contains every row nearer than that value
 * (the value is below the list's k-th key minus the float margin); other rows are searched
 * exactly. *exact_count receives how many rows needed that, summed over ranks. */
dt_status dt_dist_core_compute(dt_dist_pass_ctx *ctx, int min_samples, double *core,
                               size_t *exact_count);

#endif
