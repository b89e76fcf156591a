/* Scanner subnets read from a ground-truth file of acknowledged scanners (ip,class). */
#ifndef SYNTH_SCANNERS_H
#define SYNTH_SCANNERS_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/* The listed addresses of one class inside one /24. */
typedef struct {
    char cls[32];    /* the class named in the file, e.g. "censys" */
    uint32_t prefix; /* the /24, host order, low byte 0 */
    uint32_t *ips;   /* sorted ascending, owned */
    size_t n_ips;
} synth_block;

/* Every block of the file, ordered by class, then by size (largest first), then prefix. */
typedef struct {
    synth_block *blocks;
    size_t n_blocks;
} synth_scanners;

/* Reads path, a CSV with a header line and rows "a.b.c.d,class". A missing file is not
 * an error: *found is 0 and out is empty. A malformed row is DT_ERR_FORMAT naming the
 * file and line. Free out with synth_scanners_free. */
dt_status synth_scanners_load(const char *path, synth_scanners *out, int *found);

void synth_scanners_free(synth_scanners *scanners);

#endif
