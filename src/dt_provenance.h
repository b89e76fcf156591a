/* Where a result came from: versions of darktrack and of the libraries it runs on. */
#ifndef DT_PROVENANCE_H
#define DT_PROVENANCE_H

#include <stddef.h>

/* "libpcap version ...; netCDF ...; OpenBLAS ..." into buf. */
void dt_library_versions(char *buf, size_t len);

/* "darktrack 0.1.0 (git abc123)" into buf. */
void dt_version_string(char *buf, size_t len);

#endif
