/* Versions of darktrack and of the libraries it runs on. */
#include "dt_provenance.h"

#include "dt_version.h"

#include <cblas.h>
#include <netcdf.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

void dt_library_versions(char *buf, size_t len)
{
    char netcdf[64];
    snprintf(netcdf, sizeof netcdf, "%s", nc_inq_libvers());
    char *space = strchr(netcdf, ' ');
    if (space)
        *space = '\0';

    snprintf(buf, len, "%s; netCDF %s; zlib %s; OpenBLAS %s", pcap_lib_version(), netcdf,
             zlibVersion(), openblas_get_config());
}

void dt_version_string(char *buf, size_t len)
{
    snprintf(buf, len, "darktrack %s (git %s)", DT_VERSION, DT_GIT_REVISION);
}
