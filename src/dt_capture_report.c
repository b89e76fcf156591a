/* What the capture reader tells about bad records and damage: where, what, how many. */
#include "dt_capture_private.h"

#include "dt_log.h"

/* " of the decompressed data" when the offsets count decompressed bytes. */
static const char *offset_unit(const dt_capture *cap)
{
    return dt_gzfile_compressed(cap->gz) ? " of the decompressed data" : "";
}

/* Where the current record lies, for a message: "at byte N" for classic pcap (the record
 * header's offset), "in the block ending at byte N" for pcapng (libpcap reads pcapng
 * blocks whole, so only the end is known); "" when not even that is known. */
static void describe_record_place(dt_capture *cap, const struct pcap_pkthdr *h, char *buf,
                                  size_t size)
{
    buf[0] = '\0';
    if (cap->format != DT_CAPTURE_PCAPNG && cap->record_start_known) {
        snprintf(buf, size, " at byte %llu%s", (unsigned long long)cap->record_start,
                 offset_unit(cap));
        return;
    }

    long end = ftell(cap->stream);
    if (end < 0)
        return;
    if (cap->format == DT_CAPTURE_PCAPNG) {
        snprintf(buf, size, " in the block ending at byte %ld%s", end, offset_unit(cap));
        return;
    }

    /* After a record libpcap may have cut, ftell gives the true end of this record. */
    cap->next_start = (uint64_t)end;
    cap->next_start_known = 1;
    if (h->caplen == cap->snapshot && h->len > h->caplen)
        snprintf(buf, size, " in the record ending at byte %ld%s", end, offset_unit(cap));
    else
        snprintf(buf, size, " at byte %llu%s",
                 (unsigned long long)end - DT_PCAP_RECORD_HEADER - h->caplen, offset_unit(cap));
}

void dt_capture_skip_record(dt_capture *cap, const struct pcap_pkthdr *h, const char *problem)
{
    cap->counts.malformed++;
    if (cap->warnings >= DT_CAPTURE_WARNINGS_PER_FILE)
        return;
    cap->warnings++;

    char place[128];
    describe_record_place(cap, h, place, sizeof place);
    dt_warn("%s: packet %llu%s: %s; skipped", cap->name, (unsigned long long)cap->counts.records,
            place, problem);
}

/* Where the damage starts: the next record's offset in classic pcap, else how far libpcap
 * had read when it gave up. */
static void describe_damage_place(dt_capture *cap, char *buf, size_t size)
{
    buf[0] = '\0';
    if (cap->format != DT_CAPTURE_PCAPNG && cap->next_start_known) {
        snprintf(buf, size, " at byte %llu%s", (unsigned long long)cap->next_start,
                 offset_unit(cap));
        return;
    }
    long end = ftell(cap->stream);
    if (end >= 0)
        snprintf(buf, size, " (reading stopped at byte %ld%s)", end, offset_unit(cap));
}

static void summarize(const dt_capture *cap)
{
    if (cap->counts.malformed > cap->warnings)
        dt_warn("%s: %llu malformed records skipped in all; %llu more not shown above", cap->name,
                (unsigned long long)cap->counts.malformed,
                (unsigned long long)(cap->counts.malformed - cap->warnings));
}

dt_status dt_capture_finish(dt_capture *cap, int pcap_status)
{
    cap->ended = 1;
    const char *gz_why;
    dt_status gz_status = dt_gzfile_status(cap->gz, &gz_why);
    summarize(cap);
    if (gz_status == DT_ERR_IO || gz_status == DT_ERR_NOMEM)
        return dt_fail(gz_status, "cannot read capture %s after packet %llu: %s", cap->name,
                       (unsigned long long)cap->counts.records, gz_why);

    const char *why = NULL;
    if (gz_status != DT_OK)
        why = gz_why;
    else if (pcap_status == PCAP_ERROR)
        why = pcap_geterr(cap->pcap);
    if (!why)
        return DT_OK;

    char place[128], after[64] = "before its first packet";
    describe_damage_place(cap, place, sizeof place);
    if (cap->counts.records > 0)
        snprintf(after, sizeof after, "after packet %llu", (unsigned long long)cap->counts.records);
    cap->counts.damaged = 1;
    dt_warn("%s: damaged%s %s: %s; the %llu records before it are kept", cap->name, place, after,
            why, (unsigned long long)cap->counts.records);
    return DT_OK;
}
