#!/usr/bin/python3
"""Writes a synthetic telescope capture for the reader benchmark: Ethernet TCP SYN packets
from many sources towards one /24, one microsecond apart (standard library only)."""
import argparse
import random
import struct


def ip_checksum(header):
    total = sum(struct.unpack("!10H", header))
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def syn_frame(rng, src, dst, dport, mirai):
    seq = dst if mirai else rng.getrandbits(32)
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, rng.getrandbits(16), 0, 64, 6,
                               0, src.to_bytes(4, "big"), dst.to_bytes(4, "big")))
    struct.pack_into("!H", ip, 10, ip_checksum(bytes(ip)))
    tcp = struct.pack("!HHIIBBHHH", rng.randrange(1024, 65536), dport, seq, 0, 0x50, 0x02,
                      65535, 0, 0)
    eth = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"
    return eth + bytes(ip) + tcp


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--packets", type=int, default=2_000_000)
    parser.add_argument("--senders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    senders = [rng.getrandbits(32) for _ in range(args.senders)]
    ports = [23, 22, 80, 443, 445, 2323, 3389, 8080] + [rng.randrange(1, 65536)
                                                        for _ in range(200)]
    # A small pool of distinct frames keeps generation fast; each record still gets its
    # own timestamp and the pool is large enough that sources vary widely.
    pool = []
    for _ in range(min(args.packets, 200_000)):
        src = senders[min(int(rng.paretovariate(1.2)) - 1, args.senders - 1)
                      if rng.random() < 0.5 else rng.randrange(args.senders)]
        dst = 0xC6336400 | rng.randrange(256)
        pool.append(syn_frame(rng, src, dst, rng.choice(ports), rng.random() < 0.1))

    start = 1_700_000_000
    with open(args.output, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        chunk = []
        for i in range(args.packets):
            frame = pool[i % len(pool)]
            usec = i % 1_000_000
            chunk.append(struct.pack("<IIII", start + i // 1_000_000, usec, len(frame),
                                     len(frame)))
            chunk.append(frame)
            if len(chunk) >= 20000:
                out.write(b"".join(chunk))
                chunk.clear()
        out.write(b"".join(chunk))


if __name__ == "__main__":
    main()
