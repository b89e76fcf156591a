/* Writes a fixture history for the Python contract checks and the report tests:
 * history_fixture_write PATH DAYS SENDERS DIM. */
#include "dt_history.h"
#include "history_fixture.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: history_fixture_write PATH DAYS SENDERS DIM\n");
        return 2;
    }
    int days = (int)strtol(argv[2], NULL, 10);
    int senders = (int)strtol(argv[3], NULL, 10);
    int dim = (int)strtol(argv[4], NULL, 10);

    dt_params p;
    dt_params_defaults(&p);
    p.save_embeddings = dim > 0;
    if (dim > 0)
        p.dim = dim;
    dt_history_run run = {2, "history_fixture_write", "fixture", "censys,mirai,shodan"};
    dt_history *h = NULL;
    dt_status st = dt_history_open(argv[1], &p, &run, &h);
    for (int k = 0; st == DT_OK && k < days; k++) {
        fixture_day d;
        if (fixture_make(k, senders, dim, &d) != 0)
            return 5;
        if (!dt_history_has_day(h, d.record.day))
            st = dt_history_commit(h, &d.record);
        fixture_free(&d);
    }
    if (st == DT_OK)
        st = dt_history_close(h);
    if (st != DT_OK)
        fprintf(stderr, "history_fixture_write: %s\n", dt_error_message());
    return (int)st;
}
