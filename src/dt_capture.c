/* Reading captures with libpcap through one zlib stream: open, filter, next packet, close. */
#include "dt_capture.h"

#include "dt_capture_private.h"
#include "dt_decode.h"
#include "dt_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NS_PER_SECOND 1000000000LL

/* Seconds whose nanosecond count still fits in an int64_t (about the years 1678 to 2262). */
#define MAX_ABS_SECONDS (INT64_MAX / NS_PER_SECOND - 1)

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

/* The format from the magic number, since libpcap hides it (pcap_major_version gives a
 * pcapng section's version) and a microsecond file's raw fraction differs from ours. */
static dt_capture_format detect_format(const dt_gzfile *gz)
{
    uint8_t head[4];
    if (dt_gzfile_head(gz, head) < 4)
        return DT_CAPTURE_PCAP_US;
    uint32_t magic = (uint32_t)head[0] | (uint32_t)head[1] << 8 | (uint32_t)head[2] << 16 |
                     (uint32_t)head[3] << 24;
    if (magic == 0x0A0D0D0Au)
        return DT_CAPTURE_PCAPNG;
    if (magic == 0xA1B23C4Du || magic == 0x4D3CB2A1u)
        return DT_CAPTURE_PCAP_NS;
    return DT_CAPTURE_PCAP_US;
}

/* Why libpcap could not open the stream: a read error, damaged gzip, or not a capture. */
static dt_status open_failure(const dt_capture *cap, const char *pcap_reason)
{
    const char *why;
    dt_status st = dt_gzfile_status(cap->gz, &why);
    if (st == DT_ERR_IO || st == DT_ERR_NOMEM)
        return dt_fail(st, "cannot read capture %s: %s", cap->name, why);
    if (st != DT_OK)
        return dt_fail(DT_ERR_FORMAT, "%s is not a readable capture: %s", cap->name, why);
    return dt_fail(DT_ERR_FORMAT, "%s cannot be read as a pcap or pcapng capture: %s", cap->name,
                   pcap_reason);
}

/* Compiles the filter for this file's link type; records are filtered in dt_capture_next
 * (pcap_offline_filter) rather than inside libpcap, so that record numbers, byte offsets
 * and the filtered count stay exact. */
static dt_status compile_filter(dt_capture *cap, const char *bpf)
{
    if (pcap_compile(cap->pcap, &cap->filter, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        const char *link = pcap_datalink_val_to_name(cap->dlt);
        return dt_fail(DT_ERR_USAGE, "bad BPF filter \"%s\" (for %s, link type %s): %s", bpf,
                       cap->name, link ? link : "unknown", pcap_geterr(cap->pcap));
    }
    cap->has_filter = 1;
    return DT_OK;
}

static dt_status start_reading(dt_capture *cap, const char *bpf)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    cap->pcap =
        pcap_fopen_offline_with_tstamp_precision(cap->stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!cap->pcap)
        return open_failure(cap, errbuf);

    cap->dlt = pcap_datalink(cap->pcap);
    cap->snapshot = (uint32_t)pcap_snapshot(cap->pcap);
    cap->format = detect_format(cap->gz);
    cap->next_start = DT_PCAP_FILE_HEADER;
    cap->next_start_known = 1;
    if (bpf && bpf[0])
        DT_CHECK(compile_filter(cap, bpf));

    static const char *const format_names[] = {"pcap (microseconds)", "pcap (nanoseconds)",
                                               "pcapng"};
    const char *link = pcap_datalink_val_to_name(cap->dlt);
    dt_debug("%s: %s%s, link type %s (%d), snapshot length %u", cap->name,
             format_names[cap->format], dt_gzfile_compressed(cap->gz) ? ", gzip" : "",
             link ? link : "unknown", cap->dlt, cap->snapshot);
    return DT_OK;
}

dt_status dt_capture_open_fd(int fd, const char *name, const char *bpf, dt_capture **out)
{
    dt_status st = DT_OK;
    *out = NULL;
    dt_capture *cap = calloc(1, sizeof *cap);
    if (!cap) {
        close(fd);
        return dt_fail(DT_ERR_NOMEM, "out of memory opening capture %s", name);
    }

    DT_CHECK_GOTO(st, dt_gzfile_fdopen(fd, &cap->stream, &cap->gz));
    cap->path = copy_string(name);
    cap->name = copy_string(strcmp(name, "-") == 0 ? "standard input" : name);
    if (!cap->path || !cap->name) {
        st = dt_fail(DT_ERR_NOMEM, "out of memory opening capture %s", name);
        goto out;
    }
    DT_CHECK_GOTO(st, start_reading(cap, bpf));

out:
    if (st != DT_OK)
        dt_capture_close(cap);
    else
        *out = cap;
    return st;
}

dt_status dt_capture_open(const char *path, const char *bpf, dt_capture **out)
{
    *out = NULL;
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dt_fail(DT_ERR_IO, "cannot open capture %s: %s",
                       from_stdin ? "standard input" : path, strerror(errno));

    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return dt_fail(DT_ERR_IO, "cannot read capture %s: it is a directory", path);
    }
    DT_CHECK(dt_capture_open_fd(fd, path, bpf, out));
    return DT_OK;
}

/* Rejects records whose header is impossible; libpcap passes them through unchanged. */
static int record_is_plausible(dt_capture *cap, const struct pcap_pkthdr *h)
{
    char problem[160];
    long long frac = (long long)h->ts.tv_usec;
    if (h->caplen == 0) {
        snprintf(problem, sizeof problem, "captured length is 0");
    } else if (h->caplen > h->len) {
        snprintf(problem, sizeof problem, "captured length %u exceeds the original length %u",
                 h->caplen, h->len);
    } else if (frac < 0 || frac >= NS_PER_SECOND) {
        /* We ask for nanoseconds: libpcap multiplies a microsecond field by 1000. */
        if (cap->format == DT_CAPTURE_PCAP_US)
            snprintf(problem, sizeof problem,
                     "timestamp microseconds field %u is not below 1000000",
                     (uint32_t)(frac / 1000));
        else
            snprintf(problem, sizeof problem,
                     "timestamp nanoseconds field %u is not below 1000000000", (uint32_t)frac);
    } else if ((long long)h->ts.tv_sec > MAX_ABS_SECONDS ||
               (long long)h->ts.tv_sec < -MAX_ABS_SECONDS) {
        snprintf(problem, sizeof problem, "timestamp %lld s is out of range",
                 (long long)h->ts.tv_sec);
    } else {
        return 1;
    }
    dt_capture_skip_record(cap, h, problem);
    return 0;
}

/* Advances the classic-pcap offsets past the record just returned. */
static inline void track_offsets(dt_capture *cap, const struct pcap_pkthdr *h)
{
    cap->record_start = cap->next_start;
    cap->record_start_known = cap->next_start_known;
    cap->next_start += DT_PCAP_RECORD_HEADER + (uint64_t)h->caplen;
    if (h->caplen == cap->snapshot && h->len > h->caplen)
        cap->next_start_known = 0;
}

/* Decodes one record that passed the checks and the filter; 1 when it gave *pkt. */
static int take_record(dt_capture *cap, const struct pcap_pkthdr *h, const uint8_t *data,
                       dt_packet *pkt)
{
    dt_decode_issue issue;
    switch (dt_decode_frame(cap->dlt, data, h->caplen, pkt, &issue)) {
    case DT_DECODE_IPV4_FRAGMENT:
        cap->counts.fragments++;
        break;
    case DT_DECODE_IPV4:
        break;
    case DT_DECODE_IPV6:
        cap->counts.ipv6++;
        return 0;
    case DT_DECODE_OTHER:
        cap->counts.other++;
        return 0;
    case DT_DECODE_MALFORMED: {
        char problem[160];
        dt_capture_skip_record(cap, h, dt_decode_describe(&issue, problem, sizeof problem));
        return 0;
    }
    }
    cap->counts.ipv4++;
    pkt->ts_ns = (int64_t)h->ts.tv_sec * NS_PER_SECOND + (int64_t)h->ts.tv_usec;
    return 1;
}

static dt_status read_packet(dt_capture *cap, dt_packet *pkt, int *got)
{
    *got = 0;
    while (!cap->ended) {
        struct pcap_pkthdr *h;
        const u_char *data;
        int rc = pcap_next_ex(cap->pcap, &h, &data);
        if (rc != 1) {
            DT_CHECK(dt_capture_finish(cap, rc));
            break;
        }

        cap->counts.records++;
        track_offsets(cap, h);
        if (!record_is_plausible(cap, h))
            continue;
        if (cap->has_filter && !pcap_offline_filter(&cap->filter, h, data)) {
            cap->counts.filtered++;
            continue;
        }
        if (take_record(cap, h, data, pkt)) {
            *got = 1;
            break;
        }
    }
    return DT_OK;
}

dt_status dt_capture_next(dt_capture *cap, dt_packet *pkt, int *got)
{
    if (cap->has_peeked) {
        *pkt = cap->peeked;
        cap->has_peeked = 0;
        *got = 1;
        return DT_OK;
    }
    DT_CHECK(read_packet(cap, pkt, got));
    return DT_OK;
}

dt_status dt_capture_peek_time(dt_capture *cap, int64_t *ts_ns, int *has)
{
    if (!cap->has_peeked)
        DT_CHECK(read_packet(cap, &cap->peeked, &cap->has_peeked));
    *has = cap->has_peeked;
    *ts_ns = cap->has_peeked ? cap->peeked.ts_ns : 0;
    return DT_OK;
}

const dt_capture_counts *dt_capture_get_counts(const dt_capture *cap)
{
    return &cap->counts;
}

const char *dt_capture_path(const dt_capture *cap)
{
    return cap->path;
}

int dt_capture_link_type(const dt_capture *cap)
{
    return cap->dlt;
}

void dt_capture_close(dt_capture *cap)
{
    if (!cap)
        return;
    if (cap->has_filter)
        pcap_freecode(&cap->filter);
    if (cap->pcap)
        pcap_close(cap->pcap); /* closes the stream too */
    else if (cap->stream)
        fclose(cap->stream);
    free(cap->path);
    free(cap->name);
    free(cap);
}
