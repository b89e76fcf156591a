/* Atomic netCDF writes (temporary file, fsync, rename) and error messages. */
#include "dt_ncfile.h"

#include <netcdf.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

dt_status dt_ncfile_check(int nc_code, dt_status code, const char *path, const char *what)
{
    if (nc_code == NC_NOERR)
        return DT_OK;
    return dt_fail(code, "%s: %s: %s", path, what, nc_strerror(nc_code));
}

dt_status dt_ncfile_create_temp(const char *path, char *tmp, size_t len, int *ncid)
{
    int written = snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
    if (written < 0 || (size_t)written >= len)
        return dt_fail(DT_ERR_IO, "%s: path too long", path);

    return dt_ncfile_check(nc_create(tmp, NC_NETCDF4 | NC_CLOBBER, ncid), DT_ERR_IO, tmp,
                           "cannot create");
}

static dt_status fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return dt_fail(DT_ERR_IO, "%s: cannot reopen to sync: %s", path, strerror(errno));
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    if (rc != 0)
        return dt_fail(DT_ERR_IO, "%s: fsync failed: %s", path, strerror(saved));
    return DT_OK;
}

dt_status dt_ncfile_commit(int ncid, const char *tmp, const char *path)
{
    dt_status st = dt_ncfile_check(nc_close(ncid), DT_ERR_IO, tmp, "cannot close");
    if (st == DT_OK)
        st = fsync_path(tmp);
    if (st == DT_OK && rename(tmp, path) != 0)
        st = dt_fail(DT_ERR_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (st != DT_OK)
        remove(tmp);
    return st;
}

void dt_ncfile_abandon(int ncid, const char *tmp)
{
    nc_close(ncid);
    remove(tmp);
}
