/* Builders for hand-made captures and frames, and a stderr catcher, for the reader tests. */
#include "reader_testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

void tl_put(tl_buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown)
            abort();
        b->data = grown;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
}

void tl_put_le16(tl_buf *b, uint16_t v)
{
    uint8_t bytes[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    tl_put(b, bytes, 2);
}

void tl_put_le32(tl_buf *b, uint32_t v)
{
    uint8_t bytes[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    tl_put(b, bytes, 4);
}

void tl_free(tl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void tl_pcap_header(tl_buf *b, int nano, uint32_t snaplen, uint32_t linktype)
{
    tl_put_le32(b, nano ? 0xA1B23C4Du : 0xA1B2C3D4u);
    tl_put_le16(b, 2);
    tl_put_le16(b, 4);
    tl_put_le32(b, 0);
    tl_put_le32(b, 0);
    tl_put_le32(b, snaplen);
    tl_put_le32(b, linktype);
}

void tl_pcap_record(tl_buf *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len,
                    const void *data, size_t n)
{
    tl_put_le32(b, sec);
    tl_put_le32(b, frac);
    tl_put_le32(b, caplen);
    tl_put_le32(b, len);
    tl_put(b, data, n);
}

void tl_pcap_packet(tl_buf *b, uint32_t sec, uint32_t frac, const void *data, size_t n)
{
    tl_pcap_record(b, sec, frac, (uint32_t)n, (uint32_t)n, data, n);
}

size_t tl_pcapng_header(tl_buf *b, uint16_t linktype)
{
    tl_put_le32(b, 0x0A0D0D0Au); /* section header block */
    tl_put_le32(b, 28);
    tl_put_le32(b, 0x1A2B3C4Du);
    tl_put_le16(b, 1);
    tl_put_le16(b, 0);
    tl_put_le32(b, 0xFFFFFFFFu); /* section length unknown */
    tl_put_le32(b, 0xFFFFFFFFu);
    tl_put_le32(b, 28);

    tl_put_le32(b, 1); /* interface description block, no options */
    tl_put_le32(b, 20);
    tl_put_le16(b, linktype);
    tl_put_le16(b, 0);
    tl_put_le32(b, 0);
    tl_put_le32(b, 20);
    return b->len;
}

size_t tl_pcapng_packet(tl_buf *b, uint64_t usec, const void *data, size_t n)
{
    size_t padded = (n + 3) & ~(size_t)3;
    uint32_t total = (uint32_t)(32 + padded);
    tl_put_le32(b, 6); /* enhanced packet block */
    tl_put_le32(b, total);
    tl_put_le32(b, 0);
    tl_put_le32(b, (uint32_t)(usec >> 32));
    tl_put_le32(b, (uint32_t)usec);
    tl_put_le32(b, (uint32_t)n);
    tl_put_le32(b, (uint32_t)n);
    tl_put(b, data, n);
    static const uint8_t zeros[4] = {0};
    tl_put(b, zeros, padded - n);
    tl_put_le32(b, total);
    return b->len;
}

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    put_be16(p, (uint16_t)(v >> 16));
    put_be16(p + 2, (uint16_t)v);
}

size_t tl_ipv4_packet(uint8_t *out, const tl_ipv4 *ip)
{
    size_t hl = (size_t)(ip->ihl_words ? ip->ihl_words : 5) * 4;
    size_t tl = ip->proto == 6 ? 20 : 8;
    memset(out, 0, hl + tl);
    out[0] = (uint8_t)(0x40 | (ip->ihl_words ? ip->ihl_words : 5));
    put_be16(out + 2, (uint16_t)(hl + tl));
    put_be16(out + 6, ip->frag);
    out[8] = 64;
    out[9] = ip->proto;
    put_be32(out + 12, ip->src);
    put_be32(out + 16, ip->dst);
    for (size_t i = 20; i < hl; i++)
        out[i] = 1; /* NOP options */

    uint8_t *t = out + hl;
    put_be16(t, ip->sport);
    put_be16(t + 2, ip->dport);
    if (ip->proto == 6) {
        put_be32(t + 4, ip->seq);
        t[12] = 0x50;
        t[13] = ip->tcp_flags;
    }
    return hl + tl;
}

void tl_write_file(const tl_buf *b, char *path, size_t size)
{
    snprintf(path, size, "/tmp/dt_reader_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, b->data, b->len) != (ssize_t)b->len)
        abort();
    close(fd);
}

/* Compresses b as gzip (deflateInit2 with 16 + 15 window bits writes the wrapper), ending
 * with flush; returns the malloc'ed bytes and their count in *len. */
static uint8_t *gzip_bytes(const tl_buf *b, int flush, size_t *len, size_t *room_out)
{
    uLongf room = compressBound((uLong)b->len) + 64;
    uint8_t *packed = malloc(room);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (!packed || deflateInit2(&zs, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    zs.next_in = b->data;
    zs.avail_in = (uInt)b->len;
    zs.next_out = packed;
    zs.avail_out = (uInt)room;
    int rc = deflate(&zs, flush);
    if (flush == Z_FINISH ? rc != Z_STREAM_END : rc != Z_OK)
        abort();
    *len = zs.total_out;
    *room_out = room;
    deflateEnd(&zs);
    return packed;
}

void tl_write_gzip_unfinished(const tl_buf *b, char *path, size_t size)
{
    size_t len, room;
    uint8_t *packed = gzip_bytes(b, Z_SYNC_FLUSH, &len, &room);
    tl_buf out = {packed, len, room};
    tl_write_file(&out, path, size);
    free(packed);
}

void tl_write_gzip(const tl_buf *b, size_t cut, char *path, size_t size)
{
    size_t packed_len, room;
    uint8_t *packed = gzip_bytes(b, Z_FINISH, &packed_len, &room);

    tl_buf out = {packed, packed_len < cut ? packed_len : cut, room};
    tl_write_file(&out, path, size);
    free(packed);
}

static int saved_stderr = -1;
static char stderr_path[64];

void tl_stderr_begin(void)
{
    fflush(stderr);
    snprintf(stderr_path, sizeof stderr_path, "/tmp/dt_reader_err_XXXXXX");
    int fd = mkstemp(stderr_path);
    saved_stderr = dup(STDERR_FILENO);
    if (fd < 0 || saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0)
        abort();
    close(fd);
}

const char *tl_stderr_end(void)
{
    static char text[16384];
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);

    FILE *f = fopen(stderr_path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    unlink(stderr_path);
    fputs(text, stderr); /* keep the messages visible in the test log */
    return text;
}

dt_status tl_read_all(const char *path, const char *bpf, dt_packet *out, size_t max, size_t *n,
                      dt_capture_counts *counts)
{
    *n = 0;
    dt_capture *cap = NULL;
    dt_status st = dt_capture_open(path, bpf, &cap);
    if (st != DT_OK)
        return st;

    dt_packet pkt;
    int got = 1;
    while (got) {
        st = dt_capture_next(cap, &pkt, &got);
        if (st != DT_OK)
            break;
        if (got && *n < max)
            out[(*n)++] = pkt;
    }
    *counts = *dt_capture_get_counts(cap);
    dt_capture_close(cap);
    return st;
}
