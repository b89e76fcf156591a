/* Who sends how much on each day of the scenario. */
#ifndef SYNTH_ROLES_H
#define SYNTH_ROLES_H

#include "synth_groups.h"

/* Fills plan->roles and plan->n_roles for every day from the planned groups: scanners
 * that are alive, the churning botnet, shrinking backscatter, dissolved members turned
 * into noise, and short-lived noise. */
dt_status synth_roles_plan(synth_builder *b, synth_plan *plan);

#endif
