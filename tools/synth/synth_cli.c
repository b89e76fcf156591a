/* Options of darktrack-synth, their checks, and the output folders. */
#include "synth_cli.h"

#include "dt_log.h"
#include "synth_addr.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "Usage: darktrack-synth [options] --out DIR\n"
    "Writes days of synthetic network-telescope captures towards a /24, with planted\n"
    "coordinated groups, and their ground truth (DIR/captures, DIR/truth).\n"
    "\n"
    "  --preset NAME         tiny, small (default) or paper\n"
    "  --out DIR             output folder (required)\n"
    "  --seed N              random seed (default 1); the same seed gives the same bytes\n"
    "  --days N              days to generate (default: the preset's)\n"
    "  --start YYYY-MM-DD    first UTC day (default 2021-06-01)\n"
    "  --files-per-day N     capture files a day, 1 to 24 (default: the preset's)\n"
    "  --gzip[=all|some]     compress all capture files, or every other one\n"
    "  --linktype ether|raw  link layer of the captures (default ether)\n"
    "  --telescope A.B.C.0   the monitored /24 (default 203.0.113.0)\n"
    "  --scanners FILE       ip,class list to draw scanner subnets from, or 'none'\n"
    "                        (default $DT_SHARED_DIR/data/scanners-ground-truth.csv,\n"
    "                        else ../shared/data/scanners-ground-truth.csv)\n"
    "  -q, --quiet           errors only\n"
    "  -v, --verbose         more detail\n"
    "  -h, --help            this text\n";

enum {
    OPT_PRESET = 256,
    OPT_SEED,
    OPT_DAYS,
    OPT_START,
    OPT_FILES,
    OPT_GZIP,
    OPT_LINK,
    OPT_TELESCOPE,
    OPT_SCANNERS,
    OPT_OUT
};

static const struct option long_options[] = {{"preset", required_argument, NULL, OPT_PRESET},
                                             {"out", required_argument, NULL, OPT_OUT},
                                             {"seed", required_argument, NULL, OPT_SEED},
                                             {"days", required_argument, NULL, OPT_DAYS},
                                             {"start", required_argument, NULL, OPT_START},
                                             {"files-per-day", required_argument, NULL, OPT_FILES},
                                             {"gzip", optional_argument, NULL, OPT_GZIP},
                                             {"linktype", required_argument, NULL, OPT_LINK},
                                             {"telescope", required_argument, NULL, OPT_TELESCOPE},
                                             {"scanners", required_argument, NULL, OPT_SCANNERS},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"verbose", no_argument, NULL, 'v'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};

static char default_scanners[4096];

/* Parses a whole decimal number in [lo, hi]. */
static dt_status parse_number(const char *option, const char *text, unsigned long long lo,
                              unsigned long long hi, unsigned long long *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno != 0 || v < lo || v > hi)
        return dt_fail(DT_ERR_USAGE, "--%s: expected a whole number from %llu to %llu, got '%s'",
                       option, lo, hi, text);
    *value = v;
    return DT_OK;
}

static const char *scanners_default(void)
{
    const char *shared = getenv("DT_SHARED_DIR");
    snprintf(default_scanners, sizeof default_scanners, "%s/data/scanners-ground-truth.csv",
             shared && shared[0] ? shared : "../shared");
    return default_scanners;
}

static dt_status set_defaults(synth_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->preset = *synth_preset_find("small");
    cfg->seed = 1;
    synth_parse_date("2021-06-01", &cfg->start_day);
    synth_addr_parse("203.0.113.0", &cfg->telescope);
    cfg->linktype = DLT_EN10MB;
    cfg->scanners_path = scanners_default();
    return DT_OK;
}

static dt_status parse_gzip(const char *value, synth_config *cfg)
{
    if (value == NULL || strcmp(value, "all") == 0)
        cfg->gzip_mode = SYNTH_GZIP_ALL;
    else if (strcmp(value, "some") == 0)
        cfg->gzip_mode = SYNTH_GZIP_SOME;
    else
        return dt_fail(DT_ERR_USAGE, "--gzip: expected 'all' or 'some', got '%s'", value);
    return DT_OK;
}

static dt_status parse_telescope(const char *value, synth_config *cfg)
{
    if (!synth_addr_parse(value, &cfg->telescope) || (cfg->telescope & 0xff) != 0)
        return dt_fail(DT_ERR_USAGE, "--telescope: expected a /24 such as 203.0.113.0, got '%s'",
                       value);
    return DT_OK;
}

/* Options whose effect depends on the preset wait until the preset is known. */
typedef struct {
    const char *days, *files;
} late_options;

static dt_status parse_one(int opt, const char *arg, synth_config *cfg, late_options *late,
                           dt_log_level *level)
{
    unsigned long long v = 0;
    const synth_preset *p;
    switch (opt) {
    case OPT_PRESET:
        if ((p = synth_preset_find(arg)) == NULL)
            return dt_fail(DT_ERR_USAGE, "--preset: expected tiny, small or paper, got '%s'", arg);
        cfg->preset = *p;
        return DT_OK;
    case OPT_OUT:
        cfg->out_dir = arg;
        return DT_OK;
    case OPT_SEED:
        DT_CHECK(parse_number("seed", arg, 0, UINT64_MAX, &v));
        cfg->seed = v;
        return DT_OK;
    case OPT_DAYS:
        late->days = arg;
        return DT_OK;
    case OPT_FILES:
        late->files = arg;
        return DT_OK;
    case OPT_START:
        if (!synth_parse_date(arg, &cfg->start_day))
            return dt_fail(DT_ERR_USAGE, "--start: expected a date YYYY-MM-DD, got '%s'", arg);
        return DT_OK;
    case OPT_GZIP:
        return parse_gzip(arg, cfg);
    case OPT_LINK:
        if (strcmp(arg, "ether") != 0 && strcmp(arg, "raw") != 0)
            return dt_fail(DT_ERR_USAGE, "--linktype: expected ether or raw, got '%s'", arg);
        cfg->linktype = strcmp(arg, "raw") == 0 ? DLT_RAW : DLT_EN10MB;
        return DT_OK;
    case OPT_TELESCOPE:
        return parse_telescope(arg, cfg);
    case OPT_SCANNERS:
        cfg->scanners_path = strcmp(arg, "none") == 0 ? NULL : arg;
        return DT_OK;
    case 'q':
        *level = DT_LOG_ERROR;
        return DT_OK;
    case 'v':
        *level = *level < DT_LOG_INFO ? DT_LOG_INFO : *level + 1;
        return DT_OK;
    default:
        return dt_fail(DT_ERR_USAGE, "unknown or incomplete option");
    }
}

static dt_status apply_late(const late_options *late, synth_config *cfg)
{
    unsigned long long v = 0;
    if (late->days != NULL) {
        DT_CHECK(parse_number("days", late->days, 1, 366, &v));
        cfg->preset.days = (int)v;
    }
    if (late->files != NULL) {
        DT_CHECK(parse_number("files-per-day", late->files, 1, 24, &v));
        cfg->preset.files_per_day = (int)v;
    }
    if (cfg->out_dir == NULL)
        return dt_fail(DT_ERR_USAGE, "--out DIR is required");
    return DT_OK;
}

dt_status synth_cli_parse(int argc, char **argv, synth_config *cfg, int *exit_now)
{
    DT_CHECK(set_defaults(cfg));
    late_options late = {NULL, NULL};
    dt_log_level level = DT_LOG_INFO;
    opterr = 0;

    int opt;
    while ((opt = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            *exit_now = 1;
            return DT_OK;
        }
        if (opt == '?')
            return dt_fail(DT_ERR_USAGE, "unknown option or missing value: '%s'", argv[optind - 1]);
        DT_CHECK(parse_one(opt, optarg, cfg, &late, &level));
    }
    if (optind < argc)
        return dt_fail(DT_ERR_USAGE, "unexpected argument '%s'", argv[optind]);
    dt_log_init(level > DT_LOG_TRACE ? DT_LOG_TRACE : level, 0);
    return apply_late(&late, cfg);
}

/* Creates path and its missing parents, as mkdir -p does. */
static dt_status make_dir(const char *path)
{
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    struct stat st;
    if (slash != NULL && slash != parent) {
        *slash = '\0';
        if (stat(parent, &st) != 0)
            DT_CHECK(make_dir(parent));
    }

    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return dt_fail(DT_ERR_IO, "%s: cannot create folder: %s", path, strerror(errno));
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return dt_fail(DT_ERR_IO, "%s: exists and is not a folder", path);
    return DT_OK;
}

static int is_our_capture(const char *name)
{
    size_t n = strlen(name);
    if (strncmp(name, "telescope-", 10) != 0)
        return 0;
    return (n > 5 && strcmp(name + n - 5, ".pcap") == 0) ||
           (n > 8 && strcmp(name + n - 8, ".pcap.gz") == 0);
}

/* Removes an earlier run's captures so that a shorter run leaves no stale days behind. */
static dt_status remove_old_captures(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return dt_fail(DT_ERR_IO, "%s: cannot list: %s", dir, strerror(errno));
    dt_status st = DT_OK;
    struct dirent *e;
    while (st == DT_OK && (e = readdir(d)) != NULL) {
        if (!is_our_capture(e->d_name))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0)
            st = dt_fail(DT_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
    }
    closedir(d);
    return st;
}

dt_status synth_prepare_output(const synth_config *cfg, char *captures, size_t captures_size,
                               char *truth, size_t truth_size)
{
    if ((size_t)snprintf(captures, captures_size, "%s/captures", cfg->out_dir) >= captures_size ||
        (size_t)snprintf(truth, truth_size, "%s/truth", cfg->out_dir) >= truth_size)
        return dt_fail(DT_ERR_USAGE, "--out: the path '%s' is too long", cfg->out_dir);
    DT_CHECK(make_dir(cfg->out_dir));
    DT_CHECK(make_dir(captures));
    DT_CHECK(make_dir(truth));
    return remove_old_captures(captures);
}
