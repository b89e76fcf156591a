/* Sender vectors as a netCDF file: what --save-embeddings writes and `cluster` reads. */
#ifndef DT_VECTORS_H
#define DT_VECTORS_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The file format (netCDF-4):
 *   dimensions  sender = n, embedding_dim = dim
 *   variables   uint  sender_ip(sender)                  IPv4 address, host byte order
 *               float embedding(sender, embedding_dim)   row-major, one row per sender
 * Other variables and attributes are ignored on reading.
 */

/* Writes n vectors of dim floats (data is n x dim, row-major) with their addresses to
 * path, replacing it atomically (a temporary file in the same folder, fsync, rename).
 * Errors: DT_ERR_IO naming the file and the netCDF message. */
dt_status dt_vectors_write(const char *path, size_t n, size_t dim, const uint32_t *ips,
                           const float *data);

/* Reads a vectors file. On success *ips (n) and *data (n x dim) are new arrays the caller
 * frees; on failure nothing is allocated. Errors: DT_ERR_IO when the file cannot be opened,
 * DT_ERR_FORMAT naming the file and what is missing or malformed. */
dt_status dt_vectors_read(const char *path, size_t *n, size_t *dim, uint32_t **ips, float **data);

#endif
