/* Reading telescope captures: pcap or pcapng, gzip-compressed or not, any IPv4 link type. */
#ifndef DT_CAPTURE_H
#define DT_CAPTURE_H

#include "dt_packet.h"
#include "dt_status.h"

#include <stdint.h>

typedef struct dt_capture dt_capture;

/* What a capture held, counted as it is read. */
typedef struct {
    uint64_t records;   /* records returned by libpcap */
    uint64_t ipv4;      /* IPv4 packets decoded into dt_packet */
    uint64_t ipv6;      /* IPv6 packets, counted and skipped */
    uint64_t other;     /* other link-layer payloads (ARP, ...), counted and skipped */
    uint64_t filtered;  /* records the BPF filter dropped (libpcap does not count them:
                           this stays 0 unless the reader can tell) */
    uint64_t fragments; /* IPv4 fragments other than the first, decoded without ports */
    uint64_t malformed; /* records skipped as impossible (bad caplen, timestamp, IHL,
                           unknown link type, truncated headers) */
    int damaged;        /* 1 when the file ended in damage after its last good record */
} dt_capture_counts;

/* Opens a capture file ("-" for standard input). A file that is not a capture at all is
 * DT_ERR_FORMAT naming the file; bpf may be NULL. */
dt_status dt_capture_open(const char *path, const char *bpf, dt_capture **out);

/* The next IPv4 packet: *got = 1 and *pkt filled, or *got = 0 at the end. Impossible
 * records are skipped with a warning naming file, packet number and byte offset; damage
 * ends the file after every good packet before it was returned, with a warning, and sets
 * counts.damaged. Returns an error only for failures that lose data (I/O errors). */
dt_status dt_capture_next(dt_capture *cap, dt_packet *pkt, int *got);

/* Timestamp of the first record, without consuming it (for ordering files); *has = 0 for
 * a capture without records. */
dt_status dt_capture_peek_time(dt_capture *cap, int64_t *ts_ns, int *has);

const dt_capture_counts *dt_capture_get_counts(const dt_capture *cap);
const char *dt_capture_path(const dt_capture *cap);

/* Closes; NULL is accepted. */
void dt_capture_close(dt_capture *cap);

#endif
