/* Hand-built day records with planted values, for the history tests (mirrored in Python by
 * check_history_contract.py, so both sides know what the file must hold). */
#ifndef HISTORY_FIXTURE_H
#define HISTORY_FIXTURE_H

#include "dt_record.h"

#include <stddef.h>

/* Day k of the fixture: 2026-01-01 plus k, with senders + 3k senders spread over 5 + k mod 3
 * clusters and noise; on day 4 every sender is noise and there are no clusters and no
 * transitions. dim > 0 adds embeddings. */
typedef struct {
    dt_day_record record;
    uint32_t *ip;
    int32_t *packets;
    int32_t *cluster;
    float *embedding;
    dt_cluster_row *clusters;
    dt_transition *transitions;
} fixture_day;

enum { FIXTURE_FIRST_DAY = 20454 };

/* Fills *out (arrays owned by it); returns 0 on success. */
int fixture_make(int k, int senders, int dim, fixture_day *out);
void fixture_free(fixture_day *d);

/* 1 when two records hold the same data (NaN equals NaN); prints the first difference. */
int fixture_same(const dt_day_record *a, const dt_day_record *b);

#endif
