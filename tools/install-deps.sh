#!/usr/bin/env bash
# Installs the Debian packages darktrack builds and tests with, when any is missing.
# Usage: tools/install-deps.sh [build|all]   (default: all)
set -euo pipefail

build_packages=(
    build-essential cmake pkg-config git
    libopenmpi-dev openmpi-bin libscalapack-openmpi-dev libopenblas-dev
    libpcap-dev libnetcdf-dev netcdf-bin zlib1g-dev libinih-dev
)
check_packages=(
    clang clang-format libclang-rt-14-dev
    python3 python3-numpy python3-netcdf4 python3-xarray python3-pandas python3-matplotlib
    python3-sklearn python3-gensim r-base-core r-cran-dbscan nco tshark
    slurmctld slurmd slurm-client shellcheck
)

wanted=("${build_packages[@]}")
if [ "${1:-all}" = all ]; then
    wanted+=("${check_packages[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "darktrack: these Debian packages are missing: ${missing[*]}" >&2
    echo "darktrack: run this script as root, or install them with apt-get" >&2
    exit 1
fi
echo "darktrack: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not matter here.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
