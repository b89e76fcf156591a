/* A zlib gzFile behind a glibc fopencookie stream, for libpcap's pcap_fopen_offline. */
#define _GNU_SOURCE
#include "dt_gzfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

/* Large buffers make glibc hand zlib whole 256 KiB reads, which zlib serves straight into
 * stdio's buffer for plain files (it copies directly once a read is twice its own buffer);
 * measured in docs/reader.md. */
enum { STDIO_BUFFER = 256 * 1024, ZLIB_BUFFER = 64 * 1024, WHY_SIZE = 256 };

struct dt_gzfile {
    gzFile gz;
    uint8_t head[4];
    size_t head_len;
    dt_status status;
    char why[WHY_SIZE];
};

static void record_failure(dt_gzfile *f, int zerr, const char *zmsg, int saved_errno)
{
    if (f->status != DT_OK)
        return;

    /* zlib prefixes its message with "<fd:N>: ", which names nothing the user knows. */
    const char *colon = strstr(zmsg, ": ");
    if (strncmp(zmsg, "<fd:", 4) == 0 && colon)
        zmsg = colon + 2;
    if (zerr == Z_ERRNO) {
        f->status = DT_ERR_IO;
        snprintf(f->why, sizeof f->why, "read error: %s", strerror(saved_errno));
    } else if (zerr == Z_BUF_ERROR) {
        f->status = DT_ERR_FORMAT;
        snprintf(f->why, sizeof f->why, "gzip data cut short (%s)", zmsg);
    } else if (zerr == Z_MEM_ERROR) {
        f->status = DT_ERR_NOMEM;
        snprintf(f->why, sizeof f->why, "out of memory decompressing gzip data");
    } else {
        f->status = DT_ERR_FORMAT;
        snprintf(f->why, sizeof f->why, "damaged gzip data (%s)", zmsg);
    }
}

static ssize_t cookie_read(void *cookie, char *buf, size_t size)
{
    dt_gzfile *f = cookie;
    unsigned want = size > (1u << 30) ? (1u << 30) : (unsigned)size;
    int got = gzread(f->gz, buf, want);
    for (int i = 0; i < got && f->head_len < sizeof f->head; i++)
        f->head[f->head_len++] = (uint8_t)buf[i];
    if (got > 0)
        return got;

    /* End of data or an error: zlib reports a gzip stream cut short only here, as a
     * Z_BUF_ERROR once the last bytes it could decompress were returned. */
    int saved_errno = errno;
    int zerr = Z_OK;
    const char *zmsg = gzerror(f->gz, &zerr);
    if (zerr != Z_OK)
        record_failure(f, zerr, zmsg, saved_errno);
    if (got < 0) {
        errno = zerr == Z_ERRNO ? saved_errno : EIO;
        return -1;
    }
    return 0;
}

/* Only ftell is supported: the position in the decompressed data. */
static int cookie_seek(void *cookie, off64_t *offset, int whence)
{
    dt_gzfile *f = cookie;
    if (whence != SEEK_CUR || *offset != 0) {
        errno = ESPIPE;
        return -1;
    }
    *offset = (off64_t)gztell(f->gz);
    return 0;
}

static int cookie_close(void *cookie)
{
    dt_gzfile *f = cookie;
    int rc = gzclose_r(f->gz);
    free(f);
    return rc == Z_OK ? 0 : EOF;
}

dt_status dt_gzfile_fdopen(int fd, FILE **stream, dt_gzfile **gz)
{
    *stream = NULL;
    *gz = NULL;
    dt_gzfile *f = calloc(1, sizeof *f);
    if (!f) {
        close(fd);
        return dt_fail(DT_ERR_NOMEM, "out of memory opening a capture stream");
    }

    f->gz = gzdopen(fd, "rb");
    if (!f->gz) {
        close(fd);
        free(f);
        return dt_fail(DT_ERR_NOMEM, "out of memory opening a gzip stream");
    }
    gzbuffer(f->gz, ZLIB_BUFFER);

    cookie_io_functions_t io = {cookie_read, NULL, cookie_seek, cookie_close};
    FILE *s = fopencookie(f, "rb", io);
    if (!s) {
        gzclose_r(f->gz);
        free(f);
        return dt_fail(DT_ERR_NOMEM, "out of memory opening a capture stream");
    }
    setvbuf(s, NULL, _IOFBF, STDIO_BUFFER);
    *stream = s;
    *gz = f;
    return DT_OK;
}

int dt_gzfile_compressed(const dt_gzfile *gz)
{
    return gzdirect(gz->gz) == 0;
}

size_t dt_gzfile_head(const dt_gzfile *gz, uint8_t head[4])
{
    memcpy(head, gz->head, gz->head_len);
    return gz->head_len;
}

dt_status dt_gzfile_status(const dt_gzfile *gz, const char **why)
{
    *why = gz->status == DT_OK ? "no failure" : gz->why;
    return gz->status;
}
