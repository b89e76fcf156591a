/* Builders for hand-made captures and frames, and a stderr catcher, for the reader tests. */
#ifndef READER_TESTLIB_H
#define READER_TESTLIB_H

#include "dt_capture.h"

#include <stddef.h>
#include <stdint.h>

/* A growing byte buffer; functions abort the test program when out of memory. */
typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
} tl_buf;

void tl_put(tl_buf *b, const void *data, size_t n);
void tl_put_le16(tl_buf *b, uint16_t v);
void tl_put_le32(tl_buf *b, uint32_t v);
void tl_free(tl_buf *b);

/* Classic pcap, little-endian: the file header (nano selects nanosecond timestamps) and a
 * record whose header says caplen and len but which carries the n bytes at data. */
void tl_pcap_header(tl_buf *b, int nano, uint32_t snaplen, uint32_t linktype);
void tl_pcap_record(tl_buf *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len,
                    const void *data, size_t n);
/* A record whose caplen and len are both n. */
void tl_pcap_packet(tl_buf *b, uint32_t sec, uint32_t frac, const void *data, size_t n);

/* pcapng, little-endian: section header, one interface (microsecond timestamps), and an
 * enhanced packet block; each returns the offset just past the block it wrote. */
size_t tl_pcapng_header(tl_buf *b, uint16_t linktype);
size_t tl_pcapng_packet(tl_buf *b, uint64_t usec, const void *data, size_t n);

/* An IPv4 header (ihl_words 5 to 15 32-bit words, 0 meaning 5; words past the fifth hold
 * NOP options) and a transport header: TCP (20 bytes, with seq and flags) or 8 bytes (UDP,
 * ICMP, GRE, ...) starting with the ports. frag is the whole flags+offset field. Returns
 * the bytes written to out (room for 80 needed). */
typedef struct {
    uint8_t proto;
    uint32_t src, dst;
    uint16_t sport, dport;
    uint32_t seq;
    uint8_t tcp_flags;
    uint16_t frag;
    uint8_t ihl_words;
} tl_ipv4;
size_t tl_ipv4_packet(uint8_t *out, const tl_ipv4 *ip);

/* Writes the buffer to a fresh file under /tmp (name returned in path, size >= 64); with
 * gzip_cut >= 0 the file is gzip-compressed and cut to gzip_cut bytes (SIZE_MAX: whole). */
void tl_write_file(const tl_buf *b, char *path, size_t size);
void tl_write_gzip(const tl_buf *b, size_t cut, char *path, size_t size);

/* A gzip stream of the whole buffer that stops, flushed, without its end: zlib gives every
 * byte back, then reports the stream cut short. */
void tl_write_gzip_unfinished(const tl_buf *b, char *path, size_t size);

/* Sends stderr to a file until tl_stderr_end, which returns what was written (static
 * storage, valid until the next call). */
void tl_stderr_begin(void);
const char *tl_stderr_end(void);

/* Reads every packet of path (with filter bpf) into out (at most max); returns the status
 * of open or of the failing next, and copies the counts into *counts when it opened. */
dt_status tl_read_all(const char *path, const char *bpf, dt_packet *out, size_t max, size_t *n,
                      dt_capture_counts *counts);

#endif
