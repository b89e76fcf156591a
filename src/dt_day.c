/* One UTC day of traffic: freeing it and small read-only helpers. */
#include "dt_day.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dt_day_free(dt_day *d)
{
    if (!d)
        return;
    free(d->active_ip);
    free(d->active_packets);
    free(d->active_mirai);
    free(d->services);
    free(d->sentence_start);
    free(d->words);
    free(d->sentence_service);
    free(d->sender_service_start);
    free(d->sender_service);
    free(d->sender_service_packets);
    memset(d, 0, sizeof *d);
}

uint32_t dt_day_mirai_count(const dt_day *d)
{
    uint32_t count = 0;
    for (uint32_t w = 0; w < d->n_active; w++)
        count += d->active_mirai[w] != 0;
    return count;
}

/* Civil date from a day number (proleptic Gregorian), after H. Hinnant's days_from_civil
 * inverse: eras of 400 years, years starting in March so the leap day comes last. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void dt_day_format_date(int32_t day, char *buf, size_t len)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        snprintf(buf, len, "day%ld", (long)day);
    else
        snprintf(buf, len, "%04ld-%02u-%02u", (long)y, m, d);
}
