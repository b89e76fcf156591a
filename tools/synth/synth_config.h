/* Presets and run settings of the synthetic telescope. */
#ifndef SYNTH_CONFIG_H
#define SYNTH_CONFIG_H

#include <stdint.h>

/* The size of a scenario. Counts are per day unless said otherwise. */
typedef struct {
    const char *name;
    int days;                /* days generated */
    int files_per_day;       /* capture files a day, each a contiguous range of hours */
    int scan_groups;         /* scanner groups present from the first day (at least 8) */
    int udp_groups;          /* how many of those scan UDP rather than TCP */
    int scan_min, scan_max;  /* members of a scanner group */
    double pkts_lo, pkts_hi; /* packets per member a day, drawn log-uniformly per group */
    int mirai_bots;          /* Mirai-like bots present a day, on average */
    int gre_peak;            /* GRE backscatter victims on the busiest day */
    int icmp_peak;           /* ICMP backscatter victims on the busiest day */
    int noise_senders;       /* short-lived senders a day */
    double noise_active;     /* share of them sending more than 5 packets */
} synth_preset;

enum { SYNTH_GZIP_NONE = 0, SYNTH_GZIP_SOME = 1, SYNTH_GZIP_ALL = 2 };

/* Everything one run needs, resolved from the command line. */
typedef struct {
    synth_preset preset; /* with --days and --files-per-day applied */
    uint64_t seed;
    int64_t start_day;  /* first day, days since 1970-01-01 (UTC) */
    uint32_t telescope; /* the monitored /24, host order, low byte 0 */
    int gzip_mode;      /* SYNTH_GZIP_* */
    int linktype;       /* DLT_EN10MB or DLT_RAW */
    const char *out_dir;
    const char *scanners_path; /* NULL: built-in subnets only */
} synth_config;

/* The preset called name (tiny, small, paper), or NULL. */
const synth_preset *synth_preset_find(const char *name);

/* Writes the date of day (days since 1970-01-01) as YYYY-MM-DD into buf (>= 11 bytes). */
void synth_format_date(int64_t day, char *buf, unsigned size);

/* Parses YYYY-MM-DD into days since 1970-01-01; returns 1 on success. */
int synth_parse_date(const char *text, int64_t *day);

#endif
