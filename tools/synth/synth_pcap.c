/* Packet bytes (Ethernet or raw IPv4, with correct checksums) written through pcap_dump. */
#include "synth_pcap.h"

#include "dt_packet.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define SNAPLEN 262144
#define ETHER_LEN 14

/* The header fields a real sender keeps for all its packets. */
typedef struct {
    uint8_t ttl;
    uint16_t window;
} sender_traits;

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

/* RFC 1071 one's-complement sum of len bytes, folded into start. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t start)
{
    uint32_t sum = start;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Operating systems start from 64, 128 or 255 and lose a hop count on the way. */
static sender_traits traits_of(uint32_t src)
{
    static const uint8_t initial_ttl[] = {64, 128, 255, 64};
    static const uint16_t windows[] = {1024, 5840, 14600, 29200, 65535, 8192};
    uint64_t h = dt_mix64(src);
    sender_traits t;
    t.ttl = (uint8_t)(initial_ttl[h & 3] - 6 - (h >> 8) % 20);
    t.window = windows[(h >> 16) % 6];
    return t;
}

/* Writes the transport header at l4 and returns its length. */
static size_t put_transport(uint8_t *l4, const synth_packet *p, uint32_t dst, uint64_t h,
                            const sender_traits *t)
{
    memset(l4, 0, 20);
    switch (p->style) {
    case SYNTH_STYLE_UDP:
        put16(l4, 1024 + (uint32_t)(h % 64512));
        put16(l4 + 2, p->dport);
        put16(l4 + 4, 8);
        return 8;
    case SYNTH_STYLE_ECHO_REQUEST:
    case SYNTH_STYLE_ECHO_REPLY:
        l4[0] = p->style == SYNTH_STYLE_ECHO_REPLY ? 0 : 8;
        put32(l4 + 4, (uint32_t)(h >> 32));
        put16(l4 + 2, fold(sum16(l4, 8, 0)));
        return 8;
    case SYNTH_STYLE_GRE:
        put16(l4 + 2, 0x0800);
        return 4;
    default:
        break;
    }
    uint32_t seq = p->style == SYNTH_STYLE_MIRAI ? dst : (uint32_t)(h >> 32);
    if (p->style != SYNTH_STYLE_MIRAI && seq == dst)
        seq ^= 1;
    put16(l4, 1024 + (uint32_t)(h % 64512));
    put16(l4 + 2, p->dport);
    put32(l4 + 4, seq);
    l4[12] = 5 << 4;
    l4[13] = 0x02;
    put16(l4 + 14, t->window);
    return 20;
}

/* Builds one packet at buf (link header per linktype) and returns its length. */
static size_t build_packet(const synth_config *cfg, const synth_packet *p, uint8_t *buf)
{
    static const uint8_t macs[12] = {0x00, 0x1b, 0x21, 0x3a, 0x4c, 0x01,
                                     0x00, 0x0c, 0x29, 0x7f, 0x10, 0x02};
    size_t link = cfg->linktype == DLT_EN10MB ? ETHER_LEN : 0;
    if (link) {
        memcpy(buf, macs, sizeof macs);
        put16(buf + 12, 0x0800);
    }

    uint8_t *ip = buf + link, *l4 = ip + 20;
    uint32_t dst = cfg->telescope | p->dst_host;
    uint64_t h = dt_mix64(cfg->seed ^ dt_mix64(((uint64_t)p->src << 32) | p->order));
    sender_traits t = traits_of(p->src);
    size_t l4_len = put_transport(l4, p, dst, h, &t);
    uint8_t proto = synth_style_proto(p->style);

    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint32_t)(20 + l4_len));
    put16(ip + 4, (uint32_t)(h >> 16) & 0xffff);
    ip[8] = t.ttl;
    ip[9] = proto;
    put32(ip + 12, p->src);
    put32(ip + 16, dst);
    put16(ip + 10, fold(sum16(ip, 20, 0)));

    if (proto == DT_PROTO_TCP || proto == DT_PROTO_UDP) {
        /* The pseudo-header of RFC 793 / RFC 768: addresses, protocol and length. */
        uint32_t pseudo = sum16(ip + 12, 8, (uint32_t)proto + (uint32_t)l4_len);
        uint16_t check = fold(sum16(l4, l4_len, pseudo));
        put16(l4 + (proto == DT_PROTO_TCP ? 16 : 6), check ? check : 0xffff);
    }
    return link + 20 + l4_len;
}

/* Opens the dumper of one file: straight to disk, or into memory for later gzip. */
typedef struct {
    pcap_t *dead;
    pcap_dumper_t *dumper;
    char *mem; /* open_memstream buffer when compressing */
    size_t mem_size;
    const char *path;
    int gzip;
} capture_file;

static dt_status open_capture(const synth_config *cfg, capture_file *f)
{
    f->dead =
        pcap_open_dead_with_tstamp_precision(cfg->linktype, SNAPLEN, PCAP_TSTAMP_PRECISION_MICRO);
    if (f->dead == NULL)
        return dt_fail(DT_ERR_NOMEM, "%s: cannot create a pcap handle", f->path);

    if (!f->gzip) {
        f->dumper = pcap_dump_open(f->dead, f->path);
    } else {
        FILE *mem = open_memstream(&f->mem, &f->mem_size);
        if (mem == NULL)
            return dt_fail(DT_ERR_NOMEM, "%s: cannot open a memory stream", f->path);
        f->dumper = pcap_dump_fopen(f->dead, mem);
        if (f->dumper == NULL)
            fclose(mem);
    }
    if (f->dumper == NULL)
        return dt_fail(DT_ERR_IO, "%s: cannot create: %s", f->path, pcap_geterr(f->dead));
    return DT_OK;
}

/* Writes the compressed copy of the in-memory capture; gzip headers carry no time. */
static dt_status write_gzip(const capture_file *f)
{
    gzFile gz = gzopen(f->path, "wb6");
    if (gz == NULL)
        return dt_fail(DT_ERR_IO, "%s: cannot create: %s", f->path, strerror(errno));
    size_t done = 0;
    while (done < f->mem_size) {
        unsigned chunk =
            f->mem_size - done > (1u << 30) ? 1u << 30 : (unsigned)(f->mem_size - done);
        if (gzwrite(gz, f->mem + done, chunk) != (int)chunk) {
            gzclose(gz);
            return dt_fail(DT_ERR_IO, "%s: write failed after %zu bytes", f->path, done);
        }
        done += chunk;
    }
    if (gzclose(gz) != Z_OK)
        return dt_fail(DT_ERR_IO, "%s: cannot finish the gzip stream", f->path);
    return DT_OK;
}

static dt_status close_capture(capture_file *f, uint64_t *bytes)
{
    dt_status st = DT_OK;
    if (f->dumper != NULL) {
        int flushed = pcap_dump_flush(f->dumper);
        long size = pcap_dump_ftell(f->dumper);
        pcap_dump_close(f->dumper);
        f->dumper = NULL;
        if (flushed != 0)
            st = dt_fail(DT_ERR_IO, "%s: write failed: %s", f->path, strerror(errno));
        else if (f->gzip)
            st = write_gzip(f);
        if (size > 0)
            *bytes += (uint64_t)size;
    }
    free(f->mem);
    f->mem = NULL;
    if (f->dead != NULL)
        pcap_close(f->dead);
    f->dead = NULL;
    return st;
}

/* Writes the packets [*next, ...) whose time is before end_us into one file. */
static dt_status write_file(const synth_config *cfg, capture_file *f, const synth_packets *packets,
                            size_t *next, int64_t end_us)
{
    uint8_t buf[64];
    DT_CHECK(open_capture(cfg, f));
    for (; *next < packets->n && packets->items[*next].ts_us < end_us; (*next)++) {
        const synth_packet *p = &packets->items[*next];
        struct pcap_pkthdr hdr;
        hdr.ts.tv_sec = (time_t)(p->ts_us / 1000000);
        hdr.ts.tv_usec = (suseconds_t)(p->ts_us % 1000000);
        hdr.caplen = hdr.len = (bpf_u_int32)build_packet(cfg, p, buf);
        pcap_dump((u_char *)f->dumper, &hdr, buf);
    }
    return DT_OK;
}

/* Compress every file (all) or every other one (some, the odd hours' files). */
static int gzip_file(const synth_config *cfg, int file)
{
    return cfg->gzip_mode == SYNTH_GZIP_ALL || (cfg->gzip_mode == SYNTH_GZIP_SOME && file % 2);
}

dt_status synth_pcap_write_day(const synth_config *cfg, int day, const synth_packets *packets,
                               const char *dir, uint64_t *bytes)
{
    int files = cfg->preset.files_per_day;
    int64_t midnight_us = (cfg->start_day + day) * 86400LL * 1000000;
    char date[16];
    synth_format_date(cfg->start_day + day, date, sizeof date);

    size_t next = 0;
    for (int file = 0; file < files; file++) {
        int first_hour = file * 24 / files, end_hour = (file + 1) * 24 / files;
        char path[4096];
        capture_file f = {NULL, NULL, NULL, 0, path, gzip_file(cfg, file)};
        snprintf(path, sizeof path, "%s/telescope-%s-%02d.pcap%s", dir, date, first_hour,
                 f.gzip ? ".gz" : "");

        dt_status st = write_file(cfg, &f, packets, &next, midnight_us + end_hour * 3600000000LL);
        dt_status closed = close_capture(&f, bytes);
        DT_CHECK(st);
        DT_CHECK(closed);
    }
    if (next != packets->n)
        return dt_fail(DT_ERR_INTERNAL, "day %s: %zu packets fell outside the day", date,
                       packets->n - next);
    return DT_OK;
}
