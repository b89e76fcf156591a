/* Reading telescope captures: pcap or pcapng, gzip-compressed or not, any IPv4 link type. */
#ifndef DT_CAPTURE_H
#define DT_CAPTURE_H

#include "dt_packet.h"
#include "dt_status.h"

#include <stdint.h>

typedef struct dt_capture dt_capture;

/* What a capture held, counted as it is read. */
typedef struct {
    uint64_t records;   /* records libpcap returned; the sum of the five counts below
                           (ipv4, ipv6, other, filtered, malformed) */
    uint64_t ipv4;      /* IPv4 packets decoded into dt_packet */
    uint64_t ipv6;      /* IPv6 packets, counted and skipped */
    uint64_t other;     /* other link-layer payloads (ARP, ...), counted and skipped */
    uint64_t filtered;  /* records the BPF filter dropped */
    uint64_t fragments; /* IPv4 fragments other than the first, decoded without ports
                           (a part of ipv4) */
    uint64_t malformed; /* records skipped as impossible (bad caplen, timestamp, IHL,
                           unknown link type, truncated headers) */
    int damaged;        /* 1 when the file ended in damage after its last good record */
} dt_capture_counts;

/* Most warnings one file prints about single records; the rest are summed up at its end. */
#define DT_CAPTURE_WARNINGS_PER_FILE 10

/* Opens a capture file ("-" for standard input): pcap or pcapng, gzip-compressed or not,
 * timestamps read at nanosecond precision. bpf (NULL or "" for none) is a libpcap filter
 * expression applied to every record. A file that cannot be opened or read is DT_ERR_IO,
 * one that is not a capture at all DT_ERR_FORMAT, both naming the file and the reason; a
 * filter that does not compile is DT_ERR_USAGE naming the expression and libpcap's
 * message. On success *out owns the file until dt_capture_close. */
dt_status dt_capture_open(const char *path, const char *bpf, dt_capture **out);

/* The same for an open descriptor, which is owned from now on (closed on failure too);
 * name is what messages call the capture. */
dt_status dt_capture_open_fd(int fd, const char *name, const char *bpf, dt_capture **out);

/* The next IPv4 packet: *got = 1 and *pkt filled, or *got = 0 at the end. Impossible
 * records are skipped with a warning naming file, packet number and byte offset
 * (docs/reader.md says what the offset means for each format); damage ends the file after
 * every good packet before it was returned, with a warning, and sets counts.damaged.
 * Returns an error only for failures that lose data (DT_ERR_IO, DT_ERR_NOMEM). */
dt_status dt_capture_next(dt_capture *cap, dt_packet *pkt, int *got);

/* Timestamp of the IPv4 packet dt_capture_next returns next, without consuming it (for
 * ordering files); *has = 0 when no IPv4 packet is left. Errors as dt_capture_next. */
dt_status dt_capture_peek_time(dt_capture *cap, int64_t *ts_ns, int *has);

/* The counts so far; valid until dt_capture_close. */
const dt_capture_counts *dt_capture_get_counts(const dt_capture *cap);

/* The path or name the capture was opened with. */
const char *dt_capture_path(const dt_capture *cap);

/* The libpcap link type (a DLT_* value) of the capture. */
int dt_capture_link_type(const dt_capture *cap);

/* Closes; NULL is accepted. */
void dt_capture_close(dt_capture *cap);

#endif
