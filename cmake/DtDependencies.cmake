# Finds every library darktrack links: Open MPI, ScaLAPACK, OpenBLAS, libpcap, netCDF,
# zlib and libinih. ScaLAPACK goes through pkg-config because Debian's CMake package
# config for it points at a library path that does not exist.

find_package(PkgConfig REQUIRED)
find_package(MPI REQUIRED COMPONENTS C)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)

set(BLA_VENDOR OpenBLAS)
find_package(BLAS REQUIRED)
find_package(LAPACK REQUIRED)
find_path(DT_CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas openblas-pthread REQUIRED)

pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)

find_package(netCDF CONFIG QUIET)
if(TARGET netCDF::netcdf)
    set(DT_NETCDF_TARGET netCDF::netcdf)
else()
    pkg_check_modules(NETCDF REQUIRED IMPORTED_TARGET netcdf)
    set(DT_NETCDF_TARGET PkgConfig::NETCDF)
endif()

pkg_check_modules(SCALAPACK QUIET IMPORTED_TARGET scalapack-openmpi)
if(SCALAPACK_FOUND)
    set(DT_SCALAPACK_TARGET PkgConfig::SCALAPACK)
else()
    find_library(DT_SCALAPACK_LIBRARY NAMES scalapack-openmpi scalapack REQUIRED)
    set(DT_SCALAPACK_TARGET ${DT_SCALAPACK_LIBRARY})
endif()

find_library(DT_MATH_LIBRARY m)
