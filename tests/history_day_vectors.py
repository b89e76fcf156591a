#!/usr/bin/python3
"""Writes one day's saved embeddings from a history (--save-embeddings) as a vectors file
(dimensions sender and embedding_dim; sender_ip and embedding), the format darktrack
cluster reads. usage: history_day_vectors.py HISTORY DAY_INDEX OUT"""

import sys

import netCDF4
import numpy as np


def main():
    history, index, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with netCDF4.Dataset(history) as ds:
        counts = ds["sender_count"][:].astype(np.int64)
        start = int(counts[:index].sum())
        stop = start + int(counts[index])
        ips = ds["sender_ip"][start:stop]
        vectors = ds["sender_embedding"][start:stop, :]
    with netCDF4.Dataset(out, "w", format="NETCDF4") as ds:
        ds.createDimension("sender", len(ips))
        ds.createDimension("embedding_dim", vectors.shape[1])
        ds.createVariable("sender_ip", "u4", ("sender",))[:] = ips
        ds.createVariable("embedding", "f4", ("sender", "embedding_dim"))[:] = vectors
    print(f"{out}: {len(ips)} vectors of {vectors.shape[1]} from day {index} of {history}")


if __name__ == "__main__":
    main()
