/* The presets (tiny for tests, small for the demo, paper for Table 1's scale) and dates. */
#include "synth_config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Sizes are chosen so that a day of `paper` has about 45,000 senders, 8,000 of them active,
 * and about 2 million packets (the paper's Section 2.1 and Table 1); docs/synthetic-
 * telescope.md shows the numbers each preset gives. */
static const synth_preset presets[] = {
    {.name = "tiny",
     .days = 6,
     .files_per_day = 4,
     .scan_groups = 8,
     .udp_groups = 1,
     .scan_min = 12,
     .scan_max = 22,
     .pkts_lo = 8.0,
     .pkts_hi = 40.0,
     .mirai_bots = 50,
     .gre_peak = 40,
     .icmp_peak = 30,
     .noise_senders = 300,
     .noise_active = 0.10},
    {.name = "small",
     .days = 8,
     .files_per_day = 24,
     .scan_groups = 12,
     .udp_groups = 2,
     .scan_min = 15,
     .scan_max = 80,
     .pkts_lo = 40.0,
     .pkts_hi = 1000.0,
     .mirai_bots = 600,
     .gre_peak = 150,
     .icmp_peak = 40,
     .noise_senders = 3900,
     .noise_active = 0.15},
    {.name = "paper",
     .days = 20,
     .files_per_day = 24,
     .scan_groups = 24,
     .udp_groups = 4,
     .scan_min = 20,
     .scan_max = 250,
     .pkts_lo = 80.0,
     .pkts_hi = 3500.0,
     .mirai_bots = 3000,
     .gre_peak = 700,
     .icmp_peak = 150,
     .noise_senders = 39500,
     .noise_active = 0.10},
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
