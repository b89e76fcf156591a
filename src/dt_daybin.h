/* Routing packets to the builders of their UTC days, and handing each finished day over
 * in day order. */
#ifndef DT_DAYBIN_H
#define DT_DAYBIN_H

#include "dt_day.h"
#include "dt_daybuild.h"
#include "dt_packet.h"
#include "dt_status.h"

#include <stdint.h>

/* Receives a finished day. It may keep the day by moving the struct out and zeroing *day;
 * whatever is left in *day is freed when it returns. An error stops the ingest. */
typedef dt_status (*dt_day_sink)(void *ctx, dt_day *day);

/* Days open at once. A day is handed over early when a packet needs a new day and this many
 * are open; a later packet of it is then late. */
enum { DT_DAYBIN_MAX_OPEN = 4 };

typedef struct dt_daybin dt_daybin;

/* A binner handing days to sink(ctx, day); params->day is ignored. Errors: DT_ERR_USAGE for
 * bad parameters, DT_ERR_NOMEM. */
dt_status dt_daybin_new(const dt_daybuild_params *params, dt_day_sink sink, void *ctx,
                        dt_daybin **out);

/* Announces that the next packets come from a file whose first packet is at first_ts_ns,
 * with files taken in order of their first timestamps: every open day that ends at or
 * before it has all its packets, and is handed over. Errors: those of the sink. */
dt_status dt_daybin_begin_file(dt_daybin *bin, int64_t first_ts_ns);

/* Adds a packet to the day of its timestamp. A packet of a day already handed over is
 * counted as late and otherwise dropped. Errors: DT_ERR_NOMEM, those of the sink. */
dt_status dt_daybin_add(dt_daybin *bin, const dt_packet *pkt);

/* Late packets since the previous call (for a per-file warning). */
uint64_t dt_daybin_take_late(dt_daybin *bin);

/* Late packets in all. */
uint64_t dt_daybin_late_total(const dt_daybin *bin);

/* Days handed over so far. */
uint64_t dt_daybin_days(const dt_daybin *bin);

/* Hands every open day over, in day order. Errors: those of the sink. */
dt_status dt_daybin_finish(dt_daybin *bin);

/* Frees the binner and any day still open (without handing it over); NULL is accepted. */
void dt_daybin_free(dt_daybin *bin);

#endif
