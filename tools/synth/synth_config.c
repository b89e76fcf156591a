/* The presets (tiny for tests, small for the demo, paper for Table 1's scale) and dates. */
#include "synth_config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Sizes are chosen so that a day of `paper` has about 45,000 senders, 8,000 of them active,
 * and about 2 million packets (the paper's Section 2.1 and Table 1); docs/synthetic-
 * telescope.md shows the numbers each preset gives. */
static const synth_preset presets[] = {
    {"tiny", 6, 4, 8, 1, 12, 22, 8.0, 40.0, 50, 40, 20, 300, 0.10},
    {"small", 8, 24, 12, 2, 15, 80, 30.0, 600.0, 600, 150, 40, 3900, 0.15},
    {"paper", 20, 24, 24, 4, 20, 250, 80.0, 3500.0, 3000, 700, 150, 39500, 0.10},
};

const synth_preset *synth_preset_find(const char *name)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    }
    return NULL;
}

void synth_format_date(int64_t day, char *buf, unsigned size)
{
    time_t seconds = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&seconds, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
}

int synth_parse_date(const char *text, int64_t *day)
{
    int year, month, mday, used = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &year, &month, &mday, &used) != 3 || text[used] != '\0')
        return 0;
    if (year < 1970 || year > 2100 || month < 1 || month > 12 || mday < 1 || mday > 31)
        return 0;

    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = mday;
    time_t seconds = timegm(&tm);

    /* timegm normalises 2021-02-30 into March: reject dates that moved. */
    struct tm back;
    gmtime_r(&seconds, &back);
    if (back.tm_mday != mday || back.tm_mon != month - 1)
        return 0;
    *day = (int64_t)seconds / 86400;
    return 1;
}
