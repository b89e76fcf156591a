/* The capture reader's state, shared by dt_capture.c and dt_capture_report.c only. */
#ifndef DT_CAPTURE_PRIVATE_H
#define DT_CAPTURE_PRIVATE_H

#include "dt_capture.h"
#include "dt_gzfile.h"

#include <pcap/pcap.h>

#include <stdio.h>

typedef enum {
    DT_CAPTURE_PCAP_US, /* classic pcap, microsecond timestamps */
    DT_CAPTURE_PCAP_NS, /* classic pcap, nanosecond timestamps */
    DT_CAPTURE_PCAPNG
} dt_capture_format;

/* Classic pcap: the file header, and the header in front of every record (bytes). */
enum { DT_PCAP_FILE_HEADER = 24, DT_PCAP_RECORD_HEADER = 16 };

struct dt_capture {
    pcap_t *pcap;
    FILE *stream;  /* owned by pcap once it is open */
    dt_gzfile *gz; /* owned by stream */
    char *path;    /* as given */
    char *name;    /* what messages call it */
    int dlt;
    dt_capture_format format;
    uint32_t snapshot;
    struct bpf_program filter;
    int has_filter;

    /* Classic pcap only: where the current record and the next one start in the
     * (decompressed) data. libpcap silently cuts a record longer than the snapshot length
     * and skips its tail, so after a record that may have been cut the offsets are
     * unknown until ftell resynchronizes them (only when a message needs one). */
    uint64_t record_start;
    uint64_t next_start;
    int record_start_known;
    int next_start_known;

    dt_capture_counts counts;
    uint64_t warnings; /* record warnings printed */
    int ended;

    dt_packet peeked;
    int has_peeked;
};

/* Counts the current record as malformed and warns about it (only the first
 * DT_CAPTURE_WARNINGS_PER_FILE of a file). */
void dt_capture_skip_record(dt_capture *cap, const struct pcap_pkthdr *h, const char *problem);

/* Ends the file once libpcap stopped (status: its pcap_next_ex result). Damage after good
 * records is a warning and sets counts.damaged; a read error that loses data is returned.
 * Prints the summary of warnings not shown. */
dt_status dt_capture_finish(dt_capture *cap, int pcap_status);

#endif
