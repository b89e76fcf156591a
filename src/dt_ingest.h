/* Reading many captures into days: plan by first timestamp, stream, bin by UTC day, and
 * hand each finished day over in day order. MPI-free; runs on one process. */
#ifndef DT_INGEST_H
#define DT_INGEST_H

#include "dt_daybin.h"
#include "dt_daybuild.h"
#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    dt_daybuild_params day; /* corpus parameters; .day is ignored */
    const char *bpf;        /* BPF filter for every capture, NULL for none */
} dt_ingest_options;

/* What a run read, summed over its captures (the reader's counts) and its days. */
typedef struct {
    uint64_t files;         /* captures read */
    uint64_t empty_files;   /* captures without any record */
    uint64_t damaged_files; /* captures that ended in damage after their good records */
    uint64_t records;       /* records libpcap returned */
    uint64_t ipv4;          /* IPv4 packets decoded */
    uint64_t ipv6;          /* IPv6 packets skipped */
    uint64_t other;         /* other link-layer payloads skipped */
    uint64_t fragments;     /* non-first IPv4 fragments (kept, without ports) */
    uint64_t malformed;     /* records skipped as impossible */
    uint64_t late;          /* IPv4 packets of a day already handed over (in no day) */
    uint64_t days;          /* days handed over */
    double seconds;         /* wall time of the run */
} dt_ingest_totals;

/* Reads the captures named by args (files, directories, "-"; see dt_inputs_expand) and
 * calls sink for every day that has packets, in increasing day order.
 *
 * Every capture is opened and its first timestamp read before any packet is binned, so a
 * file that is not a capture (DT_ERR_FORMAT) or cannot be opened (DT_ERR_IO) stops the run,
 * with the file named, before any day is handed over. Captures are then read in order of
 * first timestamp (then path). A day is handed over once every capture starting before its
 * end has been read, or when more than DT_DAYBIN_MAX_OPEN days would be open. Packets of a
 * day already handed over are counted in totals->late, with one warning per capture. A
 * damaged capture keeps its good packets and the run continues (the reader warns).
 * totals (may be NULL) is filled as far as the run got, also on error. Runs on the rank
 * that logs (rank 0): it quiets warnings while planning, since streaming repeats them. */
dt_status dt_ingest_run(char *const *args, size_t n_args, const dt_ingest_options *opt,
                        dt_day_sink sink, void *ctx, dt_ingest_totals *totals);

#endif
