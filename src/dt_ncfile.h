/* Small helpers for netCDF files written atomically and read with clear messages. */
#ifndef DT_NCFILE_H
#define DT_NCFILE_H

#include "dt_status.h"

#include <stddef.h>

/* Turns a netCDF return code into a dt_status: DT_OK for NC_NOERR, otherwise code with
 * "path: what: netCDF message". */
dt_status dt_ncfile_check(int nc_code, dt_status code, const char *path, const char *what);

/* Creates a netCDF-4 file at a temporary name next to path; *ncid is open for define
 * mode and tmp (len bytes) receives the temporary name for dt_ncfile_commit. */
dt_status dt_ncfile_create_temp(const char *path, char *tmp, size_t len, int *ncid);

/* Closes ncid, fsyncs the temporary file and renames it over path. On failure the
 * temporary file is removed. ncid is closed in every case. */
dt_status dt_ncfile_commit(int ncid, const char *tmp, const char *path);

/* Closes ncid and removes the temporary file after a failed write. */
void dt_ncfile_abandon(int ncid, const char *tmp);

#endif
