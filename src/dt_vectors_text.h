/* Vectors as plain text, for studies from outside darktrack. */
#ifndef DT_VECTORS_TEXT_H
#define DT_VECTORS_TEXT_H

#include "dt_status.h"

#include <stddef.h>
#include <stdint.h>

/*
 * One point per line: an optional IPv4 address in dotted form, then the components,
 * separated by commas, tabs or spaces. Blank lines and lines starting with '#' are
 * skipped, and so is a first line that does not start with a number or an address (a
 * header such as "ip,x0,x1,..."). Every row must have the same number of components and
 * either every row or none has an address; rows without addresses get their row number
 * (0, 1, ...) as ips.
 */

/* Reads path ("-" for standard input). On success *ips (n) and *data (n x dim) are new
 * arrays the caller frees and *has_ips says whether the rows had addresses; on failure
 * nothing is allocated. Errors: DT_ERR_IO when the file cannot be read, DT_ERR_FORMAT
 * naming file, line and field. */
dt_status dt_vectors_text_read(const char *path, size_t *n, size_t *dim, uint32_t **ips,
                               float **data, int *has_ips);

/* 1 when the file starts like a netCDF file (classic or netCDF-4), 0 otherwise (also when
 * it cannot be opened: the reader then says why). */
int dt_vectors_is_netcdf(const char *path);

#endif
