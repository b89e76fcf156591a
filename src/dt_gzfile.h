/* Reading a file through zlib as a stdio stream, so gzip and plain captures share one path. */
#ifndef DT_GZFILE_H
#define DT_GZFILE_H

#include "dt_status.h"

#include <stdint.h>
#include <stdio.h>

typedef struct dt_gzfile dt_gzfile;

/* Wraps the open descriptor fd (ownership passes to the stream, even on failure) in a stdio
 * stream that yields the decompressed bytes of a gzip file, or the bytes themselves of any
 * other file. fclose(*stream) closes everything and frees *gz. ftell on the stream gives
 * the offset in the decompressed data; other seeks fail. DT_ERR_NOMEM when out of memory. */
dt_status dt_gzfile_fdopen(int fd, FILE **stream, dt_gzfile **gz);

/* 1 when the data read so far came through gzip decompression. */
int dt_gzfile_compressed(const dt_gzfile *gz);

/* Copies the first (up to 4) decompressed bytes read so far into head; returns how many. */
size_t dt_gzfile_head(const dt_gzfile *gz, uint8_t head[4]);

/* The stream's first failure, or DT_OK: DT_ERR_IO for a read error of the file,
 * DT_ERR_FORMAT for damaged or cut-short gzip data, DT_ERR_NOMEM. *why (never NULL) says
 * what happened; valid until the stream is closed. */
dt_status dt_gzfile_status(const dt_gzfile *gz, const char **why);

#endif
